/* sendmsg()'s ancillary-data builder and recvmsg()'s control-buffer
 * parser; built twice, -DFUZZ_CMSG_BUILD or -DFUZZ_CMSG_PARSE.
 *
 * Both are file-local to sock_msg.c, and reaching them through a socket
 * would cost system calls per input and hand the kernel descriptors
 * (SCM_RIGHTS): the harness includes the file instead, and the binary is
 * linked without sock_msg.o. */
#include "../../sockimpl/_c/sock_msg.c"

#include "harness.h"

#include <stdlib.h>

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fz_start_python();
    return 0;
}

#ifdef FUZZ_CMSG_BUILD

/* Does the parsed item equal the item sendmsg() was given? */
static int
same_item(PyObject *given, PyObject *parsed)
{
    PyObject *seq = PySequence_Fast(given, "item");
    Py_buffer data;
    if (seq == NULL)
        fz_fail("an item the builder took is no sequence");
    if (PyObject_GetBuffer(PySequence_Fast_GET_ITEM(seq, 2), &data,
                           PyBUF_SIMPLE) < 0)
        fz_fail("an item's data the builder took has no buffer");
    PyObject *got = PyTuple_GET_ITEM(parsed, 2);
    int same = fz_equal(PySequence_Fast_GET_ITEM(seq, 0),
                        PyTuple_GET_ITEM(parsed, 0))
               && fz_equal(PySequence_Fast_GET_ITEM(seq, 1),
                           PyTuple_GET_ITEM(parsed, 1))
               && PyBytes_GET_SIZE(got) == data.len
               && memcmp(PyBytes_AS_STRING(got), data.buf,
                         (size_t)data.len) == 0;
    PyBuffer_Release(&data);
    Py_DECREF(seq);
    return same;
}

/* A control buffer the builder laid out parses back into its items. */
static void
check_layout(PyObject *ancdata, const char *ctl, Py_ssize_t len)
{
    PyObject *given = PySequence_Fast(ancdata, "ancdata");
    PyObject *parsed = control_parse(ctl, (size_t)len);
    if (given == NULL || parsed == NULL)
        fz_fail("the builder's input or output cannot be read back");
    Py_ssize_t n = PySequence_Fast_GET_SIZE(given);
    if (PyList_GET_SIZE(parsed) != n)
        fz_fail("%zd items built, %zd parsed back", n,
                PyList_GET_SIZE(parsed));
    for (Py_ssize_t i = 0; i < n; i++) {
        if (!same_item(PySequence_Fast_GET_ITEM(given, i),
                       PyList_GET_ITEM(parsed, i)))
            fz_fail("item %zd parsed back different", i);
    }
    Py_DECREF(parsed);
    Py_DECREF(given);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_reader r;
    fz_refs refs;
    char stack[STACK_CONTROL];
    char *ctl = NULL;
    fz_init(&r, data, size);
    PyObject *ancdata = fz_value(&r);
    if (ancdata == NULL)
        fz_fail("out of memory");
    fz_refs_take(&refs, ancdata);
    Py_ssize_t len = control_build(ancdata, stack, &ctl);
    fz_check_outcome(len < 0, "control_build");
    fz_refs_check(&refs, "control_build");
    if (len >= 0) {
        check_layout(ancdata, ctl, len);
        if (ctl != stack)
            PyMem_Free(ctl);
    }
    Py_DECREF(ancdata);
    return 0;
}

#endif

#ifdef FUZZ_CMSG_PARSE

/* What recvmsg() reports, walked by a reference kept apart from the
 * parser: an item at `off` starts there when its header fits in `len`
 * and claims at least itself; its data is what it claims, cut at `len`;
 * the next item starts at the aligned end of the claim. */
static Py_ssize_t
reference_count(const char *ctl, size_t len)
{
    Py_ssize_t count = 0;
    size_t off = 0;
    while (len - off >= sizeof(struct cmsghdr)) {
        struct cmsghdr h;
        memcpy(&h, ctl + off, sizeof h);
        if (h.cmsg_len < sizeof h)
            break;
        count++;
        size_t step = h.cmsg_len;
        if (step > len - off || CMSG_ALIGN(step) > len - off)
            break;
        off += CMSG_ALIGN(step);
    }
    return count;
}

/* Input: a 16-bit controllen, then the control buffer's bytes.  The
 * buffer is allocated at exactly the length recvmsg() reported, so any
 * read past it is ASan's to see. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_reader r;
    fz_init(&r, data, size);
    size_t len = fz_u16(&r);
    size_t avail = size > 2 ? size - 2 : 0;
    if (len > avail)
        len = avail;
    char *ctl = malloc(len ? len : 1);
    if (ctl == NULL)
        fz_fail("out of memory");
    fz_bytes(&r, ctl, len);
    PyObject *items = control_parse(ctl, len);
    fz_check_outcome(items == NULL, "control_parse");
    if (items != NULL && PyList_GET_SIZE(items) != reference_count(ctl, len))
        fz_fail("control_parse found %zd items, the reference %zd",
                PyList_GET_SIZE(items), reference_count(ctl, len));
    Py_XDECREF(items);
    free(ctl);
    return 0;
}

#endif
