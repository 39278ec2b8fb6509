/* Declarations shared by the files of sockimpl._sockimpl.
 *
 * The module is single-phase: its exception types, socket type and default
 * timeout are process globals.  That keeps every hot path free of a module
 * state lookup, which is what a socket layer spends its time on.
 */
#ifndef SOCKIMPL_INTERNAL_H
#define SOCKIMPL_INTERNAL_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>
#include <netinet/in.h>

/* ---- the socket object ------------------------------------------------ */

typedef struct {
    PyObject_HEAD
    int fd;               /* -1 once closed or detached */
    int family;
    int type;             /* without SOCK_NONBLOCK / SOCK_CLOEXEC */
    int proto;
    int64_t timeout;      /* ns; -1 blocking (None), 0 non-blocking */
    Py_ssize_t io_refs;   /* open makefile() objects, see close() */
    char closed;          /* close() was asked for (maybe deferred) */
    char datagram;        /* the kernel's type keeps message boundaries
                             (SOCK_DGRAM, SOCK_RAW): no SO_RCVLOWAT */
#ifdef SOCKIMPL_MUTANT_RCVLOWAT
    int mutant_lowat;     /* the mark as this object last set it, int form */
#endif
    PyObject *weakreflist;
} sockobj;

/* The `fd` of a socket object a codec is called with where there is no
 * socket (the round-trip helper, the fuzzers): interface names resolve in
 * the caller's own network namespace.  A closed socket's -1 is not this:
 * its names resolve through its descriptor, and fail with EBADF, as the
 * stdlib's do. */
#define SOCKIMPL_NO_FD (-2)

extern PyTypeObject *sockimpl_socket_type;
/* Create it (module init); 0 or -1. */
int sockimpl_socket_type_init(void);

#define SOCKIMPL_TIMEOUT_NONE ((int64_t)-1)

/* The default timeout new sockets get (setdefaulttimeout). */
extern int64_t sockimpl_default_timeout;

/* ---- exceptions ------------------------------------------------------- */

extern PyObject *sockimpl_herror;
extern PyObject *sockimpl_gaierror;

/* Raise OSError (the errno subclass) from errno; always returns NULL. */
PyObject *sockimpl_raise_errno(void);
/* Raise OSError for a given errno value; always returns NULL. */
PyObject *sockimpl_raise_errno_value(int err);
/* Raise gaierror(code, gai_strerror(code)), or OSError for EAI_SYSTEM. */
PyObject *sockimpl_raise_gai(int code);

/* ---- timeouts and blocking calls -------------------------------------- */

/* Monotonic clock in ns. */
int64_t sockimpl_monotonic_ns(void);

/* Convert a Python timeout (None or a non-negative real) to ns, as
 * settimeout() accepts it; -1 for None.  Returns 0, or -1 with an
 * exception set. */
int sockimpl_timeout_from_object(PyObject *obj, int64_t *timeout);
/* The inverse: None or a float of seconds. */
PyObject *sockimpl_timeout_to_object(int64_t timeout);

/* One I/O attempt, run without the GIL.  Returns >= 0 on success or -1
 * with errno set.  `ctx` carries the arguments and receives results. */
typedef ssize_t (*sockimpl_io_fn)(int fd, void *ctx);

/* Every blocking call goes through here.  Runs `io` with the GIL released,
 * retries after EINTR once signal handlers have run (PEP 475), and for a
 * socket with a timeout waits for `events` (POLLIN/POLLOUT) until
 * `*deadline` (absolute monotonic ns; 0 means "start the clock now", and
 * the computed deadline is written back so a loop of calls, as sendall
 * makes, shares one).  Returns io's result, or -1 with an exception set:
 * TimeoutError("timed out") when the deadline passes. */
ssize_t sockimpl_io(sockobj *s, short events, sockimpl_io_fn io, void *ctx,
                    int64_t *deadline);

