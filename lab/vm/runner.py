"""The host's side of a VM run: boot the lab VM once, run the VM's share of
the pytest session in it, stream its output, and leave the JUnit report,
the guest's capabilities and the timings in `lab-artifacts/`.
Also `lab vm shell` and `lab vm run -- CMD`."""

from __future__ import annotations

import json
import os
import re
import shlex
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from lab import terminal
from lab.capabilities import CAPABILITIES, missing
from lab.docker import data_disk
from lab.kernel import bluetooth
from lab.paths import CHECKOUT, IMPORT_ROOT, import_path
from lab.vm import kernels
from lab.vm import machine as vm
from lab.vm.guest import MARK
from lab.vm.plugin import FINISHED, PROGRESS_FILE, RUNNING

# The guest works in the checkout when there is one (the lab's own tests
# are there), else in the folder that holds the installed lab.
GUEST_CWD = CHECKOUT or IMPORT_ROOT
GUEST_SUBDIR = "vm"
VM_DIED = 3  # pytest's "internal error": no test result can be trusted
PLAN_FILE = "plan.json"


def host_lacks() -> list[str]:
    """The lab capabilities this host kernel does not have."""
    return [name for name in CAPABILITIES if missing(name) is not None]


def resolve_kernel(chosen: str | None) -> Path:
    """`--kernel` (a path, or a release such as "6.12" as `lab.vm.kernels`
    resolves it), else `LAB_KERNEL`, else the newest in /boot; the VM's
    reason for not booting raises `RuntimeError`."""
    try:
        kernel = kernels.resolve(chosen) if chosen else vm.default_kernel()
    except kernels.KernelNotFound as why:
        raise RuntimeError(str(why)) from why
    reason = vm.why_unavailable(kernel)
    if reason:
        raise RuntimeError(reason)
    assert kernel is not None
    return kernel


# Knobs of the differential engine, passed on to the guest as set here, so
# that a VM share's search replays with the seed and budget it was given.
PASSED_ON = ("SOCKLAB_ENGINE_EXAMPLES", "SOCKLAB_ENGINE_SEED", "SOCKLAB_ENGINE_IMPL")


def _guest_environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    return {
        "LAB_IN_VM": "1",
        # The guest sees the repo read-only: no bytecode, no pytest cache.
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONPATH": import_path(),
        "PYTHONUNBUFFERED": "1",
        **{name: os.environ[name] for name in PASSED_ON if os.environ.get(name)},
        **bluetooth.btvirt_environment(),
        **(extra or {}),
    }


def guest_command(argv: list[str], last: bool = True, extra_env: dict[str, str] | None = None) -> str:
    """A shell line for the guest: its environment (and `extra_env`), then
    `argv` from the repo (exec'd when it is the `last` command of the line)."""
    env = " ".join(f"{k}={shlex.quote(v)}" for k, v in _guest_environment(extra_env).items())
    run = "exec env" if last else "env"
    return f"cd {shlex.quote(str(GUEST_CWD))} && {run} {env} {shlex.join(argv)}"


def _load_modules_first() -> str:
    return guest_command([sys.executable, "-c", "import lab.vm.guest; lab.vm.guest.load_modules()"], last=False)


class GuestProgress:
    """Which test the guest ran last and whether its tests finished (from
    the progress file the guest keeps in the shared artifacts directory, see
    `lab.vm.plugin`), and the QEMU process it runs in: what it takes to say
    so when the VM dies."""

    def __init__(self, progress_file: Path) -> None:
        self.progress_file = progress_file
        progress_file.unlink(missing_ok=True)  # a previous run's
        self.qemu_pid: int | None = None

    def see(self, line: str) -> None:
        """Note a line of the guest's: once it speaks, its QEMU runs."""
        if self.qemu_pid is None and line.startswith(MARK):
            self.qemu_pid = _our_qemu()

    def death(self, status: int) -> str | None:
        """What to report when the VM ended before its tests did, else None."""
        try:
            said = self.progress_file.read_text(errors="replace").splitlines()
        except OSError:
            said = []
        if any(line.startswith(FINISHED) for line in said):
            return None
        if self.qemu_pid is None:
            return f"lab VM died while booting, before the guest said a word (VM exit status {status})"
        running = [line[len(RUNNING) + 1:] for line in said if line.startswith(RUNNING + " ")]
        during = f" while {running[-1]} ran" if running else " before its first test"
        return (f"lab VM (qemu pid {self.qemu_pid}) died before its tests finished{during}: "
                f"QEMU ended without the guest powering off (VM exit status {status})")


