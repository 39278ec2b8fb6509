/* The socket object: its life cycle, mode, options and connection set-up.
 * Data transfer lives in sock_io.c and sock_msg.c; addresses are the
 * family codecs' business (addr.c); waiting is blocking.c's. */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stddef.h>
#include <structmember.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define TYPE_FLAGS (SOCK_NONBLOCK | SOCK_CLOEXEC)

/* ---- mode -------------------------------------------------------------- */

static int
set_fd_nonblocking(int fd, int nonblocking)
{
    /* One ioctl instead of fcntl's read-modify-write pair. */
    int on = nonblocking;
    return ioctl(fd, FIONBIO, &on);
}

/* Apply a timeout: the descriptor is non-blocking whenever there is one,
 * so that blocking.c can wait with poll() and then retry. */
static int
apply_timeout(sockobj *s, int64_t timeout)
{
    s->timeout = timeout;
    /* On a closed socket too: the kernel's EBADF is the answer. */
    if (set_fd_nonblocking(s->fd, timeout >= 0) < 0) {
        sockimpl_raise_errno();
        return -1;
    }
    return 0;
}

static int
adopt_fd(sockobj *s, int fd, int family, int type, int proto)
{
    s->fd = fd;
    s->family = family;
    s->type = type & ~TYPE_FLAGS;
    s->proto = proto;
    s->closed = 0;
    s->datagram = s->type == SOCK_DGRAM || s->type == SOCK_RAW;
    if (type & SOCK_NONBLOCK) {
        s->timeout = 0;
        return 0;
    }
    s->timeout = SOCKIMPL_TIMEOUT_NONE;
    if (sockimpl_default_timeout >= 0)
        return apply_timeout(s, sockimpl_default_timeout);
    return 0;
}

/* A new socket object of `type` around `fd`; the fd is closed on failure. */
static PyObject *
new_from_fd(PyTypeObject *type, int fd, int family, int socktype, int proto)
{
    sockobj *s = (sockobj *)type->tp_alloc(type, 0);
    if (s == NULL) {
        close(fd);
        return NULL;
    }
    s->fd = -1;
    s->io_refs = 0;
    if (adopt_fd(s, fd, family, socktype, proto) < 0) {
        Py_DECREF(s);
        return NULL;
    }
    return (PyObject *)s;
}

/* ---- construction and teardown ------------------------------------------ */

static PyObject *
sock_new(PyTypeObject *type, PyObject *Py_UNUSED(args),
         PyObject *Py_UNUSED(kwds))
{
    sockobj *s = (sockobj *)type->tp_alloc(type, 0);
    if (s != NULL) {
        s->fd = -1;
        s->timeout = SOCKIMPL_TIMEOUT_NONE;
    }
    return (PyObject *)s;
}

static int
sockopt_int(int fd, int opt, int *value)
{
    socklen_t len = sizeof *value;
    return getsockopt(fd, SOL_SOCKET, opt, value, &len);
}

static int
optional_int(PyObject *obj, int *out)
{
    if (obj == NULL || obj == Py_None)
        return 0;
    return sockimpl_as_int(obj, out);
}

/* socket()'s arguments from a tuple and a keyword dict into `out`. */
static int
init_args(PyObject *args, PyObject *kwds, const char *const *names,
          PyObject **out)
{
    Py_ssize_t n = PyTuple_GET_SIZE(args);
    if (n > 4) {
        PyErr_Format(PyExc_TypeError,
                     "socket() takes at most 4 arguments (%zd given)", n);
        return -1;
    }
    for (int i = 0; i < 4; i++)
        out[i] = i < n ? PyTuple_GET_ITEM(args, i) : NULL;
    if (kwds == NULL || PyDict_GET_SIZE(kwds) == 0)
        return 0;
    PyObject *key, *value;
    Py_ssize_t pos = 0;
    while (PyDict_Next(kwds, &pos, &key, &value)) {
        int i = 0;
        while (i < 4 && !(PyUnicode_Check(key)
                          && PyUnicode_CompareWithASCIIString(key, names[i])
                                 == 0))
            i++;
        if (i == 4) {
            PyErr_Format(PyExc_TypeError,
                         "socket() got an unexpected keyword argument '%S'",
                         key);
            return -1;
        }
        if (out[i] != NULL) {
            PyErr_Format(PyExc_TypeError,
                         "argument for socket() given by name ('%s') and "
                         "position (%d)", names[i], i + 1);
            return -1;
        }
        out[i] = value;
    }
    return 0;
}

static const char *const init_names[] = {"family", "type", "proto",
                                          "fileno", NULL};

/* socket(family, type, proto, fileno) on a new or re-initialised object;
 * `arg` holds the four arguments, NULL where not given. */