/* The GIL-free fast path.  A transfer that cannot sleep need not pay for
 * releasing and re-taking the GIL: a first attempt with MSG_DONTWAIT runs
 * with the GIL held, and only when the kernel has nothing (EAGAIN) does
 * the call release the GIL and wait.  `flags` points at the call's flags
 * in its ctx (MSG_DONTWAIT is added for the attempt); `len` is the size of
 * the transfer, large copies always run without the GIL; `used` tells the
 * caller the result came from the attempt. */
typedef struct {
    int *flags;
    size_t len;
    int used;
} sockimpl_fast;

/* Transfers up to this size are tried with the GIL held; a larger copy
 * into or out of the kernel lets other threads run meanwhile.  (At 64 KiB,
 * a thread draining a stream in 64 KiB reads kept the GIL from the thread
 * filling it until the stream ran dry: TCP loopback bulk, 1.12-1.16 times
 * the stdlib's time, which lets go of it on every call.) */
#define SOCKIMPL_FAST_MAX_LEN 16384

/* The rest of a call after its attempt with the GIL held failed with
 * `attempt_errno` (0: no attempt was made): the errors that are final
 * raise, the others wait and retry as sockimpl_io does. */
ssize_t sockimpl_io_after(sockobj *s, short events, sockimpl_io_fn io,
                          void *ctx, int64_t *deadline, int attempt_errno);

/* The receive low-water mark that applies to `s`, from the kernel, or 1
 * where none does.  No copy of it kept here could be trusted: it may be set
 * in any form (an int, packed bytes) or through another descriptor of the
 * same socket (dup(), fileno=, another process).  Datagram sockets skip the
 * system call, as no datagram receive honours the mark. */
static inline int
sockimpl_rcvlowat(const sockobj *s)
{
#ifdef SOCKIMPL_MUTANT_RCVLOWAT
    /* Issue 16's bug, put back: a copy of the mark, kept only when this
     * object set it in int form, and trusted only when blocking. */
    return s->timeout < 0 && s->mutant_lowat > 1 ? s->mutant_lowat : 1;
#endif
    int lowat = 1;
    socklen_t len = sizeof lowat;
    if (s->datagram
        || getsockopt(s->fd, SOL_SOCKET, SO_RCVLOWAT, &lowat, &len) < 0)
        return 1;
    return lowat;
}

/* The attempt with the GIL held, where it gives the outcome a blocking
 * call would: >= 0 is the result; -1 leaves in `*attempt_errno` the errno
 * for sockimpl_io_after (0 when no attempt was allowed).  Inline, so that
 * the common case costs one system call and a few tests, and `io`, a
 * constant at every call site, becomes a direct call. */
static inline ssize_t
sockimpl_io_try(sockobj *s, short events, sockimpl_io_fn io, void *ctx,
                sockimpl_fast *fast, int *attempt_errno)
{
    *attempt_errno = 0;
    int flags = *fast->flags;
    int blocking = s->timeout < 0;
    int large = fast->len > SOCKIMPL_FAST_MAX_LEN;
    if (blocking && large)
        return -1;
    /* A receive that must gather more than what is there would return
     * less without sleeping: MSG_WAITALL on a blocking socket, and
     * SO_RCVLOWAT, which the kernel honours in a blocking receive and, for
     * some protocols (TCP), in the poll() a timed socket waits with before
     * it tries (sockimpl_io_after), as the stdlib's does.  A blocking send
     * on a stream may return part of the data only when interrupted; the
     * caller completes a partial fast send (sock_io.c).  A non-blocking
     * descriptor is non-blocking anyway. */
    if (events == POLLIN && s->timeout != 0) {
        if (blocking && (flags & MSG_WAITALL))
            return -1;
        if (sockimpl_rcvlowat(s) > 1)
            return -1;
    }
    ssize_t r;
    *fast->flags = flags | MSG_DONTWAIT;
    if (large) {
        /* A timed socket tries once whatever the size (see the
         * out-of-band case in tests/test_deliberate_differences.py), but a
         * large copy lets other threads run meanwhile. */
        Py_BEGIN_ALLOW_THREADS
        r = io(s->fd, ctx);
        if (r < 0)
            *attempt_errno = errno;
        Py_END_ALLOW_THREADS
    }
    else {
        r = io(s->fd, ctx);
        if (r < 0)
            *attempt_errno = errno;
    }
    *fast->flags = flags;
    if (r >= 0)
        fast->used = 1;
    return r;
}

