"""`lab run`: the user's own command where its interfaces exist, with any
socket implementation swapped in.

    lab run [--needs vcan,vxcan,...] [--backend auto|host|vm] [--kernel PATH]
            [--python PATH] [--impl stdlib|sockimpl|MODULE]... [--timeout S]
            [--env NAME=VALUE]... [--junit PATH] [--clock auto|host|icount]
            [--cpus N] -- CMD ...

CMD runs from the current directory: on the host when the host kernel has
every need, otherwise in the lab VM, whose guest sees this directory
writable and gets the needed interfaces before CMD starts.  `--impl`
swaps `socket` for every Python process of CMD's tree (see
`lab/impl_hook/sitecustomize.py`); given twice, CMD runs once per
implementation and the outcomes are printed side by side.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shlex
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lab import processes
from lab.config import pyproject_table
from lab.junit import junit_counts
from lab.kernel import bluetooth
from lab.paths import ARTIFACTS, CHECKOUT, IMPL_HOOK, IMPORT_ROOT, import_path
from lab.run import needs as run_needs
from lab.run import report as run_report
from lab.run.needs import Need, NeedError
from lab.vm import machine as vm
from lab.vm import runner as vm_runner
from lab.vm.guest import MARK
from lab.vm.machine import CLOCKS

STDLIB = "stdlib"
AUTO_CLOCK = "auto"
TIMED_OUT = 124
# A hung boot or guest is killed this long after --timeout runs out.
BOOT_ALLOWANCE_S = 120.0
# The boot's phases of the last `lab run` in the VM (under the run's folder).
RUN_TIMINGS = "vm-run-timings.json"
GUEST_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def add_command(commands: argparse._SubParsersAction) -> None:
    run = commands.add_parser(
        "run", help="run CMD (`lab run [options] -- CMD ...`) where its interfaces exist, "
                    "any socket implementation swapped in",
    )
    run.add_argument("--needs", help="comma-separated lab capabilities, e.g. vcan,vxcan,vhci,vsock,alg "
                                     "(vcan:3 makes vcan0..vcan2); default: [tool.socklab] needs in pyproject.toml")
    run.add_argument("--backend", choices=("auto", "host", "vm"), default="auto")
    run.add_argument("--kernel", help="the VM's kernel: a path, or a release in /boot such as 6.12 "
                                      "(default: [tool.socklab] kernel, LAB_KERNEL, "
                                      "else the distribution's kernel with every family)")
    run.add_argument("--python", default=sys.executable, help="the interpreter `python` means in CMD")
    run.add_argument("--impl", action="append", metavar="stdlib|sockimpl|MODULE",
                     help="the socket module for every Python process of CMD; twice: compare "
                          "(default: [tool.socklab] impl, else stdlib)")
    run.add_argument("--timeout", type=float, help="seconds before CMD (and its VM) is killed "
                                                   "(default: [tool.socklab] timeout)")
    run.add_argument("--env", action="append", default=[], metavar="NAME=VALUE", help="set in CMD's environment")
    run.add_argument("--junit", help="the JUnit report CMD writes (given to pytest automatically)")
    run.add_argument("--clock", choices=(AUTO_CLOCK, *CLOCKS), default=AUTO_CLOCK,
                     help="the VM guest's clock: icount counts guest time in executed instructions, so timers "
                          "and timestamps keep their schedule on a busy host (TCG only); host follows the "
                          "host's time; auto: icount under TCG, host under KVM")
    run.add_argument("--cpus", type=int, default=1, help="the VM's vCPU count")
    run.add_argument("argv", nargs=argparse.REMAINDER, help="-- CMD ...")


@dataclass(frozen=True)
class Plan:
    """Everything one `lab run` decided before CMD starts."""

    argv: list[str]
    cwd: Path
    needs: list[Need]
    backend: str  # "host" or "vm"
    kernel: Path | None
    python: str
    timeout: float | None
    extra_env: dict[str, str]
    junit: str | None
    clock: str = AUTO_CLOCK
    cpus: int = 1


def _status(message: str) -> None:
    print(f"lab run: {message}", file=sys.stderr, flush=True)


def _command(options: argparse.Namespace, rest: list[str]) -> list[str]:
    argv = list(options.argv) + list(rest)
    if argv and argv[0] == "--":
        argv = argv[1:]
    return argv


def _needs(options: argparse.Namespace, cwd: Path) -> list[Need]:
    return run_needs.parse_needs(options.needs or "")


def _vm_kernel(chosen: str | None) -> tuple[Path | None, str | None]:
    try:
        return vm_runner.resolve_kernel(chosen), None
    except RuntimeError as why:
        return None, str(why)


def _extra_env(pairs: list[str]) -> dict[str, str]:
    env = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise NeedError(f"--env {pair!r}: expected NAME=VALUE")
        env[name] = value
    return env


def _refuse_icount_without_tcg(kernel: Path | None) -> None:
    assert kernel is not None
    accel = vm.accelerator(kernel)
    if accel.name != "tcg":
        raise NeedError(f"--clock icount: the VM would run under {accel.name.upper()} ({accel.reason}), which "
                        "cannot count instructions; set LAB_ACCEL=tcg or use --clock host")


def _with_project_defaults(options: argparse.Namespace, cwd: Path) -> argparse.Namespace:
    """`[tool.socklab]` of the project's pyproject.toml fills what the
    command line left out: `needs`, `impl` (a list), `kernel`, `timeout`."""
    table = pyproject_table(cwd)
    defaults = {
        "needs": table.get("needs"),
        "impl": table.get("impl"),
        "kernel": table.get("kernel"),
        "timeout": table.get("timeout"),
    }
    for name, value in defaults.items():
        if getattr(options, name) is None and value is not None:
            if name == "needs" and not isinstance(value, str):
                value = ",".join(value)
            if name == "impl" and isinstance(value, str):
                value = [part.strip() for part in value.split(",") if part.strip()]
            setattr(options, name, value)
    return options


def plan(options: argparse.Namespace, rest: list[str]) -> Plan:
    """Decide where and how CMD runs; `NeedError` says why it cannot."""
    options = _with_project_defaults(options, Path.cwd())
    argv = _command(options, rest)
    if not argv:
        raise NeedError("no command: `lab run [options] -- CMD ...`")
    python = os.path.abspath(options.python)
    if not os.access(python, os.X_OK):
        raise NeedError(f"--python {options.python}: not an executable")
    cwd = Path.cwd()
    needs = _needs(options, cwd)
    kernel, vm_reason = _vm_kernel(options.kernel) if options.backend != "host" else (None, None)
    refusal = run_needs.unmeetable(needs, vm_reason, options.backend)
    if refusal:
        raise NeedError(refusal)
    on_host = options.backend == "host" or (options.backend == "auto" and not run_needs.host_shortfall(needs))
    if not on_host and kernel is None:
        raise NeedError(f"--backend vm: the lab VM cannot boot: {vm_reason}")
    if options.cpus < 1:
        raise NeedError(f"--cpus {options.cpus}: the VM needs at least one vCPU")
    if not on_host and options.clock == "icount":
        _refuse_icount_without_tcg(kernel)
    return Plan(argv, cwd, needs, "host" if on_host else "vm", None if on_host else kernel,
                python, options.timeout, _extra_env(options.env), options.junit, options.clock, options.cpus)


def _is_pytest(argv: list[str]) -> bool:
    """Whether CMD runs pytest, also behind `env NAME=VALUE ...`."""
    if argv and Path(argv[0]).name == "env":
        argv = argv[1:]
        while argv and ("=" in argv[0] or argv[0].startswith("-")):
            argv = argv[1:]
    if not argv:
        return False
    if Path(argv[0]).name.startswith("pytest"):
        return True
    return "-m" in argv and argv.index("-m") + 1 < len(argv) and argv[argv.index("-m") + 1] == "pytest"


def _with_junit(the_plan: Plan, impl: str) -> tuple[list[str], Path | None]:
    """CMD, given a JUnit report path when it is pytest; where to read it."""
    if the_plan.junit:
        return the_plan.argv, the_plan.cwd / the_plan.junit
    if not _is_pytest(the_plan.argv) or any(a.startswith("--junitxml") for a in the_plan.argv):
        return the_plan.argv, None
    report = the_plan.cwd / "lab-artifacts" / f"run-{impl.replace('/', '_')}.xml"
    report.parent.mkdir(parents=True, exist_ok=True)
    return [*the_plan.argv, f"--junitxml={report}"], report


def _fresh_junit(the_plan: Plan, impl: str) -> tuple[list[str], Path | None]:
    """`_with_junit`, with an old report at that path removed: a stale one
    would be counted as this run's."""
    argv, junit = _with_junit(the_plan, impl)
    if junit is not None and junit.exists():
        junit.unlink()
    return argv, junit


