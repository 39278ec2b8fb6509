/* send/recv and their datagram forms.  Every call goes through
 * sockimpl_io(), which owns the GIL release, timeouts and retries. */
#include "internal.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>

/* ---- a per-thread receive buffer ------------------------------------------
 * recv(65536) that brings 64 bytes should not allocate 64 KiB and shrink it
 * again on every call.  Small receives land in a buffer each thread keeps,
 * and only the bytes that arrived are copied into the result.  (The stack
 * is not used: a thread may have been given as little as 32 KiB.) */

static pthread_key_t scratch_key;
static pthread_once_t scratch_once = PTHREAD_ONCE_INIT;
static int scratch_key_error;
static __thread char *scratch;

static void
make_scratch_key(void)
{
    /* free() runs at thread exit; the buffer holds no Python object. */
    scratch_key_error = pthread_key_create(&scratch_key, free);
}

char *
sockimpl_thread_scratch(void)
{
    if (scratch != NULL)
        return scratch;
    /* Without the key the buffer would outlive its thread: every thread
     * that ever received would leak it.  No buffer is better. */
    if (pthread_once(&scratch_once, make_scratch_key) != 0
        || scratch_key_error != 0)
        return NULL;
    char *buf = malloc(SOCKIMPL_SCRATCH_SIZE);
    if (buf == NULL)
        return NULL;
    if (pthread_setspecific(scratch_key, buf) != 0) {
        free(buf);
        return NULL;
    }
    scratch = buf;
    return scratch;
}

/* ---- argument helpers ------------------------------------------------------- */

static int
flags_arg(PyObject *const *args, Py_ssize_t nargs, Py_ssize_t i, int *flags)
{
    *flags = 0;
    return i < nargs ? sockimpl_as_int(args[i], flags) : 0;
}

static int
bufsize_arg(PyObject *obj, const char *fname, Py_ssize_t *size)
{
    if (sockimpl_as_ssize(obj, size) < 0)
        return -1;
    if (*size < 0) {
        PyErr_Format(PyExc_ValueError, "negative buffersize in %s", fname);
        return -1;
    }
    return 0;
}

/* Data to send.  A bytes object is read in place, without the buffer
 * protocol's fill and release: it cannot change, and the caller's
 * reference keeps it alive while the GIL is released.  Anything else is
 * exported; release with data_release. */
static int
data_arg(PyObject *obj, Py_buffer *view)
{
    if (PyBytes_CheckExact(obj)) {
        view->obj = NULL;
        view->buf = PyBytes_AS_STRING(obj);
        view->len = PyBytes_GET_SIZE(obj);
        return 0;
    }
    return PyObject_GetBuffer(obj, view, PyBUF_SIMPLE);
}

static void
data_release(Py_buffer *view)
{
    if (view->obj != NULL)
        PyBuffer_Release(view);
}

/* ---- the I/O attempts, run without the GIL ---------------------------------- */

typedef struct {
    void *buf;
    size_t len;
    int flags;
    sock_addr addr;      /* recvfrom: filled in; sendto: the target */
    socklen_t addrlen;
} io_args;

static ssize_t
do_recv(int fd, void *p)
{
    io_args *a = p;
    return recv(fd, a->buf, a->len, a->flags);
}

static ssize_t
do_recvfrom(int fd, void *p)
{
    io_args *a = p;
    a->addrlen = sizeof a->addr;
    memset(&a->addr, 0, sizeof a->addr);
    return recvfrom(fd, a->buf, a->len, a->flags, &a->addr.sa, &a->addrlen);
}

static ssize_t
do_send(int fd, void *p)
{
    io_args *a = p;
    return send(fd, a->buf, a->len, a->flags);
}

static ssize_t
do_sendto(int fd, void *p)
{
    io_args *a = p;
    return sendto(fd, a->buf, a->len, a->flags, &a->addr.sa,
                  a->addrlen);
}

/* One transfer through sockimpl_io_fast: `a` carries its flags and size.
 * `*fast_used` (may be NULL) tells the result came from the attempt made
 * with the GIL held. */
static ssize_t
transfer(sockobj *s, short events, sockimpl_io_fn io, io_args *a,
         int64_t *deadline, int *fast_used)
{
    sockimpl_fast fast = {.flags = &a->flags, .len = a->len, .used = 0};
    ssize_t n = sockimpl_io_fast(s, events, io, a, deadline, &fast);
    if (fast_used != NULL)
        *fast_used = fast.used;
    return n;
}