/* sockimpl_io with the fast path (`fast` may be NULL: no fast path). */
static inline ssize_t
sockimpl_io_fast(sockobj *s, short events, sockimpl_io_fn io, void *ctx,
                 int64_t *deadline, sockimpl_fast *fast)
{
    int attempt_errno = 0;
    if (fast != NULL) {
        ssize_t r = sockimpl_io_try(s, events, io, ctx, fast, &attempt_errno);
        if (r >= 0)
            return r;
    }
    return sockimpl_io_after(s, events, io, ctx, deadline, attempt_errno);
}

/* connect() with the socket's timeout semantics.  Returns 0, or the errno
 * to report (raise_on_error == 0, for connect_ex), or -1 with an exception
 * set. */
int sockimpl_connect(sockobj *s, const struct sockaddr *addr, socklen_t len,
                     int raise_on_error);

/* ---- addresses ---------------------------------------------------------- */

typedef union {
    struct sockaddr sa;
    struct sockaddr_storage storage;
    struct sockaddr_un un;
    struct sockaddr_in in;
    struct sockaddr_in6 in6;
} sock_addr;

/* An address family codec: one per family (addr_*.c), listed in addr.c. */
typedef struct {
    int family;
    /* Python address -> sockaddr for a socket of this family, type and
     * proto.  `caller` names the method for messages, e.g. "connect()".
     * Returns 0, or -1 with the exception the stdlib raises. */
    int (*parse)(const sockobj *s, PyObject *obj, sock_addr *addr,
                 socklen_t *len, const char *caller);
    /* sockaddr -> Python address (new reference); `proto` disambiguates
     * families whose address depends on the protocol; `fd` is the socket
     * the address came from (-1 for none), so that names are looked up in
     * the socket's network namespace, not the calling thread's. */
    PyObject *(*build)(const sock_addr *addr, socklen_t len, int proto,
                       int fd);
} addr_codec;

int sockimpl_addr_parse(const sockobj *s, PyObject *obj, sock_addr *addr,
                        socklen_t *len, const char *caller);
/* 0 when the socket's family has a codec, else -1 with the stdlib's
 * OSError: a call that returns an address (getsockname, recvfrom, accept,
 * ...) of a socket whose family is unknown (an adopted unbound AF_RDS
 * socket's 0) fails before it asks the kernel, as the stdlib's does. */
int sockimpl_addr_family_known(const sockobj *s);
/* Build the Python form of any address, by its sa_family; None for an
 * empty address, (family, bytes) for a family without a codec. */
PyObject *sockimpl_addr_build(const sock_addr *addr, socklen_t len,
                              int proto, int fd);

extern const addr_codec sockimpl_codec_unix;
extern const addr_codec sockimpl_codec_inet;
extern const addr_codec sockimpl_codec_inet6;
extern const addr_codec sockimpl_codec_netlink;
extern const addr_codec sockimpl_codec_packet;
extern const addr_codec sockimpl_codec_can;
extern const addr_codec sockimpl_codec_bluetooth;
extern const addr_codec sockimpl_codec_vsock;
extern const addr_codec sockimpl_codec_alg;
extern const addr_codec sockimpl_codec_tipc;
extern const addr_codec sockimpl_codec_rds;
extern const addr_codec sockimpl_codec_qrtr;

/* addr_alg.c: socket.sendmsg_afalg([msg], *, op, iv, assoclen, flags) */
PyObject *sockimpl_sock_sendmsg_afalg(PyObject *, PyObject *const *,
                                      Py_ssize_t, PyObject *);

/* Shared by the inet codecs and getaddrinfo callers: resolve `host` (str,
 * bytes or bytearray; '' is the wildcard, '<broadcast>' INADDR_BROADCAST)
 * into `addr` for `family` (AF_INET, AF_INET6 or AF_UNSPEC).  Returns the
 * address length, or -1 with an exception set. */
int sockimpl_resolve_host(PyObject *host, int family, sock_addr *addr,
                          const char *caller);

