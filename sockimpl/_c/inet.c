/* Byte order, address text and interface names: the pure conversions.
 *
 * inet_pton/inet_ntop sit on hot paths (every address a program formats
 * or parses), so they read str and bytes in place and build the result
 * straight from a stack buffer.  Nothing here touches the network, so
 * nothing releases the GIL: the calls cost less than the release would.
 */
#include "internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <string.h>

/* ---- byte order --------------------------------------------------------- */

static int
u16_argument(PyObject *obj, const char *fname, uint16_t *out)
{
    int v;
    if (sockimpl_as_int(obj, &v) < 0)
        return -1;
    if (v < 0) {
        PyErr_Format(PyExc_OverflowError, "%s: can't convert negative "
                     "Python int to C 16-bit unsigned integer", fname);
        return -1;
    }
    if (v > 0xffff) {
        PyErr_Format(PyExc_OverflowError, "%s: Python int too large to "
                     "convert to C 16-bit unsigned integer", fname);
        return -1;
    }
    *out = (uint16_t)v;
    return 0;
}

/* The 32-bit forms take only real ints (no __index__), as the stdlib's
 * do, and refuse what a C unsigned long would hold but 32 bits cannot. */
static int
u32_argument(PyObject *obj, uint32_t *out)
{
    if (!PyLong_Check(obj)) {
        PyErr_Format(PyExc_TypeError, "expected int, %.200s found",
                     Py_TYPE(obj)->tp_name);
        return -1;
    }
    unsigned long v = PyLong_AsUnsignedLong(obj);
    if (v == (unsigned long)-1 && PyErr_Occurred())
        return -1;
    if (v > 0xffffffffUL) {
        PyErr_SetString(PyExc_OverflowError, "int larger than 32 bits");
        return -1;
    }
    *out = (uint32_t)v;
    return 0;
}

static PyObject *
inet_ntohs(PyObject *Py_UNUSED(m), PyObject *arg)
{
    uint16_t v;
    if (u16_argument(arg, "ntohs", &v) < 0)
        return NULL;
    return PyLong_FromLong(ntohs(v));
}

static PyObject *
inet_htons(PyObject *Py_UNUSED(m), PyObject *arg)
{
    uint16_t v;
    if (u16_argument(arg, "htons", &v) < 0)
        return NULL;
    return PyLong_FromLong(htons(v));
}

static PyObject *
inet_ntohl(PyObject *Py_UNUSED(m), PyObject *arg)
{
    uint32_t v;
    if (u32_argument(arg, &v) < 0)
        return NULL;
    return PyLong_FromUnsignedLong(ntohl(v));
}

static PyObject *
inet_htonl(PyObject *Py_UNUSED(m), PyObject *arg)
{
    uint32_t v;
    if (u32_argument(arg, &v) < 0)
        return NULL;
    return PyLong_FromUnsignedLong(htonl(v));
}

/* ---- address text ------------------------------------------------------- */

static PyObject *
inet_inet_aton(PyObject *Py_UNUSED(m), PyObject *arg)
{
    struct in_addr a;
    const char *text = sockimpl_text_arg(arg, "inet_aton() argument");
    if (text == NULL)
        return NULL;
    /* inet_aton, not inet_pton: the classic forms ('127.1', '0x7f.1')
     * are what this function exists to accept. */
    if (inet_aton(text, &a) == 0) {
        PyErr_SetString(PyExc_OSError,
                        "illegal IP address string passed to inet_aton");
        return NULL;
    }
    return PyBytes_FromStringAndSize((const char *)&a, sizeof a);
}

/* Dotted quad by hand: glibc's inet_ntop goes through sprintf, which
 * costs more than the rest of inet_ntop() together. */
static size_t
format_ipv4(const unsigned char *a, char *out)
{
    char *p = out;
    for (int i = 0; i < 4; i++) {
        unsigned v = a[i];
        if (v >= 100)
            *p++ = (char)('0' + v / 100);
        if (v >= 10)
            *p++ = (char)('0' + v / 10 % 10);
        *p++ = (char)('0' + v % 10);
        *p++ = '.';
    }
    return (size_t)(p - out - 1);
}

static size_t
format_hex16(unsigned v, char *out)
{
    static const char digits[] = "0123456789abcdef";
    char *p = out;
    int started = 0;
    for (int shift = 12; shift >= 0; shift -= 4) {
        unsigned d = (v >> shift) & 0xf;
        if (d != 0 || started || shift == 0) {
            *p++ = digits[d];
            started = 1;
        }
    }
    return (size_t)(p - out);
}

/* RFC 5952 text, the way glibc's inet_ntop writes it (the longest run of
 * two or more zero groups, the first on a tie, becomes "::"; the
 * IPv4-compatible and IPv4-mapped forms end in a dotted quad), without
 * its sprintf per group. */
