/* sockimpl._sockimpl: module assembly, exceptions and module-level calls
 * that belong to no other file. */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <unistd.h>

PyObject *sockimpl_herror;
PyObject *sockimpl_gaierror;
int64_t sockimpl_default_timeout = SOCKIMPL_TIMEOUT_NONE;

PyObject *
sockimpl_raise_errno(void)
{
    return PyErr_SetFromErrno(PyExc_OSError);
}

PyObject *
sockimpl_raise_errno_value(int err)
{
    errno = err;
    return PyErr_SetFromErrno(PyExc_OSError);
}

PyObject *
sockimpl_raise_gai(int code)
{
    if (code == EAI_SYSTEM)
        return PyErr_SetFromErrno(PyExc_OSError);
    PyObject *v = Py_BuildValue("(is)", code, gai_strerror(code));
    if (v != NULL) {
        PyErr_SetObject(sockimpl_gaierror, v);
        Py_DECREF(v);
    }
    return NULL;
}

int
sockimpl_as_int_slow(PyObject *obj, int *out)
{
    /* An int's type is a flag test; a float check of an int subclass
     * would walk its MRO. */
    if (!PyLong_Check(obj) && PyFloat_Check(obj)) {
        PyErr_SetString(PyExc_TypeError,
                        "'float' object cannot be interpreted as an integer");
        return -1;
    }
    long v = PyLong_AsLong(obj);
    if (v == -1 && PyErr_Occurred())
        return -1;
    if (v < INT_MIN || v > INT_MAX) {
        PyErr_SetString(PyExc_OverflowError,
                        v < 0 ? "signed integer is less than minimum"
                              : "signed integer is greater than maximum");
        return -1;
    }
    *out = (int)v;
    return 0;
}

int
sockimpl_as_ssize_slow(PyObject *obj, Py_ssize_t *out)
{
    Py_ssize_t v;
    if (PyLong_CheckExact(obj)) {
        v = PyLong_AsSsize_t(obj);
    }
    else {
        PyObject *n = PyNumber_Index(obj);
        if (n == NULL)
            return -1;
        v = PyLong_AsSsize_t(n);
        Py_DECREF(n);
    }
    if (v == -1 && PyErr_Occurred())
        return -1;
    *out = v;
    return 0;
}

PyObject *
sockimpl_tuple(Py_ssize_t n, PyObject **items)
{
    PyObject *t = NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (items[i] == NULL)
            goto fail;
    }
    t = PyTuple_New(n);
    if (t == NULL)
        goto fail;
    for (Py_ssize_t i = 0; i < n; i++)
        PyTuple_SET_ITEM(t, i, items[i]);
    return t;
fail:
    for (Py_ssize_t i = 0; i < n; i++)
        Py_XDECREF(items[i]);
    return NULL;
}

const char *
sockimpl_text_arg(PyObject *obj, const char *what)
{
    if (!PyUnicode_Check(obj)) {
        PyErr_Format(PyExc_TypeError, "%s must be str, not %.50s", what,
                     obj == Py_None ? "None" : Py_TYPE(obj)->tp_name);
        return NULL;
    }
    Py_ssize_t n;
    const char *text = PyUnicode_AsUTF8AndSize(obj, &n);
    if (text != NULL && (size_t)n != strlen(text)) {
        PyErr_SetString(PyExc_ValueError, "embedded null character");
        return NULL;
    }
    return text;
}

int
sockimpl_nargs_error(const char *fname, Py_ssize_t nargs, Py_ssize_t min,
                     Py_ssize_t max)
{
    if (min == max)
        PyErr_Format(PyExc_TypeError, "%s() takes exactly %zd argument%s "
                     "(%zd given)", fname, min, min == 1 ? "" : "s", nargs);
    else if (nargs < min)
        PyErr_Format(PyExc_TypeError, "%s() takes at least %zd argument%s "
                     "(%zd given)", fname, min, min == 1 ? "" : "s", nargs);
    else
        PyErr_Format(PyExc_TypeError, "%s() takes at most %zd argument%s "
                     "(%zd given)", fname, max, max == 1 ? "" : "s", nargs);
    return -1;
}

