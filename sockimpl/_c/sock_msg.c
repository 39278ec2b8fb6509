/* sendmsg/recvmsg/recvmsg_into: scatter/gather I/O with ancillary data.
 * Small messages (a few buffers, a little control data: the SCM_RIGHTS
 * case) are built on the stack; only large ones allocate. */
#include "internal.h"

#include <errno.h>
#include <poll.h>
#include <stdint.h>

#define STACK_CONTROL 512
/* Ancillary items parsed on the stack; one is the common case. */
#define STACK_ANC_ITEMS 4

/* ---- shared pieces ---------------------------------------------------------- */

ssize_t
sockimpl_do_sendmsg(int fd, void *p)
{
    sockimpl_msg *m = p;
    return sendmsg(fd, &m->msg, m->flags);
}

static ssize_t
do_recvmsg(int fd, void *p)
{
    sockimpl_msg *m = p;
    return recvmsg(fd, &m->msg, m->flags);
}

static void
buffers_release_first(sockimpl_buffers *b, Py_ssize_t held)
{
    for (Py_ssize_t i = 0; i < held; i++)
        PyBuffer_Release(&b->views[i]);
    if (b->iov != b->iov_stack) {
        PyMem_Free(b->iov);
        PyMem_Free(b->views);
    }
    b->iov = b->iov_stack;
    b->views = b->views_stack;
    b->n = 0;
}

void
sockimpl_buffers_release(sockimpl_buffers *b)
{
    buffers_release_first(b, b->n);
}

/* The items of `obj` as a list or tuple that no Python code can change
 * while we read it: converting an item (__index__, __int__, __buffer__)
 * may run code that clears the caller's list, which would leave us reading
 * its freed item array (gh-143637, gh-143988).  A list is copied. */
static PyObject *
stable_sequence(PyObject *obj, const char *not_iterable)
{
    PyObject *seq = PySequence_Fast(obj, not_iterable);
    if (seq == NULL || PyTuple_Check(seq))
        return seq;
    PyObject *copy = PyList_AsTuple(seq);
    Py_DECREF(seq);
    return copy;
}

int
sockimpl_buffers_take(sockimpl_buffers *b, PyObject *iterable, int writable,
                      const char *not_iterable, const char *bad_item)
{
    b->n = 0;
    b->iov = b->iov_stack;
    b->views = b->views_stack;
    PyObject *seq = stable_sequence(iterable, not_iterable);
    if (seq == NULL)
        return -1;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq), i;
    if (n > SOCKIMPL_STACK_IOV) {
        b->iov = PyMem_New(struct iovec, n);
        b->views = PyMem_New(Py_buffer, n);
        if (b->iov == NULL || b->views == NULL) {
            PyMem_Free(b->iov);
            PyMem_Free(b->views);
            b->iov = b->iov_stack;
            b->views = b->views_stack;
            Py_DECREF(seq);
            PyErr_NoMemory();
            return -1;
        }
    }
    PyObject **items = PySequence_Fast_ITEMS(seq);
    int flags = writable ? PyBUF_WRITABLE : PyBUF_SIMPLE;
    for (i = 0; i < n; i++) {
        if (PyObject_GetBuffer(items[i], &b->views[i], flags) < 0) {
            if (bad_item != NULL) {
                PyErr_Clear();
                PyErr_SetString(PyExc_TypeError, bad_item);
            }
            buffers_release_first(b, i);
            Py_DECREF(seq);
            return -1;
        }
        b->iov[i].iov_base = b->views[i].buf;
        b->iov[i].iov_len = (size_t)b->views[i].len;
    }
    b->n = n;
    Py_DECREF(seq);
    return 0;
}

/* ---- sendmsg ------------------------------------------------------------------ */

typedef struct {
    int level, type;
    Py_buffer data;
} anc_item;

