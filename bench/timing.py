"""Interleaved timing: every round times each operation once per contender
(stdlib, sockimpl, the C floor), the order rotating from round to round, so
that whatever else the machine does lands on all of them alike; the median
of the rounds is the result."""

from __future__ import annotations

import gc
import signal
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import FrameType, ModuleType
from typing import Protocol

from bench.floor import FloorProgram
from bench.operations import Operation

# A sample that has not finished in this long is stuck (a bug in an
# implementation, not slowness): it is abandoned and reported.
SAMPLE_DEADLINE_S = 60


class Contender(Protocol):
    name: str

    def unavailable(self, op: Operation) -> str: ...

    def ns_per_op(self, op: Operation, iterations: int) -> float: ...


@contextmanager
def deadline(seconds: int) -> Iterator[None]:
    def expire(signum: int, frame: FrameType | None) -> None:
        raise TimeoutError(f"no result after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic collector runs when it likes; not inside a sample."""
    was_enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


class PythonContender:
    """A socket module, timed in this process."""

    def __init__(self, name: str, module: ModuleType | None, why_missing: str = "") -> None:
        self.name = name
        self.module = module
        self.why_missing = why_missing

    def unavailable(self, op: Operation) -> str:
        if self.module is None:
            return self.why_missing
        if op.prepare is None:
            return op.unavailable
        try:
            with deadline(SAMPLE_DEADLINE_S), op.prepare(self.module) as loop:
                loop(1)
        except Exception as error:  # noqa: BLE001 - any failure means "cannot measure"
            return describe(error)
        return ""

    def ns_per_op(self, op: Operation, iterations: int) -> float:
        assert op.prepare is not None and self.module is not None
        with deadline(SAMPLE_DEADLINE_S), op.prepare(self.module) as loop:
            loop(max(1, iterations // 20))
            with collector_paused():
                start = time.perf_counter_ns()
                loop(iterations)
                elapsed = time.perf_counter_ns() - start
        return elapsed / iterations


class FloorContender:
    """The C floor program, one process per sample."""

    name = "floor"

    def __init__(self, program: FloorProgram) -> None:
        self.program = program

    def unavailable(self, op: Operation) -> str:
        return op.unavailable or self.program.unavailable(op.name)

    def ns_per_op(self, op: Operation, iterations: int) -> float:
        return self.program.ns_per_op(op.name, iterations)


@dataclass
class Measurement:
    """One operation's samples (ns/op) per contender, or why there are none."""

    operation: Operation
    iterations: int = 0
    samples: dict[str, list[float]] = field(default_factory=dict)
    unavailable: dict[str, str] = field(default_factory=dict)

    def median(self, contender: str) -> float | None:
        values = self.samples.get(contender)
        return statistics.median(values) if values else None


def calibrate(op: Operation, contender: Contender, sample_ns: float) -> int:
    """Iterations for one sample of about `sample_ns` with `contender`."""
    iterations = 1
    while True:
        elapsed = contender.ns_per_op(op, iterations) * iterations
        if elapsed >= sample_ns / 8 or iterations >= 1 << 24:
            return max(1, round(iterations * sample_ns / max(elapsed, 1.0)))
        iterations *= 4


def prepare_measurement(
    op: Operation, contenders: list[Contender], sample_ns: float
) -> Measurement:
    """Find which contenders can run `op`, and the iteration count, set by
    the first of them (the stdlib when it can) so all do the same work."""
    measurement = Measurement(op)
    for contender in contenders:
        reason = contender.unavailable(op)
        if reason:
            measurement.unavailable[contender.name] = reason
        else:
            measurement.samples[contender.name] = []
    for contender in contenders:
        if contender.name in measurement.samples and not isinstance(contender, FloorContender):
            measurement.iterations = calibrate(op, contender, sample_ns)
            break
    if not measurement.iterations:
        for name in list(measurement.samples):
            measurement.unavailable[name] = "no Python implementation can run it"
        measurement.samples.clear()
    return measurement


def take_sample(measurement: Measurement, contender: Contender) -> None:
    samples = measurement.samples.get(contender.name)
    if samples is None:
        return
    try:
        samples.append(contender.ns_per_op(measurement.operation, measurement.iterations))
    except Exception as error:  # noqa: BLE001 - a failure mid-run is reported, not fatal
        del measurement.samples[contender.name]
        measurement.unavailable[contender.name] = f"failed mid-run: {describe(error)}"


def rotated(items: list[Contender], by: int) -> list[Contender]:
    by %= len(items)
    return items[by:] + items[:by]


def measure(
    ops: list[Operation],
    contenders: list[Contender],
    rounds: int,
    sample_ms: float,
    progress: Callable[[str], None] = print,
) -> list[Measurement]:
    measurements = []
    for op in ops:
        progress(f"  calibrating {op.name}")
        measurements.append(prepare_measurement(op, contenders, sample_ms * 1e6))
    for round_number in range(rounds):
        progress(f"  round {round_number + 1}/{rounds}")
        for measurement in measurements:
            for contender in rotated(contenders, round_number):
                take_sample(measurement, contender)
    return measurements
