"""The host's side of a VM run: boot the lab VM once, run the VM's share of
the pytest session in it, stream its output, and leave the JUnit report,
the guest's capabilities and the timings in `lab-artifacts/`.
Also `lab vm shell` and `lab vm run -- CMD`."""

from __future__ import annotations

import json
import os
import shlex
import sys
import time
from collections.abc import Callable
from pathlib import Path

from lab.capabilities import CAPABILITIES, missing
from lab.paths import CHECKOUT, IMPORT_ROOT, import_path
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
    """`--kernel`, else `LAB_KERNEL`, else the newest in /boot; the VM's
    reason for not booting raises `RuntimeError`."""
    kernel = Path(chosen) if chosen else vm.default_kernel()
    reason = vm.why_unavailable(kernel)
    if reason:
        raise RuntimeError(reason)
    assert kernel is not None
    return kernel


def _guest_environment() -> dict[str, str]:
    return {
        "LAB_IN_VM": "1",
        # The guest sees the repo read-only: no bytecode, no pytest cache.
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONPATH": import_path(),
        "PYTHONUNBUFFERED": "1",
    }


def guest_command(argv: list[str], last: bool = True) -> str:
    """A shell line for the guest: its environment, then `argv` from the
    repo (exec'd when it is the `last` command of the line)."""
    env = " ".join(f"{k}={shlex.quote(v)}" for k, v in _guest_environment().items())
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
            return f"lab VM died while booting, before the guest said a word (vng exit status {status})"
        running = [line[len(RUNNING) + 1:] for line in said if line.startswith(RUNNING + " ")]
        during = f" while {running[-1]} ran" if running else " before its first test"
        return (f"lab VM (qemu pid {self.qemu_pid}) died before its tests finished{during}: "
                f"QEMU ended without the guest powering off (vng exit status {status})")


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


class Timings:
    """Boot to guest user space, to the first test, and the whole VM share."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.marks: dict[str, float] = {}

    def see(self, line: str) -> None:
        if not line.startswith(MARK):
            return
        text = line[len(MARK):].strip()
        if text.startswith("guest up") and "guest_up" not in self.marks:
            self.marks["guest_up"] = time.monotonic() - self.started
        elif text.startswith("first test") and "first_test" not in self.marks:
            self.marks["first_test"] = time.monotonic() - self.started

    def save(self, path: Path, accel: vm.Accelerator, kernel: Path, status: int) -> dict:
        record = {
            "kernel": str(kernel), "accelerator": accel.name, "accelerator_reason": accel.reason,
            "boot_to_guest_s": _rounded(self.marks.get("guest_up")),
            "boot_to_first_test_s": _rounded(self.marks.get("first_test")),
            "vm_share_total_s": _rounded(time.monotonic() - self.started),
            "exit_status": status,
        }
        path.write_text(json.dumps(record, indent=1) + "\n")
        return record


def _echo(piece: str) -> None:
    """The guest's output on the terminal as it comes: pytest's dots too."""
    sys.stdout.write(piece)
    sys.stdout.flush()


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _spec(kernel: Path, writable: tuple[Path, ...]) -> vm.VmSpec:
    return vm.VmSpec(kernel=kernel, accel=vm.accelerator(kernel), writable=writable, cwd=GUEST_CWD)


def run_vm_share(
    pytest_args: list[str], artifacts: Path, kernel: Path, report: Callable[[str], None],
    guest_options: list[str] | tuple[str, ...] = (),
) -> int:
    """Run pytest in the VM with `pytest_args`; JUnit and failing tests'
    captures go to `artifacts/vm/`, timings to `artifacts/vm-timings.json`."""
    artifacts = artifacts.resolve()
    guest_artifacts = artifacts / GUEST_SUBDIR
    guest_artifacts.mkdir(parents=True, exist_ok=True)
    spec = _spec(kernel, (artifacts,))
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

    status = vm.VirtualMachine(spec).run(guest_command(argv), note, echo=_echo)
    record = timings.save(artifacts / "vm-timings.json", spec.accel, kernel, status)
    report(
        f"VM share: boot to first test {record['boot_to_first_test_s']} s, "
        f"total {record['vm_share_total_s']} s, exit status {status}"
    )
    died = progress.death(status)
    if died:
        report(died)
        return status or VM_DIED
    return status


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
        f"lab VM ({Path(record['kernel']).name}, {record['accelerator'].upper()}): "
        f"boot to first test {record['boot_to_first_test_s']} s (target 30 s), "
        f"VM share {record['vm_share_total_s']} s (target 300 s)"
    )


if __name__ == "__main__":
    print(timings_report())
