/* AF_QIPCRTR addresses: (node, port) of a sockaddr_qrtr. */
#include "addr_fields.h"

#include <errno.h>

/* A node or port.  The stdlib masks either to 32 bits and leaves the
 * kernel to refuse what comes out (-2 is the broadcast node), which it
 * reports as OSError.  A value that does not fit is refused here instead,
 * but as OSError too: no caller's `except OSError` may miss it. */
static int
qrtr_field(PyObject *obj, const char *caller, const char *what,
           uint32_t *out)
{
    if (sockimpl_field_u32(obj, caller, what, out) == 0)
        return 0;
    if (!PyErr_ExceptionMatches(PyExc_OverflowError))
        return -1;
    PyErr_Clear();
    PyObject *message = PyUnicode_FromFormat("%s: %s must be 0-4294967295",
                                             caller, what);
    if (message == NULL)
        return -1;
    PyObject *exc = PyObject_CallFunction(PyExc_OSError, "iO", EINVAL,
                                          message);
    Py_DECREF(message);
    if (exc != NULL) {
        PyErr_SetObject(PyExc_OSError, exc);
        Py_DECREF(exc);
    }
    return -1;
}

static int
qrtr_parse(const sockobj *Py_UNUSED(s), PyObject *obj, sock_addr *addr,
           socklen_t *len, const char *caller)
{
    struct sockimpl_sockaddr_qrtr *sq =
        (struct sockimpl_sockaddr_qrtr *)addr;
    uint32_t node, port;

    if (sockimpl_field_tuple(obj, 2, 2, caller, "AF_QIPCRTR",
                             "(node, port)") < 0
        || qrtr_field(PyTuple_GET_ITEM(obj, 0), caller, "AF_QIPCRTR node",
                      &node) < 0
        || qrtr_field(PyTuple_GET_ITEM(obj, 1), caller, "AF_QIPCRTR port",
                      &port) < 0)
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
#ifdef SOCKIMPL_MUTANT_QRTR_NODE
    /* A deliberately broken build for the engine (lab/engine/mutants.py). */
    return Py_BuildValue("(II)", (unsigned int)sq->sq_node + 1,
                         (unsigned int)sq->sq_port);
#endif
    return Py_BuildValue("(II)", (unsigned int)sq->sq_node,
                         (unsigned int)sq->sq_port);
}

const addr_codec sockimpl_codec_qrtr = {
    .family = AF_QIPCRTR,
    .parse = qrtr_parse,
    .build = qrtr_build,
};
