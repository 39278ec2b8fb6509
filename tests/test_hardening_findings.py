"""Findings of the hardening work (fuzzing, sanitizers), each pinned by a
test: written red when the finding was made, green since the fix, and
there to keep it fixed.  Never xfail: an open finding shows as red."""

from __future__ import annotations

from typing import Any

import pytest
from differential import agree


@pytest.mark.parametrize(
    ("ancbufsize", "flags"),
    [(2**64, 0), (-(2**64), 0), (0, 2**40), (0, "x")],
    ids=["ancbufsize-2**64", "ancbufsize--2**64", "flags-2**40", "flags-str"],
)
def test_recvmsg_converts_every_argument_before_refusing_a_negative_bufsize(
    ancbufsize: Any, flags: Any
) -> None:
    """Found by the ancillary fuzz target.  The stdlib converts all three
    arguments first, so recvmsg(-1, 2**64) raises the conversion's
    OverflowError (TypeError for a str flags); sockimpl checked `size < 0`
    before converting ancbufsize and flags and raised ValueError.  Fixed:
    the size check comes after every conversion."""

    def scenario(m: Any) -> Any:
        left, right = m.socketpair()
        with left, right:
            return right.recvmsg(-1, ancbufsize, flags)

    agree(scenario)


def test_an_int_zero_that_is_not_the_cached_one_is_read_as_zero() -> None:
    """Found by `make asan-test` on 3.10 (the saved fuzz corpus replayed on
    the sanitized build): before 3.11 an int zero made by a computation, as
    int.from_bytes makes it, has no digit allocated, and sockimpl's inline
    small-int read took its first digit anyway (a heap read past the
    object).  Under ASan that aborted; elsewhere it read garbage times 0."""
    zero = int.from_bytes(b"\0\0\0\0", "little", signed=True)

    def scenario(m: Any) -> Any:
        flags = m.NI_NUMERICHOST | m.NI_NUMERICSERV
        with m.socket(m.AF_INET, m.SOCK_STREAM) as sock:
            sock.setsockopt(m.SOL_SOCKET, m.SO_KEEPALIVE, zero)
            kept = sock.getsockopt(m.SOL_SOCKET, m.SO_KEEPALIVE)
        return kept, m.getnameinfo(("127.0.0.1", zero), flags)

    agree(scenario)
