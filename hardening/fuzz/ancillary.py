"""sendmsg's ancillary-data parsing and recvmsg's control-message parsing
on a socketpair, compared with the stdlib.

The sender builds any (level, type, data) list; the receiver asks for any
control buffer size, so truncated control messages (MSG_CTRUNC) are
parsed too.  SCM_RIGHTS only ever carries 0, 1, 2 or a number that is
surely not open, so both runs send the same descriptors; every descriptor
received is closed, and received descriptor numbers are compared by count."""

from __future__ import annotations

import array
import os
import socket as stdlib_socket
from collections.abc import Callable
from typing import Any

import sockimpl

from .draw import Draw, describe, outcome

S = stdlib_socket
PAIRS = ((S.AF_UNIX, S.SOCK_DGRAM), (S.AF_UNIX, S.SOCK_STREAM), (S.AF_UNIX, S.SOCK_SEQPACKET))
CMSG_KINDS = (
    (S.SOL_SOCKET, S.SCM_RIGHTS),
    (S.SOL_SOCKET, S.SCM_CREDENTIALS),
    (S.SOL_SOCKET, 0),
    (S.IPPROTO_IP, 1),
    (0, 0),
)
SAFE_FDS = (0, 1, 2, 1_000_000, -1)


def _rights(draw: Draw) -> bytes:
    return array.array("i", [draw.choice(SAFE_FDS) for _ in range(draw.below(5))]).tobytes()


def _cmsg_item(draw: Draw) -> Any:
    if draw.below(10) == 0:
        return draw.value()
    level, kind = draw.choice(CMSG_KINDS)
    if draw.below(4) == 0:
        level, kind = draw.interesting_int(), draw.interesting_int()
    if (level, kind) == (S.SOL_SOCKET, S.SCM_RIGHTS):
        return (level, kind, _rights(draw))
    if (level, kind) == (S.SOL_SOCKET, S.SCM_CREDENTIALS):
        return (level, kind, draw.blob(16))  # a random ucred: EPERM/EINVAL mostly
    return (level, kind, draw.blob(24) if draw.below(6) else draw.value())


def _close_received(ancdata: list[tuple[int, int, bytes]]) -> list[tuple[int, int, int]]:
    shape = []
    for level, kind, data in ancdata:
        if (level, kind) == (S.SOL_SOCKET, S.SCM_RIGHTS):
            fds = array.array("i")
            fds.frombytes(data[: len(data) - len(data) % fds.itemsize])
            for fd in fds:
                os.close(fd)
        shape.append((level, kind, len(data)))
    return shape


def _scenario(
    pair: tuple[int, int], buffers: Any, ancdata: Any, flags: int, bufsize: Any, ancbufsize: Any
) -> Callable[[Any], Any]:
    def run(module: Any) -> Any:
        left, right = module.socketpair(*pair)
        with left, right:
            right.settimeout(0.0)
            sent = left.sendmsg(buffers, ancdata, flags)
            data, received, msg_flags, _ = right.recvmsg(bufsize, ancbufsize)
            return sent, data, _close_received(received), msg_flags

    return run


def _known_finding(bufsize: Any, ancbufsize: Any, expected: Any, actual: Any) -> bool:
    """Pinned by tests/test_hardening_findings.py (open): recvmsg checks a
    negative bufsize before converting ancbufsize, the stdlib the other
    way round, so the two raise different types.  Skipped here so the
    fuzzer goes on looking for new findings."""
    return (
        isinstance(bufsize, int)
        and bufsize < 0
        and isinstance(ancbufsize, int)
        and not -(2**63) <= ancbufsize < 2**63
        and expected[:2] == ("error", "OverflowError")
        and actual[:2] == ("error", "ValueError")
    )


def exercise(data: bytes) -> None:
    draw = Draw(data)
    pair = draw.choice(PAIRS)
    buffers = [draw.blob(16) for _ in range(1 + draw.below(3))] if draw.below(8) else draw.value()
    ancdata = [_cmsg_item(draw) for _ in range(draw.below(4))] if draw.below(8) else draw.value()
    flags = draw.choice((0, 0, S.MSG_DONTWAIT, S.MSG_OOB, -1))
    bufsize = draw.choice((0, 1, 16, 4096, -1))
    ancbufsize = draw.choice(
        (0, 1, 15, 16, 20, 24, 28, 32, 64, S.CMSG_SPACE(4), -1, 2**31, draw.interesting_int())
    )
    run = _scenario(pair, buffers, ancdata, flags, bufsize, ancbufsize)
    expected = outcome(run, stdlib_socket)
    actual = outcome(run, sockimpl)
    if _known_finding(bufsize, ancbufsize, expected, actual):
        return
    assert actual == expected, f"{describe(run)}: stdlib {expected}, sockimpl {actual}"