def _our_qemu() -> int | None:
    """The QEMU process of this lab process's VM (its watcher shell, named
    alike, runs another program)."""
    for pid in vm.vm_processes(process_name_pid=os.getpid()):
        try:
            program = os.readlink(f"/proc/{pid}/exe")
        except OSError:
            continue
        if Path(program).name == vm.QEMU:
            return pid
    return None


# What the guest says that marks a phase's end: "guest up", "first test
# starts", "oracle pass" (the main pass's end), "interfaces made" (`lab run`).
GUEST_MARKS = ("guest up", "first test starts", "oracle pass", "interfaces made")
# "guest up: ..., 7.8 s since the kernel started" and the like.
SINCE_KERNEL = re.compile(r"([0-9]+(?:\.[0-9]+)?) s since the kernel started")


class Timings:
    """Where a VM run's seconds go, phase by phase: the host's clock from
    QEMU's start, the guest's marks (its init's phases in a direct boot,
    "guest up", "interfaces made") in seconds since the kernel started,
    put on the host's clock through the first mark seen on both."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.marks: dict[str, float] = {}  # host seconds since the start
        self.guest: dict[str, float] = {}  # guest seconds since the kernel started
        self.ended: float | None = None

    def see(self, line: str) -> None:
        if not line.startswith(MARK):
            return
        text = line[len(MARK):].strip()
        name = text.split(":", 1)[0].strip()
        if name not in GUEST_MARKS or name in self.marks:
            return
        self.marks[name] = time.monotonic() - self.started
        since = SINCE_KERNEL.search(text)
        if since:
            self.guest[name] = float(since.group(1))

    def kernel_started(self) -> float | None:
        """When the guest kernel started, in host seconds since the start."""
        for name, uptime in self.guest.items():
            return self.marks[name] - uptime
        return None

    def phases(self, machine: vm.VirtualMachine, clock: str) -> list[dict]:
        """Each phase with when it ended and how long it took, in host
        seconds since QEMU's start.  Under the icount clock the guest's
        time is not the host's: its marks are left out here (see
        `guest_phases`)."""
        kernel = self.kernel_started()
        if clock == "host" and kernel is not None:
            points = [(name, at) for name, at in self.marks.items() if name not in self.guest]
            points.append(("QEMU start to kernel start", kernel))
            points += [(name, kernel + uptime) for uptime, name in self.guest_marks(machine)]
        else:
            points = list(self.marks.items())  # when the host saw each mark
        if self.ended is not None:
            points.append(("powered off", self.ended - self.started))
        return _durations(sorted(points, key=lambda point: point[1]))

    def guest_marks(self, machine: vm.VirtualMachine) -> list[tuple[float, str]]:
        return sorted([*machine.timeline, *((uptime, name) for name, uptime in self.guest.items())])

    def guest_phases(self, machine: vm.VirtualMachine) -> list[dict]:
        """The guest's phases on its own clock, from the kernel's start."""
        return _durations([(name, uptime) for uptime, name in self.guest_marks(machine)])

    def save(self, path: Path, accel: vm.Accelerator, kernel: Path, status: int,
             machine: vm.VirtualMachine | None = None, clock: str = "host") -> dict:
        self.ended = time.monotonic()
        first = self.marks.get("first test starts", self.marks.get("interfaces made"))
        record = {
            "kernel": str(kernel), "accelerator": accel.name, "accelerator_reason": accel.reason,
            "boot": machine.boot if machine is not None else None, "clock": clock,
            "boot_to_guest_s": _rounded(self.marks.get("guest up")),
            "boot_to_first_test_s": _rounded(first),
            "vm_share_total_s": _rounded(self.ended - self.started),
            # QEMU's own CPU time: under TCG, what the guest's work cost the host.
            "cpu_s": machine.cpu_seconds if machine is not None else None,
            "phases": self.phases(machine, clock) if machine is not None else [],
            "guest_phases": self.guest_phases(machine) if machine is not None else [],
            "exit_status": status,
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(record, indent=1) + "\n")
        return record


def _durations(points: list[tuple[str, float]]) -> list[dict]:
    phases, previous = [], 0.0
    for name, at in points:
        phases.append({"phase": name, "at_s": round(at, 2), "took_s": round(at - previous, 2)})
        previous = at
    return phases


def phases_text(record: dict) -> str:
    """One line: each phase's duration, in order (the boot's progress
    report); under the icount clock, the guest's phases on its own clock."""
    text = ", ".join(f"{p['phase']} {p['took_s']:g} s" for p in record.get("phases", []))
    if record.get("clock", "host") != "host" and record.get("guest_phases"):
        text += "; on the guest's clock: " + ", ".join(
            f"{p['phase']} {p['took_s']:g} s" for p in record["guest_phases"])
    return text


