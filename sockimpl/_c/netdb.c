/* The resolver: getaddrinfo/getnameinfo, the gethostby* family, services,
 * protocols and the host name.
 *
 * Only the reentrant libc calls are used (the classic gethostbyname and
 * getservbyname return static storage that another thread, running while
 * this one has released the GIL, could overwrite), and the GIL is released
 * around every call that may wait on a name service.
 */
#include "internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <string.h>
#include <unistd.h>

/* ---- arguments ---------------------------------------------------------- */

/* Whether the idna codec hands this ASCII name back unchanged: it does
 * unless a label other than the last is empty or any label is longer
 * than 63.  Checking that here spares the common case a trip through a
 * codec written in Python. */
static int
idna_passes_through(const char *s, Py_ssize_t n)
{
    Py_ssize_t start = 0;
    for (Py_ssize_t i = 0; i <= n; i++) {
        if (i < n && s[i] != '.')
            continue;
        Py_ssize_t len = i - start;
        if (len > 63 || (len == 0 && i < n))
            return 0;
        start = i + 1;
    }
    return 1;
}

/* A host name as DNS wants it: str through IDNA (in place when that
 * changes nothing), bytes as given, bytearray copied so it cannot change
 * under a call that released the GIL.  `*owner` keeps the text alive and
 * is itself a host object sockimpl_resolve_host accepts. */
static const char *
encoded_host(PyObject *obj, const char *fname, PyObject **owner)
{
    const char *text = NULL;
    Py_ssize_t n = 0;

    if (PyUnicode_Check(obj)) {
        if (PyUnicode_IS_ASCII(obj)) {
            text = PyUnicode_AsUTF8AndSize(obj, &n);
            if (text == NULL)
                return NULL;
        }
        if (text != NULL && idna_passes_through(text, n)) {
            *owner = Py_NewRef(obj);
        }
        else {
            /* The codec raises the error the stdlib does for bad labels. */
            *owner = PyUnicode_AsEncodedString(obj, "idna", NULL);
            if (*owner == NULL)
                return NULL;
            text = PyBytes_AS_STRING(*owner);
            n = PyBytes_GET_SIZE(*owner);
        }
    }
    else if (PyByteArray_Check(obj)) {
        *owner = PyBytes_FromStringAndSize(PyByteArray_AS_STRING(obj),
                                           PyByteArray_GET_SIZE(obj));
        if (*owner == NULL)
            return NULL;
        text = PyBytes_AS_STRING(*owner);
        n = PyBytes_GET_SIZE(*owner);
    }
    else {
        text = PyBytes_AS_STRING(obj);
        n = PyBytes_GET_SIZE(obj);
        *owner = Py_NewRef(obj);
    }
    if ((size_t)n != strlen(text)) {
        PyErr_Format(PyExc_TypeError, "%s() argument 1 must be encoded "
                     "string without null bytes, not %.50s", fname,
                     Py_TYPE(obj)->tp_name);
        Py_CLEAR(*owner);
        return NULL;
    }
    return text;
}

/* The host argument of the gethostby* calls: str, bytes or bytearray. */
static const char *
host_argument(PyObject *obj, const char *fname, PyObject **owner)
{
    if (PyUnicode_Check(obj) || PyBytes_Check(obj) || PyByteArray_Check(obj))
        return encoded_host(obj, fname, owner);
    PyErr_Format(PyExc_TypeError, "%s() argument 1 must be str, bytes or "
                 "bytearray, not %.50s", fname, Py_TYPE(obj)->tp_name);
    return NULL;
}

/* ---- getaddrinfo ---------------------------------------------------------- */

/* Handed to libc in place of an int port outside 0-65535.  glibc reads a
 * larger number modulo 65536 (70000 would become port 4464) and the stdlib
 * raises OverflowError for one beyond a C long (gh-74895); "-1" names no
 * service, so libc answers EAI_SERVICE, after its own checks of family,
 * type and flags, exactly as it does for the stdlib's port -1. */
#define NO_SUCH_PORT "-1"

/* The service argument: `*text` is what libc gets (NULL for None), and
 * `*number` the port when it is plainly numeric, else -1. */
