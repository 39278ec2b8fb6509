"""The operations whose families the host kernel lacks (CAN_RAW, AF_ALG),
measured in the lab VM in the same `make bench` run.

The host hands them to `lab run --backend vm`, which boots the lab's
micro-VM with vcan0 and the ALG modules, and runs `python -m bench
--in-vm OPS` there: the same interleaved timing and callgrind counts as on
the host, written as rows to build/bench-vm/rows.json for the host to read.
Guest times come from a VM under QEMU's TCG: compare the three contenders
of a row with each other, never with a host row.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bench.implementations import load
from bench.operations import Operation
from bench.report import Row

REPOSITORY = Path(__file__).resolve().parent.parent
ROWS_FILE = REPOSITORY / "build" / "bench-vm" / "rows.json"
NEEDS = "vcan,alg"
# A boot, calibration, the rounds and two callgrind runs under TCG.
VM_DEADLINE_S = 420
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


def write_rows(rows: list[Row]) -> None:
    ROWS_FILE.parent.mkdir(parents=True, exist_ok=True)
    ROWS_FILE.write_text(json.dumps([row.as_json() for row in rows], indent=1))


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


def measure_in_vm(ops: list[Operation], forwarded: list[str]) -> list[Row]:
    """Rows for `ops`, measured in the lab VM; rows of n/a with the reason
    when the VM cannot be had or the run fails."""
    ROWS_FILE.unlink(missing_ok=True)
    command = [
        sys.executable, "-m", "lab", "run", "--needs", NEEDS, "--backend", "vm",
        "--timeout", str(VM_DEADLINE_S), "--",
        sys.executable, "-m", "bench", "--in-vm", *forwarded, *(op.name for op in ops),
    ]  # fmt: skip
    print(f"  in the lab VM: {', '.join(op.name for op in ops)} (boots a VM, about a minute)")
    result = subprocess.run(
        command, cwd=REPOSITORY, capture_output=True, text=True, check=False
    )
    if result.returncode != 0 or not ROWS_FILE.exists():
        last = (result.stderr.strip() or result.stdout.strip()).splitlines()[-1:]
        reason = f"the lab VM run failed (exit {result.returncode}): {' '.join(last)}"
        return [unmeasured_row(op, reason) for op in ops]
    measured = {row["name"]: row_from_json(row) for row in json.loads(ROWS_FILE.read_text())}
    return [measured.get(op.name) or unmeasured_row(op, "not measured in the VM") for op in ops]
