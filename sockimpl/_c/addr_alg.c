/* AF_ALG: the (type, name[, feat[, mask]]) address of a kernel crypto
 * algorithm, and sendmsg_afalg(), which hands an operation socket its
 * mode, IV and associated-data length as SOL_ALG control messages. */
#include "addr_fields.h"

#include <poll.h>
#include <string.h>

#define SHAPE "(type, name[, feat[, mask]])"

/* Copy str `obj` into the fixed, NUL-terminated field `dst` of `size`
 * bytes; the NUL must fit too (bpo-35050). */
static int
text_field(PyObject *obj, uint8_t *dst, size_t size, const char *caller,
           const char *what)
{
    if (!PyUnicode_Check(obj)) {
        PyErr_Format(PyExc_TypeError, "%s: AF_ALG %s must be str, not %.200s",
                     caller, what, Py_TYPE(obj)->tp_name);
        return -1;
    }
    Py_ssize_t n;
    const char *text = PyUnicode_AsUTF8AndSize(obj, &n);
    if (text == NULL)
        return -1;
    if (strlen(text) != (size_t)n) {
        PyErr_Format(PyExc_ValueError,
                     "%s: AF_ALG %s must not contain a null character",
                     caller, what);
        return -1;
    }
    if ((size_t)n >= size) {
        PyErr_Format(PyExc_ValueError,
                     "%s: AF_ALG %s too long (at most %zu bytes)", caller,
                     what, size - 1);
        return -1;
    }
    memcpy(dst, text, (size_t)n);
    return 0;
}

static int
alg_parse(const sockobj *Py_UNUSED(s), PyObject *obj, sock_addr *addr,
          socklen_t *len, const char *caller)
{
    struct sockimpl_sockaddr_alg *sa = (struct sockimpl_sockaddr_alg *)addr;
    Py_ssize_t n;

    if (sockimpl_field_tuple(obj, 2, 4, caller, "AF_ALG", SHAPE) < 0)
        return -1;
    n = PyTuple_GET_SIZE(obj);
    /* feat and mask are 32 bits in the kernel; the stdlib keeps only 16. */
    if (text_field(PyTuple_GET_ITEM(obj, 0), sa->salg_type,
                   sizeof sa->salg_type, caller, "type") < 0
        || text_field(PyTuple_GET_ITEM(obj, 1), sa->salg_name,
                      sizeof sa->salg_name, caller, "name") < 0
        || (n > 2 && sockimpl_field_u32(PyTuple_GET_ITEM(obj, 2), caller,
                                        "AF_ALG feat", &sa->salg_feat) < 0)
        || (n > 3 && sockimpl_field_u32(PyTuple_GET_ITEM(obj, 3), caller,
                                        "AF_ALG mask", &sa->salg_mask) < 0))
        return -1;
#ifdef SOCKIMPL_MUTANT_ALG_NAME
    /* A deliberately broken build for the engine (lab/engine/mutants.py):
     * the algorithm's name one character short. */
    size_t name_len = strnlen((const char *)sa->salg_name, sizeof sa->salg_name);
    if (name_len > 0)
        sa->salg_name[name_len - 1] = '\0';
#endif
    sa->salg_family = AF_ALG;
    *len = sizeof *sa;
    return 0;
}

static PyObject *
alg_build(const sock_addr *addr, socklen_t Py_UNUSED(len),
          int Py_UNUSED(proto), int Py_UNUSED(fd))
{
    const struct sockimpl_sockaddr_alg *sa =
        (const struct sockimpl_sockaddr_alg *)addr;
    const char *type = (const char *)sa->salg_type;
    const char *name = (const char *)sa->salg_name;
    return Py_BuildValue("(s#s#II)", type,
                         (Py_ssize_t)strnlen(type, sizeof sa->salg_type),
                         name,
                         (Py_ssize_t)strnlen(name, sizeof sa->salg_name),
                         (unsigned int)sa->salg_feat,
                         (unsigned int)sa->salg_mask);
}