def _python_path(impl: str) -> str:
    """The hook first (when swapping), the user's own entries, a checkout's
    root last so that its packages (`sockimpl`) import without shadowing the
    user's."""
    ours = {Path(entry) for entry in import_path().split(os.pathsep)}
    inherited = [entry for entry in os.environ.get("PYTHONPATH", "").split(os.pathsep)
                 if entry and Path(entry) not in ours]
    hook = [str(IMPL_HOOK)] if impl != STDLIB else []
    # A checkout's in-place builds serve every interpreter; an installed
    # sockimpl is the one of the interpreter CMD runs, found by its own path.
    checkout = [str(IMPORT_ROOT)] if CHECKOUT else []
    return os.pathsep.join([*hook, *inherited, *checkout])


def command_environment(the_plan: Plan, impl: str, base_path: str) -> dict[str, str]:
    """The variables `lab run` sets for CMD (on top of the host's or guest's)."""
    return {
        **run_needs.environment(the_plan.needs),
        "LAB_SOCKET_IMPL": impl,
        "PYTHONPATH": _python_path(impl),
        "PATH": os.pathsep.join([str(Path(the_plan.python).parent), base_path]),
        **bluetooth.btvirt_environment(),
        **the_plan.extra_env,
    }


def _interpreter_version(python: str) -> str:
    done = subprocess.run([python, "-c", "import sys; print(sys.version.split()[0])"],
                          capture_output=True, text=True, check=False)
    return f"{python} ({done.stdout.strip() or 'version unknown'})"