int
sockimpl_parse_args(const char *fname, PyObject *const *args,
                    Py_ssize_t nargs, PyObject *kwnames,
                    const char *const *names, int required, PyObject **out)
{
    Py_ssize_t n = 0;
    while (names[n] != NULL)
        n++;
    if (nargs > n) {
        PyErr_Format(PyExc_TypeError,
                     "%s() takes at most %zd arguments (%zd given)",
                     fname, n, nargs);
        return -1;
    }
    for (Py_ssize_t i = 0; i < n; i++)
        out[i] = i < nargs ? args[i] : NULL;
    Py_ssize_t nkw = kwnames == NULL ? 0 : PyTuple_GET_SIZE(kwnames);
    for (Py_ssize_t k = 0; k < nkw; k++) {
        PyObject *key = PyTuple_GET_ITEM(kwnames, k);
        Py_ssize_t i = 0;
        while (i < n && PyUnicode_CompareWithASCIIString(key, names[i]) != 0)
            i++;
        if (i == n) {
            PyErr_Format(PyExc_TypeError,
                         "%s() got an unexpected keyword argument '%U'",
                         fname, key);
            return -1;
        }
        if (out[i] != NULL) {
            PyErr_Format(PyExc_TypeError,
                         "argument for %s() given by name ('%s') and "
                         "position (%zd)", fname, names[i], i + 1);
            return -1;
        }
        out[i] = args[nargs + k];
    }
    for (int i = 0; i < required; i++) {
        if (out[i] == NULL) {
            PyErr_Format(PyExc_TypeError,
                         "%s() missing required argument '%s' (pos %d)",
                         fname, names[i], i + 1);
            return -1;
        }
    }
    return 0;
}

/* ---- module functions -------------------------------------------------- */

static PyObject *
mod_getdefaulttimeout(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(a))
{
    return sockimpl_timeout_to_object(sockimpl_default_timeout);
}

static PyObject *
mod_setdefaulttimeout(PyObject *Py_UNUSED(m), PyObject *arg)
{
    int64_t t;
    if (sockimpl_timeout_from_object(arg, &t) < 0)
        return NULL;
    sockimpl_default_timeout = t;
    Py_RETURN_NONE;
}

static PyObject *
mod_close(PyObject *Py_UNUSED(m), PyObject *arg)
{
    int fd, r;
    if (sockimpl_as_int(arg, &fd) < 0)
        return NULL;
    Py_BEGIN_ALLOW_THREADS
    r = close(fd);
    Py_END_ALLOW_THREADS
    /* A close interrupted by a signal has still released the descriptor on
     * Linux; reporting EINTR would invite a second close of a reused fd. */
    if (r < 0 && errno != ECONNRESET && errno != EINTR)
        return sockimpl_raise_errno();
    Py_RETURN_NONE;
}

static PyObject *
mod_dup(PyObject *Py_UNUSED(m), PyObject *arg)
{
    int fd, newfd;
    if (sockimpl_as_int(arg, &fd) < 0)
        return NULL;
    newfd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (newfd < 0)
        return sockimpl_raise_errno();
    return PyLong_FromLong(newfd);
}

/* The kernel's cmsg_len is a size_t, but the stdlib bounds these by the
 * socklen_t range (INT_MAX) so that a result always fits msg_controllen of
 * every platform; sockimpl keeps that contract. */
#define CMSG_LIMIT ((size_t)INT_MAX)

static PyObject *
cmsg_size(PyObject *arg, int space)
{
    Py_ssize_t n = PyLong_AsSsize_t(arg);
    if (n == -1 && PyErr_Occurred())
        return NULL;
    size_t limit = space ? CMSG_LIMIT - CMSG_SPACE(1) : CMSG_LIMIT - CMSG_LEN(0);
    if (n < 0 || (size_t)n > limit) {
        PyErr_Format(PyExc_OverflowError, "%s() argument out of range",
                     space ? "CMSG_SPACE" : "CMSG_LEN");
        return NULL;
    }
    return PyLong_FromSize_t(space ? CMSG_SPACE((size_t)n)
                                   : CMSG_LEN((size_t)n));
}

static PyObject *
mod_CMSG_LEN(PyObject *Py_UNUSED(m), PyObject *arg)
{
    return cmsg_size(arg, 0);
}

static PyObject *
mod_CMSG_SPACE(PyObject *Py_UNUSED(m), PyObject *arg)
{
    return cmsg_size(arg, 1);
}