def _echo(piece: str) -> None:
    """The guest's output on the terminal as it comes, pytest's dots too."""
    terminal.write(1, piece)


class LineEcho:
    """The VM share's output on the terminal a whole line at a time, each
    marked as the guest's: the host's share writes its own progress there
    meanwhile (from this process, past its own capture: `lab.terminal`)."""

    def __init__(self, mark: str = "[vm] ", write: Callable[[str], None] | None = None) -> None:
        self.mark = mark
        self.write = write or partial(terminal.write, 1)
        self.pending = ""

    def __call__(self, piece: str) -> None:
        *lines, self.pending = (self.pending + piece).split("\n")
        if lines:
            self.write("".join(f"{self.mark}{line}\n" for line in lines))

    def flush(self) -> None:
        if self.pending:
            self.write(f"{self.mark}{self.pending}\n")
            self.pending = ""


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _spec(kernel: Path, writable: tuple[Path, ...], disks: tuple[vm.GuestDisk, ...] = (),
          favoured: bool = False) -> vm.VmSpec:
    return vm.VmSpec(kernel=kernel, accel=vm.accelerator(kernel), writable=writable, cwd=GUEST_CWD, disks=disks,
                     favoured=favoured)


def prepared_docker_disk(kernel: Path, report: Callable[[str], None]) -> tuple[vm.GuestDisk, ...]:
    """The Docker data root with the peer images in it (`lab.docker.data_disk`)
    for the guest's engine, when it is made and the boot can attach it; the
    guest's engine otherwise loads the images itself, a minute under TCG."""
    if vm.boot_method(kernel) != "direct":
        return ()
    image = data_disk.current()
    if image is None:
        if data_disk.why_unavailable() is None:
            report("VM: no Docker data root prepared for the current peer images "
                   "(`socklab images build` makes it): the guest's engine loads them")
        return ()
    return (vm.GuestDisk(image, data_disk.GUEST_MOUNT),)