/* With MSG_TRUNC the kernel reports a datagram's full length, which may
 * exceed the buffer: only `size` bytes are data.  (The stdlib returns the
 * full length, uninitialised memory included.) */
static Py_ssize_t
received(ssize_t n, Py_ssize_t size)
{
    return n < size ? (Py_ssize_t)n : size;
}

/* A small receive's attempt with the GIL held lands here: the GIL keeps
 * it to one thread at a time (single-phase init keeps the module out of
 * subinterpreters with a GIL of their own), and it spares the attempt the
 * thread-local lookup of the scratch buffer. */
static char attempt_buffer[SOCKIMPL_SCRATCH_SIZE];

/* Receive up to `size` bytes into a new bytes object. */
static PyObject *
recv_bytes(sockobj *s, Py_ssize_t size, io_args *a, sockimpl_io_fn io)
{
    int64_t deadline = 0;
    ssize_t n;

    if (size <= SOCKIMPL_SCRATCH_SIZE) {
        sockimpl_fast fast = {.flags = &a->flags, .len = (size_t)size};
        int attempt_errno;
        /* A size past the fast one is tried without the GIL (a timed
         * socket's one attempt), so not in the buffer the GIL guards. */
        a->buf = size <= SOCKIMPL_FAST_MAX_LEN ? attempt_buffer : sockimpl_thread_scratch();
        if (a->buf == NULL)
            return PyErr_NoMemory();
        a->len = (size_t)size;
        n = sockimpl_io_try(s, POLLIN, io, a, &fast, &attempt_errno);
        if (n < 0) {
            /* Waiting releases the GIL, and with it the attempt buffer. */
            a->buf = sockimpl_thread_scratch();
            if (a->buf == NULL)
                return PyErr_NoMemory();
            n = sockimpl_io_after(s, POLLIN, io, a, &deadline,
                                  attempt_errno);
            if (n < 0)
                return NULL;
        }
        return PyBytes_FromStringAndSize(a->buf, received(n, size));
    }
    PyObject *bytes = PyBytes_FromStringAndSize(NULL, size);
    if (bytes == NULL)
        return NULL;
    a->buf = PyBytes_AS_STRING(bytes);
    a->len = (size_t)size;
    n = transfer(s, POLLIN, io, a, &deadline, NULL);
    if (n < 0) {
        Py_DECREF(bytes);
        return NULL;
    }
    if (n < size)
        _PyBytes_Resize(&bytes, n);
    return bytes;
}

/* ---- recv family -------------------------------------------------------------- */

PyObject *
sockimpl_sock_recv(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    Py_ssize_t size;
    io_args a;

    if (sockimpl_check_nargs("recv", nargs, 1, 2) < 0
        || bufsize_arg(args[0], "recv", &size) < 0
        || flags_arg(args, nargs, 1, &a.flags) < 0)
        return NULL;
    /* The stdlib asks no kernel for nothing: b'' at once, whatever the
     * socket's state (even closed) and flags, where recv(fd, buf, 0)
     * would block or fail. */
    if (size == 0)
        return PyBytes_FromStringAndSize(NULL, 0);
    return recv_bytes((sockobj *)self, size, &a, do_recv);
}

PyObject *
sockimpl_sock_recvfrom(PyObject *self, PyObject *const *args,
                       Py_ssize_t nargs)
{
    sockobj *s = (sockobj *)self;
    Py_ssize_t size;
    io_args a;

    if (sockimpl_check_nargs("recvfrom", nargs, 1, 2) < 0
        || bufsize_arg(args[0], "recvfrom", &size) < 0
        || flags_arg(args, nargs, 1, &a.flags) < 0
        || sockimpl_addr_family_known(s) < 0)
        return NULL;
    PyObject *data = recv_bytes(s, size, &a, do_recvfrom);
    if (data == NULL)
        return NULL;
    PyObject *items[2] = {
        data, sockimpl_addr_build(&a.addr, a.addrlen, s->proto, s->fd)};
    return sockimpl_tuple(2, items);
}

/* recv_into / recvfrom_into: (buffer, nbytes=0, flags=0) by position or
 * keyword; the buffer must be writable and hold nbytes. */
