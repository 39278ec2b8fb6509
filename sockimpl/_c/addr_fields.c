/* Field parsers shared by the family codecs; see addr_fields.h. */
#include "addr_fields.h"

#include <errno.h>
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>

int
sockimpl_field_tuple(PyObject *obj, Py_ssize_t min, Py_ssize_t max,
                     const char *caller, const char *family,
                     const char *shape)
{
    if (!PyTuple_Check(obj)) {
        PyErr_Format(PyExc_TypeError,
                     "%s: %s address must be tuple, not %.200s", caller,
                     family, Py_TYPE(obj)->tp_name);
        return -1;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(obj);
    if (n < min || n > max) {
        PyErr_Format(PyExc_TypeError,
                     "%s: %s address must be a tuple %s, not %zd items",
                     caller, family, shape, n);
        return -1;
    }
    return 0;
}

int
sockimpl_field_uint(PyObject *obj, unsigned long long max,
                    const char *caller, const char *what,
                    unsigned long long *out)
{
    if (!PyIndex_Check(obj)) {
        PyErr_Format(PyExc_TypeError,
                     "%s: %s must be an integer, not %.200s", caller, what,
                     Py_TYPE(obj)->tp_name);
        return -1;
    }
    PyObject *n = PyNumber_Index(obj);
    if (n == NULL)
        return -1;
    /* Negative numbers overflow here too, which is what we report. */
    unsigned long long v = PyLong_AsUnsignedLongLong(n);
    Py_DECREF(n);
    int overflow = v == (unsigned long long)-1 && PyErr_Occurred();
    if (overflow) {
        if (!PyErr_ExceptionMatches(PyExc_OverflowError))
            return -1;
        PyErr_Clear();
    }
    if (overflow || v > max) {
        PyErr_Format(PyExc_OverflowError, "%s: %s must be 0-%llu", caller,
                     what, max);
        return -1;
    }
    *out = v;
    return 0;
}

int
sockimpl_field_u32(PyObject *obj, const char *caller, const char *what,
                   uint32_t *out)
{
    unsigned long long v;
    if (sockimpl_field_uint(obj, UINT32_MAX, caller, what, &v) < 0)
        return -1;
    *out = (uint32_t)v;
    return 0;
}

int
sockimpl_field_ifindex(const sockobj *s, const char *name, size_t len,
                       int *index)
{
    /* The caller has refused names that cannot fit; a name of IFNAMSIZ
     * bytes or more would be cut short by the kernel and find another
     * interface. */
    if (len >= IFNAMSIZ) {
        sockimpl_raise_errno_value(ENODEV);
        return -1;
    }
    if (s->fd != SOCKIMPL_NO_FD) {
        /* The socket's namespace, which need not be the caller's (and a
         * closed socket's -1 fails with EBADF, as the stdlib's does). */
        struct ifreq ifr;
        memset(&ifr, 0, sizeof ifr);
        memcpy(ifr.ifr_name, name, len);
        if (ioctl(s->fd, SIOCGIFINDEX, &ifr) < 0) {
            sockimpl_raise_errno();
            return -1;
        }
        *index = ifr.ifr_ifindex;
        return 0;
    }
    char text[IFNAMSIZ];
    memcpy(text, name, len);
    text[len] = '\0';
    errno = 0;
    unsigned int i = if_nametoindex(text);
    if (i == 0) {
        sockimpl_raise_errno_value(errno != 0 ? errno : ENODEV);
        return -1;
    }
    *index = (int)i;
    return 0;
}

PyObject *
sockimpl_field_ifname(int index, int fd)
{
    char text[IF_NAMESIZE];
    if (index <= 0)
        return PyUnicode_FromStringAndSize(NULL, 0);
    if (fd >= 0) {
        /* Ask through the socket: its namespace names the interface. */
        struct ifreq ifr;
        memset(&ifr, 0, sizeof ifr);
        ifr.ifr_ifindex = index;
        if (ioctl(fd, SIOCGIFNAME, &ifr) < 0)
            return PyUnicode_FromStringAndSize(NULL, 0);
        return PyUnicode_DecodeFSDefaultAndSize(
            ifr.ifr_name, (Py_ssize_t)strnlen(ifr.ifr_name, IFNAMSIZ));
    }
    if (if_indextoname((unsigned int)index, text) == NULL)
        return PyUnicode_FromStringAndSize(NULL, 0);
    return PyUnicode_DecodeFSDefault(text);
}
