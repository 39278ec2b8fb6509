/* AF_CAN addresses, by protocol: CAN_RAW and CAN_BCM (interface,),
 * CAN_ISOTP (interface, rx_addr, tx_addr) and CAN_J1939 (interface, name,
 * pgn, addr).  The interface '' means every interface (index 0). */
#include "addr_fields.h"

#include <net/if.h>
#include <string.h>

/* The interface index of an address's first item: a str, bytes or
 * path-like name in the file system encoding, as the stdlib takes it. */
static int
interface_parse(const sockobj *s, PyObject *obj, const char *caller,
                int *index)
{
    PyObject *name = NULL;
    if (!PyUnicode_FSConverter(obj, &name))
        return -1;
    size_t n = (size_t)PyBytes_GET_SIZE(name);
    int r = -1;
    if (n == 0) {
        *index = 0;
        r = 0;
    }
    else if (n >= IFNAMSIZ) {
        PyErr_Format(PyExc_OSError,
                     "%s: AF_CAN interface name too long (at most %d bytes)",
                     caller, IFNAMSIZ - 1);
    }
    else {
        r = sockimpl_field_ifindex(s, PyBytes_AS_STRING(name), n, index);
    }
    Py_DECREF(name);
    return r;
}

static int
raw_parse(const sockobj *s, PyObject *obj,
          struct sockimpl_sockaddr_can *can, const char *caller)
{
    if (sockimpl_field_tuple(obj, 1, 1, caller, "AF_CAN", "(interface,)") < 0)
        return -1;
    return interface_parse(s, PyTuple_GET_ITEM(obj, 0), caller,
                           &can->can_ifindex);
}

static int
isotp_parse(const sockobj *s, PyObject *obj,
            struct sockimpl_sockaddr_can *can, const char *caller)
{
    if (sockimpl_field_tuple(obj, 3, 3, caller, "AF_CAN ISOTP",
                             "(interface, rx_addr, tx_addr)") < 0
        || sockimpl_field_u32(PyTuple_GET_ITEM(obj, 1), caller,
                              "AF_CAN ISOTP rx_addr",
                              &can->can_addr.tp.rx_id) < 0
        || sockimpl_field_u32(PyTuple_GET_ITEM(obj, 2), caller,
                              "AF_CAN ISOTP tx_addr",
                              &can->can_addr.tp.tx_id) < 0)
        return -1;
    return interface_parse(s, PyTuple_GET_ITEM(obj, 0), caller,
                           &can->can_ifindex);
}

static int
j1939_parse(const sockobj *s, PyObject *obj,
            struct sockimpl_sockaddr_can *can, const char *caller)
{
    unsigned long long name, addr;
    if (sockimpl_field_tuple(obj, 4, 4, caller, "AF_CAN J1939",
                             "(interface, name, pgn, addr)") < 0
        || sockimpl_field_uint(PyTuple_GET_ITEM(obj, 1), UINT64_MAX, caller,
                               "AF_CAN J1939 name", &name) < 0
        || sockimpl_field_u32(PyTuple_GET_ITEM(obj, 2), caller,
                              "AF_CAN J1939 pgn",
                              &can->can_addr.j1939.pgn) < 0
        || sockimpl_field_uint(PyTuple_GET_ITEM(obj, 3), 0xff, caller,
                               "AF_CAN J1939 addr", &addr) < 0)
        return -1;
    can->can_addr.j1939.name = name;
    can->can_addr.j1939.addr = (uint8_t)addr;
    return interface_parse(s, PyTuple_GET_ITEM(obj, 0), caller,
                           &can->can_ifindex);
}

static int
can_parse(const sockobj *s, PyObject *obj, sock_addr *addr, socklen_t *len,
          const char *caller)
{
    struct sockimpl_sockaddr_can *can = (struct sockimpl_sockaddr_can *)addr;
    int r;

    switch (s->proto) {
    case SOCKIMPL_CAN_RAW:
    case SOCKIMPL_CAN_BCM:
        r = raw_parse(s, obj, can, caller);
        break;
    case SOCKIMPL_CAN_ISOTP:
        r = isotp_parse(s, obj, can, caller);
        break;
    case SOCKIMPL_CAN_J1939:
        r = j1939_parse(s, obj, can, caller);
        break;
    default:
        PyErr_Format(PyExc_OSError, "%s: unsupported CAN protocol", caller);
        return -1;
    }
    if (r < 0)
        return -1;
    can->can_family = AF_CAN;
    *len = sizeof *can;
    return 0;
}

static PyObject *
can_build(const sock_addr *addr, socklen_t Py_UNUSED(len), int proto,
          int fd)
{
    const struct sockimpl_sockaddr_can *can =
        (const struct sockimpl_sockaddr_can *)addr;
    PyObject *name = sockimpl_field_ifname(can->can_ifindex, fd);
    if (name == NULL)
        return NULL;
    switch (proto) {
    case SOCKIMPL_CAN_ISOTP:
        return Py_BuildValue("(Nkk)", name,
                             (unsigned long)can->can_addr.tp.rx_id,
                             (unsigned long)can->can_addr.tp.tx_id);
    case SOCKIMPL_CAN_J1939:
        return Py_BuildValue("(NKIi)", name,
                             (unsigned long long)can->can_addr.j1939.name,
                             (unsigned int)can->can_addr.j1939.pgn,
                             (int)can->can_addr.j1939.addr);
    default:
#ifdef SOCKIMPL_MUTANT_CAN_ADDRESS_TUPLE
        /* bpo-37405, put back (lab/engine/mutants.py): the bare name. */
        return name;
#endif
        /* A 1-tuple, so that bind(getsockname()) works (bpo-37405). */
        return Py_BuildValue("(N)", name);
    }
}

const addr_codec sockimpl_codec_can = {
    .family = AF_CAN,
    .parse = can_parse,
    .build = can_build,
};
