"""The lab VM's share of a `lab repro` run: one boot per kernel, for every
scenario to run on it (those whose family the host kernel lacks, or every
one named for that kernel on the kernel axis).

The guest runs `lab repro --backend host` itself, over this machine's own
root (the same interpreters, the same in-place sockimpl builds), writing its
cells and artifacts under the run's artifacts folder, which the VM may write;
the host then reads the guest's results back into the matrix.
"""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path

from lab.repro.cells import ERROR, NEEDS_VM, Cell, Interpreter, RunOptions, ScenarioRun
from lab.vm import machine as vm
from lab.vm import runner as vm_runner

GUEST_FOLDER = "vm"


def guest_folder(kernel: Path) -> str:
    """Where a boot of `kernel` keeps its cells, relative to the artifacts."""
    return f"{GUEST_FOLDER}/{vm.kernel_release(kernel)}"


def _guest_arguments(runs: list[ScenarioRun], rows: list[Interpreter], options: RunOptions, folder: str) -> list[str]:
    """`lab` arguments for the guest: the same cells, run on its own kernel."""
    artifacts = (options.artifacts / folder).resolve()
    argv = ["repro", "--backend", "host", "--artifacts", str(artifacts)]
    for row in rows:
        argv += ["--python", str(row.path)]
    for implementation in options.implementations:
        argv += ["--impl", implementation]
    return argv + [str(r.scenario.path) for r in runs]


def _command(plan: Path) -> str:
    """The guest's shell line: short, whatever the plan holds, because it
    travels on the kernel's command line (2 KiB on x86)."""
    # The guest's status is the matrix's business, not the boot's: always 0.
    return f"{vm_runner.guest_command([sys.executable, '-m', 'lab.repro.guest', str(plan)], last=False)} ; true"


def _fill_from_guest(runs: list[ScenarioRun], options: RunOptions, folder: str, why_empty: str) -> None:
    results = options.artifacts / folder / "results.json"
    try:
        records = {r["scenario"]: r for r in json.loads(results.read_text())}
    except (OSError, ValueError):
        records = {}
    for record in runs:
        found = records.get(record.scenario.name)
        if found is None:
            record.cells = [Cell(record.scenario.name, "-", "-", ERROR, why_empty, where="vm")]
            continue
        record.kernel = found["kernel"]
        record.kernel_build = found.get("kernel_build", "")
        record.cells = [Cell.from_json(c) for c in found["cells"]]
        for cell in record.cells:
            cell.where = "vm"
            cell.output = f"{folder}/{record.scenario.name}/{cell.output}" if cell.output else ""
            cell.pcaps = tuple(f"{folder}/{record.scenario.name}/{p}" for p in cell.pcaps)


def run_in_vm(runs: list[ScenarioRun], rows: list[Interpreter], options: RunOptions, kernel_image: Path | None = None) -> None:
    """Boot the lab VM once, on `kernel_image` (None: the default kernel),
    and run `runs`' scenarios in it."""
    try:
        kernel = vm_runner.resolve_kernel(str(kernel_image) if kernel_image else None)
    except RuntimeError as exc:
        for record in runs:
            record.where = "needs VM"
            record.cells = [Cell(record.scenario.name, "-", "-", NEEDS_VM, str(exc), where="-")]
        return
    folder = guest_folder(kernel)
    guest_artifacts = (options.artifacts / folder).resolve()
    guest_artifacts.mkdir(parents=True, exist_ok=True)
    (guest_artifacts / "results.json").unlink(missing_ok=True)
    spec = vm.VmSpec(
        kernel=kernel, accel=vm.accelerator(kernel), writable=(options.artifacts.resolve(),),
        cwd=vm_runner.GUEST_CWD,
    )
    names = ", ".join(r.scenario.reference for r in runs)
    options.report(f"booting the lab VM ({kernel.name}, {spec.accel.name}) for {names}")
    log = guest_artifacts / "guest.log"
    plan = guest_artifacts / "plan.json"
    plan.write_text(json.dumps(_guest_arguments(runs, rows, options, folder)))
    with open(log, "w", buffering=1) as out:
        status = vm.VirtualMachine(spec).run(_command(plan), lambda line: out.write(line + "\n"))
    for record in runs:
        record.where = f"vm {vm.kernel_release(kernel)}"
    _fill_from_guest(runs, options, folder, f"the guest left no verdict (VM exit {status}); see {log}")
    options.report(f"lab VM done (exit {status}); its log: {shlex.quote(str(log))}")
