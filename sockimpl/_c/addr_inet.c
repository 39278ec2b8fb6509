/* AF_INET (host, port) and AF_INET6 (host, port[, flowinfo[, scope_id]]).
 * Numeric hosts are parsed in place; only names go to the resolver. */
#include "internal.h"

#include <arpa/inet.h>
#include <net/if.h>
#include <netdb.h>
#include <string.h>

/* The text of a host argument as a C string.  `*owner` keeps it alive:
 * str stays str when it is ASCII (its UTF-8 is its own data), bytes and
 * bytearray are read in place, other text goes through IDNA like a DNS
 * name must. */
static const char *
host_text(PyObject *host, PyObject **owner)
{
    const char *text;
    Py_ssize_t n;

    if (PyUnicode_Check(host)) {
        if (PyUnicode_IS_ASCII(host)) {
            text = PyUnicode_AsUTF8AndSize(host, &n);
            *owner = Py_NewRef(host);
        }
        else {
            *owner = PyUnicode_AsEncodedString(host, "idna", NULL);
            if (*owner == NULL)
                return NULL;
            text = PyBytes_AS_STRING(*owner);
            n = PyBytes_GET_SIZE(*owner);
        }
    }
    else if (PyBytes_Check(host)) {
        text = PyBytes_AS_STRING(host);
        n = PyBytes_GET_SIZE(host);
        *owner = Py_NewRef(host);
    }
    else if (PyByteArray_Check(host)) {
        *owner = PyBytes_FromStringAndSize(PyByteArray_AS_STRING(host),
                                           PyByteArray_GET_SIZE(host));
        if (*owner == NULL)
            return NULL;
        text = PyBytes_AS_STRING(*owner);
        n = PyBytes_GET_SIZE(*owner);
    }
    else {
        PyErr_Format(PyExc_TypeError,
                     "str, bytes or bytearray expected, not %.200s",
                     Py_TYPE(host)->tp_name);
        return NULL;
    }
    if (text == NULL || (size_t)n != strlen(text)) {
        if (text != NULL)
            PyErr_SetString(PyExc_TypeError,
                            "host name must not contain null character");
        Py_CLEAR(*owner);
        return NULL;
    }
    return text;
}

static int
fill_v4(sock_addr *addr, in_addr_t a)
{
    addr->in.sin_family = AF_INET;
    addr->in.sin_addr.s_addr = a;
    return sizeof addr->in;
}

static int
resolve_name(const char *name, int family, sock_addr *addr)
{
    struct addrinfo hints = {.ai_family = family};
    struct addrinfo *res = NULL;
    int err;

    Py_BEGIN_ALLOW_THREADS
    err = getaddrinfo(name, NULL, &hints, &res);
    Py_END_ALLOW_THREADS
    if (err != 0) {
        sockimpl_raise_gai(err);
        return -1;
    }
    size_t n = res->ai_addrlen;
    if (n > sizeof *addr)
        n = sizeof *addr;
    memcpy(addr, res->ai_addr, n);
    freeaddrinfo(res);
    return (int)n;
}

static int
resolve_text(const char *name, int family, sock_addr *addr)
{
    /* The common case first: "255.255.255.255" is INADDR_BROADCAST here
     * as below, and AF_INET6 keeps its own answers. */
    if (family != AF_INET6 && sockimpl_parse_quad(name, &addr->in.sin_addr)) {
        addr->in.sin_family = AF_INET;
        return sizeof addr->in;
    }
    if (name[0] == '\0') {
        if (family != AF_INET6)
            return fill_v4(addr, htonl(INADDR_ANY));
        addr->in6.sin6_family = AF_INET6;
        addr->in6.sin6_addr = in6addr_any;
        return sizeof addr->in6;
    }
    if (strcmp(name, "<broadcast>") == 0
        || strcmp(name, "255.255.255.255") == 0) {
        if (family != AF_INET6)
            return fill_v4(addr, htonl(INADDR_BROADCAST));
        PyErr_SetString(PyExc_OSError, "address family mismatched");
        return -1;
    }
    if (family != AF_INET6
        && inet_pton(AF_INET, name, &addr->in.sin_addr) == 1) {
        addr->in.sin_family = AF_INET;
        return sizeof addr->in;
    }
    if (family != AF_INET
        && inet_pton(AF_INET6, name, &addr->in6.sin6_addr) == 1) {
        addr->in6.sin6_family = AF_INET6;
        return sizeof addr->in6;
    }
    return resolve_name(name, family, addr);
}

