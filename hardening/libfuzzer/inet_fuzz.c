/* The inet text functions against glibc's own; built once per function
 * with -DFUZZ_INET_PTON, _ATON, _NTOP or _NTOA.
 *
 * sockimpl parses the canonical dotted quad and formats every address by
 * hand for speed, promising glibc's answers exactly: the harness holds
 * it to that.  The functions are called through the module's method
 * table, as Python calls them, argument checks included. */
#include "harness.h"

#include <arpa/inet.h>
#include <string.h>

static PyObject *function;

static PyObject *
lookup(const char *name)
{
    for (PyMethodDef *m = sockimpl_inet_methods; m->ml_name != NULL; m++) {
        if (strcmp(m->ml_name, name) == 0)
            return PyCFunction_New(m, NULL);
    }
    fz_fail("no function %s in the module", name);
}

#if defined(FUZZ_INET_PTON)
#define FUNCTION "inet_pton"
#elif defined(FUZZ_INET_ATON)
#define FUNCTION "inet_aton"
#elif defined(FUZZ_INET_NTOP)
#define FUNCTION "inet_ntop"
#elif defined(FUZZ_INET_NTOA)
#define FUNCTION "inet_ntoa"
#else
#error "build with -DFUZZ_INET_PTON, _ATON, _NTOP or _NTOA"
#endif

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fz_start_python();
    function = lookup(FUNCTION);
    return 0;
}

/* Call the function; its result or NULL with the exception checked (and
 * cleared). */
static PyObject *
call(PyObject *const *args, Py_ssize_t nargs)
{
    PyObject *result = PyObject_Vectorcall(function, args, (size_t)nargs,
                                           NULL);
    fz_check_outcome(result == NULL, FUNCTION);
    return result;
}

#if defined(FUZZ_INET_PTON) || defined(FUZZ_INET_NTOP)
/* The family argument: mostly the two that exist. */
static int
read_family(fz_reader *r)
{
    uint8_t pick = fz_byte(r);
    if (pick % 4 == 3)
        return (int8_t)fz_byte(r);
    return pick % 2 ? AF_INET6 : AF_INET;
}
#endif

#if defined(FUZZ_INET_PTON) || defined(FUZZ_INET_ATON)

/* Do result and glibc agree: both refused, or the same bytes? */
static void
check_packed(PyObject *result, int glibc_ok, const void *glibc, size_t n)
{
    if ((result != NULL) != glibc_ok)
        fz_fail(FUNCTION " %s what glibc %s",
                result ? "accepted" : "refused",
                glibc_ok ? "accepts" : "refuses");
    if (result != NULL
        && ((size_t)PyBytes_GET_SIZE(result) != n
            || memcmp(PyBytes_AS_STRING(result), glibc, n) != 0))
        fz_fail(FUNCTION " gave other bytes than glibc");
}

/* Input: (pton) a family pick, then the text, all that remains of the
 * input: a str when it is UTF-8, else bytes, which must be refused. */
static void
run_text(fz_reader *r)
{
#ifdef FUZZ_INET_PTON
    int family = read_family(r);
#endif
    size_t n = r->size - (r->pos < r->size ? r->pos : r->size);
    const char *raw = (const char *)r->data + (r->size - n);
    PyObject *text = PyUnicode_DecodeUTF8(raw, (Py_ssize_t)n, NULL);
    if (text == NULL) {
        PyErr_Clear();
        text = PyBytes_FromStringAndSize(raw, (Py_ssize_t)n);
    }
    /* glibc reads a C string: what follows a NUL is no part of it, and
     * sockimpl must refuse the whole argument instead. */
    char *cstr = strndup(raw, n);
    if (text == NULL || cstr == NULL)
        fz_fail("out of memory");
    int comparable = PyUnicode_Check(text) && strlen(cstr) == n;
#ifdef FUZZ_INET_PTON
    PyObject *args[2] = {PyLong_FromLong(family), text};
    PyObject *result = call(args, 2);
    unsigned char glibc[sizeof(struct in6_addr)];
    if (comparable)
        check_packed(result, inet_pton(family, cstr, glibc) == 1, glibc,
                     family == AF_INET ? 4 : 16);
    Py_DECREF(args[0]);
#else
    PyObject *result = call(&text, 1);
    struct in_addr glibc;
    if (comparable)
        check_packed(result, inet_aton(cstr, &glibc) != 0, &glibc, 4);
#endif
    if (!comparable && result != NULL)
        fz_fail(FUNCTION " accepted bytes or a text with a NUL");
    Py_XDECREF(result);
    Py_DECREF(text);
    free(cstr);
}

#else

/* Do result and glibc's text agree? */
static void
check_text(PyObject *result, const char *glibc)
{
    if (result == NULL) {
        if (glibc != NULL)
            fz_fail(FUNCTION " refused what glibc formats as %s", glibc);
        return;
    }
    const char *text = PyUnicode_AsUTF8(result);
    if (text == NULL || glibc == NULL || strcmp(text, glibc) != 0)
        fz_fail(FUNCTION " gave %s, glibc %s", text ? text : "?",
                glibc ? glibc : "(refused)");
}

/* Input: (ntop) a family pick, then a length pick and the packed bytes;
 * the length is mostly the right one. */
static void
run_packed(fz_reader *r)
{
#ifdef FUZZ_INET_NTOP
    int family = read_family(r);
#else
    int family = AF_INET;
#endif
    unsigned char packed[32];
    uint8_t pick = fz_byte(r);
    size_t want = family == AF_INET6 ? 16 : 4;
    size_t n = pick & 0x80 ? pick % (sizeof packed + 1) : want;
    fz_bytes(r, packed, n);
    PyObject *bytes = PyBytes_FromStringAndSize((char *)packed,
                                                (Py_ssize_t)n);
    if (bytes == NULL)
        fz_fail("out of memory");
    char glibc[INET6_ADDRSTRLEN];
    int known = family == AF_INET || family == AF_INET6;
    const char *expect = known && n == want
        ? inet_ntop(family, packed, glibc, sizeof glibc) : NULL;
#ifdef FUZZ_INET_NTOP
    PyObject *args[2] = {PyLong_FromLong(family), bytes};
    PyObject *result = call(args, 2);
    Py_DECREF(args[0]);
#else
    PyObject *result = call(&bytes, 1);
#endif
    check_text(result, expect);
    Py_XDECREF(result);
    Py_DECREF(bytes);
}

#endif

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_reader r;
    fz_init(&r, data, size);
#if defined(FUZZ_INET_PTON) || defined(FUZZ_INET_ATON)
    run_text(&r);
#else
    run_packed(&r);
#endif
    return 0;
}