PyMethodDef sockimpl_module_methods[] = {
    {"getdefaulttimeout", mod_getdefaulttimeout, METH_NOARGS,
     "getdefaulttimeout() -> timeout\n\n"
     "The timeout in seconds (float) new sockets get, or None."},
    {"setdefaulttimeout", mod_setdefaulttimeout, METH_O,
     "setdefaulttimeout(timeout)\n\n"
     "Set the timeout new sockets get: None, 0 or a positive float."},
    {"close", mod_close, METH_O,
     "close(fd)\n\nClose an integer socket file descriptor."},
    {"dup", mod_dup, METH_O,
     "dup(fd) -> fd\n\nDuplicate a socket descriptor, non-inheritable."},
    {"socketpair", (PyCFunction)(void (*)(void))sockimpl_socketpair,
     METH_FASTCALL,
     "socketpair([family[, type[, proto]]]) -> (socket, socket)\n\n"
     "A pair of connected sockets; AF_UNIX and SOCK_STREAM by default."},
    {"_adopt_class", sockimpl_adopt_class, METH_O,
     "_adopt_class(cls)\n\nGive a subclass of socket descriptors of its own "
     "for the C methods and attributes it does not override, and the C "
     "type's fast constructor: calls on its instances then run as directly "
     "as on the C type's."},
    {"CMSG_LEN", mod_CMSG_LEN, METH_O,
     "CMSG_LEN(length) -> control message length\n\n"
     "The cmsg_len of an ancillary item carrying `length` bytes."},
    {"CMSG_SPACE", mod_CMSG_SPACE, METH_O,
     "CMSG_SPACE(length) -> buffer size\n\n"
     "Buffer space an ancillary item of `length` bytes takes, padding "
     "included."},
    {NULL, NULL, 0, NULL}
};

/* ---- assembly ---------------------------------------------------------- */

static struct PyModuleDef sockimpl_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_sockimpl",
    .m_doc = "Low-level socket interface: the role _socket plays for socket.",
    .m_size = -1,
    .m_methods = sockimpl_module_methods,
};

static int
add_functions(PyObject *m, PyMethodDef *defs)
{
    PyObject *name = PyModule_GetNameObject(m);
    if (name == NULL)
        return -1;
    for (PyMethodDef *d = defs; d->ml_name != NULL; d++) {
        PyObject *f = PyCFunction_NewEx(d, NULL, name);
        int r = f == NULL ? -1 : PyModule_AddObjectRef(m, d->ml_name, f);
        Py_XDECREF(f);
        if (r < 0) {
            Py_DECREF(name);
            return -1;
        }
    }
    Py_DECREF(name);
    return 0;
}

static PyObject *
new_error(PyObject *m, const char *name, const char *doc)
{
    char qualified[64];
    PyOS_snprintf(qualified, sizeof qualified, "sockimpl.%s", name);
    PyObject *e = PyErr_NewExceptionWithDoc(qualified, doc, PyExc_OSError,
                                            NULL);
    if (e == NULL)
        return NULL;
    if (PyModule_AddObjectRef(m, name, e) < 0) {
        Py_DECREF(e);
        return NULL;
    }
    return e;
}

PyMODINIT_FUNC
PyInit__sockimpl(void)
{
    PyObject *m = PyModule_Create(&sockimpl_module);
    if (m == NULL)
        return NULL;
    if (add_functions(m, sockimpl_netdb_methods) < 0
        || add_functions(m, sockimpl_inet_methods) < 0
        || add_functions(m, sockimpl_families_methods) < 0)
        goto fail;

    if (sockimpl_socket_type == NULL && sockimpl_socket_type_init() < 0)
        goto fail;
    PyObject *type = (PyObject *)sockimpl_socket_type;
    if (PyModule_AddObjectRef(m, "socket", type) < 0
        || PyModule_AddObjectRef(m, "SocketType", type) < 0
        || PyModule_AddObjectRef(m, "error", PyExc_OSError) < 0
        || PyModule_AddObjectRef(m, "timeout", PyExc_TimeoutError) < 0
        || PyModule_AddObjectRef(m, "has_ipv6", Py_True) < 0)
        goto fail;
    sockimpl_herror = new_error(m, "herror",
        "Raised for address-related errors by gethostby*() calls.");
    if (sockimpl_herror == NULL)
        goto fail;
    sockimpl_gaierror = new_error(m, "gaierror",
        "Raised for address-related errors by getaddrinfo() and "
        "getnameinfo().");
    if (sockimpl_gaierror == NULL)
        goto fail;

    if (sockimpl_add_constants(m) < 0)
        goto fail;
    return m;

fail:
    Py_DECREF(m);
    return NULL;
}
