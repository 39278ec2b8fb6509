"""The VM's part of the `lab` command: `lab test --backend host|vm|auto
[--kernel PATH]`, `lab vm shell` and `lab vm run -- CMD`."""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lab import oracle, processes
from lab.capabilities import CAPABILITIES
from lab.junit import Counts, junit_counts
from lab.paths import ARTIFACTS
from lab.vm import machine as vm_machine
from lab.vm import runner as vm_runner
from lab.vm.guest import NOTHING_COLLECTED, ORACLE_JUNIT, combined
from lab.vm.plugin import COLLECTED_BY_WORKERS, LEFT_FOR_VM

BACKENDS = ("auto", "host", "vm")
VM_MISSING = 4  # a share that should have run did not: the run proves less than it says
SUMMARY_FILE = "lab-test-summary.json"
INTERRUPTED = 2  # pytest's status for a run stopped by Ctrl-C (SIGINT)
BESIDE_LOG = "beside.log"


def add_test_arguments(run: argparse.ArgumentParser) -> None:
    run.add_argument(
        "--backend", choices=BACKENDS, default="auto",
        help="where tests run: `auto` (default) runs each test on the host when the host "
        "kernel has what it needs and in the lab VM otherwise; `host` or `vm` run all there",
    )
    run.add_argument(
        "--kernel", metavar="PATH|RELEASE", default=None,
        help="the kernel the lab VM boots: a path, or a release in /boot such as 6.12 "
        "(default: $LAB_KERNEL, else the newest /boot/vmlinuz-*)",
    )
    run.add_argument(
        "--beside", metavar="CMD", default=None,
        help="a command to run beside the shares, from the run's start (`make lab-test`: the repro "
        "catalogue, which fills the gaps the shares leave on the cores); its output is shown after the "
        "summary, and its exit status counts",
    )
    run.add_argument(
        "--host-workers", metavar="N", type=int, default=0,
        help="run the host's share in N pytest-xdist workers, a test file to a worker (xdist's "
        "loadfile): for a host share that waits more than it computes; the VM share is one vCPU's "
        "either way",
    )


def add_vm_command(commands: argparse._SubParsersAction) -> None:
    top = commands.add_parser("vm", help="the lab VM by hand: an interactive guest, or one command")
    top.add_argument("--kernel", metavar="PATH|RELEASE", default=None,
                     help="the kernel to boot: a path, or a release in /boot such as 6.12")
    actions = top.add_subparsers(dest="vm_command", required=True)
    actions.add_parser("shell", help="a shell in the guest, the families' modules loaded, in the repo")
    run = actions.add_parser("run", help="run CMD in a fresh guest and return its exit status")
    run.add_argument("argv", nargs=argparse.REMAINDER, metavar="-- CMD")


def _without_host_report(args: list[str]) -> list[str]:
    return [a for a in args if not a.startswith("--junitxml=")]


def _junit_of(args: list[str]) -> Path | None:
    chosen = [a.split("=", 1)[1] for a in args if a.startswith("--junitxml=")]
    return Path(chosen[-1]) if chosen else None


@dataclass
class Share:
    """What ran where: a share's exit status and its JUnit counts, or why it did not run."""

    name: str
    status: int | None = None  # None: it did not run
    counts: Counts | None = None
    why_not: str = ""
    junit: bool = True  # a pytest run, which writes a JUnit report
    cpu_s: float | None = None  # CPU time it used (a process's and its reaped descendants'), where known

    def line(self) -> str:
        if self.status is None:
            return f"{self.name}: did not run ({self.why_not})"
        if self.counts is None:
            return f"{self.name}: exit status {self.status}" + (", no report" if self.junit else "")
        c = self.counts
        return (f"{self.name}: {c.passed} passed, {c.failed} failed, {c.errors} errors, "
                f"{c.skipped} skipped (exit status {self.status})")


