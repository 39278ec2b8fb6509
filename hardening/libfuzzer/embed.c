/* The embedded interpreter and the checks every harness makes. */
#include "harness.h"

#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

PyMODINIT_FUNC PyInit__sockimpl(void);

static PyObject *expected_errors;

void
fz_fail(const char *fmt, ...)
{
    va_list ap;
    fputs("\n== sockimpl fuzz: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    if (PyErr_Occurred())
        PyErr_Print();
    fflush(stderr);
    abort();
}

void
fz_start_python(void)
{
    PyPreConfig pre;
    PyPreConfig_InitIsolatedConfig(&pre);
    /* Every object a plain malloc block: ASan then sees an overrun of a
     * bytes object's buffer, which pymalloc's arenas would hide. */
    pre.allocator = PYMEM_ALLOCATOR_MALLOC;
    PyStatus st = Py_PreInitialize(&pre);
    if (PyStatus_Exception(st))
        Py_ExitStatusException(st);

    PyConfig config;
    PyConfig_InitIsolatedConfig(&config);
    /* libFuzzer keeps its own handlers for SIGINT and the crash signals. */
    config.install_signal_handlers = 0;
    config.site_import = 0;
    st = Py_InitializeFromConfig(&config);
    PyConfig_Clear(&config);
    if (PyStatus_Exception(st))
        Py_ExitStatusException(st);

    /* Single-phase init: the module's globals (its exception types) are
     * set, and it stays referenced for the life of the process. */
    if (PyInit__sockimpl() == NULL)
        fz_fail("the module did not initialise");
    expected_errors = PyTuple_Pack(5, PyExc_TypeError, PyExc_ValueError,
                                   PyExc_OverflowError, PyExc_OSError,
                                   PyExc_UnicodeError);
    if (expected_errors == NULL)
        fz_fail("out of memory at start");
}

void
fz_check_outcome(int failed, const char *what)
{
    PyObject *raised = PyErr_Occurred();
    if (failed && raised == NULL)
        fz_fail("%s failed without setting an exception", what);
    if (!failed && raised != NULL)
        fz_fail("%s succeeded with an exception set", what);
    if (raised != NULL && !PyErr_GivenExceptionMatches(raised,
                                                       expected_errors))
        fz_fail("%s raised an exception bad input must not raise", what);
    PyErr_Clear();
}

static int
shared(PyObject *obj)
{
    /* Immortal (3.12+) and cached objects have counts in the billions or
     * move with every small int or one-character str the interpreter
     * makes. */
    if (Py_REFCNT(obj) > 1000 || obj == Py_None || PyBool_Check(obj))
        return 1;
    if (PyLong_CheckExact(obj)) {
        int overflow;
        long v = PyLong_AsLongAndOverflow(obj, &overflow);
        return !overflow && v >= -5 && v <= 256;
    }
    if (PyUnicode_CheckExact(obj))
        return PyUnicode_GET_LENGTH(obj) <= 1;
    if (PyBytes_CheckExact(obj) || PyTuple_CheckExact(obj))
        return Py_SIZE(obj) <= 1;
    return 0;
}

static void
refs_walk(fz_refs *refs, PyObject *obj, int depth)
{
    if (refs->n < FZ_MAX_TRACKED && !shared(obj)) {
        refs->obj[refs->n] = obj;
        refs->count[refs->n++] = Py_REFCNT(obj);
    }
    if (depth >= FZ_MAX_DEPTH)
        return;
    if (PyTuple_Check(obj)) {
        for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(obj); i++)
            refs_walk(refs, PyTuple_GET_ITEM(obj, i), depth + 1);
    }
    else if (PyList_Check(obj)) {
        for (Py_ssize_t i = 0; i < PyList_GET_SIZE(obj); i++)
            refs_walk(refs, PyList_GET_ITEM(obj, i), depth + 1);
    }
}

void
fz_refs_take(fz_refs *refs, PyObject *obj)
{
    refs->n = 0;
    refs_walk(refs, obj, 0);
}

void
fz_refs_check(const fz_refs *refs, const char *what)
{
    for (int i = 0; i < refs->n; i++) {
        Py_ssize_t now = Py_REFCNT(refs->obj[i]);
        if (now != refs->count[i])
            fz_fail("%s changed the reference count of an argument's %s "
                    "from %zd to %zd", what, Py_TYPE(refs->obj[i])->tp_name,
                    refs->count[i], now);
    }
}

int
fz_equal(PyObject *a, PyObject *b)
{
    if (a == NULL || b == NULL)
        return a == b;
    int eq = PyObject_RichCompareBool(a, b, Py_EQ);
    if (eq < 0)
        fz_fail("comparing two results raised");
    return eq;
}

/* The sockimpl sources are compiled with getaddrinfo renamed to this
 * (see the Makefile): a host that is no numeric address fails as an
 * unknown name would, and no input can send a DNS query. */
int
sockimpl_fuzz_getaddrinfo(const char *node, const char *service,
                          const struct addrinfo *hints,
                          struct addrinfo **res)
{
    struct addrinfo numeric = {0};
    if (hints != NULL)
        numeric = *hints;
    numeric.ai_flags |= AI_NUMERICHOST;
    return getaddrinfo(node, service, &numeric, res);
}