/* Parse one (level, type, data) item of sendmsg()'s ancillary data. */
static int
anc_item_parse(PyObject *obj, anc_item *item)
{
    const char *who = "[sendmsg() ancillary data items]()";
    if (!PySequence_Check(obj)) {
        PyErr_Format(PyExc_TypeError,
                     "%s argument must be 3-item sequence, not %.50s", who,
                     Py_TYPE(obj)->tp_name);
        return -1;
    }
    PyObject *seq = stable_sequence(obj, who);
    if (seq == NULL)
        return -1;
    int r = -1;
    if (PySequence_Fast_GET_SIZE(seq) != 3) {
        PyErr_Format(PyExc_TypeError,
                     "%s argument must be sequence of length 3, not %zd", who,
                     PySequence_Fast_GET_SIZE(seq));
    }
    else if (sockimpl_as_int(PySequence_Fast_GET_ITEM(seq, 0),
                             &item->level) == 0
             && sockimpl_as_int(PySequence_Fast_GET_ITEM(seq, 1),
                                &item->type) == 0
             && PyObject_GetBuffer(PySequence_Fast_GET_ITEM(seq, 2),
                                   &item->data, PyBUF_SIMPLE) == 0) {
        r = 0;
    }
    Py_DECREF(seq);
    return r;
}

/* Lay the ancillary items of `ancdata` out as a control buffer in `*ctl`
 * (`stack` when it fits).  Returns its length, or -1. */
static Py_ssize_t
control_build(PyObject *ancdata, char *stack, char **ctl)
{
    PyObject *seq = stable_sequence(ancdata,
                                    "sendmsg() argument 2 must be an "
                                    "iterable");
    if (seq == NULL)
        return -1;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq), parsed = 0;
    Py_ssize_t total = -1;
    anc_item items_stack[STACK_ANC_ITEMS];
    anc_item *items = n <= STACK_ANC_ITEMS ? items_stack : PyMem_New(anc_item, n);
    if (items == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    size_t space = 0;
    for (; parsed < n; parsed++) {
        anc_item *it = &items[parsed];
        if (anc_item_parse(PySequence_Fast_GET_ITEM(seq, parsed), it) < 0)
            goto done;
        size_t len = (size_t)it->data.len;
        if (len > (size_t)INT32_MAX - CMSG_SPACE(0)
            || space > (size_t)INT32_MAX - CMSG_SPACE(len)) {
            PyBuffer_Release(&it->data);
            PyErr_SetString(PyExc_OSError, "too much ancillary data");
            goto done;
        }
        space += CMSG_SPACE(len);
    }
    *ctl = space <= STACK_CONTROL ? stack : PyMem_Malloc(space);
    if (*ctl == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    memset(*ctl, 0, space);
    size_t off = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        struct cmsghdr *h = (struct cmsghdr *)(*ctl + off);
        h->cmsg_level = items[i].level;
        h->cmsg_type = items[i].type;
        h->cmsg_len = CMSG_LEN((size_t)items[i].data.len);
        memcpy(CMSG_DATA(h), items[i].data.buf, (size_t)items[i].data.len);
        off += CMSG_SPACE((size_t)items[i].data.len);
    }
    total = (Py_ssize_t)space;
done:
    for (Py_ssize_t i = 0; i < parsed; i++)
        PyBuffer_Release(&items[i].data);
    if (items != items_stack)
        PyMem_Free(items);
    Py_DECREF(seq);
    return total;
}

/* The attempt without sleeping queued only the first `sent` bytes of a
 * blocking stream's message, where a blocking sendmsg would have waited to
 * queue all of it: send the rest as that call would, without the
 * ancillary data, which left with the first part.  Returns the bytes the
 * rest added; when it fails or is interrupted, what was sent stands, as
 * the kernel's own partial answer would.  Consumes `m`'s iovecs. */
static ssize_t
finish_stream_sendmsg(sockobj *s, sockimpl_msg *m, size_t sent)
{
    struct msghdr rest = m->msg;
    while (rest.msg_iovlen > 0 && sent >= rest.msg_iov->iov_len) {
        sent -= rest.msg_iov->iov_len;
        rest.msg_iov++;
        rest.msg_iovlen--;
    }
    if (rest.msg_iovlen > 0) {
        rest.msg_iov->iov_base = (char *)rest.msg_iov->iov_base + sent;
        rest.msg_iov->iov_len -= sent;
    }
    rest.msg_control = NULL;
    rest.msg_controllen = 0;
    ssize_t more;
    Py_BEGIN_ALLOW_THREADS
    more = sendmsg(s->fd, &rest, m->flags);
    Py_END_ALLOW_THREADS
    return more > 0 ? more : 0;
}

