/* Timeouts and the one path every blocking call takes: GIL release,
 * PEP 475 retries and deadlines live here and nowhere else. */
#include "internal.h"

#include <errno.h>
#include <math.h>
#include <poll.h>
#include <time.h>

#define NS_PER_SEC 1000000000LL

int64_t
sockimpl_monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * NS_PER_SEC + ts.tv_nsec;
}

int
sockimpl_timeout_from_object(PyObject *obj, int64_t *timeout)
{
    int64_t ns;

    if (obj == Py_None) {
        *timeout = SOCKIMPL_TIMEOUT_NONE;
        return 0;
    }
    if (PyFloat_Check(obj)) {
        double d = PyFloat_AS_DOUBLE(obj);
        if (isnan(d)) {
            PyErr_SetString(PyExc_ValueError,
                            "Invalid value NaN (not a number)");
            return -1;
        }
        /* Round away from zero: a timeout never expires early. */
        d *= (double)NS_PER_SEC;
        d = d >= 0 ? ceil(d) : floor(d);
        if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0)) {
            PyErr_SetString(PyExc_OverflowError,
                            "timestamp out of range for platform time_t");
            return -1;
        }
        ns = (int64_t)d;
    }
    else {
        long long secs = PyLong_AsLongLong(obj);
        if (secs == -1 && PyErr_Occurred()) {
            if (PyErr_ExceptionMatches(PyExc_OverflowError))
                goto too_large;
            return -1;
        }
        if (secs > INT64_MAX / NS_PER_SEC || secs < INT64_MIN / NS_PER_SEC)
            goto too_large;
        ns = secs * NS_PER_SEC;
    }
    if (ns < 0) {
        PyErr_SetString(PyExc_ValueError, "Timeout value out of range");
        return -1;
    }
    *timeout = ns;
    return 0;

too_large:
    PyErr_SetString(PyExc_OverflowError,
                    "timestamp too large to convert to C _PyTime_t");
    return -1;
}

PyObject *
sockimpl_timeout_to_object(int64_t timeout)
{
    if (timeout < 0)
        Py_RETURN_NONE;
    /* Whole seconds convert exactly; the rest as one division, so the
     * float read back is the one that was set. */
    if (timeout % NS_PER_SEC == 0)
        return PyFloat_FromDouble((double)(timeout / NS_PER_SEC));
    return PyFloat_FromDouble((double)timeout / (double)NS_PER_SEC);
}

static int
poll_ms(int64_t remaining_ns)
{
    int64_t ms = (remaining_ns + 999999) / 1000000;
    return ms > INT32_MAX ? INT32_MAX : (int)ms;
}

enum wait_result { WAIT_READY, WAIT_TIMEOUT, WAIT_ERROR };

/* Wait without the GIL until `fd` has `events` or the deadline passes. */
static enum wait_result
wait_for(int fd, short events, int64_t deadline)
{
    /* A closed socket's -1 is not waited on: poll() ignores a negative
     * descriptor and would sleep to the deadline.  The stdlib tries the
     * call at once, and the kernel says EBADF. */
    if (fd < 0)
        return WAIT_READY;
    int64_t remaining = deadline - sockimpl_monotonic_ns();
    if (remaining <= 0)
        return WAIT_TIMEOUT;
    struct pollfd p = {.fd = fd, .events = events, .revents = 0};
    int r = poll(&p, 1, poll_ms(remaining));
    if (r < 0)
        return WAIT_ERROR;
    return r == 0 ? WAIT_TIMEOUT : WAIT_READY;
}

ssize_t
sockimpl_io(sockobj *s, short events, sockimpl_io_fn io, void *ctx,
            int64_t *deadline)
{
    return sockimpl_io_after(s, events, io, ctx, deadline, 0);
}

/* A timed call: wait, then try, until `io` succeeds or fails otherwise
 * than with EAGAIN; run without the GIL.  The wait comes before every try,
 * as in the stdlib: the descriptor is non-blocking only as long as nobody
 * changes the open file's mode through another descriptor of it (dup(),
 * fileno=, os.set_blocking), and a try on a descriptor that blocks would
 * sleep past the deadline.  (The attempt in sockimpl_io_try passes
 * MSG_DONTWAIT, which holds in any mode.) */
static ssize_t
timed_io(int fd, short events, sockimpl_io_fn io, void *ctx, int64_t until,
         int *err, int *timed_out)
{
    for (;;) {
        enum wait_result w = wait_for(fd, events, until);
        if (w == WAIT_TIMEOUT) {
            *timed_out = 1;
            return -1;
        }
        if (w == WAIT_ERROR) {
            *err = errno;
            return -1;
        }
        ssize_t r = io(fd, ctx);
        if (r >= 0)
            return r;
        *err = errno;
        if (*err != EAGAIN && *err != EWOULDBLOCK)
            return -1;
    }
}