class Beside:
    """`--beside CMD`: started with the run, its output kept in a log (the
    shares' progress owns the terminal meanwhile) and shown when it ends."""

    def __init__(self, command: str | None, status: Callable[[str], None]) -> None:
        self.command = command
        self.process: subprocess.Popen | None = None
        if command is None:
            return
        ARTIFACTS.mkdir(exist_ok=True)
        self.log = ARTIFACTS / BESIDE_LOG
        status(f"beside the shares: `{command}` (its output: {self.log}, shown at the end)")
        with self.log.open("wb") as log:
            # A run killed outright (SIGKILL) still stops CMD, which cleans up after itself.
            argv = ["setpriv", "--pdeathsig", "TERM", "--", *shlex.split(command)]
            self.process = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)

    def stop(self) -> None:
        """The run is stopping before its end: CMD goes with it."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait()

    def finish(self) -> list[Share]:
        """Its share, once it has ended (killed if the run is stopping)."""
        if self.process is None:
            return []
        try:
            cpu = processes.cpu_seconds_at_exit(self.process.pid)
            code = self.process.wait()
        except BaseException:
            self.stop()
            raise
        sys.stdout.write(self.log.read_text(errors="replace"))
        sys.stdout.flush()
        return [Share(f"beside the shares, `{self.command}`", code, junit=False, cpu_s=cpu)]


def _report(shares: list[Share], status: Callable[[str], None]) -> None:
    status("summary: " + "; ".join(share.line() for share in shares))
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / SUMMARY_FILE).write_text(json.dumps(
        [{"share": s.name, "status": s.status, "why_not": s.why_not, "cpu_s": s.cpu_s,
          "counts": None if s.counts is None else vars(s.counts)} for s in shares], indent=1) + "\n")


def test(
    options: argparse.Namespace, args: list[str], run_host: Callable[[list[str]], int],
    status: Callable[[str], None],
) -> int:
    """Run `args` (pytest's, the host's JUnit path among them) on the
    backend(s) chosen, and `--beside` CMD from the start; the worst exit
    status of the shares.  A share that should have run and could not (the
    lab VM did not boot, no interpreter to be the oracle) fails the run,
    unless `--backend host` asked for the host alone; the summary says what
    ran where."""
    started, cpu_before = time.monotonic(), processes.own_cpu_seconds()
    beside = Beside(options.beside, status)
    try:
        shares, status_of_shares = _shares(options, args, run_host, status)
    except BaseException:
        beside.stop()
        raise
    if any(share.status == INTERRUPTED for share in shares):
        beside.stop()  # pytest took the Ctrl-C and returned: the user stopped the run, CMD too
    then = beside.finish()
    _report([*shares, *then], status)
    status(cpu_line([*shares, *then], processes.own_cpu_seconds() - cpu_before, time.monotonic() - started))
    return combined(status_of_shares, *(share.status or 0 for share in then))


def cpu_line(shares: list[Share], used: float, wall: float) -> str:
    """Where the run's CPU time went, and the wall time it sets as a floor
    on this machine's cores: the lab's speed is bounded by it, however its
    work is spread (the processes this run reaped: a container's, which
    Docker's shim reaps, are not counted)."""
    known = [(share.name.split(" (")[0].split(",")[0], share.cpu_s) for share in shares if share.cpu_s is not None]
    rest = used - sum(cpu for _name, cpu in known)
    cores = os.cpu_count() or 1
    parts = ", ".join(f"{name} {cpu:.0f} s" for name, cpu in [*known, ("the host share and the lab", rest)])
    return (f"CPU: {parts}; {used:.0f} s in all over {wall:.0f} s of wall time on {cores} core(s): "
            f"at best {used / cores:.0f} s here")


def _shares(
    options: argparse.Namespace, args: list[str], run_host: Callable[[list[str]], int],
    status: Callable[[str], None],
) -> tuple[list[Share], int]:
    """The shares that ran, and their combined exit status."""
    if options.backend == "host":
        host = Share("host share (every test, --backend host)", run_host(args))
        host.counts = junit_counts(_junit_of(args))
        return [host], host.status or 0
    try:
        kernel: Path | None = vm_runner.resolve_kernel(options.kernel)
        why_no_vm = ""
    except RuntimeError as exc:
        kernel, why_no_vm = None, f"the lab VM cannot boot: {exc}"
    guest_args = ["-p", "lab.vm.plugin", *_without_host_report(args)]
    if options.backend == "vm":
        if kernel is None:
            status(why_no_vm)
            return [Share("VM share", why_not=why_no_vm)], VM_MISSING
        # Which files the oracle pass runs again: a plan as if the host
        # lacked everything, since every test is the VM's here.
        every = ",".join(CAPABILITIES)
        plan = _plan(["-p", "lab.vm.plugin", "--lab-share=host", f"--lab-host-lacks={every}", *args], status)
        vm = _vm_share(guest_args, kernel, status, oracle_files=plan["no_oracle_files"],
                       oracle_constants=plan["no_oracle_constants"])
        return vm, _gate(vm)
    lacks = ",".join(vm_runner.host_lacks())
    status(f"the host lacks {lacks or 'nothing'}: the tests needing it run in the lab VM")
    split = [f"--lab-host-lacks={lacks}"]
    host_args = ["-p", "lab.vm.plugin", "--lab-share=host", *split, *args]
    if options.host_workers > 1:
        host_args += ["-n", str(options.host_workers), "--dist", "loadfile"]
    # What the VM's share is, from a collection of its own, so that the VM
    # boots and runs while the host's share runs: both cores at work.
    plan = _plan(host_args, status)
    vm_share: list[list[Share]] = []
    in_parallel: threading.Thread | None = None
    if plan["left_for_vm"] and kernel is not None:
        status(f"{len(plan['left_for_vm'])} test(s) need the lab VM: it boots while the host's share runs")
        vm_args = [*_only_files(plan["files_for_vm"], guest_args), "--lab-share=vm", *split]

        def vm_side() -> None:
            try:
                vm_share.append(_vm_share(vm_args, kernel, status, oracle_files=plan["no_oracle_files"],
                                          oracle_constants=plan["no_oracle_constants"]))
            except Exception as exc:  # noqa: BLE001 - reported as a share that did not run
                vm_share.append([Share("VM share", why_not=f"the VM share failed: {exc!r}")])

        in_parallel = threading.Thread(target=vm_side, name="vm-share", daemon=True)
        in_parallel.start()
    try:
        host = Share("host share", run_host(host_args))
        host.counts = junit_counts(_junit_of(args))
        stopped = host.status == INTERRUPTED and in_parallel is not None
        if stopped:
            # pytest took the Ctrl-C and returned: the VM's share goes too,
            # instead of being waited for.
            status("the host's share was interrupted: stopping the lab VM")
            vm_machine.stop_running()
        if in_parallel is not None:
            in_parallel.join()
    except BaseException:
        vm_machine.stop_running()  # the run stops here (a Ctrl-C while waiting): its VM too
        raise
    if stopped:
        vm_share[:] = [[Share("VM share (stopped with the run)", INTERRUPTED, junit=False)]]
    if COLLECTED_BY_WORKERS:
        LEFT_FOR_VM[:] = plan["left_for_vm"]
    if sorted(LEFT_FOR_VM) != sorted(plan["left_for_vm"]):
        # The collection the VM's share was planned from saw other tests.
        vm_share[:] = [[Share("VM share", why_not="its plan and the host's collection disagree on what the "
                                                   "VM runs; run again")]]
    if not LEFT_FOR_VM and not plan["left_for_vm"]:
        status("no test needs the lab VM: not booting it")
        return [host], host.status or 0
    if kernel is None:
        vm = [Share("VM share", why_not=f"{why_no_vm}; its {len(LEFT_FOR_VM)} test(s) never ran "
                                         "(`--backend host` runs the host's share alone)")]
    else:
        vm = vm_share[0]
    return [host, *vm], combined(host.status or 0, _gate(vm))


def _plan(host_args: list[str], status: Callable[[str], None]) -> dict:
    """Collect as the host's share will (in a child: this process's pytest
    run must import the test modules first, for assertion rewriting) and
    return what it leaves for the VM."""
    with tempfile.TemporaryDirectory(prefix="lab-plan-") as scratch:
        out = Path(scratch) / "plan.json"
        argv = [sys.executable, "-m", "pytest", "--collect-only", "-q", f"--lab-plan-out={out}",
                *(a for a in host_args if not a.startswith("--junitxml="))]
        done = subprocess.run(argv, capture_output=True, text=True, check=False)
        if not out.exists():
            status(f"collecting the VM's share failed:\n{done.stdout[-3000:]}{done.stderr[-2000:]}")
            return {"left_for_vm": [], "files_for_vm": [], "no_oracle_files": [], "no_oracle_constants": []}
        return json.loads(out.read_text())


def _vm_share(guest_args: list[str], kernel: Path, status: Callable[[str], None],
              oracle_files: list[str], oracle_constants: list[str]) -> list[Share]:
    """Boot the lab VM once: its share, and the files no oracle here can
    judge again under an interpreter whose stdlib can."""
    guest_options: list[str] = []
    second: Share | None = None
    if oracle_files:
        python, why = oracle.oracle_python(oracle_constants)
        name = f"VM share again under {python.path if python else oracle.DEFAULT_ORACLE_PYTHON} " \
               f"(its stdlib has {', '.join(oracle_constants)})"
        if python is None:
            second = Share(name, why_not=why)
        else:
            second = Share(name)
            guest_options = ["--oracle-python", python.path, "--oracle-build", str(python.build),
                             "--oracle-files", ",".join(oracle_files)]
    junit = (ARTIFACTS / vm_runner.GUEST_SUBDIR).resolve()
    for stale in (junit / "junit.xml", junit / ORACLE_JUNIT):
        stale.unlink(missing_ok=True)  # a report left by an earlier run would count as this one's
    vm_status, qemu_cpu = vm_runner.run_vm_share(guest_args, ARTIFACTS, kernel, status, guest_options)
    first = Share(f"VM share ({kernel.name})", vm_status, junit_counts(junit / "junit.xml"), cpu_s=qemu_cpu)
    if second is None:
        return [first]
    if second.why_not == "":
        second.status, second.counts = vm_status, junit_counts(junit / ORACLE_JUNIT)
    return [first, second]


def _gate(shares: list[Share]) -> int:
    """The VM shares' status: a share that did not run fails, and so do
    shares whose tests all skipped (the guest lacked what they need).  The
    first pass skipping what the oracle pass runs is by design: counted
    together."""
    ran = [s.status for s in shares if s.status is not None]
    worst = combined(*ran) if ran else NOTHING_COLLECTED
    counted = [s.counts for s in shares if s.counts is not None]
    all_skipped = bool(counted) and sum(c.skipped for c in counted) > 0 and not sum(
        c.passed + c.failed + c.errors for c in counted)
    if all_skipped or any(s.status is None for s in shares):
        return max(0 if worst == NOTHING_COLLECTED else worst, VM_MISSING)
    return worst


def _is_path(arg: str) -> bool:
    return not arg.startswith("-") and Path(arg.split("::")[0]).exists()


def _only_files(files: list[str], args: list[str]) -> list[str]:
    """`args` with its test paths replaced by `files`: the guest then
    imports only the test modules it runs (seconds each under TCG).  Node
    ids a user named (`file::test`) are kept as they are."""
    if any(_is_path(a) and "::" in a for a in args):
        return args
    return [a for a in args if not _is_path(a)] + files


def run(options: argparse.Namespace) -> int:
    try:
        kernel = vm_runner.resolve_kernel(options.kernel)
    except RuntimeError as exc:
        print(f"lab: the lab VM cannot boot: {exc}")
        return 4
    if options.vm_command == "shell":
        return vm_runner.shell(kernel, ARTIFACTS)
    argv = [a for a in options.argv if a != "--"] if options.argv[:1] == ["--"] else options.argv
    if not argv:
        print("lab: `lab vm run -- CMD` needs a command")
        return 2
    return vm_runner.run_command(kernel, ARTIFACTS, argv)