const addr_codec sockimpl_codec_alg = {
    .family = AF_ALG,
    .parse = alg_parse,
    .build = alg_build,
};

/* ---- sendmsg_afalg ------------------------------------------------------ */

/* Most calls carry one buffer and a short IV: keep those on the stack. */
#define STACK_CONTROL 256

/* sendmsg_afalg's data: msg is optional (None or absent: no data). */
static int
data_take(sockimpl_buffers *d, PyObject *msg)
{
    if (msg == NULL || msg == Py_None)
        msg = PyTuple_New(0);
    else
        Py_INCREF(msg);
    if (msg == NULL)
        return -1;
    int r = sockimpl_buffers_take(d, msg, 0,
                                  "sendmsg_afalg() msg must be an iterable "
                                  "of bytes-like objects", NULL);
    Py_DECREF(msg);
    return r;
}

/* The keyword arguments, converted. */
typedef struct {
    uint32_t op;
    Py_buffer iv;          /* iv.obj == NULL: no IV */
    long long assoclen;    /* -1: none */
    int flags;
} afalg_args;

static int
op_arg(PyObject *obj, uint32_t *op)
{
    long v = -1;
    if (obj != NULL && PyLong_Check(obj)) {
        v = PyLong_AsLong(obj);
        if (v == -1 && PyErr_Occurred())
            PyErr_Clear();
    }
    if (v < 0 || v > INT_MAX) {
        PyErr_SetString(PyExc_TypeError,
                        "sendmsg_afalg(): invalid or missing argument 'op' "
                        "(a non-negative int, ALG_OP_ENCRYPT or "
                        "ALG_OP_DECRYPT)");
        return -1;
    }
    *op = (uint32_t)v;
    return 0;
}

static int
assoclen_arg(PyObject *obj, long long *assoclen)
{
    *assoclen = -1;
    /* Unlike iv, no None: the stdlib takes an int or nothing. */
    if (obj == NULL)
        return 0;
    if (!PyLong_Check(obj)) {
        PyErr_Format(PyExc_TypeError,
                     "sendmsg_afalg(): assoclen must be int, not %.200s",
                     Py_TYPE(obj)->tp_name);
        return -1;
    }
    int v;
    if (sockimpl_as_int(obj, &v) < 0)
        return -1;
    if (v < 0) {
        PyErr_SetString(PyExc_TypeError,
                        "sendmsg_afalg(): assoclen must be positive");
        return -1;
    }
    *assoclen = v;
    return 0;
}

static int
afalg_args_parse(PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames,
                 PyObject **msg, afalg_args *a)
{
    static const char *const names[] = {"msg", "op", "iv", "assoclen",
                                        "flags", NULL};
    PyObject *v[5];

    memset(a, 0, sizeof *a);
    if (nargs > 1) {
        PyErr_Format(PyExc_TypeError, "sendmsg_afalg() takes at most 1 "
                     "positional argument (%zd given)", nargs);
        return -1;
    }
    if (sockimpl_parse_args("sendmsg_afalg", args, nargs, kwnames, names, 0,
                            v) < 0
        || op_arg(v[1], &a->op) < 0
        || assoclen_arg(v[3], &a->assoclen) < 0
        || (v[4] != NULL && sockimpl_as_int(v[4], &a->flags) < 0))
        return -1;
    if (v[2] != NULL && v[2] != Py_None) {
        if (PyObject_GetBuffer(v[2], &a->iv, PyBUF_SIMPLE) < 0)
            return -1;
        if ((size_t)a->iv.len > UINT16_MAX) {
            /* The kernel bounds an IV by the control buffer it accepts
             * (optmem_max); no cipher's IV comes near this. */
            PyBuffer_Release(&a->iv);
            PyErr_SetString(PyExc_OverflowError,
                            "sendmsg_afalg(): iv longer than 65535 bytes");
            return -1;
        }
    }
    *msg = v[0];
    return 0;
}