/* Whether the stdlib, which waits before it tries on a timed socket,
 * would still be waiting where the attempt with the GIL held failed with
 * `err`: an error of the socket's state (recv on a listening socket:
 * ENOTCONN; on an unbound AF_QIPCRTR one: EADDRNOTAVAIL) while the socket
 * is not ready.  A pending error (sk_err) is not one of these: the attempt
 * took it, and it had made the socket ready. */
static int
stdlib_waits_first(int fd, short events, int err)
{
    switch (err) {
    case ENOTCONN:
    case EINVAL:
    case EOPNOTSUPP:
    case EPIPE:
    case EDESTADDRREQ:
    case EADDRNOTAVAIL:
        break;
    default:
        return 0;
    }
    struct pollfd p = {.fd = fd, .events = events, .revents = 0};
    return poll(&p, 1, 0) == 0;
}

ssize_t
sockimpl_io_after(sockobj *s, short events, sockimpl_io_fn io, void *ctx,
                  int64_t *deadline, int attempt_errno)
{
    int err = attempt_errno;

    if (err == EINTR) {
        if (PyErr_CheckSignals() < 0)
            return -1;
    }
    else if (err == EAGAIN || err == EWOULDBLOCK) {
        /* Nothing there: a non-blocking socket reports it, the others
         * wait (a timed one waits before its next try anyway). */
        if (s->timeout == 0) {
            sockimpl_raise_errno_value(err);
            return -1;
        }
    }
    else if (err != 0 && !(s->timeout > 0 && stdlib_waits_first(s->fd, events, err))) {
        sockimpl_raise_errno_value(err);
        return -1;
    }

    for (;;) {
        /* Re-read on every pass: another thread may have closed it. */
        int fd = s->fd;
        int64_t timeout = s->timeout;
        ssize_t r;
        int timed_out = 0;

        err = 0;
        if (timeout <= 0) {
            Py_BEGIN_ALLOW_THREADS
            r = io(fd, ctx);
            if (r < 0)
                err = errno;
            Py_END_ALLOW_THREADS
        }
        else {
            if (*deadline == 0)
                *deadline = sockimpl_monotonic_ns() + timeout;
            int64_t until = *deadline;
            Py_BEGIN_ALLOW_THREADS
            r = timed_io(fd, events, io, ctx, until, &err, &timed_out);
            Py_END_ALLOW_THREADS
        }

        if (r >= 0)
            return r;
        if (timed_out) {
            PyErr_SetString(PyExc_TimeoutError, "timed out");
            return -1;
        }
        if (err == EINTR) {
            if (PyErr_CheckSignals() < 0)
                return -1;
            continue;
        }
        sockimpl_raise_errno_value(err);
        return -1;
    }
}

/* After connect() went asynchronous: wait until it settles, then read its
 * outcome.  Returns 0 connected, an errno, or -1 with an exception set;
 * `*timed_out` tells a deadline that passed. */
static int
finish_connect(sockobj *s, int *timed_out)
{
    int64_t deadline = s->timeout > 0
                       ? sockimpl_monotonic_ns() + s->timeout : INT64_MAX;
    for (;;) {
        enum wait_result w;
        int err = 0;
        Py_BEGIN_ALLOW_THREADS
        w = wait_for(s->fd, POLLOUT, deadline);
        if (w == WAIT_ERROR)
            err = errno;
        Py_END_ALLOW_THREADS
        if (w == WAIT_TIMEOUT) {
            *timed_out = 1;
            return EWOULDBLOCK;
        }
        if (w == WAIT_ERROR) {
            if (err != EINTR)
                return err;
            if (PyErr_CheckSignals() < 0)
                return -1;
            continue;
        }
        socklen_t size = sizeof err;
        if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &size) < 0)
            return errno;
        return err == EISCONN ? 0 : err;
    }
}

int
sockimpl_connect(sockobj *s, const struct sockaddr *addr, socklen_t len,
                 int raise_on_error)
{
    int r, err = 0, wait = 0, timed_out = 0;

    Py_BEGIN_ALLOW_THREADS
    r = connect(s->fd, addr, len);
    if (r < 0)
        err = errno;
    Py_END_ALLOW_THREADS
    if (r == 0)
        return 0;

    if (err == EINTR) {
        if (PyErr_CheckSignals() < 0)
            return -1;
        /* An interrupted connect() carries on in the kernel; restarting
         * it would fail with EALREADY.  A blocking or timed socket waits
         * for the outcome, a non-blocking one reports EINTR. */
        wait = s->timeout != 0;
    }
    else if (err == EINPROGRESS && s->timeout > 0) {
        wait = 1;
    }
    if (wait) {
        err = finish_connect(s, &timed_out);
        if (err < 0)
            return -1;
    }
    if (err == 0)
        return 0;
    if (!raise_on_error)
        return err;
    if (timed_out)
        PyErr_SetString(PyExc_TimeoutError, "timed out");
    else
        sockimpl_raise_errno_value(err);
    return -1;
}
