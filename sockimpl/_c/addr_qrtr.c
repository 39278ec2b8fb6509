/* AF_QIPCRTR addresses: (node, port) of a sockaddr_qrtr. */
#include "addr_fields.h"

static int
qrtr_parse(const sockobj *Py_UNUSED(s), PyObject *obj, sock_addr *addr,
           socklen_t *len, const char *caller)
{
    struct sockimpl_sockaddr_qrtr *sq =
        (struct sockimpl_sockaddr_qrtr *)addr;
    uint32_t node, port;

    if (sockimpl_field_tuple(obj, 2, 2, caller, "AF_QIPCRTR",
                             "(node, port)") < 0
        || sockimpl_field_u32(PyTuple_GET_ITEM(obj, 0), caller,
                              "AF_QIPCRTR node", &node) < 0
        || sockimpl_field_u32(PyTuple_GET_ITEM(obj, 1), caller,
                              "AF_QIPCRTR port", &port) < 0)
        return -1;
    sq->sq_family = AF_QIPCRTR;
    sq->sq_node = node;
    sq->sq_port = port;
    *len = sizeof *sq;
    return 0;
}

static PyObject *
qrtr_build(const sock_addr *addr, socklen_t Py_UNUSED(len),
           int Py_UNUSED(proto), int Py_UNUSED(fd))
{
    const struct sockimpl_sockaddr_qrtr *sq =
        (const struct sockimpl_sockaddr_qrtr *)addr;
    return Py_BuildValue("(II)", (unsigned int)sq->sq_node,
                         (unsigned int)sq->sq_port);
}

const addr_codec sockimpl_codec_qrtr = {
    .family = AF_QIPCRTR,
    .parse = qrtr_parse,
    .build = qrtr_build,
};