PyObject *
sockimpl_sock_sendmsg(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    sockobj *s = (sockobj *)self;
    sockimpl_buffers bufs;
    sockimpl_msg m;
    sock_addr addr;
    char ctl_stack[STACK_CONTROL];
    char *ctl = NULL;
    PyObject *result = NULL;
    int64_t deadline = 0;

    if (sockimpl_check_nargs("sendmsg", nargs, 1, 4) < 0)
        return NULL;
    memset(&m, 0, sizeof m);
    if (nargs > 2 && sockimpl_as_int(args[2], &m.flags) < 0)
        return NULL;
    if (nargs > 3 && args[3] != Py_None) {
        socklen_t len;
        if (sockimpl_addr_parse(s, args[3], &addr, &len, "sendmsg()") < 0)
            return NULL;
        m.msg.msg_name = &addr;
        m.msg.msg_namelen = len;
    }
    if (sockimpl_buffers_take(&bufs, args[0], 0,
                     "sendmsg() argument 1 must be an iterable", NULL) < 0)
        return NULL;
    if (nargs > 1) {
        Py_ssize_t len = control_build(args[1], ctl_stack, &ctl);
        if (len < 0)
            goto done;
        if (len > 0) {
            m.msg.msg_control = ctl;
            m.msg.msg_controllen = (size_t)len;
        }
    }
    if (m.msg.msg_name != NULL
        && PySys_Audit("socket.sendmsg", "OO", self, args[3]) < 0)
        goto done;
    m.msg.msg_iov = bufs.iov;
    m.msg.msg_iovlen = (size_t)bufs.n;
    size_t total = 0;
    for (Py_ssize_t i = 0; i < bufs.n; i++)
        total += bufs.iov[i].iov_len;
    sockimpl_fast fast = {.flags = &m.flags, .len = total};
    int attempt_errno;
    ssize_t n = sockimpl_io_try(s, POLLOUT, sockimpl_do_sendmsg, &m, &fast,
                                &attempt_errno);
    if (n < 0)
        n = sockimpl_io_after(s, POLLOUT, sockimpl_do_sendmsg, &m, &deadline,
                              attempt_errno);
    else if ((size_t)n < total && s->timeout < 0 && s->type == SOCK_STREAM)
        n += finish_stream_sendmsg(s, &m, (size_t)n);
    if (n >= 0)
        result = PyLong_FromSsize_t(n);
done:
    if (ctl != ctl_stack)
        PyMem_Free(ctl);
    sockimpl_buffers_release(&bufs);
    return result;
}

/* ---- recvmsg ------------------------------------------------------------------ */

/* The items of a received control buffer as [(level, type, data)].  A
 * truncated last item (MSG_CTRUNC) yields the bytes that did arrive. */
/* Walk the items of a control buffer: the offset of the item after the
 * one at `off`, or `len` when there is none; `*h` and `*datalen` describe
 * the item at `off` (its data cut to what arrived). */
static size_t
control_next(const char *ctl, size_t len, size_t off, struct cmsghdr *h,
             size_t *datalen)
{
    memcpy(h, ctl + off, sizeof *h);
    size_t avail = len - off - CMSG_LEN(0);
    *datalen = h->cmsg_len - CMSG_LEN(0);
    if (*datalen > avail)
        *datalen = avail;
    /* The claim itself first: one within 7 of SIZE_MAX aligns to 0, and
     * the walk would stay on this item for ever. */
    if (h->cmsg_len > len - off || CMSG_ALIGN(h->cmsg_len) > len - off)
        return len;
    return off + CMSG_ALIGN(h->cmsg_len);
}

/* Is there an item at `off`? */
static int
control_has_item(const char *ctl, size_t len, size_t off)
{
    struct cmsghdr h;
    if (off + CMSG_LEN(0) > len)
        return 0;
    memcpy(&h, ctl + off, sizeof h);
    return h.cmsg_len >= CMSG_LEN(0);
}