def run_vm_share(
    pytest_args: list[str], artifacts: Path, kernel: Path, report: Callable[[str], None],
    guest_options: list[str] | tuple[str, ...] = (),
) -> tuple[int, float | None]:
    """Run pytest in the VM with `pytest_args`; JUnit and failing tests'
    captures go to `artifacts/vm/`, timings to `artifacts/vm-timings.json`.
    Its exit status, and QEMU's CPU time (None where it cannot be known)."""
    artifacts = artifacts.resolve()
    guest_artifacts = artifacts / GUEST_SUBDIR
    guest_artifacts.mkdir(parents=True, exist_ok=True)
    disks = prepared_docker_disk(kernel, report)
    # The VM share is the run's longest chain (one vCPU, nothing to split):
    # its QEMU comes before the host's share and `--beside` when both want a core.
    spec = _spec(kernel, (artifacts,), disks, favoured=True)
    report(f"VM: {kernel.name} under {spec.accel.name.upper()} ({spec.accel.reason})")
    plan = guest_artifacts / PLAN_FILE
    plan.write_text(json.dumps([
        "--artifacts", str(guest_artifacts), *guest_options, "--",
        f"--junitxml={guest_artifacts / 'junit.xml'}", f"--lab-artifacts={guest_artifacts}",
        # Hypothesis's plugin costs seconds to import under TCG and no lab test uses it.
        "-p", "no:hypothesispytest",
        *pytest_args,
    ]))
    # Only the plan's path on the command line: it travels on the guest
    # kernel's, which is cut at 2 KiB.
    argv = [sys.executable, "-m", "lab.vm.guest", "--plan", str(plan)]
    timings = Timings()
    progress = GuestProgress(guest_artifacts / PROGRESS_FILE)

    def note(line: str) -> None:
        timings.see(line)
        progress.see(line)

    extra_env = {"SOCKLAB_DOCKER_DATA_ROOT": str(data_disk.GUEST_DATA_ROOT)} if disks else {}
    machine = vm.VirtualMachine(spec)
    echo = LineEcho()
    try:
        status = machine.run(guest_command(argv, extra_env=extra_env), note, echo=echo)
    finally:
        echo.flush()
    record = timings.save(artifacts / "vm-timings.json", spec.accel, kernel, status, machine, spec.clock)
    report(f"VM boot ({record['boot']}): {phases_text(record)}")
    report(
        f"VM share: boot to first test {record['boot_to_first_test_s']} s, "
        f"total {record['vm_share_total_s']} s, QEMU's CPU {record['cpu_s']} s, exit status {status}"
    )
    died = progress.death(status)
    if died:
        report(died)
        return status or VM_DIED, machine.cpu_seconds
    return status, machine.cpu_seconds


def shell(kernel: Path, artifacts: Path) -> int:
    """An interactive guest, the lab's modules loaded, in the repo."""
    artifacts = artifacts.resolve()
    artifacts.mkdir(parents=True, exist_ok=True)
    login = os.environ.get("SHELL", "/bin/bash")
    command = f"{_load_modules_first()}; {guest_command([login, '-i'])}"
    return vm.VirtualMachine(_spec(kernel, (artifacts,))).interactive(command)


def run_command(kernel: Path, artifacts: Path, argv: list[str]) -> int:
    """`argv` in a fresh guest (modules loaded), output streamed; its status."""
    artifacts = artifacts.resolve()
    artifacts.mkdir(parents=True, exist_ok=True)
    command = f"{_load_modules_first()} && {guest_command(argv)}"
    return vm.VirtualMachine(_spec(kernel, (artifacts,))).run(command, lambda _: None, echo=_echo)


def timings_report(path: Path = Path("lab-artifacts") / "vm-timings.json") -> str:
    """The last VM run's timings against the lab's targets (for `make bench`)."""
    try:
        record = json.loads(path.read_text())
    except (OSError, ValueError):
        return f"lab VM: no timings yet ({path} is written by every VM run)"
    return (
        f"lab VM ({Path(record['kernel']).name}, {record['accelerator'].upper()}, {record.get('boot', 'vng')} boot): "
        f"boot to first test {record['boot_to_first_test_s']} s (target 10 s under TCG), "
        f"VM share {record['vm_share_total_s']} s (target 300 s)\n  phases: {phases_text(record)}"
    )


if __name__ == "__main__":
    print(timings_report())