static int
into_args(const char *fname, PyObject *const *args, Py_ssize_t nargs,
          PyObject *kwnames, const char *too_small, Py_buffer *view,
          io_args *a)
{
    static const char *const names[] = {"buffer", "nbytes", "flags", NULL};
    PyObject *arg[3];
    Py_ssize_t nbytes = 0;

    if (kwnames == NULL && nargs >= 1 && nargs <= 3) {
        for (Py_ssize_t i = 0; i < 3; i++)
            arg[i] = i < nargs ? args[i] : NULL;
    }
    else if (sockimpl_parse_args(fname, args, nargs, kwnames, names, 1,
                                 arg) < 0) {
        return -1;
    }
    a->flags = 0;
    if ((arg[1] != NULL && sockimpl_as_ssize(arg[1], &nbytes) < 0)
        || (arg[2] != NULL && sockimpl_as_int(arg[2], &a->flags) < 0))
        return -1;
    if (PyObject_GetBuffer(arg[0], view, PyBUF_WRITABLE) < 0) {
        if (PyErr_ExceptionMatches(PyExc_BufferError)
            || PyErr_ExceptionMatches(PyExc_TypeError)) {
            PyErr_Clear();
            PyErr_Format(PyExc_TypeError,
                         "%s() argument 1 must be read-write bytes-like "
                         "object, not %.100s", fname,
                         Py_TYPE(arg[0])->tp_name);
        }
        return -1;
    }
    if (nbytes < 0) {
        PyErr_Format(PyExc_ValueError, "negative buffersize in %s", fname);
        goto fail;
    }
    if (nbytes == 0)
        nbytes = view->len;
    else if (nbytes > view->len) {
        PyErr_SetString(PyExc_ValueError, too_small);
        goto fail;
    }
    a->buf = view->buf;
    a->len = (size_t)nbytes;
    return 0;
fail:
    PyBuffer_Release(view);
    return -1;
}

/* recv_into(bytearray), the common form, of a size tried with the GIL
 * held.  The attempt writes straight into the bytearray, which no other
 * thread can resize meanwhile; only a call that has to wait takes a buffer
 * export, which pins the bytearray while the GIL is released. */
static PyObject *
recv_into_bytearray(sockobj *s, PyObject *array)
{
    io_args a = {.buf = PyByteArray_AS_STRING(array),
                 .len = (size_t)PyByteArray_GET_SIZE(array)};
    sockimpl_fast fast = {.flags = &a.flags, .len = a.len};
    int attempt_errno;

    if (a.len == 0)
        return PyLong_FromLong(0);  /* as recv(0): no kernel asked */
    ssize_t n = sockimpl_io_try(s, POLLIN, do_recv, &a, &fast,
                                &attempt_errno);
    if (n < 0) {
        Py_buffer view;
        int64_t deadline = 0;
        if (PyObject_GetBuffer(array, &view, PyBUF_WRITABLE) < 0)
            return NULL;
        a.buf = view.buf;
        n = sockimpl_io_after(s, POLLIN, do_recv, &a, &deadline,
                              attempt_errno);
        PyBuffer_Release(&view);
        if (n < 0)
            return NULL;
    }
    return PyLong_FromSsize_t(n);
}

PyObject *
sockimpl_sock_recv_into(PyObject *self, PyObject *const *args,
                        Py_ssize_t nargs, PyObject *kwnames)
{
    Py_buffer view;
    io_args a;
    int64_t deadline = 0;

    /* Only a size the attempt makes with the GIL held (a larger one lets
     * go of it, and the bytearray must be pinned first). */
    if (nargs == 1 && kwnames == NULL && PyByteArray_CheckExact(args[0])
        && PyByteArray_GET_SIZE(args[0]) <= SOCKIMPL_FAST_MAX_LEN)
        return recv_into_bytearray((sockobj *)self, args[0]);
    if (into_args("recv_into", args, nargs, kwnames,
                  "buffer too small for requested bytes", &view, &a) < 0)
        return NULL;
    ssize_t n = a.len == 0 ? 0 : transfer((sockobj *)self, POLLIN, do_recv, &a, &deadline, NULL);
    PyBuffer_Release(&view);
    return n < 0 ? NULL : PyLong_FromSsize_t(n);
}