/* The items of a received control buffer as [(level, type, data)].  A
 * truncated last item (MSG_CTRUNC) yields the bytes that did arrive.  The
 * list is counted first and made at its size, not grown. */
static PyObject *
control_parse(const char *ctl, size_t len)
{
    struct cmsghdr h;
    size_t datalen, off = 0;
    Py_ssize_t count = 0;
    while (control_has_item(ctl, len, off)) {
        off = control_next(ctl, len, off, &h, &datalen);
        count++;
    }
    PyObject *list = PyList_New(count);
    if (list == NULL)
        return NULL;
    off = 0;
    for (Py_ssize_t i = 0; i < count; i++) {
        size_t at = off;
        off = control_next(ctl, len, at, &h, &datalen);
        PyObject *fields[3] = {
            PyLong_FromLong(h.cmsg_level), PyLong_FromLong(h.cmsg_type),
            PyBytes_FromStringAndSize(ctl + at + CMSG_LEN(0),
                                      (Py_ssize_t)datalen)};
        PyObject *item = sockimpl_tuple(3, fields);
        if (item == NULL) {
            Py_DECREF(list);
            return NULL;
        }
        PyList_SET_ITEM(list, i, item);
    }
    return list;
}

static int
ancbufsize_arg(PyObject *const *args, Py_ssize_t nargs, Py_ssize_t *size)
{
    *size = 0;
    if (nargs < 2)
        return 0;
    if (sockimpl_as_ssize(args[1], size) < 0)
        return -1;
    if (*size < 0 || *size > INT32_MAX) {
        PyErr_SetString(PyExc_ValueError,
                        "invalid ancillary data buffer length");
        return -1;
    }
    return 0;
}

/* The data of a message received into `buf` (the thread's scratch buffer)
 * as bytes.  MSG_TRUNC may report more than the buffer held: only what it
 * held is data. */
static PyObject *
payload_copy(const char *buf, size_t size, ssize_t n)
{
    return PyBytes_FromStringAndSize(buf, (size_t)n < size ? n : (ssize_t)size);
}

/* Run recvmsg into `iov`; on success fill `out[1..3]` with the ancillary
 * data, msg_flags and address (new references) and `*count`.  With
 * `scratch`, the message went to the thread's scratch buffer (`iov` is its
 * one item) and `out[0]` gets a copy of the data, made before anything
 * else: building the other items allocates, which may run a collection,
 * and a finaliser that receives on another socket would overwrite the
 * buffer.  0 or -1. */
static int
recvmsg_common(sockobj *s, struct iovec *iov, size_t iovlen,
               Py_ssize_t ancbufsize, int flags, ssize_t *count,
               PyObject **out, int scratch)
{
    sockimpl_msg m;
    sock_addr addr;
    char ctl_stack[STACK_CONTROL];
    char *ctl = ctl_stack;
    int64_t deadline = 0;

    if (sockimpl_addr_family_known(s) < 0)
        return -1;
    if (ancbufsize > STACK_CONTROL) {
        ctl = PyMem_Malloc((size_t)ancbufsize);
        if (ctl == NULL) {
            PyErr_NoMemory();
            return -1;
        }
    }
    memset(&m, 0, sizeof m);
    memset(&addr, 0, sizeof addr);
    m.msg.msg_name = &addr;
    m.msg.msg_namelen = sizeof addr;
    m.msg.msg_iov = iov;
    m.msg.msg_iovlen = iovlen;
    m.msg.msg_control = ancbufsize > 0 ? ctl : NULL;
    m.msg.msg_controllen = (size_t)ancbufsize;
    m.flags = flags;

    size_t total = 0;
    for (size_t i = 0; i < iovlen; i++)
        total += iov[i].iov_len;
    sockimpl_fast fast = {.flags = &m.flags, .len = total};
    *count = sockimpl_io_fast(s, POLLIN, do_recvmsg, &m, &deadline, &fast);
    int r = -1;
    if (*count < 0)
        goto done;
#ifndef SOCKIMPL_MUTANT_RECVMSG_SCRATCH
    if (scratch) {
        out[0] = payload_copy(iov[0].iov_base, iov[0].iov_len, *count);
        if (out[0] == NULL)
            goto done;
    }
#endif
    out[1] = control_parse(ctl, m.msg.msg_control ? m.msg.msg_controllen : 0);
    out[2] = PyLong_FromLong(m.msg.msg_flags);
    out[3] = sockimpl_addr_build(&addr, m.msg.msg_namelen, s->proto, s->fd);
#ifdef SOCKIMPL_MUTANT_RECVMSG_SCRATCH
    /* Issue 16's bug, put back: the data copied out last, after the
     * allocations that may run a finaliser receiving into the buffer. */
    if (scratch)
        out[0] = payload_copy(iov[0].iov_base, iov[0].iov_len, *count);
#endif
    if ((!scratch || out[0] != NULL) && out[1] != NULL && out[2] != NULL && out[3] != NULL) {
        r = 0;
    }
    else {
        for (int i = 0; i < 4; i++)
            Py_CLEAR(out[i]);
    }
done:
    if (ctl != ctl_stack)
        PyMem_Free(ctl);
    return r;
}