def _impl_origin(impl: str) -> str:
    if impl == STDLIB:
        return "the interpreter's own socket module"
    try:
        spec = importlib.util.find_spec(impl)
    except (ImportError, ValueError):
        spec = None
    return spec.origin if spec is not None and spec.origin else "resolved in CMD's interpreter"


class _Terminated(Exception):
    """SIGINT, SIGTERM or SIGHUP reached `lab run`: clean up and stop."""


class _Stops:
    """The stopping signals, raised as `_Terminated`, except while CMD is
    being started on the host: one arriving then (inside `Popen`, after
    the fork) would leave CMD running with nobody holding its pid.  It is
    raised as soon as CMD has one, where its process group is killed."""

    def __init__(self) -> None:
        self.starting = False
        self.pending: str | None = None

    def handle(self, signum: int, _frame: object) -> None:
        name = signal.Signals(signum).name
        if self.starting:
            self.pending = name
            return
        raise _Terminated(name)

    def start(self, argv: list[str], **options: Any) -> subprocess.Popen:
        """CMD started, stops held until `started()`: call it first thing
        in the `try` whose `finally` kills CMD."""
        self.starting = True
        try:
            return subprocess.Popen(argv, **options)
        except BaseException:
            self.starting = False
            raise

    def started(self) -> None:
        self.starting = False
        if self.pending is not None:
            stop, self.pending = self.pending, None  # raised once, not again at the next CMD
            raise _Terminated(stop)


_STOPS = _Stops()
STOPPING_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def run_on_host(argv: list[str], env: dict[str, str], cwd: Path, timeout: float | None) -> int:
    """CMD in its own session, output straight to ours; whatever CMD left
    running in that session is killed when it ends, times out or we stop."""
    process = _STOPS.start(argv, cwd=cwd, env={**os.environ, **env}, start_new_session=True)
    try:
        _STOPS.started()
        return process.wait(timeout)
    except subprocess.TimeoutExpired:
        _status(f"CMD timed out after {timeout:g} s: killed")
        return TIMED_OUT
    finally:
        processes.kill_group(process.pid)
        process.wait()


def guest_script(the_plan: Plan, argv: list[str], env: dict[str, str]) -> str:
    """One shell line for the guest: modules and interfaces (`lab.run.guest`,
    under the lab's own interpreter), then CMD; CMD never starts when the
    interfaces could not be made."""
    return f"{_guest_setup(the_plan, env)} && {_guest_command(the_plan, argv, env)}"