static int
gai_port(PyObject *obj, char *buf, const char **text, long *number)
{
    Py_ssize_t n;

    *number = -1;
    /* Exactly int: the stdlib refuses bool and int subclasses here. */
    if (PyLong_CheckExact(obj)) {
        int overflow;
        long v = PyLong_AsLongAndOverflow(obj, &overflow);
        if (v == -1 && PyErr_Occurred())
            return -1;
        if (overflow != 0 || v < 0 || v > 0xffff) {
            *text = NO_SUCH_PORT;
            return 0;
        }
        /* Formatted only if libc is asked: the numeric path needs none. */
        *text = buf;
        *number = v;
        return 0;
    }
    if (obj == Py_None) {
        *text = NULL;
        *number = 0;
        return 0;
    }
    if (PyUnicode_Check(obj)) {
        *text = PyUnicode_AsUTF8AndSize(obj, &n);
    }
    else if (PyBytes_Check(obj)) {
        *text = PyBytes_AS_STRING(obj);
        n = PyBytes_GET_SIZE(obj);
    }
    else {
        PyErr_SetString(PyExc_OSError, "Int or String expected");
        return -1;
    }
    if (*text == NULL)
        return -1;
    if ((size_t)n != strlen(*text)) {
        /* The stdlib passes "8\0junk" on as port 8. */
        PyErr_SetString(PyExc_ValueError,
                        "port must not contain null character");
        return -1;
    }
    if (n >= 1 && n <= 5 && strspn(*text, "0123456789") == (size_t)n) {
        long v = strtol(*text, NULL, 10);
        if (v <= 0xffff)
            *number = v;
    }
    return 0;
}

/* One (family, type, proto, canonname, sockaddr) entry; steals `addr`. */
static PyObject *
addrinfo_entry(int family, int type, int proto, const char *canonname,
               PyObject *addr)
{
    if (addr == NULL)
        return NULL;
    PyObject *entry = PyTuple_New(5);
    PyObject *f = PyLong_FromLong(family);
    PyObject *t = PyLong_FromLong(type);
    PyObject *p = PyLong_FromLong(proto);
    PyObject *c = PyUnicode_FromString(canonname);
    if (entry == NULL || f == NULL || t == NULL || p == NULL || c == NULL) {
        Py_XDECREF(entry);
        Py_XDECREF(f);
        Py_XDECREF(t);
        Py_XDECREF(p);
        Py_XDECREF(c);
        Py_DECREF(addr);
        return NULL;
    }
    PyTuple_SET_ITEM(entry, 0, f);
    PyTuple_SET_ITEM(entry, 1, t);
    PyTuple_SET_ITEM(entry, 2, p);
    PyTuple_SET_ITEM(entry, 3, c);
    PyTuple_SET_ITEM(entry, 4, addr);
    return entry;
}

static PyObject *
addrinfo_list(const struct addrinfo *res)
{
    Py_ssize_t n = 0;
    for (const struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next)
        n++;
    PyObject *list = PyList_New(n);
    if (list == NULL)
        return NULL;
    Py_ssize_t i = 0;
    for (const struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next) {
        /* Copied so the codec may read it as the union it expects. */
        sock_addr sa;
        socklen_t len = ai->ai_addrlen;
        if (len > sizeof sa)
            len = sizeof sa;
        memset(&sa, 0, sizeof sa);
        memcpy(&sa, ai->ai_addr, len);
        PyObject *entry = addrinfo_entry(
            ai->ai_family, ai->ai_socktype, ai->ai_protocol,
            ai->ai_canonname != NULL ? ai->ai_canonname : "",
            sockimpl_addr_build(&sa, len, ai->ai_protocol, -1));
        if (entry == NULL) {
            Py_DECREF(list);
            return NULL;
        }
        PyList_SET_ITEM(list, i++, entry);
    }
    return list;
}

/* The socket kinds glibc lists for an unspecified type, in its order. */
static const struct {
    int type;
    int proto;
} any_kind[] = {
    {SOCK_STREAM, IPPROTO_TCP},
    {SOCK_DGRAM, IPPROTO_UDP},
    {SOCK_RAW, 0},
};

/* Which rows of any_kind a numeric answer has, or 0 if the type and
 * protocol ask for something only libc should decide. */
