"""User-space instructions per operation, counted by callgrind: stable where
wall time on a shared machine is not.

One callgrind run per implementation runs every operation (the probe, this
module's `probe` command).  Around each measured stretch the probe calls
os.getppid(), and callgrind is told to dump its counters before every
getppid: each dump then holds the instructions of exactly one stretch.  Per
operation the probe runs, between markers, the loop n times and then an
empty loop n times; (loop - empty) / n is the operation's cost.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.implementations import load
from bench.operations import Operation, by_name, empty_loop

MARKER_FUNCTION = "getppid"
STRETCHES_PER_OPERATION = 3  # cleanup+setup+warm-up | loop | empty loop
PART = re.compile(rb"^part: (\d+)$", re.MULTILINE)
SUMMARY = re.compile(rb"^summary: (\d+)$", re.MULTILINE)
# Twenty-odd operations under callgrind take a few minutes; more is stuck.
PROBE_DEADLINE_S = 900
REPOSITORY = Path(__file__).resolve().parent.parent


def mark() -> None:
    os.getppid()


def probe(implementation: str, plan: list[tuple[Operation, int]]) -> dict[str, str]:
    """Run inside callgrind: each operation between markers; returns what
    could not run (the markers are made regardless, to keep dumps aligned)."""
    module, why_missing = load(implementation)
    skipped = {}
    for op, iterations in plan:
        try:
            if module is None:
                raise RuntimeError(why_missing)
            if op.prepare is None:
                raise RuntimeError(op.unavailable)
            with op.prepare(module) as loop:
                loop(max(1, iterations // 10))
                mark()
                loop(iterations)
                mark()
                empty_loop(iterations)
                mark()
        except Exception as error:  # noqa: BLE001 - reported in the table
            skipped[op.name] = f"{type(error).__name__}: {error}"
            for _ in range(STRETCHES_PER_OPERATION):
                mark()
    return skipped


def read_parts(directory: Path) -> dict[int, int]:
    """Instructions per dump part, from callgrind's output files."""
    parts = {}
    for path in directory.iterdir():
        text = path.read_bytes()
        part, summary = PART.search(text), SUMMARY.search(text)
        if part and summary:
            parts[int(part.group(1))] = int(summary.group(1))
    return parts


def per_operation(plan: list[tuple[Operation, int]], parts: dict[int, int]) -> dict[str, float]:
    counts = {}
    for index, (op, iterations) in enumerate(plan):
        # Part 1 ends at the first marker; operation i's loop is the part
        # after its second marker.
        loop_part = STRETCHES_PER_OPERATION * index + 2
        loop, empty = parts.get(loop_part), parts.get(loop_part + 1)
        if loop is not None and empty is not None:
            counts[op.name] = (loop - empty) / iterations
    return counts


def count(implementation: str, ops: list[Operation], scale: float) -> dict[str, float | str]:
    """Instructions per op for each of `ops`, or a reason string instead."""
    plan = [
        (op, max(1, round(op.callgrind_iterations * scale))) for op in ops if op.prepare is not None
    ]
    not_here: dict[str, float | str] = {op.name: op.unavailable for op in ops if op.prepare is None}
    with tempfile.TemporaryDirectory(prefix="bench-callgrind-") as directory:
        command = [
            "valgrind",
            "--tool=callgrind",
            f"--dump-before={MARKER_FUNCTION}",
            "--dump-instr=no",
            "--dump-line=no",
            f"--callgrind-out-file={directory}/callgrind.out",
            sys.executable,
            "-m",
            "bench.instructions",
            implementation,
            *(f"{op.name}:{iterations}" for op, iterations in plan),
        ]
        try:
            result = subprocess.run(
                command,
                capture_output=True,
                text=True,
                cwd=REPOSITORY,
                timeout=PROBE_DEADLINE_S,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return {
                **not_here,
                **dict.fromkeys(
                    (op.name for op, _ in plan), f"callgrind took over {PROBE_DEADLINE_S} s"
                ),
            }
        if result.returncode != 0:
            reason = f"callgrind run failed: {result.stderr.strip().splitlines()[-1:]}"
            return {**not_here, **dict.fromkeys((op.name for op, _ in plan), reason)}
        skipped = json.loads(result.stdout.strip().splitlines()[-1])
        counts: dict[str, float | str] = dict(per_operation(plan, read_parts(Path(directory))))
    return {**counts, **skipped, **not_here}


def count_all(
    implementations: list[str],
    ops: list[Operation],
    scale: float,
    progress: Callable[[str], None] = print,
) -> dict[str, dict[str, float | str]]:
    """Per implementation, per operation: instructions/op or why not.
    The callgrind runs are independent and slow, so they run side by side."""
    if shutil.which("valgrind") is None:
        return {
            name: dict.fromkeys((op.name for op in ops), "valgrind is not installed")
            for name in implementations
        }
    progress(f"  callgrind: {', '.join(implementations)} ({len(ops)} operations each)")
    with ThreadPoolExecutor(max_workers=len(implementations)) as pool:
        futures = {name: pool.submit(count, name, ops, scale) for name in implementations}
        return {name: future.result() for name, future in futures.items()}


def main(argv: list[str]) -> None:
    implementation, *specs = argv
    plan = []
    for spec in specs:
        name, iterations = spec.rsplit(":", 1)
        plan.append((by_name([name])[0], int(iterations)))
    skipped = probe(implementation, plan)
    print(json.dumps(skipped))


if __name__ == "__main__":
    main(sys.argv[1:])
