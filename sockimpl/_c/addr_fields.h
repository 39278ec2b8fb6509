/* Field parsers shared by the family codecs (addr_*.c beyond UNIX and
 * INET): every codec reports a bad field the same way, naming the call,
 * the family and the field, e.g.
 * "connect(): AF_CAN J1939 pgn must be 0-4294967295". */
#ifndef SOCKIMPL_ADDR_FIELDS_H
#define SOCKIMPL_ADDR_FIELDS_H

#include "internal.h"
#include "kernel_abi.h"

/* `obj` must be a tuple of `min`..`max` items: TypeError otherwise, with
 * `shape` (e.g. "(pid, groups)") in the message.  0 or -1. */
int sockimpl_field_tuple(PyObject *obj, Py_ssize_t min, Py_ssize_t max,
                         const char *caller, const char *family,
                         const char *shape);

/* An unsigned integer field, 0..max: TypeError for what is no integer,
 * OverflowError when out of range (where the stdlib would silently mask).
 * `what` names family and field, e.g. "AF_VSOCK port".  0 or -1. */
int sockimpl_field_uint(PyObject *obj, unsigned long long max,
                        const char *caller, const char *what,
                        unsigned long long *out);

/* The same for the common 32-bit case. */
int sockimpl_field_u32(PyObject *obj, const char *caller, const char *what,
                       uint32_t *out);

/* Interface index of `name` (`len` bytes, no NUL): asks through the
 * socket's descriptor (its network namespace; EBADF once closed), or the
 * caller's namespace when there is no socket (SOCKIMPL_NO_FD).  OSError
 * with the kernel's errno (ENODEV) for an unknown name.  0/-1. */
int sockimpl_field_ifindex(const sockobj *s, const char *name, size_t len,
                           int *index);

/* The name of interface `index` as str (file system encoding); '' when
 * the index is 0 or names no interface, as the stdlib returns it. */
PyObject *sockimpl_field_ifname(int index, int fd);

#endif
