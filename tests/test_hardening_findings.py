"""Findings of the hardening work (fuzzing, sanitizers) that are still
open: each test pins one, fails until sockimpl's C code is fixed, and then
keeps it fixed.  Not xfail on purpose: an open finding shows as red."""

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
    OverflowError (TypeError for a str flags); sockimpl_sock_recvmsg
    (sock_msg.c) checks `size < 0` before converting ancbufsize and flags
    and raises ValueError.  Fix: move the size check after
    ancbufsize_arg() and the flags conversion."""

    def scenario(m: Any) -> Any:
        left, right = m.socketpair()
        with left, right:
            return right.recvmsg(-1, ancbufsize, flags)

    agree(scenario)