static void
put_u32_cmsg(struct cmsghdr *h, int type, uint32_t value)
{
    h->cmsg_level = SOL_ALG;
    h->cmsg_type = type;
    h->cmsg_len = CMSG_LEN(sizeof value);
    memcpy(CMSG_DATA(h), &value, sizeof value);
}

/* Lay out ALG_SET_OP, ALG_SET_IV and ALG_SET_AEAD_ASSOCLEN in `ctl`,
 * which has room for them (control_space()). */
static size_t
control_fill(char *ctl, const afalg_args *a)
{
    size_t off = 0;
    put_u32_cmsg((struct cmsghdr *)ctl, SOCKIMPL_ALG_SET_OP, a->op);
    off += CMSG_SPACE(sizeof(uint32_t));
    if (a->iv.obj != NULL) {
        struct cmsghdr *h = (struct cmsghdr *)(ctl + off);
        struct sockimpl_af_alg_iv head = {(uint32_t)a->iv.len};
        size_t body = sizeof head + (size_t)a->iv.len;
        h->cmsg_level = SOL_ALG;
        h->cmsg_type = SOCKIMPL_ALG_SET_IV;
        h->cmsg_len = CMSG_LEN(body);
        memcpy(CMSG_DATA(h), &head, sizeof head);
        memcpy(CMSG_DATA(h) + sizeof head, a->iv.buf, (size_t)a->iv.len);
        off += CMSG_SPACE(body);
    }
    if (a->assoclen >= 0) {
        put_u32_cmsg((struct cmsghdr *)(ctl + off),
                     SOCKIMPL_ALG_SET_AEAD_ASSOCLEN, (uint32_t)a->assoclen);
        off += CMSG_SPACE(sizeof(uint32_t));
    }
    return off;
}

static size_t
control_space(const afalg_args *a)
{
    size_t space = CMSG_SPACE(sizeof(uint32_t));
    if (a->iv.obj != NULL)
        space += CMSG_SPACE(sizeof(struct sockimpl_af_alg_iv)
                            + (size_t)a->iv.len);
    if (a->assoclen >= 0)
        space += CMSG_SPACE(sizeof(uint32_t));
    return space;
}

PyObject *
sockimpl_sock_sendmsg_afalg(PyObject *self, PyObject *const *args,
                            Py_ssize_t nargs, PyObject *kwnames)
{
    sockobj *s = (sockobj *)self;
    afalg_args a;
    sockimpl_buffers data;
    sockimpl_msg call;
    PyObject *msg = NULL, *result = NULL;
    char ctl_stack[STACK_CONTROL];
    int64_t deadline = 0;

    if (s->family != AF_ALG) {
        PyErr_SetString(PyExc_OSError,
                        "sendmsg_afalg() is only supported for AF_ALG "
                        "sockets");
        return NULL;
    }
    if (afalg_args_parse(args, nargs, kwnames, &msg, &a) < 0)
        return NULL;
    if (data_take(&data, msg) < 0)
        goto release_iv;
    size_t space = control_space(&a);
    char *ctl = space <= sizeof ctl_stack ? ctl_stack : PyMem_Malloc(space);
    if (ctl == NULL) {
        PyErr_NoMemory();
        goto release_data;
    }
    memset(ctl, 0, space);
    memset(&call, 0, sizeof call);
    call.msg.msg_control = ctl;
    call.msg.msg_controllen = control_fill(ctl, &a);
    call.msg.msg_iov = data.iov;
    call.msg.msg_iovlen = (size_t)data.n;
    call.flags = a.flags;
    ssize_t n = sockimpl_io(s, POLLOUT, sockimpl_do_sendmsg, &call, &deadline);
    if (n >= 0)
        result = PyLong_FromSsize_t(n);
    if (ctl != ctl_stack)
        PyMem_Free(ctl);
release_data:
    sockimpl_buffers_release(&data);
release_iv:
    if (a.iv.obj != NULL)
        PyBuffer_Release(&a.iv);
    return result;
}