static int
init_socket(sockobj *s, PyObject *const *arg)
{
    PyObject *self = (PyObject *)s;
    int family = -1, type = -1, proto = -1, fd;

    PyObject *family_o = arg[0], *type_o = arg[1], *proto_o = arg[2];
    PyObject *fileno_o = arg[3] != NULL ? arg[3] : Py_None;
    if (optional_int(family_o, &family) < 0 || optional_int(type_o, &type) < 0
        || optional_int(proto_o, &proto) < 0)
        return -1;

    if (fileno_o != Py_None) {
        if (sockimpl_as_int(fileno_o, &fd) < 0)
            return -1;
        if (fd < 0) {
            PyErr_SetString(PyExc_ValueError, "negative file descriptor");
            return -1;
        }
        /* The descriptor must be a socket, whatever was given, as the
         * stdlib asks its name (bpo-35415): EBADF, ENOTSOCK.  The family
         * not given is the name's (an unbound AF_RDS socket's says 0), so
         * a socket without a name (AF_ALG: EOPNOTSUPP) is refused unless
         * its family is given, as dup() gives it. */
        sock_addr name;
        socklen_t name_len = sizeof name;
        memset(&name, 0, sizeof name);
        if (getsockname(fd, &name.sa, &name_len) == 0) {
            if (family == -1)
                family = name.sa.sa_family;
        }
        else if (errno == EBADF || errno == ENOTSOCK || family == -1) {
            sockimpl_raise_errno();
            return -1;
        }
        /* Ask the kernel for the type and protocol not given. */
        if ((type == -1 && sockopt_int(fd, SO_TYPE, &type) < 0)
            || (proto == -1 && sockopt_int(fd, SO_PROTOCOL, &proto) < 0)) {
            sockimpl_raise_errno();
            return -1;
        }
    }
    else {
        if (family == -1)
            family = AF_INET;
        if (type == -1)
            type = SOCK_STREAM;
        if (proto == -1)
            proto = 0;
        fd = socket(family, type | SOCK_CLOEXEC, proto);
        if (fd < 0) {
            sockimpl_raise_errno();
            return -1;
        }
    }
    if (PySys_Audit("socket.__new__", "Oiii", self, family, type, proto) < 0)
        goto fail_new;
    /* Re-initialising an open object must not leak its descriptor. */
    if (s->fd != -1)
        close(s->fd);
    s->fd = -1;
    if (adopt_fd(s, fd, family, type, proto) < 0)
        goto fail_new;
    if (fileno_o != Py_None) {
        /* The type given for an adopted descriptor is taken on trust, as
         * the stdlib takes it; whether a low-water mark can apply is the
         * kernel's type's business (see sockimpl_rcvlowat). */
        int kernel_type;
        if (sockopt_int(fd, SO_TYPE, &kernel_type) == 0)
            s->datagram = kernel_type == SOCK_DGRAM || kernel_type == SOCK_RAW;
        else
            s->datagram = 0;
    }
    return 0;

fail_new:
    if (fileno_o == Py_None)
        close(fd);
    s->fd = -1;
    return -1;
}

static int
sock_init(PyObject *self, PyObject *args, PyObject *kwds)
{
    PyObject *arg[4];

    /* By hand rather than PyArg_ParseTupleAndKeywords: construction is on
     * the hot path of every accept() and socket() call. */
    if (init_args(args, kwds, init_names, arg) < 0)
        return -1;
    return init_socket((sockobj *)self, arg);
}

/* Calling the type the way type.__call__ would, for a class whose
 * construction is not sockimpl's own (a subclass with __new__ or
 * __init__ of its own). */
static PyObject *
call_through_metatype(PyObject *callable, PyObject *const *args,
                      Py_ssize_t nargs, PyObject *kwnames)
{
    PyObject *kwargs = NULL, *result = NULL;
    PyObject *tuple = PyTuple_New(nargs);
    if (tuple == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < nargs; i++)
        PyTuple_SET_ITEM(tuple, i, Py_NewRef(args[i]));
    Py_ssize_t nkw = kwnames == NULL ? 0 : PyTuple_GET_SIZE(kwnames);
    if (nkw > 0) {
        kwargs = PyDict_New();
        if (kwargs == NULL)
            goto done;
        for (Py_ssize_t k = 0; k < nkw; k++) {
            if (PyDict_SetItem(kwargs, PyTuple_GET_ITEM(kwnames, k),
                               args[nargs + k]) < 0)
                goto done;
        }
    }
    result = Py_TYPE(callable)->tp_call(callable, tuple, kwargs);
done:
    Py_DECREF(tuple);
    Py_XDECREF(kwargs);
    return result;
}

/* socket(...) without the argument tuple and dict type.__call__ builds and
 * the two slot calls it makes: construction is half of every socket() +
 * close() and of every accept(). */
