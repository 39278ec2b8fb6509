"""Differences the implementation makes on purpose, in one place.

Each entry is a deliberate difference from the README's list ("deliberate
differences"), with the reason, and a test that recognises it in a step and
the two observations.  A divergence matched here is counted and reported as
excluded, never silently passed; anything else is a finding.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lab.engine.executor import Step


@dataclass(frozen=True)
class Deliberate:
    name: str
    reason: str
    matches: Callable[[Step, Any, Any], bool]  # (step, oracle outcome, target outcome)


@dataclass(frozen=True)
class KnownOpen:
    """A divergence found, reported and not fixed on this branch: the search
    counts it apart instead of failing on it again, and its corpus entry
    asserts it still diverges (so the fix is noticed: remove the entry here
    and mark the corpus entry fixed)."""

    name: str
    reported: str
    matches: Callable[[tuple[Step, ...], Any, Any], bool]  # (steps so far, oracle, target outcome)


def _receives_with(flag: str) -> Callable[[Step, Any, Any], bool]:
    def matches(step: Step, oracle: Any, target: Any) -> bool:
        inner = step
        while inner[0] in ("recv_during", "gc_during"):
            inner = inner[2] if inner[0] == "recv_during" else inner[1]
        return inner[0] in ("recv", "recvfrom") and flag in inner[-1].split("|")
    return matches


def _unix_path_with_nul(step: Step, oracle: Any, target: Any) -> bool:
    address = step[2] if step[0] in ("bind", "connect", "connect_ex") else step[-1] if step[0] == "sendto" else None
    return (isinstance(address, (str, bytes)) and address[:1] not in ("\0", b"\0")
            and ("\0" in address if isinstance(address, str) else b"\0" in address)
            and target[0] == "raised" and target[1] == "ValueError")


ARGUMENT_ERRORS = ("TypeError", "ValueError", "OverflowError")


def _argument_error_worded_differently(step: Step, oracle: Any, target: Any) -> bool:
    return (oracle[0] == target[0] == "raised" and oracle[1] == target[1] and oracle[1] in ARGUMENT_ERRORS
            and oracle[2] == target[2])


DELIBERATE = (
    Deliberate(
        "an argument error worded differently",
        "sockimpl's TypeError/ValueError/OverflowError messages name the call and the expected form "
        "(README: errors name the family and field); type and errno must still agree",
        _argument_error_worded_differently,
    ),
    Deliberate(
        "recv MSG_TRUNC returns only what was received",
        "README, deliberate differences: the stdlib returns the datagram's full length, "
        "uninitialised memory included",
        _receives_with("MSG_TRUNC"),
    ),
    Deliberate(
        "AF_UNIX path with a NUL is refused",
        "README, deliberate differences: ValueError where the stdlib binds the path cut at the NUL",
        _unix_path_with_nul,
    ),
)


def deliberate(step: Step, oracle: Any, target: Any) -> Deliberate | None:
    """The deliberate difference this divergence is, if any."""
    return next((entry for entry in DELIBERATE if entry.matches(step, oracle, target)), None)


RECEIVES = ("recv", "recvfrom", "recv_into", "recvfrom_into", "recvmsg", "recvmsg_into", "makefile_read",
            "recv_during", "gc_during")


def _receive_under_rcvlowat(steps: tuple[Step, ...], oracle: Any, target: Any) -> bool:
    lowat_set = any(s[0] == "setsockopt" and s[3] == "SO_RCVLOWAT" and s[4] not in (1, b"\x01\0\0\0")
                    for s in steps[:-1])
    return lowat_set and steps[-1][0] in RECEIVES


def _recvmsg_with_a_finaliser(steps: tuple[Step, ...], oracle: Any, target: Any) -> bool:
    return steps[-1][0] == "gc_during" and steps[-1][1][0] in ("recvmsg", "recvmsg_into")


def _receive_of_nothing(steps: tuple[Step, ...], oracle: Any, target: Any) -> bool:
    step = steps[-1]
    if step[0] == "gc_during" and step[3][1] == 0:
        return True  # the finaliser's own receive of 0 bytes
    while step[0] in ("recv_during", "gc_during"):
        step = step[2] if step[0] == "recv_during" else step[1]
    return (step[0] in ("recv", "recvfrom", "recv_into", "recvfrom_into", "makefile_read") and step[2] == 0
            and oracle[0] == "value" and target != oracle)


def _vsock_option_in_bytes(steps: tuple[Step, ...], oracle: Any, target: Any) -> bool:
    step = steps[-1]
    return (step[0] == "setsockopt" and step[2] == "AF_VSOCK" and not isinstance(step[4], int)
            and oracle[0] == "raised" and oracle[1] == "TypeError")


KNOWN_OPEN = (
    KnownOpen(
        "a receive of 0 bytes asks the kernel",
        "found by the engine (docs/engine.md); sock_io.c, for branch conform",
        _receive_of_nothing,
    ),
    KnownOpen(
        "SO_RCVLOWAT not honoured by the fast path",
        "issue 16 (1); the fix is on branch conform",
        _receive_under_rcvlowat,
    ),
    KnownOpen(
        "recvmsg copies its payload after allocations a finaliser can run in",
        "issue 16 (2); the fix is on branch conform",
        _recvmsg_with_a_finaliser,
    ),
    KnownOpen(
        "AF_VSOCK setsockopt takes a bytes value",
        "found by the engine in the lab VM (docs/engine.md): the stdlib takes only an int (a u64) there",
        _vsock_option_in_bytes,
    ),
)


def known_open(steps: tuple[Step, ...], oracle: Any, target: Any) -> KnownOpen | None:
    return next((entry for entry in KNOWN_OPEN if entry.matches(steps, oracle, target)), None)