static size_t
format_ipv6(const unsigned char *a, char *out)
{
    unsigned words[8];
    int best = -1, best_len = 0, cur = -1, cur_len = 0;
    for (int i = 0; i < 8; i++) {
        words[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
        if (words[i] == 0) {
            if (cur < 0) {
                cur = i;
                cur_len = 0;
            }
            cur_len++;
        }
        if (words[i] != 0 || i == 7) {
            if (cur >= 0 && cur_len > best_len) {
                best = cur;
                best_len = cur_len;
            }
            cur = -1;
        }
    }
    if (best_len < 2)
        best = -1;
    char *p = out;
    for (int i = 0; i < 8; i++) {
        if (best >= 0 && i >= best && i < best + best_len) {
            if (i == best)
                *p++ = ':';
            continue;
        }
        if (i != 0)
            *p++ = ':';
        if (i == 6 && best == 0
            && (best_len == 6 || (best_len == 7 && words[7] != 1)
                || (best_len == 5 && words[5] == 0xffff))) {
            p += format_ipv4(a + 12, p);
            return (size_t)(p - out);
        }
        p += format_hex16(words[i], p);
    }
    if (best >= 0 && best + best_len == 8)
        *p++ = ':';
    return (size_t)(p - out);
}

/* Never inet_ntoa: it formats into a static buffer that another thread
 * may be overwriting.  The text is ASCII by construction, so it is copied
 * into an ASCII str as it is, without a decoder's checks. */
PyObject *
sockimpl_ip_text(int family, const void *packed)
{
    char text[INET6_ADDRSTRLEN];
    size_t n = family == AF_INET ? format_ipv4(packed, text)
                                 : format_ipv6(packed, text);
    PyObject *str = PyUnicode_New((Py_ssize_t)n, 127);
    if (str != NULL)
        memcpy(PyUnicode_1BYTE_DATA(str), text, n);
    return str;
}

int
sockimpl_parse_quad(const char *text, void *packed)
{
    unsigned char out[4];
    const char *p = text;

    for (int i = 0; i < 4; i++) {
        if (*p < '0' || *p > '9')
            return 0;
        unsigned v = (unsigned)(*p++ - '0');
        /* A part with a leading zero is "0" alone, as inet_pton has it. */
        for (int k = 0; v != 0 && k < 2 && *p >= '0' && *p <= '9'; k++)
            v = v * 10 + (unsigned)(*p++ - '0');
        if (v > 255 || *p != (i == 3 ? '\0' : '.'))
            return 0;
        out[i] = (unsigned char)v;
        p++;
    }
    memcpy(packed, out, sizeof out);
    return 1;
}

static PyObject *
inet_inet_ntoa(PyObject *Py_UNUSED(m), PyObject *arg)
{
    Py_buffer view;
    if (PyObject_GetBuffer(arg, &view, PyBUF_SIMPLE) < 0)
        return NULL;
    PyObject *result = NULL;
    if (view.len != 4)
        PyErr_SetString(PyExc_OSError,
                        "packed IP wrong length for inet_ntoa");
    else
        result = sockimpl_ip_text(AF_INET, view.buf);
    PyBuffer_Release(&view);
    return result;
}

static PyObject *
inet_inet_pton(PyObject *Py_UNUSED(m), PyObject *const *args,
               Py_ssize_t nargs)
{
    unsigned char packed[sizeof(struct in6_addr)];
    int family;
    if (sockimpl_check_nargs("inet_pton", nargs, 2, 2) < 0
        || sockimpl_as_int(args[0], &family) < 0)
        return NULL;
    const char *text = sockimpl_text_arg(args[1], "inet_pton() argument 2");
    if (text == NULL)
        return NULL;
    int r = family == AF_INET && sockimpl_parse_quad(text, packed)
            ? 1 : inet_pton(family, text, packed);
    if (r < 0)
        return sockimpl_raise_errno();
    if (r == 0) {
        PyErr_SetString(PyExc_OSError,
                        "illegal IP address string passed to inet_pton");
        return NULL;
    }
    Py_ssize_t len = family == AF_INET ? 4 : 16;
    return PyBytes_FromStringAndSize((const char *)packed, len);
}

static PyObject *
inet_inet_ntop(PyObject *Py_UNUSED(m), PyObject *const *args,
               Py_ssize_t nargs)
{
    int family;
    Py_buffer view;
    if (sockimpl_check_nargs("inet_ntop", nargs, 2, 2) < 0
        || sockimpl_as_int(args[0], &family) < 0
        || PyObject_GetBuffer(args[1], &view, PyBUF_SIMPLE) < 0)
        return NULL;
    PyObject *result = NULL;
    Py_ssize_t want = family == AF_INET ? 4 : family == AF_INET6 ? 16 : -1;
    if (want < 0)
        PyErr_Format(PyExc_ValueError, "unknown address family %d", family);
    else if (view.len != want)
        PyErr_SetString(PyExc_ValueError,
                        "invalid length of packed IP address string");
    else
        result = sockimpl_ip_text(family, view.buf);
    PyBuffer_Release(&view);
    return result;
}

/* ---- interface names ---------------------------------------------------- */

static PyObject *
inet_if_nameindex(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(a))
{
    struct if_nameindex *list = if_nameindex();
    if (list == NULL)
        return sockimpl_raise_errno();
    PyObject *result = PyList_New(0);
    for (struct if_nameindex *i = list;
         result != NULL && i->if_index != 0; i++) {
        PyObject *name = PyUnicode_DecodeFSDefault(i->if_name);
        PyObject *pair = name == NULL ? NULL
            : Py_BuildValue("(IN)", i->if_index, name);
        if (pair == NULL || PyList_Append(result, pair) < 0)
            Py_CLEAR(result);
        Py_XDECREF(pair);
    }
    if_freenameindex(list);
    return result;
}

static PyObject *
inet_if_nametoindex(PyObject *Py_UNUSED(m), PyObject *arg)
{
    PyObject *name;
    if (!PyUnicode_FSConverter(arg, &name))
        return NULL;
    unsigned int index = if_nametoindex(PyBytes_AS_STRING(name));
    Py_DECREF(name);
    if (index == 0) {
        PyErr_SetString(PyExc_OSError, "no interface with this name");
        return NULL;
    }
    return PyLong_FromUnsignedLong(index);
}

static PyObject *
inet_if_indextoname(PyObject *Py_UNUSED(m), PyObject *arg)
{
    char name[IF_NAMESIZE + 1];
    if (!PyLong_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "an integer is required");
        return NULL;
    }
    unsigned long v = PyLong_AsUnsignedLong(arg);
    if (v == (unsigned long)-1 && PyErr_Occurred())
        return NULL;
    /* Interface indexes are C unsigned ints; 3.10-3.12 truncate a wider
     * value and so name some other interface (2**32 + 1 -> 'lo'). */
    if (v > UINT_MAX) {
        PyErr_SetString(PyExc_OverflowError, "index is too large");
        return NULL;
    }
    if (if_indextoname((unsigned int)v, name) == NULL)
        return sockimpl_raise_errno();
    return PyUnicode_DecodeFSDefault(name);
}