PyObject *
sockimpl_sock_recvfrom_into(PyObject *self, PyObject *const *args,
                            Py_ssize_t nargs, PyObject *kwnames)
{
    sockobj *s = (sockobj *)self;
    Py_buffer view;
    io_args a;
    int64_t deadline = 0;

    if (into_args("recvfrom_into", args, nargs, kwnames,
                  "nbytes is greater than the length of the buffer", &view,
                  &a) < 0)
        return NULL;
    if (sockimpl_addr_family_known(s) < 0) {
        PyBuffer_Release(&view);
        return NULL;
    }
    ssize_t n = transfer(s, POLLIN, do_recvfrom, &a, &deadline, NULL);
    PyBuffer_Release(&view);
    if (n < 0)
        return NULL;
    PyObject *items[2] = {
        PyLong_FromSsize_t(n),
        sockimpl_addr_build(&a.addr, a.addrlen, s->proto, s->fd)};
    return sockimpl_tuple(2, items);
}

/* ---- send family ----------------------------------------------------------------- */

PyObject *
sockimpl_sock_send(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    Py_buffer view;
    io_args a;
    int64_t deadline = 0;

    if (sockimpl_check_nargs("send", nargs, 1, 2) < 0
        || flags_arg(args, nargs, 1, &a.flags) < 0
        || data_arg(args[0], &view) < 0)
        return NULL;
    sockobj *s = (sockobj *)self;
    int fast_used;
    a.buf = view.buf;
    a.len = (size_t)view.len;
    ssize_t n = transfer(s, POLLOUT, do_send, &a, &deadline, &fast_used);
    if (n > 0 && (size_t)n < a.len && fast_used && s->timeout < 0
        && s->type == SOCK_STREAM) {
        /* The attempt without sleeping sent part of the data, where a
         * blocking send would have waited to queue all of it: finish the
         * way that send would, reporting what was sent if the rest fails
         * or is interrupted (the kernel's own answer then). */
        ssize_t more;
        Py_BEGIN_ALLOW_THREADS
        more = send(s->fd, (char *)a.buf + n, a.len - (size_t)n, a.flags);
        Py_END_ALLOW_THREADS
        if (more > 0)
            n += more;
    }
    data_release(&view);
    return n < 0 ? NULL : PyLong_FromSsize_t(n);
}

PyObject *
sockimpl_sock_sendall(PyObject *self, PyObject *const *args,
                      Py_ssize_t nargs)
{
    sockobj *s = (sockobj *)self;
    Py_buffer view;
    io_args a;
    /* One deadline for the whole transfer: the timeout bounds sendall(),
     * not each partial send. */
    int64_t deadline = 0;

    if (sockimpl_check_nargs("sendall", nargs, 1, 2) < 0
        || flags_arg(args, nargs, 1, &a.flags) < 0
        || data_arg(args[0], &view) < 0)
        return NULL;
    const char *p = view.buf;
    size_t left = (size_t)view.len;
    do {
        a.buf = (void *)p;
        a.len = left;
        ssize_t n = transfer(s, POLLOUT, do_send, &a, &deadline, NULL);
        if (n < 0)
            goto fail;
        p += n;
        left -= (size_t)n;
        /* A long transfer must still let Ctrl-C through. */
        if (left > 0 && PyErr_CheckSignals() < 0)
            goto fail;
    } while (left > 0);
    data_release(&view);
    Py_RETURN_NONE;
fail:
    data_release(&view);
    return NULL;
}

PyObject *
sockimpl_sock_sendto(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    sockobj *s = (sockobj *)self;
    Py_buffer view;
    io_args a;
    int64_t deadline = 0;

    if (nargs != 2 && nargs != 3) {
        PyErr_Format(PyExc_TypeError,
                     "sendto() takes 2 or 3 arguments (%zd given)", nargs);
        return NULL;
    }
    PyObject *address = args[nargs - 1];
    if (flags_arg(args, nargs - 1, 1, &a.flags) < 0
        || data_arg(args[0], &view) < 0)
        return NULL;
    if (sockimpl_addr_parse(s, address, &a.addr, &a.addrlen, "sendto()") < 0
        || PySys_Audit("socket.sendto", "OO", self, address) < 0) {
        data_release(&view);
        return NULL;
    }
#ifdef SOCKIMPL_MUTANT_SENDTO_PORT
    /* The engine's wire mutant: sendto() puts an IPv4 destination port on
       the wire in host byte order (nothing it returns shows it). */
    if (a.addr.sa.sa_family == AF_INET)
        a.addr.in.sin_port = ntohs(a.addr.in.sin_port);
#endif
    a.buf = view.buf;
    a.len = (size_t)view.len;
    ssize_t n = transfer(s, POLLOUT, do_sendto, &a, &deadline, NULL);
    data_release(&view);
    return n < 0 ? NULL : PyLong_FromSsize_t(n);
}
