/* AF_TIPC addresses: (addr_type, v1, v2, v3[, scope]) where addr_type
 * says what v1..v3 are: TIPC_ADDR_NAMESEQ (type, lower, upper),
 * TIPC_ADDR_NAME (type, instance, -) or TIPC_ADDR_ID (node, ref, -). */
#include "addr_fields.h"

#define SHAPE "(addr_type, v1, v2, v3[, scope])"

static int
tipc_parse(const sockobj *Py_UNUSED(s), PyObject *obj, sock_addr *addr,
           socklen_t *len, const char *caller)
{
    struct sockimpl_sockaddr_tipc *t = (struct sockimpl_sockaddr_tipc *)addr;
    uint32_t type, v1, v2, v3;
    unsigned long long scope = SOCKIMPL_TIPC_CLUSTER_SCOPE;

    if (sockimpl_field_tuple(obj, 4, 5, caller, "AF_TIPC", SHAPE) < 0
        || sockimpl_field_u32(PyTuple_GET_ITEM(obj, 0), caller,
                              "AF_TIPC addr_type", &type) < 0
        || sockimpl_field_u32(PyTuple_GET_ITEM(obj, 1), caller,
                              "AF_TIPC v1", &v1) < 0
        || sockimpl_field_u32(PyTuple_GET_ITEM(obj, 2), caller,
                              "AF_TIPC v2", &v2) < 0
        || sockimpl_field_u32(PyTuple_GET_ITEM(obj, 3), caller,
                              "AF_TIPC v3", &v3) < 0
        /* The kernel keeps the scope in a signed char. */
        || (PyTuple_GET_SIZE(obj) > 4
            && sockimpl_field_uint(PyTuple_GET_ITEM(obj, 4), 127, caller,
                                   "AF_TIPC scope", &scope) < 0))
        return -1;
    switch (type) {
    case SOCKIMPL_TIPC_ADDR_NAMESEQ:
        t->addr.nameseq.type = v1;
        t->addr.nameseq.lower = v2;
        t->addr.nameseq.upper = v3;
        break;
    case SOCKIMPL_TIPC_ADDR_NAME:
        t->addr.name.name.type = v1;
        t->addr.name.name.instance = v2;
        break;
    case SOCKIMPL_TIPC_ADDR_ID:
        t->addr.id.node = v1;
        t->addr.id.ref = v2;
        break;
    default:
        PyErr_Format(PyExc_TypeError,
                     "%s: AF_TIPC addr_type must be TIPC_ADDR_NAMESEQ, "
                     "TIPC_ADDR_NAME or TIPC_ADDR_ID, not %u", caller,
                     (unsigned int)type);
        return -1;
    }
    t->family = AF_TIPC;
    t->addrtype = (unsigned char)type;
    t->scope = (signed char)scope;
    *len = sizeof *t;
    return 0;
}

static PyObject *
tipc_build(const sock_addr *addr, socklen_t Py_UNUSED(len),
           int Py_UNUSED(proto), int Py_UNUSED(fd))
{
    const struct sockimpl_sockaddr_tipc *t =
        (const struct sockimpl_sockaddr_tipc *)addr;
    unsigned int type = t->addrtype;
    int scope = t->scope;
#ifdef SOCKIMPL_MUTANT_TIPC_SCOPE
    /* A deliberately broken build for the engine (lab/engine/mutants.py). */
    scope++;
#endif

    switch (type) {
    case SOCKIMPL_TIPC_ADDR_NAMESEQ:
        return Py_BuildValue("(IIIIi)", type, t->addr.nameseq.type,
                             t->addr.nameseq.lower, t->addr.nameseq.upper,
                             scope);
    case SOCKIMPL_TIPC_ADDR_NAME:
        /* v3 repeats the instance, as the stdlib has it. */
        return Py_BuildValue("(IIIIi)", type, t->addr.name.name.type,
                             t->addr.name.name.instance,
                             t->addr.name.name.instance, scope);
    case SOCKIMPL_TIPC_ADDR_ID:
        return Py_BuildValue("(IIIIi)", type, t->addr.id.node,
                             t->addr.id.ref, 0u, scope);
    default:
        PyErr_Format(PyExc_ValueError, "AF_TIPC: invalid address type %u",
                     type);
        return NULL;
    }
}

const addr_codec sockimpl_codec_tipc = {
    .family = AF_TIPC,
    .parse = tipc_parse,
    .build = tipc_build,
};