PyObject *
sockimpl_sock_recvmsg(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    Py_ssize_t size, ancbufsize;
    int flags = 0;

    /* Every argument is converted before any is range-checked, so a bad
     * type or overflow is reported as the stdlib reports it. */
    if (sockimpl_check_nargs("recvmsg", nargs, 1, 3) < 0
        || sockimpl_as_ssize(args[0], &size) < 0
        || (nargs > 2 && sockimpl_as_int(args[2], &flags) < 0)
        || ancbufsize_arg(args, nargs, &ancbufsize) < 0)
        return NULL;
    if (size < 0) {
        PyErr_SetString(PyExc_ValueError,
                        "negative buffer size in recvmsg()");
        return NULL;
    }

    /* Small messages land in the thread's scratch buffer and only what
     * arrived is copied out, as recv() does. */
    PyObject *items[4] = {NULL, NULL, NULL, NULL};
    PyObject *data = NULL;
    char *buf;
    int scratch = size <= SOCKIMPL_SCRATCH_SIZE;
    if (scratch) {
        buf = sockimpl_thread_scratch();
        if (buf == NULL)
            return PyErr_NoMemory();
    }
    else {
        data = PyBytes_FromStringAndSize(NULL, size);
        if (data == NULL)
            return NULL;
        buf = PyBytes_AS_STRING(data);
    }
    struct iovec iov = {buf, (size_t)size};
    ssize_t n;
    if (recvmsg_common((sockobj *)self, &iov, 1, ancbufsize, flags, &n,
                       items, scratch) < 0) {
        Py_XDECREF(data);
        return NULL;
    }
    /* MSG_TRUNC may report more than the buffer held: keep only data. */
    Py_ssize_t got = n < size ? (Py_ssize_t)n : size;
    if (!scratch && (got == size || _PyBytes_Resize(&data, got) == 0))
        items[0] = data;
    return sockimpl_tuple(4, items);
}

PyObject *
sockimpl_sock_recvmsg_into(PyObject *self, PyObject *const *args,
                           Py_ssize_t nargs)
{
    Py_ssize_t ancbufsize;
    int flags = 0;
    sockimpl_buffers bufs;

    if (sockimpl_check_nargs("recvmsg_into", nargs, 1, 3) < 0
        || ancbufsize_arg(args, nargs, &ancbufsize) < 0
        || (nargs > 2 && sockimpl_as_int(args[2], &flags) < 0))
        return NULL;
    if (sockimpl_buffers_take(&bufs, args[0], 1,
                     "recvmsg_into() argument 1 must be an iterable",
                     "recvmsg_into() argument 1 must be an iterable of "
                     "single-segment read-write buffers") < 0)
        return NULL;
    ssize_t n;
    PyObject *items[4] = {NULL, NULL, NULL, NULL};
    int r = recvmsg_common((sockobj *)self, bufs.iov, (size_t)bufs.n,
                           ancbufsize, flags, &n, items, 0);
    sockimpl_buffers_release(&bufs);
    if (r < 0)
        return NULL;
    items[0] = PyLong_FromSsize_t(n);
    return sockimpl_tuple(4, items);
}