static PyObject *
sock_vectorcall(PyObject *callable, PyObject *const *args, size_t nargsf,
                PyObject *kwnames)
{
    PyTypeObject *type = (PyTypeObject *)callable;
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    PyObject *arg[4];

    /* A subclass may have taken construction over since it was set up. */
    if (type->tp_new != sock_new || type->tp_init != sock_init)
        return call_through_metatype(callable, args, nargs, kwnames);
    if (kwnames == NULL && nargs <= 4) {
        for (Py_ssize_t i = 0; i < 4; i++)
            arg[i] = i < nargs ? args[i] : NULL;
    }
    else if (sockimpl_parse_args("socket", args, nargs, kwnames, init_names,
                                 0, arg) < 0) {
        return NULL;
    }
    PyObject *self = sock_new(type, NULL, NULL);
    if (self != NULL && init_socket((sockobj *)self, arg) < 0)
        Py_CLEAR(self);
    return self;
}

static int
close_fd(int fd)
{
    int r;
    Py_BEGIN_ALLOW_THREADS
    r = close(fd);
    Py_END_ALLOW_THREADS
    /* ECONNRESET: the peer reset, yet the descriptor is gone.  EINTR: on
     * Linux the descriptor is released too; closing again could hit a
     * descriptor another thread just opened. */
    if (r < 0 && errno != ECONNRESET && errno != EINTR)
        return -1;
    return 0;
}

static void
sock_finalize(PyObject *self)
{
    sockobj *s = (sockobj *)self;
    if (s->fd == -1)
        return;
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    if (PyErr_ResourceWarning(self, 1, "unclosed %R", self) < 0) {
        /* A warning turned into an error cannot propagate from here. */
        if (PyErr_ExceptionMatches(PyExc_Warning))
            PyErr_WriteUnraisable(self);
        else
            PyErr_Clear();
    }
    int fd = s->fd;
    s->fd = -1;
    close(fd);
    PyErr_Restore(type, value, tb);
}

static void
sock_dealloc(PyObject *self)
{
    sockobj *s = (sockobj *)self;
    /* A closed socket has nothing to finalise: spare the call, which a
     * subclass's dealloc has already made anyway. */
    if (s->fd != -1 && PyObject_CallFinalizerFromDealloc(self) < 0)
        return;
    if (s->weakreflist != NULL)
        PyObject_ClearWeakRefs(self);
    PyTypeObject *type = Py_TYPE(self);
    type->tp_free(self);
    /* Each instance of a heap type holds a reference to it. */
    Py_DECREF(type);
}

static PyObject *
real_close(sockobj *s)
{
    int fd = s->fd;
    if (fd != -1) {
        s->fd = -1;
        if (close_fd(fd) < 0)
            return sockimpl_raise_errno();
    }
    Py_RETURN_NONE;
}

static PyObject *
sock_real_close(PyObject *self, PyObject *Py_UNUSED(a))
{
    return real_close((sockobj *)self);
}

static PyObject *
sock_close(PyObject *self, PyObject *Py_UNUSED(a))
{
    sockobj *s = (sockobj *)self;
    s->closed = 1;
    /* makefile() objects still open keep the descriptor alive; the last
     * one to close calls _real_close(). */
    if (s->io_refs > 0)
        Py_RETURN_NONE;
    return real_close(s);
}

static PyObject *
sock_detach(PyObject *self, PyObject *Py_UNUSED(a))
{
    sockobj *s = (sockobj *)self;
    int fd = s->fd;
    s->closed = 1;
    s->fd = -1;
    return PyLong_FromLong(fd);
}

static PyObject *
sock_enter(PyObject *self, PyObject *Py_UNUSED(a))
{
    return Py_NewRef(self);
}

static PyObject *
sock_exit(PyObject *self, PyObject *const *Py_UNUSED(args),
          Py_ssize_t Py_UNUSED(nargs))
{
    if (((sockobj *)self)->closed)
        Py_RETURN_NONE;
    /* Through the type, so a subclass's close() is honoured. */
    return PyObject_CallMethod(self, "close", NULL);
}

static PyObject *
sock_fileno(PyObject *self, PyObject *Py_UNUSED(a))
{
    return PyLong_FromLong(((sockobj *)self)->fd);
}

static PyObject *
sock_dup(PyObject *self, PyObject *Py_UNUSED(a))
{
    sockobj *s = (sockobj *)self;
    int fd = fcntl(s->fd, F_DUPFD_CLOEXEC, 0);
    if (fd < 0)
        return sockimpl_raise_errno();
    PyObject *copy = new_from_fd(sockimpl_socket_type, fd, s->family,
                                 s->type, s->proto);
    if (copy == NULL)
        return NULL;
    ((sockobj *)copy)->datagram = s->datagram;
    if (apply_timeout((sockobj *)copy, s->timeout) < 0)
        Py_CLEAR(copy);
    return copy;
}

static PyObject *
sock_get_inheritable(PyObject *self, PyObject *Py_UNUSED(a))
{
    int flags = fcntl(((sockobj *)self)->fd, F_GETFD);
    if (flags < 0)
        return sockimpl_raise_errno();
    return PyBool_FromLong(!(flags & FD_CLOEXEC));
}