static size_t
numeric_kinds(int type, int proto, size_t *first)
{
    *first = 0;
    if (type == 0 && proto == 0)
        return 3;
    for (size_t i = 0; i < 2; i++) {
        if (type == any_kind[i].type
            && (proto == 0 || proto == any_kind[i].proto)) {
            *first = i;
            return 1;
        }
    }
    return 0;
}

/* An address literal and a numeric port need no resolver: build the list
 * glibc would (one address, its port, each requested socket kind) without
 * its per-call setup.  Anything less plain -- other flags, a scope zone,
 * a classic form like '127.1', a family that does not match -- returns 0
 * and goes to libc. */
static int
numeric_answer(const char *host, long port, const struct addrinfo *hints,
               PyObject **out)
{
    const int plain_flags = AI_PASSIVE | AI_NUMERICHOST | AI_NUMERICSERV;
    sock_addr sa;
    socklen_t len;
    size_t first, n;

    if (host == NULL || port < 0 || (hints->ai_flags & ~plain_flags) != 0)
        return 0;
    n = numeric_kinds(hints->ai_socktype, hints->ai_protocol, &first);
    if (n == 0)
        return 0;
    memset(&sa, 0, sizeof sa);
    if (hints->ai_family != AF_INET6
        && inet_pton(AF_INET, host, &sa.in.sin_addr) == 1) {
        sa.in.sin_family = AF_INET;
        sa.in.sin_port = htons((uint16_t)port);
        len = sizeof sa.in;
    }
    else if (hints->ai_family != AF_INET && strchr(host, '%') == NULL
             && inet_pton(AF_INET6, host, &sa.in6.sin6_addr) == 1) {
        sa.in6.sin6_family = AF_INET6;
        sa.in6.sin6_port = htons((uint16_t)port);
        len = sizeof sa.in6;
    }
    else {
        return 0;
    }
    if (hints->ai_family != AF_UNSPEC && hints->ai_family != sa.sa.sa_family)
        return 0;

    PyObject *addr = sockimpl_addr_build(&sa, len, 0, -1);
    PyObject *list = addr == NULL ? NULL : PyList_New((Py_ssize_t)n);
    for (size_t i = 0; list != NULL && i < n; i++) {
        PyObject *entry = addrinfo_entry(
            sa.sa.sa_family, any_kind[first + i].type,
            any_kind[first + i].proto, "", Py_NewRef(addr));
        if (entry == NULL)
            Py_CLEAR(list);
        else
            PyList_SET_ITEM(list, (Py_ssize_t)i, entry);
    }
    Py_XDECREF(addr);
    *out = list;
    return list == NULL ? -1 : 1;
}

static int
optional_int(PyObject *obj, int *out)
{
    *out = 0;
    return obj == NULL ? 0 : sockimpl_as_int(obj, out);
}

static PyObject *
netdb_getaddrinfo(PyObject *Py_UNUSED(m), PyObject *const *args,
                  Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"host", "port", "family", "type",
                                        "proto", "flags", NULL};
    PyObject *arg[6];
    struct addrinfo hints;
    char port_buf[32];
    const char *host = NULL, *port;
    long port_number;
    PyObject *host_owner = NULL, *result = NULL;

    memset(&hints, 0, sizeof hints);
    if (sockimpl_parse_args("getaddrinfo", args, nargs, kwnames, names, 2,
                            arg) < 0
        || optional_int(arg[2], &hints.ai_family) < 0
        || optional_int(arg[3], &hints.ai_socktype) < 0
        || optional_int(arg[4], &hints.ai_protocol) < 0
        || optional_int(arg[5], &hints.ai_flags) < 0)
        return NULL;

    if (arg[0] == Py_None) {
        host = NULL;
    }
    else if (PyUnicode_Check(arg[0]) || PyBytes_Check(arg[0])) {
        host = encoded_host(arg[0], "getaddrinfo", &host_owner);
        if (host == NULL)
            return NULL;
    }
    else {
        PyErr_SetString(PyExc_TypeError,
                        "getaddrinfo() argument 1 must be string or None");
        return NULL;
    }
    if (gai_port(arg[1], port_buf, &port, &port_number) < 0)
        goto done;
    if (PySys_Audit("socket.getaddrinfo", "OOiii", arg[0], arg[1],
                    hints.ai_family, hints.ai_socktype,
                    hints.ai_protocol) < 0)
        goto done;

    if (numeric_answer(host, port_number, &hints, &result) != 0)
        goto done;

    struct addrinfo *res = NULL;
    int err;
    if (port == port_buf)
        PyOS_snprintf(port_buf, sizeof port_buf, "%ld", port_number);
    Py_BEGIN_ALLOW_THREADS
    err = getaddrinfo(host, port, &hints, &res);
    Py_END_ALLOW_THREADS
    if (err != 0) {
        sockimpl_raise_gai(err);
        goto done;
    }
    result = addrinfo_list(res);
    freeaddrinfo(res);