int
sockimpl_resolve_host(PyObject *host, int family, sock_addr *addr,
                      const char *Py_UNUSED(caller))
{
    PyObject *owner = NULL;
    const char *name = host_text(host, &owner);
    if (name == NULL)
        return -1;
    int len = resolve_text(name, family, addr);
    Py_DECREF(owner);
    return len;
}

/* The port of an address tuple, 0-65535, with the stdlib's messages. */
static int
parse_port(PyObject *obj, const char *caller, uint16_t *port)
{
    long v = PyLong_AsLong(obj);
    if (v == -1 && PyErr_Occurred()) {
        if (!PyErr_ExceptionMatches(PyExc_OverflowError))
            return -1;
        PyErr_Clear();
        v = -1;
    }
    if (v < 0 || v > 0xffff) {
        PyErr_Format(PyExc_OverflowError, "%s: port must be 0-65535.",
                     caller);
        return -1;
    }
    *port = htons((uint16_t)v);
    return 0;
}

/* An unsigned field with a range the kernel would silently mask. */
static int
parse_u32(PyObject *obj, const char *caller, const char *field,
          unsigned long max, uint32_t *out)
{
    unsigned long v;
    if (!PyLong_Check(obj) && !PyIndex_Check(obj)) {
        PyErr_Format(PyExc_TypeError,
                     "'%.200s' object cannot be interpreted as an integer",
                     Py_TYPE(obj)->tp_name);
        return -1;
    }
    PyObject *n = PyNumber_Index(obj);
    if (n == NULL)
        return -1;
    v = PyLong_AsUnsignedLong(n);
    Py_DECREF(n);
    if (v == (unsigned long)-1 && PyErr_Occurred()) {
        if (!PyErr_ExceptionMatches(PyExc_OverflowError))
            return -1;
        PyErr_Clear();
        v = max + 1;
    }
    if (v > max) {
        PyErr_Format(PyExc_OverflowError, "%s: %s must be 0-%lu.", caller,
                     field, max);
        return -1;
    }
    *out = (uint32_t)v;
    return 0;
}

static int
require_tuple(PyObject *obj, const char *caller, const char *family)
{
    if (PyTuple_Check(obj))
        return 0;
    PyErr_Format(PyExc_TypeError, "%s: %s address must be tuple, not %.500s",
                 caller, family, Py_TYPE(obj)->tp_name);
    return -1;
}

static int
inet_parse(const sockobj *Py_UNUSED(s), PyObject *obj, sock_addr *addr,
           socklen_t *len, const char *caller)
{
    if (require_tuple(obj, caller, "AF_INET") < 0)
        return -1;
    if (PyTuple_GET_SIZE(obj) != 2) {
        PyErr_SetString(PyExc_TypeError,
                        "AF_INET address must be a pair (host, port)");
        return -1;
    }
    PyObject *owner = NULL;
    uint16_t port;
    /* Every field is checked before the host is resolved, which may take
     * a DNS round trip. */
    const char *name = host_text(PyTuple_GET_ITEM(obj, 0), &owner);
    if (name == NULL)
        return -1;
    int r = -1;
    if (parse_port(PyTuple_GET_ITEM(obj, 1), caller, &port) == 0
        && resolve_text(name, AF_INET, addr) >= 0) {
        addr->in.sin_port = port;
        *len = sizeof addr->in;
        r = 0;
    }
    Py_DECREF(owner);
    return r;
}

