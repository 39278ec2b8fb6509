"""The operations whose families the host kernel lacks (CAN_RAW, AF_ALG),
measured in the lab VM in the same `make bench` run.

The host hands them to `lab run --backend vm`, which boots the lab's
micro-VM with vcan0 and the ALG modules, and runs `python -m bench
--in-vm OPS` there: the same interleaved timing and callgrind counts as on
the host, and the set-up of the fixtures that exist only there (vcan, two
Bluetooth controllers), written to build/bench-vm/results.json for the host.
Guest times come from a VM under QEMU's TCG: compare the three contenders
of a row with each other, never with a host row.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import labspeed
from bench.implementations import load
from bench.operations import Operation
from bench.report import Row

REPOSITORY = Path(__file__).resolve().parent.parent
RESULTS_FILE = REPOSITORY / "build" / "bench-vm" / "results.json"
# The guest prints this first: the host times the boot up to it.
GUEST_STARTED = "bench: started in the lab VM"
NEEDS = "vcan,alg"
# A boot, calibration, the rounds and two callgrind runs under TCG.
VM_DEADLINE_S = 420
# Boots per clock for the guest-ready figures (their median is reported).
BOOTS = int(os.environ.get("BENCH_BOOTS", "3"))
# Under TCG the lab runs the guest's clock on executed instructions (lab
# run's --clock auto), so its timings hardly vary: fewer rounds do, and keep
# `make bench` within its 10 minutes.
ROUNDS = 5
TITLE_SUFFIX = " [lab VM]"


def host_lacks(op: Operation) -> str:
    """Why this host cannot run `op` with the stdlib, or '' when it can."""
    module, why_missing = load("stdlib")
    if module is None or op.prepare is None:
        return why_missing or op.unavailable
    try:
        with op.prepare(module) as loop:
            loop(1)
    except OSError as error:
        return f"{type(error).__name__}: {error}"
    return ""


def write_results(rows: list[Row], lab: dict[str, Any]) -> None:
    RESULTS_FILE.parent.mkdir(parents=True, exist_ok=True)
    document = {"rows": [row.as_json() for row in rows], "lab": lab}
    RESULTS_FILE.write_text(json.dumps(document, indent=1))


def row_from_json(document: dict) -> Row:
    return Row(
        name=document["name"],
        title=document["title"] + TITLE_SUFFIX,
        iterations=document["iterations_per_sample"],
        ns=document["ns_per_op_median"],
        instructions=document["instructions_per_op"],
        samples=document["ns_per_op_samples"],
    )


def unmeasured_row(op: Operation, reason: str) -> Row:
    cell = f"n/a: {reason}"
    return Row(
        op.name,
        op.title,
        0,
        dict.fromkeys(("stdlib", "sockimpl", "floor"), cell),
        dict.fromkeys(("stdlib", "sockimpl"), cell),
    )


@dataclass
class VmResults:
    rows: list[Row]
    lab: dict[str, Any] = field(default_factory=dict)


def _unmeasured(ops: list[Operation], reason: str) -> VmResults:
    lab = {name: f"n/a: {reason}" for name in labspeed.MEASURED_IN_VM}
    return VmResults([unmeasured_row(op, reason) for op in ops], lab)


def _run_streaming(command: list[str]) -> tuple[int, float | None, list[str]]:
    """Run `command`; its exit status, the seconds until the guest said it
    started (boot to first command), and its last lines of output."""
    started = time.perf_counter()
    first_command_s = None
    tail: deque[str] = deque(maxlen=5)
    with subprocess.Popen(
        command, cwd=REPOSITORY, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    ) as child:
        assert child.stdout is not None
        for line in child.stdout:
            if first_command_s is None and line.startswith(GUEST_STARTED):
                first_command_s = round(time.perf_counter() - started, 1)
            tail.append(line.rstrip())
    return child.returncode, first_command_s, list(tail)


# The lab's readiness target (issue 18): a guest with its interfaces made,
# and the whole `socklab run --needs vcan -- true`, under TCG on two cores.
READY_TARGET_S = 10.0
RUN_TRUE_TARGET_S = 12.0
RUN_TIMINGS = REPOSITORY / "lab-artifacts" / "vm-run-timings.json"


def _run_vcan_true_once(clock: str) -> dict[str, Any] | str:
    """One `socklab run --clock CLOCK --needs vcan -- true`: its wall time,
    when the guest had its vcan, and the boot's phases as `lab run`
    recorded them."""
    RUN_TIMINGS.unlink(missing_ok=True)
    started = time.perf_counter()
    status, _, tail = _run_streaming(
        [sys.executable, "-m", "lab", "run", "--clock", clock, "--needs", "vcan", "--", "true"])
    wall = round(time.perf_counter() - started, 2)
    if status != 0:
        return f"n/a: the lab VM run failed (exit {status}): {' | '.join(tail)}"
    try:
        record = json.loads(RUN_TIMINGS.read_text())
    except (OSError, ValueError):
        record = {}
    return {
        "wall_s": wall, "guest_ready_s": record.get("boot_to_first_test_s"),
        "boot": record.get("boot"), "clock": record.get("clock"), "accelerator": record.get("accelerator"),
        "phases": record.get("phases", []), "guest_phases": record.get("guest_phases", []),
    }


def time_run_vcan_true(clock: str = "auto", boots: int = BOOTS) -> dict[str, Any] | str:
    """`socklab run --clock CLOCK --needs vcan -- true`, `boots` times: the
    median wall time and guest-ready time, every boot's, and the phases of
    the median boot.  `auto` is what a user gets: under TCG the icount
    clock, which halves TCG's speed; `host` shows the boot without it."""
    print(f"  in the lab VM: `socklab run --clock {clock} --needs vcan -- true` x{boots} (boot, vcan, power-off)")
    runs = []
    for _ in range(boots):
        run = _run_vcan_true_once(clock)
        if isinstance(run, str):
            return run
        runs.append(run)
    runs.sort(key=lambda run: run["wall_s"])
    median = runs[len(runs) // 2]
    readies = sorted(run["guest_ready_s"] for run in runs if run["guest_ready_s"] is not None)
    return {
        **median,
        "guest_ready_s": readies[len(readies) // 2] if readies else None,
        "boots": boots, "walls_s": [run["wall_s"] for run in runs], "guest_ready_each_s": readies,
        "target_wall_s": RUN_TRUE_TARGET_S, "target_ready_s": READY_TARGET_S,
    }


def measure_in_vm(ops: list[Operation], forwarded: list[str]) -> VmResults:
    """Rows for `ops` and the guest-only fixture timings, measured in the lab
    VM; n/a with the reason when the VM cannot be had or the run fails."""
    ready = {"vm_run_vcan_true": time_run_vcan_true(), "vm_run_vcan_true_clock_host": time_run_vcan_true("host")}
    RESULTS_FILE.unlink(missing_ok=True)
    command = [
        sys.executable, "-m", "lab", "run", "--needs", NEEDS, "--backend", "vm",
        "--timeout", str(VM_DEADLINE_S), "--",
        sys.executable, "-m", "bench", "--in-vm", *forwarded, *(op.name for op in ops),
    ]  # fmt: skip
    print(
        f"  in the lab VM: {', '.join(op.name for op in ops)}, vcan and Bluetooth set-up "
        "(boots a VM: a minute or two under TCG)"
    )
    status, first_command_s, tail = _run_streaming(command)
    if status != 0 or not RESULTS_FILE.exists():
        failed = _unmeasured(ops, f"the lab VM run failed (exit {status}): {' | '.join(tail)}")
        failed.lab.update(ready)
        return failed
    document = json.loads(RESULTS_FILE.read_text())
    measured = {row["name"]: row_from_json(row) for row in document["rows"]}
    rows = [measured.get(op.name) or unmeasured_row(op, "not measured in the VM") for op in ops]
    lab = {**document["lab"], "vm_boot_to_first_command_s": first_command_s, **ready}
    return VmResults(rows, lab)
