/* AF_PACKET addresses: (ifname, proto[, pkttype[, hatype[, addr]]]) of a
 * sockaddr_ll; proto is the host-order ethertype (ETH_P_ALL, ...). */
#include "addr_fields.h"

#include <net/if.h>
#include <netpacket/packet.h>
#include <arpa/inet.h>
#include <string.h>

#define SHAPE "(ifname, proto[, pkttype[, hatype[, addr]]])"

/* The interface name, a str as the stdlib takes it. */
static const char *
ifname_text(PyObject *obj, const char *caller, Py_ssize_t *n)
{
    if (!PyUnicode_Check(obj)) {
        PyErr_Format(PyExc_TypeError,
                     "%s: AF_PACKET ifname must be str, not %.200s", caller,
                     Py_TYPE(obj)->tp_name);
        return NULL;
    }
    const char *text = PyUnicode_AsUTF8AndSize(obj, n);
    if (text != NULL && strlen(text) != (size_t)*n) {
        PyErr_Format(PyExc_ValueError,
                     "%s: AF_PACKET ifname must not contain a null "
                     "character", caller);
        return NULL;
    }
    return text;
}

/* The hardware address: at most the 8 bytes sll_addr holds. */
static int
hwaddr_parse(PyObject *obj, const char *caller, struct sockaddr_ll *ll)
{
    Py_buffer view;
    if (PyObject_GetBuffer(obj, &view, PyBUF_SIMPLE) < 0)
        return -1;
    int r = -1;
    if ((size_t)view.len > sizeof ll->sll_addr) {
        PyErr_Format(PyExc_ValueError,
                     "%s: AF_PACKET addr (hardware address) must be 8 bytes "
                     "or less", caller);
    }
    else {
        memcpy(ll->sll_addr, view.buf, (size_t)view.len);
        ll->sll_halen = (unsigned char)view.len;
        r = 0;
    }
    PyBuffer_Release(&view);
    return r;
}

static int
packet_parse(const sockobj *s, PyObject *obj, sock_addr *addr,
             socklen_t *len, const char *caller)
{
    struct sockaddr_ll *ll = (struct sockaddr_ll *)addr;
    unsigned long long proto, pkttype = PACKET_HOST, hatype = 0;
    Py_ssize_t namelen;
    int index;

    if (sockimpl_field_tuple(obj, 2, 5, caller, "AF_PACKET", SHAPE) < 0)
        return -1;
    Py_ssize_t n = PyTuple_GET_SIZE(obj);
    const char *name = ifname_text(PyTuple_GET_ITEM(obj, 0), caller,
                                   &namelen);
    if (name == NULL
        || sockimpl_field_uint(PyTuple_GET_ITEM(obj, 1), 0xffff, caller,
                               "AF_PACKET proto", &proto) < 0
        || (n > 2 && sockimpl_field_uint(PyTuple_GET_ITEM(obj, 2), 0xff,
                                         caller, "AF_PACKET pkttype",
                                         &pkttype) < 0)
        || (n > 3 && sockimpl_field_uint(PyTuple_GET_ITEM(obj, 3), 0xffff,
                                         caller, "AF_PACKET hatype",
                                         &hatype) < 0)
        || (n > 4 && hwaddr_parse(PyTuple_GET_ITEM(obj, 4), caller, ll) < 0))
        return -1;
    /* The stdlib cuts a long name to IFNAMSIZ - 1 bytes and may find
     * another interface; the lookup refuses it as naming none (ENODEV). */
    if (sockimpl_field_ifindex(s, name, (size_t)namelen, &index) < 0)
        return -1;
    ll->sll_family = AF_PACKET;
    ll->sll_protocol = htons((uint16_t)proto);
    ll->sll_ifindex = index;
    ll->sll_pkttype = (unsigned char)pkttype;
    ll->sll_hatype = (unsigned short)hatype;
    *len = sizeof *ll;
    return 0;
}

static PyObject *
packet_build(const sock_addr *addr, socklen_t Py_UNUSED(len),
             int Py_UNUSED(proto), int fd)
{
    const struct sockaddr_ll *ll = (const struct sockaddr_ll *)addr;
    size_t halen = ll->sll_halen;
    if (halen > sizeof ll->sll_addr)
        halen = sizeof ll->sll_addr;
    PyObject *name = sockimpl_field_ifname(ll->sll_ifindex, fd);
    if (name == NULL)
        return NULL;
#ifdef SOCKIMPL_MUTANT_PACKET_PKTTYPE
    /* A deliberately broken build for the engine (lab/engine/mutants.py). */
    return Py_BuildValue("(Niiiy#)", name, ntohs(ll->sll_protocol), 0,
                         (int)ll->sll_hatype, (const char *)ll->sll_addr,
                         (Py_ssize_t)halen);
#endif
    return Py_BuildValue("(Niiiy#)", name, ntohs(ll->sll_protocol),
                         (int)ll->sll_pkttype, (int)ll->sll_hatype,
                         (const char *)ll->sll_addr, (Py_ssize_t)halen);
}

const addr_codec sockimpl_codec_packet = {
    .family = AF_PACKET,
    .parse = packet_parse,
    .build = packet_build,
};
