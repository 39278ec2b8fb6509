/* What the libFuzzer harnesses share: an embedded interpreter with
 * sockimpl's module initialised, a reader that turns fuzz bytes into
 * Python objects, and the checks that make a wrong answer a crash.
 *
 * The harnesses call sockimpl's C functions directly, in-process and with
 * no system call per input, which is what makes a million executions a
 * minute or two under ASan and UBSan. */
#ifndef SOCKIMPL_FUZZ_HARNESS_H
#define SOCKIMPL_FUZZ_HARNESS_H

#include "internal.h"

#include <stddef.h>
#include <stdint.h>

/* ---- reading the input ------------------------------------------------- */

/* Consumes an input front to back; reads past the end yield zeros, so
 * every input is valid.  hardening/libfuzzer/seeds.py writes the same
 * format from Python objects: the two must change together. */
typedef struct {
    const uint8_t *data;
    size_t size;
    size_t pos;
} fz_reader;

void fz_init(fz_reader *r, const uint8_t *data, size_t size);
uint8_t fz_byte(fz_reader *r);
uint16_t fz_u16(fz_reader *r);
/* Copy `n` bytes into `out`, zero-filled past the end of the input. */
void fz_bytes(fz_reader *r, void *out, size_t n);

/* Value tags, one byte each, modulo FZ_NTAGS. */
enum {
    FZ_INT, FZ_STR, FZ_BYTES, FZ_BYTEARRAY, FZ_NONE, FZ_FLOAT, FZ_BOOL,
    FZ_TUPLE, FZ_LIST, FZ_NTAGS
};
/* Containers deeper than this read as None. */
#define FZ_MAX_DEPTH 4
/* Items of a container (a count byte modulo this); a str or bytes has a
 * length byte, so up to 255. */
#define FZ_MAX_ITEMS 8

/* Any of the objects an address or an argument may be given: a new
 * reference, or NULL when out of memory. */
PyObject *fz_value(fz_reader *r);

/* ---- the interpreter ------------------------------------------------------ */

/* Start CPython (allocator: malloc, so ASan sees every object) and
 * initialise the module, once, from LLVMFuzzerInitialize. */
void fz_start_python(void);

/* ---- checks --------------------------------------------------------------- */

/* Report a broken invariant and abort: libFuzzer saves the input. */
void fz_fail(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

/* After a call that returned `failed` (nonzero: it reported failure):
 * a failure must have set one of the exceptions bad input is documented
 * to raise, a success none.  Clears the exception. */
void fz_check_outcome(int failed, const char *what);

/* Reference counts of `obj` and what it contains, to compare before and
 * after a call: a call that keeps or drops a reference it does not own
 * changes one.  Shared objects (small ints, singletons) are left out,
 * their counts move with unrelated work. */
#define FZ_MAX_TRACKED 64
typedef struct {
    PyObject *obj[FZ_MAX_TRACKED];
    Py_ssize_t count[FZ_MAX_TRACKED];
    int n;
} fz_refs;

void fz_refs_take(fz_refs *refs, PyObject *obj);
void fz_refs_check(const fz_refs *refs, const char *what);

/* Equal by ==, or both NULL; a comparison that raises is a failure. */
int fz_equal(PyObject *a, PyObject *b);

#endif