/* inet.c: the text of a packed AF_INET or AF_INET6 address, as glibc's
 * inet_ntop writes it. */
PyObject *sockimpl_ip_text(int family, const void *packed);
/* inet.c: the canonical dotted quad ("198.18.0.1") into 4 bytes, by hand:
 * glibc's inet_pton costs more than the rest of a sendto().  Returns 1, or
 * 0 for any other text -- which is then inet_pton's to accept or refuse,
 * so that the answers stay glibc's exactly. */
int sockimpl_parse_quad(const char *text, void *packed);

/* ---- tables the module is assembled from ------------------------------- */

extern PyMethodDef sockimpl_module_methods[];    /* module.c */
extern PyMethodDef sockimpl_netdb_methods[];     /* netdb.c */
extern PyMethodDef sockimpl_inet_methods[];      /* inet.c */
/* addr_roundtrip.c: the codecs' test hook, _addr_roundtrip() */
extern PyMethodDef sockimpl_families_methods[];

/* constants.c: add every integer and string constant; 0 or -1. */
int sockimpl_add_constants(PyObject *module);

/* ---- socket methods defined outside sockobj.c --------------------------- */

/* sockobj.c: the module-level socketpair(), as it builds socket objects */
PyObject *sockimpl_socketpair(PyObject *, PyObject *const *, Py_ssize_t);
/* sockobj.c: _adopt_class(cls) gives the high-level subclass descriptors
 * of its own for the C methods and a vectorcall constructor. */
PyObject *sockimpl_adopt_class(PyObject *, PyObject *);
/* sock_io.c: a receive buffer each thread keeps, so that a small receive
 * with a large bufsize copies out only what arrived; NULL if out of memory.
 * Valid until the thread's next receive. */
#define SOCKIMPL_SCRATCH_SIZE 65536
char *sockimpl_thread_scratch(void);
/* sock_io.c */
PyObject *sockimpl_sock_recv(PyObject *, PyObject *const *, Py_ssize_t);
PyObject *sockimpl_sock_recv_into(PyObject *, PyObject *const *, Py_ssize_t,
                                  PyObject *);
PyObject *sockimpl_sock_recvfrom(PyObject *, PyObject *const *, Py_ssize_t);
PyObject *sockimpl_sock_recvfrom_into(PyObject *, PyObject *const *,
                                      Py_ssize_t, PyObject *);
PyObject *sockimpl_sock_send(PyObject *, PyObject *const *, Py_ssize_t);
PyObject *sockimpl_sock_sendall(PyObject *, PyObject *const *, Py_ssize_t);
PyObject *sockimpl_sock_sendto(PyObject *, PyObject *const *, Py_ssize_t);
/* sock_msg.c */
PyObject *sockimpl_sock_sendmsg(PyObject *, PyObject *const *, Py_ssize_t);
PyObject *sockimpl_sock_recvmsg(PyObject *, PyObject *const *, Py_ssize_t);
PyObject *sockimpl_sock_recvmsg_into(PyObject *, PyObject *const *,
                                     Py_ssize_t);

/* ---- scatter/gather (sock_msg.c, shared with sendmsg_afalg) --------------- */

#define SOCKIMPL_STACK_IOV 8

/* The buffers of an iterable, held for the duration of one call; a few
 * live on the stack. */
typedef struct {
    Py_ssize_t n;
    struct iovec *iov;
    Py_buffer *views;
    struct iovec iov_stack[SOCKIMPL_STACK_IOV];
    Py_buffer views_stack[SOCKIMPL_STACK_IOV];
} sockimpl_buffers;

/* Take the buffers of `iterable`: readable ones, or writable ones for
 * receiving.  `not_iterable` is the TypeError message for a non-iterable;
 * `bad_item`, if not NULL, replaces the error for an unusable item.
 * 0, or -1 with an exception set and nothing held. */
int sockimpl_buffers_take(sockimpl_buffers *b, PyObject *iterable,
                          int writable, const char *not_iterable,
                          const char *bad_item);
void sockimpl_buffers_release(sockimpl_buffers *b);