done:
    Py_XDECREF(host_owner);
    return result;
}

/* ---- getnameinfo ---------------------------------------------------------- */

/* An unsigned field of an IPv6 sockaddr.  The stdlib masks it to 32 bits
 * (scope_id -1 becomes 4294967295, 2**32 becomes 0); a value the field
 * cannot hold is refused instead. */
static int
sockaddr_field(PyObject *obj, const char *field, unsigned long max,
               uint32_t *out)
{
    PyObject *n = PyNumber_Index(obj);
    if (n == NULL)
        return -1;
    int overflow;
    long v = PyLong_AsLongAndOverflow(n, &overflow);
    Py_DECREF(n);
    if (v == -1 && PyErr_Occurred())
        return -1;
    if (overflow != 0 || v < 0 || (unsigned long)v > max) {
        PyErr_Format(PyExc_OverflowError,
                     "getnameinfo(): %s must be 0-%lu.", field, max);
        return -1;
    }
    *out = (uint32_t)v;
    return 0;
}

typedef struct {
    const char *host;
    int port;
    uint32_t flowinfo;
    uint32_t scope_id;
    int has_scope_id;
    Py_ssize_t size;
} name_query;

static int
parse_name_query(PyObject *sa, name_query *q)
{
    if (!PyTuple_Check(sa)) {
        PyErr_SetString(PyExc_TypeError,
                        "getnameinfo() argument 1 must be a tuple");
        return -1;
    }
    q->size = PyTuple_GET_SIZE(sa);
    q->flowinfo = q->scope_id = 0;
    q->has_scope_id = q->size == 4;
    if (q->size < 2 || q->size > 4
        || !PyUnicode_Check(PyTuple_GET_ITEM(sa, 0))) {
        PyErr_SetString(PyExc_TypeError,
                        "getnameinfo(): illegal sockaddr argument");
        return -1;
    }
    q->host = sockimpl_text_arg(PyTuple_GET_ITEM(sa, 0), "host");
    if (q->host == NULL
        || sockimpl_as_int(PyTuple_GET_ITEM(sa, 1), &q->port) < 0)
        return -1;
    if (q->port < 0 || q->port > 0xffff) {
        /* The stdlib hands libc the number and gets it back modulo
         * 65536 (70000 is reported as port 4464). */
        PyErr_SetString(PyExc_OverflowError,
                        "getnameinfo(): port must be 0-65535.");
        return -1;
    }
    if (q->size > 2
        && sockaddr_field(PyTuple_GET_ITEM(sa, 2), "flowinfo", 0xfffff,
                          &q->flowinfo) < 0)
        return -1;
    if (q->size > 3
        && sockaddr_field(PyTuple_GET_ITEM(sa, 3), "scope_id", 0xffffffffUL,
                          &q->scope_id) < 0)
        return -1;
    return 0;
}

/* The numeric host and port of `q` as a sockaddr, via libc so the host
 * is read as getaddrinfo reads it ('127.1', 'fe80::1%lo').  0 or -1. */
