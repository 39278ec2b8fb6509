/* The family table: the socket object asks here for the codec of its
 * family and knows nothing of any address layout itself. */
#include "internal.h"

#include <stddef.h>

/* One row per family; adding a family is one codec file and one row. */
static const addr_codec *const codecs[] = {
    &sockimpl_codec_unix,
    &sockimpl_codec_inet,
    &sockimpl_codec_inet6,
    &sockimpl_codec_netlink,
    &sockimpl_codec_packet,
    &sockimpl_codec_can,
    &sockimpl_codec_bluetooth,
    &sockimpl_codec_vsock,
    &sockimpl_codec_alg,
    &sockimpl_codec_tipc,
    &sockimpl_codec_rds,
    &sockimpl_codec_qrtr,
};

#define N_CODECS (sizeof codecs / sizeof codecs[0])

static const addr_codec *
find_codec(int family)
{
    for (size_t i = 0; i < N_CODECS; i++) {
        if (codecs[i]->family == family)
            return codecs[i];
    }
    return NULL;
}

int
sockimpl_addr_family_known(const sockobj *s)
{
    if (find_codec(s->family) != NULL)
        return 0;
    PyErr_SetString(PyExc_OSError, "getsockaddrlen: bad family");
    return -1;
}

int
sockimpl_addr_parse(const sockobj *s, PyObject *obj, sock_addr *addr,
                    socklen_t *len, const char *caller)
{
    const addr_codec *c = find_codec(s->family);
    if (c == NULL || c->parse == NULL) {
        PyErr_Format(PyExc_OSError, "%s: bad family", caller);
        return -1;
    }
    memset(addr, 0, sizeof *addr);
    return c->parse(s, obj, addr, len, caller);
}

PyObject *
sockimpl_addr_build(const sock_addr *addr, socklen_t len, int proto,
                    int fd)
{
    sock_addr whole;

    if (len == 0)
        Py_RETURN_NONE;
    /* The kernel filled only `len` bytes.  A codec reads its structure's
     * every field, so it is given a copy whose bytes past `len` are zero,
     * whatever the caller's buffer held there: no address ever carries
     * stale bytes, for any codec. */
    if (len < sizeof whole) {
        memcpy(&whole, addr, len);
        memset((char *)&whole + len, 0, sizeof whole - len);
        addr = &whole;
    }
    else {
        len = sizeof whole;
    }
    const addr_codec *c = find_codec(addr->sa.sa_family);
    if (c != NULL && c->build != NULL)
        return c->build(addr, len, proto, fd);
    /* An unknown family: its raw bytes, so nothing is lost. */
    return Py_BuildValue("iy#", addr->sa.sa_family, addr->sa.sa_data,
                         (Py_ssize_t)sizeof addr->sa.sa_data);
}