def guest_script_for_each(the_plan: Plan, runs: list[GuestRun]) -> str:
    """The same for several implementations in one boot: the interfaces
    once, then CMD for each in turn, each between marks that say which one
    runs and how it ended."""
    each = [f"echo {shlex.quote(run.header)}; echo \"{MARK} run starts {run.impl}\"; "
            f"({_guest_command(the_plan, run.argv, run.env)}); echo \"{MARK} run ended {run.impl} $?\""
            for run in runs]
    return f"{_guest_setup(the_plan, runs[0].env)} && {{ {'; '.join(each)}; }}"


def _guest_setup(the_plan: Plan, env: dict[str, str]) -> str:
    setup = shlex.join([sys.executable, "-m", "lab.run.guest", run_needs.describe(the_plan.needs)])
    # The btvirt of `--needs vhci` is CMD's (`--env LAB_BTVIRT=...` too).
    setup_env = {"PYTHONPATH": import_path()}
    if bluetooth.BTVIRT_VARIABLE in env:
        setup_env[bluetooth.BTVIRT_VARIABLE] = env[bluetooth.BTVIRT_VARIABLE]
    # The guest is ready: the host's boot timeline ends its phases here.
    ready = f"echo \"{MARK} interfaces made: $(cut -d' ' -f1 /proc/uptime) s since the kernel started\""
    setup_variables = " ".join(f"{name}={shlex.quote(value)}" for name, value in setup_env.items())
    return f"env {setup_variables} {setup} && {ready}"


def _guest_command(the_plan: Plan, argv: list[str], env: dict[str, str]) -> str:
    variables = " ".join(f"{name}={shlex.quote(value)}" for name, value in env.items())
    limit = f"timeout -k 5 {the_plan.timeout:g} " if the_plan.timeout is not None else ""
    return f"cd {shlex.quote(str(the_plan.cwd))} && exec env {variables} {limit}{shlex.join(argv)}"


def _echo(piece: str) -> None:
    sys.stdout.write(piece)
    sys.stdout.flush()


def _kill_own_vm(fired: threading.Event) -> None:
    fired.set()
    for pid in vm.vm_processes(process_name_pid=os.getpid()):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def guest_clock(chosen: str, accel: str) -> str:
    """`--clock auto`: icount wherever QEMU emulates (TCG), since there the
    host's load otherwise shows up as timer jitter in the guest."""
    if chosen != AUTO_CLOCK:
        return chosen
    return "icount" if accel == "tcg" else "host"


def run_in_vm(the_plan: Plan, argv: list[str], env: dict[str, str]) -> int:
    """Boot the lab VM, CMD in it with the user's directory writable; the
    VM is killed when the timeout (plus boot time) runs out."""
    return _in_vm(the_plan, guest_script(the_plan, argv, env), the_plan.timeout)


def _in_vm(the_plan: Plan, script: str, budget: float | None,
           on_line: Callable[[str], None] | None = None) -> int:
    """`script` in a fresh lab VM; its exit status.  `budget`: seconds the
    commands may take (the boot has an allowance on top)."""
    assert the_plan.kernel is not None
    accel = vm.accelerator(the_plan.kernel)
    # The run's folder is often a project with its venv: cached, CMD starts seconds sooner
    # (what it writes reaches the host when the guest syncs, before power-off).
    spec = vm.VmSpec(kernel=the_plan.kernel, accel=accel, writable=(the_plan.cwd,), cwd=the_plan.cwd,
                     cpus=the_plan.cpus, clock=guest_clock(the_plan.clock, accel.name),
                     writable_cache="cache=loose")
    fired = threading.Event()
    watchdog = None
    if budget is not None:
        # The guest's `timeout` ends CMD itself; this catches a boot or a
        # guest that hangs, so the budget includes a boot's worth of slack.
        watchdog = threading.Timer(budget + BOOT_ALLOWANCE_S, _kill_own_vm, (fired,))
        watchdog.daemon = True
        watchdog.start()
    timings = vm_runner.Timings()

    def see(line: str) -> None:
        timings.see(line)
        if on_line is not None:
            on_line(line)

    machine = vm.VirtualMachine(spec)
    try:
        status = machine.run(script, see, echo=_echo)
    finally:
        if watchdog is not None:
            watchdog.cancel()
    record = timings.save(the_plan.cwd / ARTIFACTS / RUN_TIMINGS, accel, the_plan.kernel, status, machine, spec.clock)
    _status(f"VM boot ({record['boot']}, clock {spec.clock}): {vm_runner.phases_text(record)}")
    if fired.is_set() or status == TIMED_OUT:
        _status(f"CMD timed out after {the_plan.timeout:g} s: killed with its VM")
        return TIMED_OUT
    return status


