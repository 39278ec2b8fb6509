/* AF_UNIX addresses: a filesystem path (str, or bytes-like) or, when the
 * first byte is NUL, a name in Linux's abstract namespace. */
#include "internal.h"

#include <stddef.h>
#include <string.h>

#define SUN_PATH_OFFSET offsetof(struct sockaddr_un, sun_path)

static int
unix_parse(const sockobj *Py_UNUSED(s), PyObject *obj, sock_addr *addr,
           socklen_t *len, const char *Py_UNUSED(caller))
{
    PyObject *encoded = NULL;
    Py_buffer path;
    int result = -1;

    if (PyUnicode_Check(obj)) {
        encoded = PyUnicode_EncodeFSDefault(obj);
        if (encoded == NULL)
            return -1;
        obj = encoded;
    }
    if (PyObject_GetBuffer(obj, &path, PyBUF_SIMPLE) < 0)
        goto done;

    const char *p = path.buf;
    size_t n = (size_t)path.len;
    int abstract = n > 0 && p[0] == '\0';
    /* An abstract name may fill sun_path; a path needs room for its NUL. */
    if (n > sizeof addr->un.sun_path - (abstract ? 0 : 1)) {
        PyErr_SetString(PyExc_OSError, "AF_UNIX path too long");
        goto release;
    }
    /* The kernel would stop at the NUL and use a different path than the
     * one asked for; the stdlib lets that pass, we refuse it. */
    if (!abstract && memchr(p, '\0', n) != NULL) {
        PyErr_SetString(PyExc_ValueError,
                        "AF_UNIX path must not contain a null byte "
                        "(only an abstract name starts with one)");
        goto release;
    }
    addr->un.sun_family = AF_UNIX;
    memcpy(addr->un.sun_path, p, n);
    /* A filesystem path carries its terminator, an abstract name not; an
     * empty path is the family alone, which asks Linux to autobind a
     * fresh abstract name (with a terminator it would bind the one fixed
     * name "\0", and a second autobind would fail: gh-94821). */
    *len = (socklen_t)(SUN_PATH_OFFSET + n + (abstract || n == 0 ? 0 : 1));
    result = 0;
release:
    PyBuffer_Release(&path);
done:
    Py_XDECREF(encoded);
    return result;
}

static PyObject *
unix_build(const sock_addr *addr, socklen_t len, int Py_UNUSED(proto),
           int Py_UNUSED(fd))
{
    if (len <= SUN_PATH_OFFSET)
        return PyUnicode_FromStringAndSize(NULL, 0);
    size_t n = len - SUN_PATH_OFFSET;
    if (n > sizeof addr->un.sun_path)
        n = sizeof addr->un.sun_path;
#ifdef SOCKIMPL_MUTANT_UNIX_ABSTRACT
    /* A deliberately broken build for the engine (lab/engine/mutants.py). */
    if (addr->un.sun_path[0] == '\0' && n > 1)
        n--;
#endif
    if (addr->un.sun_path[0] == '\0')
        return PyBytes_FromStringAndSize(addr->un.sun_path, (Py_ssize_t)n);
    return PyUnicode_DecodeFSDefaultAndSize(
        addr->un.sun_path, (Py_ssize_t)strnlen(addr->un.sun_path, n));
}

const addr_codec sockimpl_codec_unix = {
    .family = AF_UNIX,
    .parse = unix_parse,
    .build = unix_build,
};
