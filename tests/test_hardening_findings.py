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
