"""Run one cell of a `lab repro` matrix (a scenario, an interpreter, an
implementation) in a child process, and say what happened.

The child is `lab/repro_child.py` under the interpreter of the row.  A
verdict comes back in a JSON file; a crash is the child's death by a signal,
a hang is the child outliving the scenario's timeout (its whole process
group is then killed).  The child's output is kept beside the verdict.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from lab import processes
from lab.paths import IMPORT_ROOT, REPRO_CHILD
from lab.repro.catalogue import Scenario, Version, kernel_version

if TYPE_CHECKING:
    from lab.repro.axis import KernelTarget

REPRODUCED = "reproduced"
NOT_REPRODUCED = "not reproduced"
CRASHED = "crashed"
HUNG = "hung"
NOT_APPLICABLE = "n/a"
NEEDS_VM = "needs VM"
ERROR = "error"
VM_TIMEOUT_SCALE = 5.0
IMPLEMENTATIONS = ("stdlib", "sockimpl")
BACKENDS = ("auto", "host", "vm")


@dataclass(frozen=True)
class Interpreter:
    version: str  # the full version, "3.11.7"
    path: Path

    @property
    def minor(self) -> tuple[int, int]:
        major, minor = self.version.split(".")[:2]
        return int(major), int(minor)

    @property
    def numbers(self) -> tuple[int, ...]:
        return tuple(int(p) for p in self.version.split(".") if p.isdigit())


@dataclass
class Cell:
    scenario: str
    python: str
    implementation: str  # "stdlib" or "sockimpl"
    verdict: str  # one of the constants above
    detail: str = ""
    where: str = "host"
    seconds: float = 0.0
    output: str = ""  # the kept output file, relative to the artifacts
    pcaps: tuple[str, ...] = ()
    # n/a for names this implementation lacks that the same interpreter's stdlib has
    stdlib_has: tuple[str, ...] = ()

    @property
    def shows_bug(self) -> bool:
        """The bug's symptom was seen: reproduced, or a crash."""
        return self.verdict in (REPRODUCED, CRASHED)

    def label(self) -> str:
        if self.verdict in (CRASHED, HUNG, NEEDS_VM, NOT_APPLICABLE, ERROR) and self.detail:
            joiner = " " if self.verdict in (CRASHED, HUNG) else ": "
            text = f"({self.detail})" if self.verdict in (CRASHED, HUNG) else self.detail
            return f"{self.verdict}{joiner}{text}"
        return self.verdict

    def to_json(self) -> dict:
        record = asdict(self)
        record["pcaps"] = list(self.pcaps)
        record["stdlib_has"] = list(self.stdlib_has)
        return record

    @classmethod
    def from_json(cls, record: dict) -> Cell:
        record = dict(record)
        record["pcaps"] = tuple(record.get("pcaps", ()))
        record["stdlib_has"] = tuple(record.get("stdlib_has", ()))
        return cls(**record)


def module_for(implementation: str) -> str:
    return "socket" if implementation == "stdlib" else "sockimpl"


def signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def timeout_scale() -> float:
    """How much longer a cell may take here: under the lab VM's emulated
    CPU an interpreter starts several times slower than on the host."""
    chosen = os.environ.get("LAB_REPRO_TIMEOUT_SCALE")
    if chosen:
        return float(chosen)
    return VM_TIMEOUT_SCALE if os.environ.get("LAB_IN_VM") else 1.0


def _kill_group(process: subprocess.Popen) -> None:
    processes.kill_group(process.pid)
    process.wait()


def _child_environment(prepared: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    # The repo only (not tests/): `import sockimpl` finds the in-place build,
    # and nothing in tests/ can shadow a stdlib module.
    env["PYTHONPATH"] = str(IMPORT_ROOT)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["PYTHONFAULTHANDLER"] = "1"  # a crash leaves its Python traceback in the output
    env.update(prepared)
    return env


def classify(
    scenario: Scenario, returncode: int | None, result: dict | None, timeout: float | None = None,
) -> tuple[str, str]:
    """The verdict of a child that exited with `returncode` (None: killed
    after `timeout` seconds) having written `result` (None: nothing)."""
    if returncode is None:
        detail = f"timeout {timeout or scenario.timeout:g}s"
        if scenario.hang_is_symptom:
            return REPRODUCED, f"hung: no answer within {detail}"
        return HUNG, detail
    if returncode < 0:
        return CRASHED, signal_name(-returncode)
    if result is None:
        return ERROR, f"the child exited with status {returncode} and no verdict (see its output)"
    return result["verdict"], result.get("detail", "")


class Outcome(NamedTuple):
    """What a cell's child said."""

    verdict: str
    detail: str
    output: Path
    stdlib_has: tuple[str, ...] = ()


def run_cell(
    scenario: Scenario, interpreter: Interpreter, implementation: str,
    prepared: dict[str, str], folder: Path,
) -> Outcome:
    """Run the cell in a child of its own."""
    stem = f"{interpreter.version}-{implementation}"
    output_path = folder / f"{stem}.out"
    result_path = folder / f"{stem}.json"
    result_path.unlink(missing_ok=True)
    timeout = scenario.timeout * timeout_scale()
    # -S: no site-packages to scan; the stdlib and the repo's sockimpl are
    # all a cell needs, and under the VM's emulated CPU site costs seconds.
    argv = [str(interpreter.path), "-S", str(REPRO_CHILD), str(scenario.path), module_for(implementation), str(result_path)]
    with open(output_path, "wb") as output:
        process = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT,
            env=_child_environment(prepared), cwd=folder, start_new_session=True,
        )
        try:
            returncode: int | None = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(process)
            returncode = None
    result = json.loads(result_path.read_text()) if result_path.exists() else None
    result_path.unlink(missing_ok=True)
    verdict, detail = classify(scenario, returncode, result, timeout)
    return Outcome(verdict, detail, output_path, tuple((result or {}).get("stdlib_has", ())))


@dataclass
class RunOptions:
    artifacts: Path
    implementations: tuple[str, ...] = IMPLEMENTATIONS
    backend: str = "auto"
    # The kernel axis (`--kernel`, `--kernels all`); empty: one kernel, the
    # host's where it has the family, else the lab VM's default.
    kernels: tuple[KernelTarget, ...] = ()
    report: Callable[[str], None] = print


@dataclass
class ScenarioRun:
    scenario: Scenario
    where: str = "host"  # "host", "vm <kernel>", or "needs VM"
    kernel: str = field(default_factory=lambda: os.uname().release)
    # `uname -v` of that kernel: where Debian writes the upstream version
    kernel_build: str = field(default_factory=lambda: os.uname().version)
    cells: list[Cell] = field(default_factory=list)

    @property
    def kernel_version(self) -> Version | None:
        try:
            return kernel_version(self.kernel, self.kernel_build)
        except ValueError:
            return None