static int
name_query_sockaddr(const name_query *q, sock_addr *addr, socklen_t *len)
{
    struct addrinfo hints, *res = NULL;
    char port[8];

    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_DGRAM;
    hints.ai_flags = AI_NUMERICHOST;
    PyOS_snprintf(port, sizeof port, "%d", q->port);
    /* Numeric host and port: nothing here can wait on the network. */
    int err = getaddrinfo(q->host, port, &hints, &res);
    if (err != 0) {
        sockimpl_raise_gai(err);
        return -1;
    }
    int r = -1;
    if (res->ai_next != NULL) {
        PyErr_SetString(PyExc_OSError,
                        "sockaddr resolved to multiple addresses");
    }
    else if (res->ai_family == AF_INET && q->size != 2) {
        PyErr_SetString(PyExc_OSError, "IPv4 sockaddr must be 2 tuple");
    }
    else if (res->ai_addrlen > sizeof *addr) {
        PyErr_SetString(PyExc_OSError, "getnameinfo(): address too long");
    }
    else {
        memset(addr, 0, sizeof *addr);
        memcpy(addr, res->ai_addr, res->ai_addrlen);
        *len = res->ai_addrlen;
        r = 0;
    }
    freeaddrinfo(res);
    if (r == 0 && addr->sa.sa_family == AF_INET6) {
        addr->in6.sin6_flowinfo = htonl(q->flowinfo);
        /* A '%zone' in the host text survives unless the tuple names a
         * scope_id; the stdlib overwrites it with 0 (same rule as the
         * AF_INET6 address codec). */
        if (q->has_scope_id)
            addr->in6.sin6_scope_id = q->scope_id;
    }
    return r;
}

static PyObject *
netdb_getnameinfo(PyObject *Py_UNUSED(m), PyObject *const *args,
                  Py_ssize_t nargs)
{
    name_query q;
    sock_addr addr;
    socklen_t len;
    int flags, err;
    char host[NI_MAXHOST], serv[NI_MAXSERV];

    if (sockimpl_check_nargs("getnameinfo", nargs, 2, 2) < 0
        || sockimpl_as_int(args[1], &flags) < 0
        || parse_name_query(args[0], &q) < 0
        || PySys_Audit("socket.getnameinfo", "(O)", args[0]) < 0
        || name_query_sockaddr(&q, &addr, &len) < 0)
        return NULL;
    Py_BEGIN_ALLOW_THREADS
    err = getnameinfo(&addr.sa, len, host, sizeof host, serv, sizeof serv,
                      flags);
    Py_END_ALLOW_THREADS
    if (err != 0)
        return sockimpl_raise_gai(err);
    return Py_BuildValue("ss", host, serv);
}

/* ---- host names ------------------------------------------------------------ */

static PyObject *
netdb_gethostname(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(a))
{
    /* Linux caps a host name at 64 bytes; the rest is headroom. */
    char name[256];
    if (PySys_Audit("socket.gethostname", NULL) < 0)
        return NULL;
    if (gethostname(name, sizeof name - 1) < 0)
        return sockimpl_raise_errno();
    name[sizeof name - 1] = '\0';
    return PyUnicode_DecodeFSDefault(name);
}

static PyObject *
netdb_sethostname(PyObject *Py_UNUSED(m), PyObject *arg)
{
    PyObject *name;
    /* str, bytes or a path-like object, as the stdlib takes; bytes with a
     * NUL are refused too (the stdlib sets "a\0b", which reads back as
     * "a"). */
    if (!PyUnicode_FSConverter(arg, &name))
        return NULL;
    PyObject *result = NULL;
    if (PySys_Audit("socket.sethostname", "(O)", name) == 0) {
        if (sethostname(PyBytes_AS_STRING(name),
                        (size_t)PyBytes_GET_SIZE(name)) < 0)
            sockimpl_raise_errno();
        else
            result = Py_NewRef(Py_None);
    }
    Py_DECREF(name);
    return result;
}

/* ---- gethostby* ------------------------------------------------------------ */

/* Name service replies of any size are possible (a host with hundreds of
 * aliases); the _r calls say ERANGE until their scratch space suffices. */
#define HOSTENT_FIRST_BUFFER 8192
#define HOSTENT_LAST_BUFFER (1 << 22)

typedef struct {
    const char *name;       /* look up this name, or else */
    const void *addr;       /* this address */
    socklen_t addr_len;
    int family;
} host_query;

typedef struct {
    struct hostent entry;
    struct hostent *found;  /* &entry, or NULL with herr set */
    int herr;
    char *buf;              /* what `entry` points into */
} host_answer;

