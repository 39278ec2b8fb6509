"""bpo-34587: test_socket's RDSTest.testCongestion hung on Fedora 28: the
client fills the receiver's buffer with non-blocking RDS `sendto()`s over
loopback and expects ENOBUFS, but the kernel kept accepting, so the loop
never ended.  CPython took the test out (3.7, 3.8); what the kernel does
is unchanged by that, so the steps below are the kernel's side: does a
non-blocking sender ever get ENOBUFS (`kernel_side`, with a bound in place
of the test's endless loop).
https://bugs.python.org/issue34587
"""

import errno
import time

SCENARIO = {
    "reference": "bpo-34587",
    "title": "RDS loopback never reports congestion (ENOBUFS) to a non-blocking sender: test_socket's testCongestion hangs",
    "family": "AF_RDS",
    "needs": ["rds"],
    "affected": {
        "text": "the kernel's behaviour, whatever the interpreter (the report: Fedora 28, 2018); the test left CPython in 3.7/3.8",
        "versions": [["3.3.0", None]],
    },
    "fixed": "a non-blocking sendto() loop into a receiver that never reads fails with ENOBUFS (or EAGAIN) within 100,000 datagrams",
    "kernel_side": True,
    "timeout": 30,
}

HOST = "127.0.0.1"
LIMIT = 100000


def run(socket, lab):
    lab.require(socket, "PF_RDS")
    try:
        serv = socket.socket(socket.PF_RDS, socket.SOCK_SEQPACKET, 0)
    except OSError as exc:
        lab.not_applicable(f"this kernel has no RDS ({exc!r})")
    cli = socket.socket(socket.PF_RDS, socket.SOCK_SEQPACKET, 0)
    try:
        serv.bind((HOST, 0))
        cli.bind((HOST, 0))
        port = serv.getsockname()[1]
        cli.setblocking(False)
        try:
            cli.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16384)  # as the test did
        except OSError:
            pass
        started = time.monotonic()
        for sent in range(LIMIT):
            try:
                cli.sendto(b"fill", 0, (HOST, port))
            except OSError as exc:
                if exc.errno in (errno.ENOBUFS, errno.EAGAIN):
                    return lab.not_reproduced(f"{errno.errorcode[exc.errno]} after {sent} datagrams ({time.monotonic() - started:.1f} s)")
                raise
    finally:
        cli.close()
        serv.close()
    return lab.reproduced(f"{LIMIT} datagrams accepted, no ENOBUFS: the test's loop would not end")