/* A msghdr and the flags of one sendmsg/recvmsg, as sockimpl_io's ctx. */
typedef struct {
    struct msghdr msg;
    int flags;
} sockimpl_msg;

ssize_t sockimpl_do_sendmsg(int fd, void *ctx);

/* ---- small helpers ------------------------------------------------------ */

/* A tuple of `n` new references, stolen; any may be NULL after a failed
 * call, and then every other is released and NULL returned.  Cheaper than
 * Py_BuildValue on the paths that return addresses. */
PyObject *sockimpl_tuple(Py_ssize_t n, PyObject **items);

/* The UTF-8 text of a str argument for a parameter that takes text only,
 * refusing an embedded NUL that libc would silently cut the string at.
 * `what` names the argument in the TypeError. */
const char *sockimpl_text_arg(PyObject *obj, const char *what);


/* Map positional and keyword arguments of a METH_FASTCALL|METH_KEYWORDS
 * call onto `out` (borrowed; NULL where not given), by `names` (NULL
 * terminated).  `required` leading arguments must be present.  0 or -1. */
int sockimpl_parse_args(const char *fname, PyObject *const *args,
                        Py_ssize_t nargs, PyObject *kwnames,
                        const char *const *names, int required,
                        PyObject **out);
/* The TypeError of a call with the wrong number of arguments; -1. */
int sockimpl_nargs_error(const char *fname, Py_ssize_t nargs, Py_ssize_t min,
                         Py_ssize_t max);

/* Arity check for positional-only calls; 0 or -1 with TypeError. */
static inline int
sockimpl_check_nargs(const char *fname, Py_ssize_t nargs, Py_ssize_t min,
                     Py_ssize_t max)
{
    if (nargs >= min && nargs <= max)
        return 0;
    return sockimpl_nargs_error(fname, nargs, min, max);
}

/* The general conversions behind the two below. */
int sockimpl_as_ssize_slow(PyObject *obj, Py_ssize_t *out);
int sockimpl_as_int_slow(PyObject *obj, int *out);

/* Is `obj` an int (an IntEnum member too) of one digit (|value| < 2**30),
 * and its value?  Such ints are nearly every argument a socket call gets:
 * reading the digit inline spares a call into the interpreter per
 * argument.  An int subclass's value is its digits, as PyLong_AsLong
 * reads them: no __index__ is involved. */
#if PY_VERSION_HEX >= 0x030C0000
#define SOCKIMPL_SMALL_INT(obj) \
    (PyLong_Check(obj) && PyUnstable_Long_IsCompact((PyLongObject *)(obj)))
#define SOCKIMPL_SMALL_INT_VALUE(obj) \
    PyUnstable_Long_CompactValue((PyLongObject *)(obj))
#else
#define SOCKIMPL_SMALL_INT(obj) \
    (PyLong_Check(obj) && Py_SIZE(obj) >= -1 && Py_SIZE(obj) <= 1)
/* Zero has no digit before 3.11: an int made by arithmetic (not the
 * cached small 0) is allocated without one, so it must not be read. */
#define SOCKIMPL_SMALL_INT_VALUE(obj) \
    (Py_SIZE(obj) == 0 ? (Py_ssize_t)0 \
                       : Py_SIZE(obj) * (Py_ssize_t)((PyLongObject *)(obj))->ob_digit[0])
#endif

/* A Py_ssize_t argument (int or __index__), TypeError/OverflowError. */
static inline int
sockimpl_as_ssize(PyObject *obj, Py_ssize_t *out)
{
    if (SOCKIMPL_SMALL_INT(obj)) {
        *out = SOCKIMPL_SMALL_INT_VALUE(obj);
        return 0;
    }
    return sockimpl_as_ssize_slow(obj, out);
}

/* An int argument that must fit a C int; -1 with OverflowError/TypeError. */
static inline int
sockimpl_as_int(PyObject *obj, int *out)
{
    if (SOCKIMPL_SMALL_INT(obj)) {
        *out = (int)SOCKIMPL_SMALL_INT_VALUE(obj);
        return 0;
    }
    return sockimpl_as_int_slow(obj, out);
}

#endif