static int
host_lookup_once(const host_query *q, host_answer *a, size_t size)
{
    if (q->name != NULL)
        return gethostbyname_r(q->name, &a->entry, a->buf, size, &a->found,
                               &a->herr);
    return gethostbyaddr_r(q->addr, q->addr_len, q->family, &a->entry,
                           a->buf, size, &a->found, &a->herr);
}

/* Runs `q` without the GIL.  0, with a->found NULL when the name service
 * said no; -1 with an exception set when memory ran out.  The caller
 * frees a->buf. */
static int
host_lookup(const host_query *q, host_answer *a)
{
    size_t size = HOSTENT_FIRST_BUFFER;
    int err;

    a->buf = NULL;
    for (;;) {
        char *bigger = PyMem_RawRealloc(a->buf, size);
        if (bigger == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        a->buf = bigger;
        a->found = NULL;
        a->herr = 0;
        Py_BEGIN_ALLOW_THREADS
        err = host_lookup_once(q, a, size);
        Py_END_ALLOW_THREADS
        if (err != ERANGE || size >= HOSTENT_LAST_BUFFER)
            return 0;
        size *= 2;
    }
}

static PyObject *
raise_herror(int code)
{
    PyObject *v = Py_BuildValue("(is)", code, hstrerror(code));
    if (v != NULL) {
        PyErr_SetObject(sockimpl_herror, v);
        Py_DECREF(v);
    }
    return NULL;
}

static PyObject *
address_text(int family, const void *raw)
{
    char text[INET6_ADDRSTRLEN];
    if (inet_ntop(family, raw, text, sizeof text) == NULL)
        return sockimpl_raise_errno();
    return PyUnicode_DecodeASCII(text, (Py_ssize_t)strlen(text), NULL);
}

/* A NULL-terminated array of C items as a list, each made by `make`. */
static PyObject *
list_of(char **items, PyObject *(*make)(const char *, int), int family)
{
    PyObject *list = PyList_New(0);
    for (char **p = items; list != NULL && p != NULL && *p != NULL; p++) {
        PyObject *item = make(*p, family);
        if (item == NULL || PyList_Append(list, item) < 0)
            Py_CLEAR(list);
        Py_XDECREF(item);
    }
    return list;
}

static PyObject *
alias_item(const char *alias, int Py_UNUSED(family))
{
    return PyUnicode_FromString(alias);
}

static PyObject *
address_item(const char *raw, int family)
{
    return address_text(family, raw);
}

/* (hostname, aliaslist, addresslist) from an answer for `family`. */
static PyObject *
hostent_triple(const host_answer *a, int family)
{
    const struct hostent *h = a->found;
    if (h == NULL)
        return raise_herror(a->herr);
    if (h->h_addrtype != family)
        return sockimpl_raise_errno_value(EAFNOSUPPORT);
    PyObject *name = PyUnicode_FromString(h->h_name);
    PyObject *aliases = list_of(h->h_aliases, alias_item, family);
    PyObject *addrs = list_of(h->h_addr_list, address_item, family);
    if (name == NULL || aliases == NULL || addrs == NULL) {
        Py_XDECREF(name);
        Py_XDECREF(aliases);
        Py_XDECREF(addrs);
        return NULL;
    }
    return Py_BuildValue("(NNN)", name, aliases, addrs);
}

/* Resolve `owner` (an encoded host) to one address of `family`, the way
 * the stdlib's gethostby* calls first do; the address length or -1. */
static int
resolve_one(PyObject *owner, int family, sock_addr *addr,
            const char *fname)
{
    memset(addr, 0, sizeof *addr);
    return sockimpl_resolve_host(owner, family, addr, fname);
}

static PyObject *
netdb_gethostbyname(PyObject *Py_UNUSED(m), PyObject *arg)
{
    PyObject *owner;
    sock_addr addr;
    if (host_argument(arg, "gethostbyname", &owner) == NULL)
        return NULL;
    PyObject *result = NULL;
    if (PySys_Audit("socket.gethostbyname", "(O)", arg) == 0
        && resolve_one(owner, AF_INET, &addr, "gethostbyname()") >= 0)
        result = address_text(AF_INET, &addr.in.sin_addr);
    Py_DECREF(owner);
    return result;
}

static PyObject *
netdb_gethostbyname_ex(PyObject *Py_UNUSED(m), PyObject *arg)
{
    PyObject *owner;
    sock_addr addr;
    host_answer answer = {.buf = NULL};
    const char *name = host_argument(arg, "gethostbyname_ex", &owner);
    if (name == NULL)
        return NULL;
    PyObject *result = NULL;
    /* Resolving first makes an unknown name a gaierror, as it is in the
     * stdlib; the hostent then supplies names and every address. */
    if (PySys_Audit("socket.gethostbyname", "(O)", arg) == 0
        && resolve_one(owner, AF_INET, &addr, "gethostbyname_ex()") >= 0) {
        host_query q = {.name = name};
        if (host_lookup(&q, &answer) == 0)
            result = hostent_triple(&answer, addr.sa.sa_family);
    }
    PyMem_RawFree(answer.buf);
    Py_DECREF(owner);
    return result;
}

static PyObject *
netdb_gethostbyaddr(PyObject *Py_UNUSED(m), PyObject *arg)
{
    PyObject *owner;
    sock_addr addr;
    host_answer answer = {.buf = NULL};
    const char *name = host_argument(arg, "gethostbyaddr", &owner);
    if (name == NULL)
        return NULL;
    PyObject *result = NULL;
    host_query q = {.name = NULL};
    if (PySys_Audit("socket.gethostbyaddr", "(O)", arg) < 0)
        goto done;
    if (name[0] == '\0') {
        /* '' is the wildcard, which stands for both 0.0.0.0 and ::. */
        PyErr_SetString(PyExc_OSError,
                        "wildcard resolved to multiple address");
        goto done;
    }
    if (resolve_one(owner, AF_UNSPEC, &addr, "gethostbyaddr()") < 0)
        goto done;
    q.family = addr.sa.sa_family;
    if (q.family == AF_INET) {
        q.addr = &addr.in.sin_addr;
        q.addr_len = sizeof addr.in.sin_addr;
    }
    else if (q.family == AF_INET6) {
        q.addr = &addr.in6.sin6_addr;
        q.addr_len = sizeof addr.in6.sin6_addr;
    }
    else {
        PyErr_SetString(PyExc_OSError, "unsupported address family");
        goto done;
    }
    if (host_lookup(&q, &answer) == 0)
        result = hostent_triple(&answer, q.family);

done:
    PyMem_RawFree(answer.buf);
    Py_DECREF(owner);
    return result;
}

/* ---- protocols and services ----------------------------------------------- */

/* Scratch space for one /etc/services or /etc/protocols line. */
#define DB_ENTRY_BUFFER 4096

static PyObject *
netdb_getprotobyname(PyObject *Py_UNUSED(m), PyObject *arg)
{
    struct protoent entry, *found = NULL;
    char buf[DB_ENTRY_BUFFER];
    int err;
    const char *name = sockimpl_text_arg(arg, "getprotobyname() argument 1");
    if (name == NULL)
        return NULL;
    Py_BEGIN_ALLOW_THREADS
    err = getprotobyname_r(name, &entry, buf, sizeof buf, &found);
    Py_END_ALLOW_THREADS
    if (found == NULL) {
        if (err == ERANGE)
            return sockimpl_raise_errno_value(err);
        PyErr_SetString(PyExc_OSError, "protocol not found");
        return NULL;
    }
    return PyLong_FromLong(entry.p_proto);
}

/* The optional protocol name of getservby*: absent means any. */
static int
service_proto(PyObject *const *args, Py_ssize_t nargs, const char *what,
              const char **proto)
{
    *proto = NULL;
    if (nargs < 2)
        return 0;
    *proto = sockimpl_text_arg(args[1], what);
    return *proto == NULL ? -1 : 0;
}

static PyObject *
netdb_getservbyname(PyObject *Py_UNUSED(m), PyObject *const *args,
                    Py_ssize_t nargs)
{
    struct servent entry, *found = NULL;
    char buf[DB_ENTRY_BUFFER];
    const char *name, *proto;
    int err;

    if (sockimpl_check_nargs("getservbyname", nargs, 1, 2) < 0)
        return NULL;
    name = sockimpl_text_arg(args[0], "getservbyname() argument 1");
    if (name == NULL
        || service_proto(args, nargs, "getservbyname() argument 2",
                         &proto) < 0
        || PySys_Audit("socket.getservbyname", "sz", name, proto) < 0)
        return NULL;
    Py_BEGIN_ALLOW_THREADS
    err = getservbyname_r(name, proto, &entry, buf, sizeof buf, &found);
    Py_END_ALLOW_THREADS
    if (found == NULL) {
        if (err == ERANGE)
            return sockimpl_raise_errno_value(err);
        PyErr_SetString(PyExc_OSError, "service/proto not found");
        return NULL;
    }
    return PyLong_FromLong(ntohs((uint16_t)entry.s_port));
}

static PyObject *
netdb_getservbyport(PyObject *Py_UNUSED(m), PyObject *const *args,
                    Py_ssize_t nargs)
{
    struct servent entry, *found = NULL;
    char buf[DB_ENTRY_BUFFER];
    const char *proto;
    int port, err;

    if (sockimpl_check_nargs("getservbyport", nargs, 1, 2) < 0
        || sockimpl_as_int(args[0], &port) < 0
        || service_proto(args, nargs, "getservbyport() argument 2",
                         &proto) < 0)
        return NULL;
    if (port < 0 || port > 0xffff) {
        PyErr_SetString(PyExc_OverflowError,
                        "getservbyport: port must be 0-65535.");
        return NULL;
    }
    if (PySys_Audit("socket.getservbyport", "iz", port, proto) < 0)
        return NULL;
    Py_BEGIN_ALLOW_THREADS
    err = getservbyport_r(htons((uint16_t)port), proto, &entry, buf,
                          sizeof buf, &found);
    Py_END_ALLOW_THREADS
    if (found == NULL) {
        if (err == ERANGE)
            return sockimpl_raise_errno_value(err);
        PyErr_SetString(PyExc_OSError, "port/proto not found");
        return NULL;
    }
    return PyUnicode_FromString(entry.s_name);
}

PyMethodDef sockimpl_netdb_methods[] = {
    {"getaddrinfo", (PyCFunction)(void (*)(void))netdb_getaddrinfo,
     METH_FASTCALL | METH_KEYWORDS,
     "getaddrinfo(host, port [, family, type, proto, flags])\n"
     "    -> list of (family, type, proto, canonname, sockaddr)\n\n"
     "Resolve host and port into addressing information."},
    {"getnameinfo", (PyCFunction)(void (*)(void))netdb_getnameinfo,
     METH_FASTCALL,
     "getnameinfo(sockaddr, flags) --> (host, port)\n\n"
     "Get host and port for a sockaddr."},
    {"gethostname", netdb_gethostname, METH_NOARGS,
     "gethostname() -> string\n\nReturn the current host name."},
    {"sethostname", netdb_sethostname, METH_O,
     "sethostname(name)\n\nSets the hostname to name."},
    {"gethostbyname", netdb_gethostbyname, METH_O,
     "gethostbyname(host) -> address\n\n"
     "Return the IPv4 address (a string of the form '255.255.255.255') "
     "for a host."},
    {"gethostbyname_ex", netdb_gethostbyname_ex, METH_O,
     "gethostbyname_ex(host) -> (name, aliaslist, addresslist)\n\n"
     "Return the true host name, a list of aliases, and a list of IP "
     "addresses, for a host."},
    {"gethostbyaddr", netdb_gethostbyaddr, METH_O,
     "gethostbyaddr(host) -> (name, aliaslist, addresslist)\n\n"
     "Return the true host name, a list of aliases, and a list of IP "
     "addresses, for a host.  The host argument is a string giving a host "
     "name or IP number."},
    {"getprotobyname", netdb_getprotobyname, METH_O,
     "getprotobyname(name) -> integer\n\n"
     "Return the protocol number for the named protocol."},
    {"getservbyname", (PyCFunction)(void (*)(void))netdb_getservbyname,
     METH_FASTCALL,
     "getservbyname(servicename[, protocolname]) -> integer\n\n"
     "Return a port number from a service name and protocol name."},
    {"getservbyport", (PyCFunction)(void (*)(void))netdb_getservbyport,
     METH_FASTCALL,
     "getservbyport(port[, protocolname]) -> string\n\n"
     "Return the service name from a port number and protocol name."},
    {NULL, NULL, 0, NULL}
};