PyMethodDef sockimpl_inet_methods[] = {
    {"ntohs", inet_ntohs, METH_O,
     "ntohs(integer) -> integer\n\n"
     "Convert a 16-bit unsigned integer from network to host byte order."},
    {"htons", inet_htons, METH_O,
     "htons(integer) -> integer\n\n"
     "Convert a 16-bit unsigned integer from host to network byte order."},
    {"ntohl", inet_ntohl, METH_O,
     "ntohl(integer) -> integer\n\n"
     "Convert a 32-bit integer from network to host byte order."},
    {"htonl", inet_htonl, METH_O,
     "htonl(integer) -> integer\n\n"
     "Convert a 32-bit integer from host to network byte order."},
    {"inet_aton", inet_inet_aton, METH_O,
     "inet_aton(string) -> bytes giving packed 32-bit IP representation\n\n"
     "Convert an IPv4 address in its classic text forms to 4 bytes."},
    {"inet_ntoa", inet_inet_ntoa, METH_O,
     "inet_ntoa(packed_ip) -> ip_address_string\n\n"
     "Convert 4 bytes of an IPv4 address to dotted-quad text."},
    {"inet_pton", (PyCFunction)(void (*)(void))inet_inet_pton, METH_FASTCALL,
     "inet_pton(af, ip) -> packed IP address string\n\n"
     "Convert an IP address from text to its packed binary form."},
    {"inet_ntop", (PyCFunction)(void (*)(void))inet_inet_ntop, METH_FASTCALL,
     "inet_ntop(af, packed_ip) -> string formatted IP address\n\n"
     "Convert a packed IP address to its text form."},
    {"if_nameindex", inet_if_nameindex, METH_NOARGS,
     "if_nameindex()\n\n"
     "Return all network interfaces as a list of (index, name) pairs."},
    {"if_nametoindex", inet_if_nametoindex, METH_O,
     "if_nametoindex(if_name)\n\n"
     "Return the interface index that corresponds to the interface name."},
    {"if_indextoname", inet_if_indextoname, METH_O,
     "if_indextoname(if_index)\n\n"
     "Return the interface name that corresponds to the interface index."},
    {NULL, NULL, 0, NULL}
};
