/* AF_VSOCK addresses: (cid, port) of a sockaddr_vm, both 32 bits wide
 * (VMADDR_CID_ANY and VMADDR_PORT_ANY are 0xffffffff). */
#include "addr_fields.h"

static int
vsock_parse(const sockobj *Py_UNUSED(s), PyObject *obj, sock_addr *addr,
            socklen_t *len, const char *caller)
{
    struct sockimpl_sockaddr_vm *vm = (struct sockimpl_sockaddr_vm *)addr;
    uint32_t cid, port;

    if (sockimpl_field_tuple(obj, 2, 2, caller, "AF_VSOCK",
                             "(cid, port)") < 0
        || sockimpl_field_u32(PyTuple_GET_ITEM(obj, 0), caller,
                              "AF_VSOCK cid", &cid) < 0
        || sockimpl_field_u32(PyTuple_GET_ITEM(obj, 1), caller,
                              "AF_VSOCK port", &port) < 0)
        return -1;
    vm->svm_family = AF_VSOCK;
    vm->svm_cid = cid;
    vm->svm_port = port;
    *len = sizeof *vm;
    return 0;
}

static PyObject *
vsock_build(const sock_addr *addr, socklen_t Py_UNUSED(len),
            int Py_UNUSED(proto), int Py_UNUSED(fd))
{
    const struct sockimpl_sockaddr_vm *vm =
        (const struct sockimpl_sockaddr_vm *)addr;
#ifdef SOCKIMPL_MUTANT_VSOCK_CID
    /* A deliberately broken build for the engine (lab/engine/mutants.py). */
    return Py_BuildValue("(II)", vm->svm_cid + 1, vm->svm_port);
#endif
    return Py_BuildValue("(II)", vm->svm_cid, vm->svm_port);
}

const addr_codec sockimpl_codec_vsock = {
    .family = AF_VSOCK,
    .parse = vsock_parse,
    .build = vsock_build,
};
