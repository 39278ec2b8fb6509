"""Leak checks: run a callable many times and see whether memory or open
descriptors grow.

There is no debug build of CPython here (no sys.gettotalrefcount), so a
leaked reference is seen as memory tracemalloc keeps seeing allocated:
one leaked object per call is at least a few dozen bytes per call.  Caches
(interned strings, the resolver's, pytest's, the allocator's) grow for a
while and stop, so the check warms up with a full round, then measures
ROUNDS rounds and calls it a leak only when every one of them grew: a
cache stops growing, a leak grows in every round."""

from __future__ import annotations

import gc
import os
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# A leaked small object costs at least this many bytes per call (a bare
# object header is 16; an int, bytes or tuple is 28 and more).
BYTES_PER_LEAKED_CALL = 16
ROUNDS = 3


def open_fd_count() -> int:
    return len(os.listdir("/proc/self/fd"))


def traced_bytes() -> int:
    gc.collect()
    return tracemalloc.get_traced_memory()[0]


@dataclass(frozen=True)
class Growth:
    """What two measured rounds of `calls` calls each added."""

    calls: int
    bytes_per_round: tuple[int, ...]
    fds_per_round: tuple[int, ...]

    @property
    def leaks_memory(self) -> bool:
        floor = BYTES_PER_LEAKED_CALL * self.calls
        return all(grown >= floor for grown in self.bytes_per_round)

    @property
    def leaks_fds(self) -> bool:
        return all(grown > 0 for grown in self.fds_per_round)

    def beyond(self, baseline: Growth) -> Growth:
        """What this added over `baseline`, round by round."""
        return Growth(
            self.calls,
            tuple(a - b for a, b in zip(self.bytes_per_round, baseline.bytes_per_round)),
            tuple(a - b for a, b in zip(self.fds_per_round, baseline.fds_per_round)),
        )

    def __str__(self) -> str:
        memory = "/".join(f"{grown:+d}" for grown in self.bytes_per_round)
        fds = "/".join(f"{grown:+d}" for grown in self.fds_per_round)
        return f"{self.calls} calls per round: memory {memory} bytes, descriptors {fds}"


def _round(call: Callable[[], Any], calls: int) -> tuple[int, int]:
    memory, fds = traced_bytes(), open_fd_count()
    for _ in range(calls):
        call()
    return traced_bytes() - memory, open_fd_count() - fds


def measure(call: Callable[[], Any], calls: int) -> Growth:
    """Warm `call` up, then run ROUNDS rounds of `calls` calls under
    tracemalloc (started here if it is not running)."""
    started = not tracemalloc.is_tracing()
    if started:
        tracemalloc.start()
    try:
        _round(call, calls)
        rounds = [_round(call, calls) for _ in range(ROUNDS)]
    finally:
        if started:
            tracemalloc.stop()
    return Growth(calls, tuple(m for m, _ in rounds), tuple(f for _, f in rounds))