static int
inet6_parse(const sockobj *Py_UNUSED(s), PyObject *obj, sock_addr *addr,
            socklen_t *len, const char *caller)
{
    if (require_tuple(obj, caller, "AF_INET6") < 0)
        return -1;
    Py_ssize_t n = PyTuple_GET_SIZE(obj);
    if (n < 2 || n > 4) {
        PyErr_SetString(PyExc_TypeError,
                        "AF_INET6 address must be a tuple "
                        "(host, port[, flowinfo[, scopeid]])");
        return -1;
    }
    PyObject *owner = NULL;
    uint16_t port;
    uint32_t flowinfo = 0, scope_id = 0;
    const char *name = host_text(PyTuple_GET_ITEM(obj, 0), &owner);
    if (name == NULL)
        return -1;
    int bad = parse_port(PyTuple_GET_ITEM(obj, 1), caller, &port) < 0
        || (n > 2 && parse_u32(PyTuple_GET_ITEM(obj, 2), caller, "flowinfo",
                               0xfffff, &flowinfo) < 0)
        || (n > 3 && parse_u32(PyTuple_GET_ITEM(obj, 3), caller, "scope_id",
                               0xffffffffUL, &scope_id) < 0)
        || resolve_text(name, AF_INET6, addr) < 0;
    Py_DECREF(owner);
    if (bad)
        return -1;
    addr->in6.sin6_port = port;
    addr->in6.sin6_flowinfo = htonl(flowinfo);
    /* A '%zone' in the host was resolved into sin6_scope_id; an explicit
     * scope_id wins, but an omitted one must not erase the zone (the
     * stdlib does, and a link-local connect then fails with EINVAL). */
    if (n > 3 || scope_id != 0)
        addr->in6.sin6_scope_id = scope_id;
    *len = sizeof addr->in6;
    return 0;
}

static PyObject *
inet_build(const sock_addr *addr, socklen_t Py_UNUSED(len),
           int Py_UNUSED(proto), int Py_UNUSED(fd))
{
#ifdef SOCKIMPL_MUTANT_INET_ADDRESS
    /* A deliberately broken build for the engine (lab/engine/mutants.py):
     * the address's bytes in host order. */
    struct in_addr swapped = {.s_addr = ntohl(addr->in.sin_addr.s_addr)};
    PyObject *items[2] = {
        sockimpl_ip_text(AF_INET, &swapped),
#else
    PyObject *items[2] = {
        sockimpl_ip_text(AF_INET, &addr->in.sin_addr),
#endif
#ifdef SOCKIMPL_MUTANT_INET_PORT
        /* A deliberately broken build for the engine (lab/engine/mutants.py). */
        PyLong_FromLong(addr->in.sin_port),
#else
        PyLong_FromLong(ntohs(addr->in.sin_port)),
#endif
    };
    return sockimpl_tuple(2, items);
}

static PyObject *
inet6_build(const sock_addr *addr, socklen_t Py_UNUSED(len),
            int Py_UNUSED(proto), int Py_UNUSED(fd))
{
    PyObject *items[4] = {
        sockimpl_ip_text(AF_INET6, &addr->in6.sin6_addr),
        PyLong_FromLong(ntohs(addr->in6.sin6_port)),
        PyLong_FromUnsignedLong(ntohl(addr->in6.sin6_flowinfo)),
#ifdef SOCKIMPL_MUTANT_INET6_SCOPE
        /* A deliberately broken build for the engine (lab/engine/mutants.py). */
        PyLong_FromUnsignedLong(addr->in6.sin6_scope_id + 1),
#else
        PyLong_FromUnsignedLong(addr->in6.sin6_scope_id),
#endif
    };
    return sockimpl_tuple(4, items);
}

const addr_codec sockimpl_codec_inet = {
    .family = AF_INET,
    .parse = inet_parse,
    .build = inet_build,
};

const addr_codec sockimpl_codec_inet6 = {
    .family = AF_INET6,
    .parse = inet6_parse,
    .build = inet6_build,
};
