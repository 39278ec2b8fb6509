/* Fuzz bytes to Python objects; see harness.h for the format's contract
 * and seeds.py for its writer. */
#include "harness.h"

#include <string.h>

/* The ints where C conversions go wrong, made once.  A tag byte of
 * FZ_SMALL_INT_BYTES or more picks one of them. */
static const char *const edge_text[] = {
    "0", "1", "-1", "255", "256", "65535", "65536", "1048575", "1048576",
    "2147483647", "2147483648", "-2147483648", "-2147483649", "4294967295",
    "4294967296", "9223372036854775807", "9223372036854775808",
    "-9223372036854775809", "18446744073709551615", "18446744073709551616",
};
#define N_EDGES (sizeof edge_text / sizeof edge_text[0])
/* Below this, the byte is the length of a little-endian two's complement
 * int: up to 16 bytes, past 2**64 both ways. */
#define FZ_SMALL_INT_BYTES 17

static PyObject *edges[N_EDGES];

void
fz_init(fz_reader *r, const uint8_t *data, size_t size)
{
    r->data = data;
    r->size = size;
    r->pos = 0;
}

uint8_t
fz_byte(fz_reader *r)
{
    return r->pos < r->size ? r->data[r->pos++] : 0;
}

uint16_t
fz_u16(fz_reader *r)
{
    uint16_t lo = fz_byte(r);
    return (uint16_t)(lo | fz_byte(r) << 8);
}

void
fz_bytes(fz_reader *r, void *out, size_t n)
{
    size_t avail = r->pos < r->size ? r->size - r->pos : 0;
    size_t take = n < avail ? n : avail;
    memcpy(out, r->data + r->pos, take);
    memset((char *)out + take, 0, n - take);
    r->pos += take;
}

static PyObject *
edge(size_t i)
{
    if (edges[i] == NULL)
        edges[i] = PyLong_FromString(edge_text[i], NULL, 10);
    return Py_XNewRef(edges[i]);
}

/* `n` bytes, little endian, sign-extended from the last one. */
static int64_t
read_signed(fz_reader *r, size_t n)
{
    uint8_t b[8];
    fz_bytes(r, b, n);
    uint64_t v = n > 0 && b[n - 1] & 0x80 ? UINT64_MAX : 0;
    for (size_t i = n; i-- > 0;)
        v = v << 8 | b[i];
    return (int64_t)v;
}

static PyObject *
read_int(fz_reader *r)
{
    uint8_t k = fz_byte(r);
    if (k >= FZ_SMALL_INT_BYTES)
        return edge((k - FZ_SMALL_INT_BYTES) % N_EDGES);
    if (k <= 8)
        return PyLong_FromLongLong(read_signed(r, k));
    /* Wider than 64 bits: the low 8 bytes unsigned, the rest signed. */
    uint8_t lo[8];
    fz_bytes(r, lo, sizeof lo);
    uint64_t low = 0;
    for (size_t i = sizeof lo; i-- > 0;)
        low = low << 8 | lo[i];
    PyObject *high = PyLong_FromLongLong(read_signed(r, k - 8u));
    PyObject *shift = PyLong_FromLong(64);
    PyObject *low_obj = PyLong_FromUnsignedLongLong(low);
    PyObject *shifted = high && shift ? PyNumber_Lshift(high, shift) : NULL;
    PyObject *v = shifted && low_obj ? PyNumber_Or(shifted, low_obj) : NULL;
    Py_XDECREF(high);
    Py_XDECREF(shift);
    Py_XDECREF(low_obj);
    Py_XDECREF(shifted);
    return v;
}

/* UTF-8 with lone surrogates allowed (so the writer can express any str);
 * what is no UTF-8 at all reads as Latin-1, so every input is some str. */
static PyObject *
read_str(fz_reader *r)
{
    char buf[256];
    size_t n = fz_byte(r);
    fz_bytes(r, buf, n);
    PyObject *s = PyUnicode_DecodeUTF8(buf, (Py_ssize_t)n, "surrogatepass");
    if (s == NULL && PyErr_ExceptionMatches(PyExc_UnicodeDecodeError)) {
        PyErr_Clear();
        s = PyUnicode_DecodeLatin1(buf, (Py_ssize_t)n, NULL);
    }
    return s;
}

static PyObject *
read_bytes(fz_reader *r, int mutable)
{
    char buf[256];
    size_t n = fz_byte(r);
    fz_bytes(r, buf, n);
    return mutable ? PyByteArray_FromStringAndSize(buf, (Py_ssize_t)n)
                   : PyBytes_FromStringAndSize(buf, (Py_ssize_t)n);
}

static PyObject *
read_float(fz_reader *r)
{
    double d;
    fz_bytes(r, &d, sizeof d);
    return PyFloat_FromDouble(d);
}

static PyObject *read_value(fz_reader *r, int depth);

static PyObject *
read_container(fz_reader *r, int depth, int list)
{
    Py_ssize_t n = fz_byte(r) % FZ_MAX_ITEMS;
    PyObject *c = list ? PyList_New(n) : PyTuple_New(n);
    if (c == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *item = read_value(r, depth + 1);
        if (item == NULL) {
            Py_DECREF(c);
            return NULL;
        }
        if (list)
            PyList_SET_ITEM(c, i, item);
        else
            PyTuple_SET_ITEM(c, i, item);
    }
    return c;
}

static PyObject *
read_value(fz_reader *r, int depth)
{
    int tag = fz_byte(r) % FZ_NTAGS;
    if ((tag == FZ_TUPLE || tag == FZ_LIST) && depth >= FZ_MAX_DEPTH)
        tag = FZ_NONE;
    switch (tag) {
    case FZ_INT:
        return read_int(r);
    case FZ_STR:
        return read_str(r);
    case FZ_BYTES:
    case FZ_BYTEARRAY:
        return read_bytes(r, tag == FZ_BYTEARRAY);
    case FZ_FLOAT:
        return read_float(r);
    case FZ_BOOL:
        return PyBool_FromLong(fz_byte(r) & 1);
    case FZ_TUPLE:
    case FZ_LIST:
        return read_container(r, depth, tag == FZ_LIST);
    default:
        Py_RETURN_NONE;
    }
}

PyObject *
fz_value(fz_reader *r)
{
    return read_value(r, 0);
}