@dataclass
class GuestRun:
    """CMD for one implementation, as the guest runs it."""

    impl: str
    argv: list[str]
    env: dict[str, str]
    header: str
    junit: Path | None


def run_each_in_one_vm(the_plan: Plan, impls: list[str]) -> list[run_report.Outcome]:
    """CMD for each implementation in turn, in one lab VM boot (a boot and
    the interfaces cost seconds each under TCG); each one's exit status and
    time come from the marks around it."""
    runs = []
    for impl in impls:
        argv, junit = _fresh_junit(the_plan, impl)
        runs.append(GuestRun(impl, argv, command_environment(the_plan, impl, GUEST_PATH), _header(the_plan, impl),
                             junit))
    started: dict[str, float] = {}
    ended: dict[str, tuple[int, float]] = {}

    def see(line: str) -> None:
        words = line[len(MARK):].split() if line.startswith(MARK) else []
        if words[:2] == ["run", "starts"] and len(words) == 3:
            started[words[2]] = time.monotonic()
        elif words[:2] == ["run", "ended"] and len(words) == 4:
            ended[words[2]] = (int(words[3]), time.monotonic())

    budget = None if the_plan.timeout is None else the_plan.timeout * len(runs)
    status = _in_vm(the_plan, guest_script_for_each(the_plan, runs), budget, see)
    outcomes = []
    for run in runs:
        # One that never ended in the guest: the VM's status says why (a
        # timeout, a guest that died, interfaces that could not be made).
        code, at = ended.get(run.impl, (status or 1, time.monotonic()))
        outcomes.append(run_report.Outcome(run.impl, code, junit_counts(run.junit), at - started.get(run.impl, at)))
    return outcomes


def _header(the_plan: Plan, impl: str) -> str:
    if the_plan.backend == "host":
        kernel = f"{os.uname().release} (host)"
        backend = "host"
    else:
        assert the_plan.kernel is not None
        kernel = the_plan.kernel.name.removeprefix("vmlinuz-")
        accel = vm.accelerator(the_plan.kernel).name
        backend = f"vm ({accel.upper()}, clock {guest_clock(the_plan.clock, accel)})"
    return run_report.header(impl, _impl_origin(impl), _interpreter_version(the_plan.python), kernel, backend)


def run_once(the_plan: Plan, impl: str) -> run_report.Outcome:
    argv, junit = _fresh_junit(the_plan, impl)
    print(_header(the_plan, impl), flush=True)
    started = time.monotonic()
    if the_plan.backend == "host":
        env = command_environment(the_plan, impl, os.environ.get("PATH", GUEST_PATH))
        status = run_on_host(argv, env, the_plan.cwd, the_plan.timeout)
    else:
        status = run_in_vm(the_plan, argv, command_environment(the_plan, impl, GUEST_PATH))
    return run_report.Outcome(impl, status, junit_counts(junit), time.monotonic() - started)


def main(options: argparse.Namespace, rest: list[str]) -> int:
    """`lab run`: CMD's exit status (the worst one with several `--impl`)."""
    try:
        the_plan = plan(options, rest)
    except NeedError as refusal:
        _status(str(refusal))
        return 2
    impls = options.impl or [STDLIB]
    _status(f"needs {run_needs.describe(the_plan.needs)} -> backend {the_plan.backend}")
    previous = {sig: signal.signal(sig, _STOPS.handle) for sig in STOPPING_SIGNALS}
    outcomes = []
    try:
        if the_plan.backend != "host" and len(impls) > 1:
            outcomes = run_each_in_one_vm(the_plan, impls)
        else:
            outcomes = [run_once(the_plan, impl) for impl in impls]
    except (KeyboardInterrupt, _Terminated) as stop:
        _status(f"stopped ({stop}): CMD and its VM were killed")
        return 130
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if len(outcomes) > 1:
        print(run_report.side_by_side(outcomes), flush=True)
    return next((o.status for o in outcomes if o.status != 0), 0)