static PyObject *
sock_set_inheritable(PyObject *self, PyObject *arg)
{
    int inheritable;
    if (sockimpl_as_int(arg, &inheritable) < 0)
        return NULL;
    int fd = ((sockobj *)self)->fd;
    int flags = fcntl(fd, F_GETFD);
    if (flags < 0)
        return sockimpl_raise_errno();
    int wanted = inheritable ? flags & ~FD_CLOEXEC : flags | FD_CLOEXEC;
    if (wanted != flags && fcntl(fd, F_SETFD, wanted) < 0)
        return sockimpl_raise_errno();
    Py_RETURN_NONE;
}

/* ---- blocking and timeouts ---------------------------------------------- */

static PyObject *
sock_settimeout(PyObject *self, PyObject *arg)
{
    int64_t timeout;
    if (sockimpl_timeout_from_object(arg, &timeout) < 0
        || apply_timeout((sockobj *)self, timeout) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
sock_gettimeout(PyObject *self, PyObject *Py_UNUSED(a))
{
    return sockimpl_timeout_to_object(((sockobj *)self)->timeout);
}

static PyObject *
sock_setblocking(PyObject *self, PyObject *arg)
{
    int block;
#if PY_VERSION_HEX >= 0x030C0000
    /* 3.12 made setblocking() take any object's truth value. */
    block = PyObject_IsTrue(arg);
    if (block < 0)
        return NULL;
#else
    /* Before, any int that fits a C long (as the stdlib reads it). */
    long value = PyLong_AsLong(arg);
    if (value == -1 && PyErr_Occurred())
        return NULL;
    block = value != 0;
#endif
    if (apply_timeout((sockobj *)self, block ? SOCKIMPL_TIMEOUT_NONE : 0) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
sock_getblocking(PyObject *self, PyObject *Py_UNUSED(a))
{
    return PyBool_FromLong(((sockobj *)self)->timeout != 0);
}

static PyObject *
get_timeout(PyObject *self, void *Py_UNUSED(closure))
{
    return sockimpl_timeout_to_object(((sockobj *)self)->timeout);
}

/* ---- addresses and connections ------------------------------------------ */

static PyObject *
sock_bind(PyObject *self, PyObject *arg)
{
    sockobj *s = (sockobj *)self;
    sock_addr addr;
    socklen_t len;
    int r;

    if (sockimpl_addr_parse(s, arg, &addr, &len, "bind()") < 0)
        return NULL;
    if (PySys_Audit("socket.bind", "OO", self, arg) < 0)
        return NULL;
    Py_BEGIN_ALLOW_THREADS
    r = bind(s->fd, &addr.sa, len);
    Py_END_ALLOW_THREADS
    if (r < 0)
        return sockimpl_raise_errno();
    Py_RETURN_NONE;
}

static PyObject *
sock_listen(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    /* The kernel caps the backlog at somaxconn anyway; 128 is what the
     * stdlib asks for when none is given. */
    int backlog = SOMAXCONN < 128 ? SOMAXCONN : 128;
    if (sockimpl_check_nargs("listen", nargs, 0, 1) < 0)
        return NULL;
    if (nargs == 1 && sockimpl_as_int(args[0], &backlog) < 0)
        return NULL;
    if (backlog < 0)
        backlog = 0;
    if (listen(((sockobj *)self)->fd, backlog) < 0)
        return sockimpl_raise_errno();
    Py_RETURN_NONE;
}

static PyObject *
connect_common(PyObject *self, PyObject *arg, int raise_on_error)
{
    sockobj *s = (sockobj *)self;
    sock_addr addr;
    socklen_t len;

    if (sockimpl_addr_parse(s, arg, &addr, &len,
                            raise_on_error ? "connect()" : "connect_ex()") < 0)
        return NULL;
    if (PySys_Audit("socket.connect", "OO", self, arg) < 0)
        return NULL;
    int r = sockimpl_connect(s, &addr.sa, len, raise_on_error);
    if (r < 0)
        return NULL;
    if (raise_on_error)
        Py_RETURN_NONE;
    return PyLong_FromLong(r);
}

static PyObject *
sock_connect(PyObject *self, PyObject *arg)
{
    return connect_common(self, arg, 1);
}

static PyObject *
sock_connect_ex(PyObject *self, PyObject *arg)
{
    return connect_common(self, arg, 0);
}

typedef struct {
    sock_addr addr;
    socklen_t len;
} accept_ctx;

static ssize_t
do_accept(int fd, void *p)
{
    accept_ctx *c = p;
    if (c->len == 0) {
        /* An AF_ALG operation socket has no peer address, and asking for
         * one makes the kernel refuse the accept (ECONNABORTED). */
        return accept4(fd, NULL, NULL, SOCK_CLOEXEC);
    }
    c->len = sizeof c->addr;
    memset(&c->addr, 0, sizeof c->addr);
    return accept4(fd, &c->addr.sa, &c->len, SOCK_CLOEXEC);
}

static PyObject *
sock_accept_fd(PyObject *self, PyObject *Py_UNUSED(a))
{
    sockobj *s = (sockobj *)self;
    accept_ctx c;
    int64_t deadline = 0;
    if (sockimpl_addr_family_known(s) < 0)
        return NULL;
    c.len = s->family == AF_ALG ? 0 : sizeof c.addr;
    ssize_t fd = sockimpl_io(s, POLLIN, do_accept, &c, &deadline);
    if (fd < 0)
        return NULL;
    PyObject *items[2] = {
        PyLong_FromSsize_t(fd),
        sockimpl_addr_build(&c.addr, c.len, s->proto, s->fd)};
    PyObject *result = sockimpl_tuple(2, items);
    if (result == NULL)
        close((int)fd);
    return result;
}

static PyObject *
name_of(PyObject *self,
        int (*get)(int, struct sockaddr *, socklen_t *))
{
    sockobj *s = (sockobj *)self;
    sock_addr addr;
    socklen_t len = sizeof addr;
    if (sockimpl_addr_family_known(s) < 0)
        return NULL;
    memset(&addr, 0, sizeof addr);
    if (get(s->fd, &addr.sa, &len) < 0)
        return sockimpl_raise_errno();
    return sockimpl_addr_build(&addr, len, s->proto, s->fd);
}

static PyObject *
sock_getsockname(PyObject *self, PyObject *Py_UNUSED(a))
{
    return name_of(self, getsockname);
}

static PyObject *
sock_getpeername(PyObject *self, PyObject *Py_UNUSED(a))
{
    return name_of(self, getpeername);
}

static PyObject *
sock_shutdown(PyObject *self, PyObject *arg)
{
    int how, r;
    if (sockimpl_as_int(arg, &how) < 0)
        return NULL;
    Py_BEGIN_ALLOW_THREADS
    r = shutdown(((sockobj *)self)->fd, how);
    Py_END_ALLOW_THREADS
    if (r < 0)
        return sockimpl_raise_errno();
    Py_RETURN_NONE;
}

/* ---- options -------------------------------------------------------------- */

#define GETSOCKOPT_MAX_BUFLEN 1024

static PyObject *
sock_getsockopt(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    int fd = ((sockobj *)self)->fd;
    int level, opt, buflen = 0;

    if (sockimpl_check_nargs("getsockopt", nargs, 2, 3) < 0
        || sockimpl_as_int(args[0], &level) < 0
        || sockimpl_as_int(args[1], &opt) < 0
        || (nargs == 3 && sockimpl_as_int(args[2], &buflen) < 0))
        return NULL;

    if ((nargs < 3 || buflen == 0) && ((sockobj *)self)->family == AF_VSOCK) {
        /* The vsock buffer sizes are 64-bit options; the stdlib reads every
         * integer option of an AF_VSOCK socket as one. */
        unsigned long long value = 0;
        socklen_t len = sizeof value;
        if (getsockopt(fd, level, opt, &value, &len) < 0)
            return sockimpl_raise_errno();
        return PyLong_FromUnsignedLongLong(value);
    }
    if (nargs < 3 || buflen == 0) {
        int value = 0;
        socklen_t len = sizeof value;
        if (getsockopt(fd, level, opt, &value, &len) < 0)
            return sockimpl_raise_errno();
        return PyLong_FromLong(value);
    }
    if (((sockobj *)self)->family == AF_VSOCK) {
        /* The stdlib's words, before any buffer length is looked at (found
         * by the lab's engine: sockimpl asked the kernel, which said EINVAL). */
        PyErr_SetString(PyExc_OSError, "getsockopt string buffer not allowed");
        return NULL;
    }
    if (buflen < 0 || buflen > GETSOCKOPT_MAX_BUFLEN) {
        PyErr_SetString(PyExc_OSError, "getsockopt buflen out of range");
        return NULL;
    }
    /* Zeroed: some options are written short of the length the kernel
     * reports (Linux's HCI_DATA_DIR and HCI_TIME_STAMP: one byte of four),
     * and the rest must not be this stack's old contents. */
    char buf[GETSOCKOPT_MAX_BUFLEN];
    memset(buf, 0, (size_t)buflen);
    socklen_t len = (socklen_t)buflen;
    if (getsockopt(fd, level, opt, buf, &len) < 0)
        return sockimpl_raise_errno();
    return PyBytes_FromStringAndSize(buf, (Py_ssize_t)len);
}

static PyObject *
sock_setsockopt(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    int fd = ((sockobj *)self)->fd;
    int level, opt, r;

    if (sockimpl_check_nargs("setsockopt", nargs, 3, 4) < 0
        || sockimpl_as_int(args[0], &level) < 0
        || sockimpl_as_int(args[1], &opt) < 0)
        return NULL;
    PyObject *value = args[2];

    /* An AF_VSOCK socket takes one form only in the stdlib, an int it
     * passes as a u64 (found by the lab's engine: sockimpl took bytes). */
    if (((sockobj *)self)->family == AF_VSOCK && (nargs == 4 || !PyLong_Check(value))) {
        if (nargs == 4)
            PyErr_SetString(PyExc_TypeError, "setsockopt() takes exactly 3 arguments (4 given)");
        else
            PyErr_Format(PyExc_TypeError, "setsockopt() argument 3 must be int, not %.200s",
                         Py_TYPE(value)->tp_name);
        return NULL;
    }
    if (nargs == 4) {
        /* (level, opt, None, optlen): a NULL option of a given length, as
         * ALG_SET_AEAD_AUTHSIZE wants. */
        if (value != Py_None) {
            PyErr_Format(PyExc_TypeError,
                         "setsockopt() argument 3 must be NoneType, not "
                         "%.200s", Py_TYPE(value)->tp_name);
            return NULL;
        }
        long optlen = PyLong_AsLong(args[3]);
        if (optlen == -1 && PyErr_Occurred())
            return NULL;
        /* The kernel's own answer to a negative length, as the stdlib
         * gives it; a length past 32 bits must not be silently masked. */
        if (optlen < 0)
            return sockimpl_raise_errno_value(EINVAL);
        if (optlen > (long)UINT32_MAX) {
            PyErr_SetString(PyExc_OverflowError,
                            "setsockopt() optlen must be 0-4294967295");
            return NULL;
        }
        r = setsockopt(fd, level, opt, NULL, (socklen_t)optlen);
    }
    else if (PyLong_Check(value) && ((sockobj *)self)->family == AF_VSOCK) {
        /* 64-bit, as getsockopt above; a value that does not fit is an
         * error, not masked. */
        unsigned long long v = PyLong_AsUnsignedLongLong(value);
        if (v == (unsigned long long)-1 && PyErr_Occurred())
            return NULL;
        r = setsockopt(fd, level, opt, &v, sizeof v);
    }
    else if (PyLong_Check(value)) {
        long v = PyLong_AsLong(value);
        if ((v == -1 && PyErr_Occurred()) || v < INT_MIN || v > INT_MAX) {
            /* The stdlib reports an out-of-range int as a TypeError. */
            PyErr_Clear();
            PyErr_SetString(PyExc_TypeError,
                            "setsockopt() int value does not fit a C int");
            return NULL;
        }
        int iv = (int)v;
        r = setsockopt(fd, level, opt, &iv, sizeof iv);
#ifdef SOCKIMPL_MUTANT_RCVLOWAT
        if (r == 0 && level == SOL_SOCKET && opt == SO_RCVLOWAT)
            ((sockobj *)self)->mutant_lowat = iv;
#endif
    }
    else {
        Py_buffer view;
        if (PyObject_GetBuffer(value, &view, PyBUF_SIMPLE) < 0)
            return NULL;
        if ((size_t)view.len > UINT32_MAX) {
            PyBuffer_Release(&view);
            PyErr_SetString(PyExc_OverflowError, "setsockopt() value too "
                            "long");
            return NULL;
        }
        r = setsockopt(fd, level, opt, view.buf, (socklen_t)view.len);
        PyBuffer_Release(&view);
    }
    if (r < 0)
        return sockimpl_raise_errno();
    Py_RETURN_NONE;
}

/* ---- repr and pickling ---------------------------------------------------- */

static PyObject *
sock_repr(PyObject *self)
{
    sockobj *s = (sockobj *)self;
    return PyUnicode_FromFormat(
        "<socket object, fd=%d, family=%d, type=%d, proto=%d>",
        s->fd, s->family, s->type, s->proto);
}

static PyObject *
sock_getstate(PyObject *self, PyObject *Py_UNUSED(a))
{
    PyErr_Format(PyExc_TypeError, "cannot pickle '%.100s' object",
                 Py_TYPE(self)->tp_name);
    return NULL;
}

/* ---- socketpair (module level, but it builds socket objects) ------------ */

PyObject *
sockimpl_socketpair(PyObject *Py_UNUSED(m), PyObject *const *args,
                    Py_ssize_t nargs)
{
    int family = AF_UNIX, type = SOCK_STREAM, proto = 0;
    int fds[2];

    if (sockimpl_check_nargs("socketpair", nargs, 0, 3) < 0
        || (nargs > 0 && sockimpl_as_int(args[0], &family) < 0)
        || (nargs > 1 && sockimpl_as_int(args[1], &type) < 0)
        || (nargs > 2 && sockimpl_as_int(args[2], &proto) < 0))
        return NULL;
    if (socketpair(family, type | SOCK_CLOEXEC, proto, fds) < 0)
        return sockimpl_raise_errno();
    PyObject *a = new_from_fd(sockimpl_socket_type, fds[0], family, type,
                              proto);
    if (a == NULL) {
        close(fds[1]);
        return NULL;
    }
    PyObject *b = new_from_fd(sockimpl_socket_type, fds[1], family, type,
                              proto);
    if (b == NULL) {
        Py_DECREF(a);
        return NULL;
    }
    return Py_BuildValue("(NN)", a, b);
}

/* ---- the type --------------------------------------------------------------- */

#define FAST(name, fn, doc) \
    {name, (PyCFunction)(void (*)(void))(fn), METH_FASTCALL, doc}
#define FASTKW(name, fn, doc) \
    {name, (PyCFunction)(void (*)(void))(fn), METH_FASTCALL | METH_KEYWORDS, doc}

static PyMethodDef sock_methods[] = {
    {"_accept", sock_accept_fd, METH_NOARGS,
     "_accept() -> (fd, address)\n\nAccept a connection; the new "
     "descriptor is non-inheritable."},
    {"bind", sock_bind, METH_O, "bind(address)\n\nBind to a local address."},
    {"close", sock_close, METH_NOARGS,
     "close()\n\nClose the socket (once no makefile() object uses it)."},
    {"_real_close", sock_real_close, METH_NOARGS,
     "_real_close()\n\nClose the descriptor now."},
    {"connect", sock_connect, METH_O,
     "connect(address)\n\nConnect to a remote address."},
    {"connect_ex", sock_connect_ex, METH_O,
     "connect_ex(address) -> errno\n\nLike connect(), but return an "
     "error code instead of raising it."},
    {"detach", sock_detach, METH_NOARGS,
     "detach() -> fd\n\nClose the object, not the descriptor, and return "
     "the descriptor."},
    {"dup", sock_dup, METH_NOARGS, "dup() -> socket\n\nA duplicate socket."},
    {"fileno", sock_fileno, METH_NOARGS,
     "fileno() -> int\n\nThe descriptor, or -1 when closed."},
    {"get_inheritable", sock_get_inheritable, METH_NOARGS,
     "get_inheritable() -> bool"},
    {"set_inheritable", sock_set_inheritable, METH_O,
     "set_inheritable(inheritable)"},
    {"getpeername", sock_getpeername, METH_NOARGS,
     "getpeername() -> address\n\nThe remote address."},
    {"getsockname", sock_getsockname, METH_NOARGS,
     "getsockname() -> address\n\nThe local address."},
    FAST("getsockopt", sock_getsockopt,
         "getsockopt(level, option[, buflen]) -> value\n\nAn integer "
         "option, or with buflen the option's raw bytes."),
    FAST("setsockopt", sock_setsockopt,
         "setsockopt(level, option, value: int | buffer)\n"
         "setsockopt(level, option, None, optlen: int)"),
    {"getblocking", sock_getblocking, METH_NOARGS,
     "getblocking() -> bool\n\nFalse only in non-blocking mode."},
    {"setblocking", sock_setblocking, METH_O, "setblocking(flag)"},
    {"gettimeout", sock_gettimeout, METH_NOARGS,
     "gettimeout() -> timeout\n\nSeconds as a float, or None."},
    {"settimeout", sock_settimeout, METH_O,
     "settimeout(timeout)\n\nNone blocks, 0 never blocks, a positive "
     "number of seconds bounds each operation."},
    FAST("listen", sock_listen,
         "listen([backlog])\n\nAccept connections."),
    {"shutdown", sock_shutdown, METH_O,
     "shutdown(how)\n\nShut down reading (SHUT_RD), writing (SHUT_WR) or "
     "both (SHUT_RDWR)."},
    FAST("recv", sockimpl_sock_recv,
         "recv(bufsize[, flags]) -> data"),
    FASTKW("recv_into", sockimpl_sock_recv_into,
           "recv_into(buffer, [nbytes[, flags]]) -> nbytes_read"),
    FAST("recvfrom", sockimpl_sock_recvfrom,
         "recvfrom(bufsize[, flags]) -> (data, address)"),
    FASTKW("recvfrom_into", sockimpl_sock_recvfrom_into,
           "recvfrom_into(buffer[, nbytes[, flags]]) -> (nbytes, address)"),
    FAST("send", sockimpl_sock_send, "send(data[, flags]) -> count"),
    FAST("sendall", sockimpl_sock_sendall,
         "sendall(data[, flags])\n\nSend all of data, within the timeout."),
    FAST("sendto", sockimpl_sock_sendto,
         "sendto(data[, flags], address) -> count"),
    FAST("sendmsg", sockimpl_sock_sendmsg,
         "sendmsg(buffers[, ancdata[, flags[, address]]]) -> count"),
    FAST("recvmsg", sockimpl_sock_recvmsg,
         "recvmsg(bufsize[, ancbufsize[, flags]]) -> "
         "(data, ancdata, msg_flags, address)"),
    FAST("recvmsg_into", sockimpl_sock_recvmsg_into,
         "recvmsg_into(buffers[, ancbufsize[, flags]]) -> "
         "(nbytes, ancdata, msg_flags, address)"),
    FASTKW("sendmsg_afalg", sockimpl_sock_sendmsg_afalg,
           "sendmsg_afalg([msg], *, op[, iv[, assoclen[, flags]]]) -> count"
           "\n\nSend msg to an AF_ALG operation socket with its mode, IV "
           "and associated-data length."),
    {"__enter__", sock_enter, METH_NOARGS, NULL},
    FAST("__exit__", sock_exit, NULL),
    {"__getstate__", sock_getstate, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static PyMemberDef sock_members[] = {
    {"family", T_INT, offsetof(sockobj, family), READONLY,
     "the socket family"},
    {"type", T_INT, offsetof(sockobj, type), READONLY, "the socket type"},
    {"proto", T_INT, offsetof(sockobj, proto), READONLY,
     "the socket protocol"},
    {"_io_refs", T_PYSSIZET, offsetof(sockobj, io_refs), 0,
     "open makefile() objects"},
    {"_closed", T_BOOL, offsetof(sockobj, closed), 0,
     "close() was called"},
    /* How a heap type names its weak reference list (not an attribute). */
    {"__weaklistoffset__", T_PYSSIZET, offsetof(sockobj, weakreflist),
     READONLY, NULL},
    {NULL, 0, 0, 0, NULL}
};

static PyGetSetDef sock_getset[] = {
    {"timeout", get_timeout, NULL,
     "the timeout in seconds (float), or None", NULL},
    {NULL, NULL, NULL, NULL, NULL}
};

/* A heap type, as _socket.socket is since 3.12 (immutable, like it, and a
 * collected object: CPython's test_socket checks both). */
static PyType_Slot sock_slots[] = {
    {Py_tp_dealloc, sock_dealloc},
    {Py_tp_repr, sock_repr},
    {Py_tp_doc, (void *)"socket(family=AF_INET, type=SOCK_STREAM, proto=0, "
                        "fileno=None)\n\nA socket: the low-level type the "
                        "high-level sockimpl.socket class extends."},
    {Py_tp_methods, sock_methods},
    {Py_tp_members, sock_members},
    {Py_tp_getset, sock_getset},
    {Py_tp_init, sock_init},
    {Py_tp_new, sock_new},
    {Py_tp_finalize, sock_finalize},
    {0, NULL},
};

static PyType_Spec sock_spec = {
    .name = "sockimpl._sockimpl.socket",
    .basicsize = sizeof(sockobj),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE
             | Py_TPFLAGS_IMMUTABLETYPE,
    .slots = sock_slots,
};

PyTypeObject *sockimpl_socket_type;

int
sockimpl_socket_type_init(void)
{
    PyTypeObject *type = (PyTypeObject *)PyType_FromSpec(&sock_spec);
    if (type == NULL)
        return -1;
    /* No slot for it before 3.14; set before any subclass copies it. */
    type->tp_vectorcall = sock_vectorcall;
    sockimpl_socket_type = type;
    return 0;
}

/* ---- the high-level class ------------------------------------------------- */

/* CPython's specialised calls (3.11+) run a C method directly only when
 * self's type is exactly the descriptor's; an instance of a subclass takes
 * the generic call, with a subtype check, on every call.  Descriptors of
 * the subclass's own make the high-level socket's calls as direct as the C
 * type's, and skip the subtype walk on 3.10 too. */
static int
add_descriptor(PyObject *cls, const char *name, PyObject *descr)
{
    if (descr == NULL)
        return -1;
    int r = 0;
    /* What the class defines itself (dup, accept, family...) stays. */
    if (PyDict_GetItemString(((PyTypeObject *)cls)->tp_dict, name) == NULL)
        r = PyObject_SetAttrString(cls, name, descr);
    Py_DECREF(descr);
    return r;
}

PyObject *
sockimpl_adopt_class(PyObject *Py_UNUSED(m), PyObject *cls)
{
    if (!PyType_Check(cls)
        || !PyType_IsSubtype((PyTypeObject *)cls, sockimpl_socket_type)
        || !PyType_HasFeature((PyTypeObject *)cls, Py_TPFLAGS_HEAPTYPE)) {
        PyErr_SetString(PyExc_TypeError,
                        "_adopt_class() needs a subclass of socket");
        return NULL;
    }
    PyTypeObject *type = (PyTypeObject *)cls;
    for (PyMethodDef *d = sock_methods; d->ml_name != NULL; d++) {
        if (add_descriptor(cls, d->ml_name, PyDescr_NewMethod(type, d)) < 0)
            return NULL;
    }
    for (PyMemberDef *d = sock_members; d->name != NULL; d++) {
        if (d->doc == NULL)
            continue;  /* __weaklistoffset__ */
        if (add_descriptor(cls, d->name, PyDescr_NewMember(type, d)) < 0)
            return NULL;
    }
    for (PyGetSetDef *d = sock_getset; d->name != NULL; d++) {
        if (add_descriptor(cls, d->name, PyDescr_NewGetSet(type, d)) < 0)
            return NULL;
    }
    type->tp_vectorcall = sock_vectorcall;
    Py_RETURN_NONE;
}
