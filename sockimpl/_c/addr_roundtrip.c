/* _addr_roundtrip(family, type, proto, address): a private test hook that
 * runs a family's codec both ways, parse then build, without a socket.
 * It lets the codecs be tested on a host whose kernel lacks the family;
 * it is the codec itself, not a model of it. */
#include "internal.h"

static PyObject *
addr_roundtrip(PyObject *Py_UNUSED(m), PyObject *const *args,
               Py_ssize_t nargs)
{
    /* Only the fields a codec reads; no descriptor (SOCKIMPL_NO_FD). */
    sockobj s;
    sock_addr addr;
    socklen_t len = 0;

    if (sockimpl_check_nargs("_addr_roundtrip", nargs, 4, 4) < 0)
        return NULL;
    memset(&s, 0, sizeof s);
    s.fd = SOCKIMPL_NO_FD;
    if (sockimpl_as_int(args[0], &s.family) < 0
        || sockimpl_as_int(args[1], &s.type) < 0
        || sockimpl_as_int(args[2], &s.proto) < 0)
        return NULL;
    if (sockimpl_addr_parse(&s, args[3], &addr, &len, "_addr_roundtrip()")
        < 0)
        return NULL;
    return sockimpl_addr_build(&addr, len, s.proto, s.fd);
}

PyMethodDef sockimpl_families_methods[] = {
    {"_addr_roundtrip", (PyCFunction)(void (*)(void))addr_roundtrip,
     METH_FASTCALL,
     "_addr_roundtrip(family, type, proto, address) -> address\n\n"
     "Parse `address` as a socket of that family, type and protocol would "
     "(without one), then build it back: for testing the codecs."},
    {NULL, NULL, 0, NULL}
};
