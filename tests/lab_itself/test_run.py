"""`lab run`: the user's command with the socket module swapped, where its
needs are met, and nothing left behind when it is killed or times out."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
import uuid
from pathlib import Path

import pytest

from lab import processes
from lab.run import command as run_command
from lab.vm import machine as vm
from lab.vm import runner as vm_runner
from lab.wire.can import CANFD_MTU

REPO = Path(__file__).resolve().parents[2]
REFUSAL_STATUS = 2
TIMED_OUT = 124
FAST_S = 10.0


def lab_run(*args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "lab", "run", *args], cwd=cwd, capture_output=True, text=True,
        env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})}, timeout=timeout, check=False,
    )


def start_lab_run(*args: str, cwd: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "lab", "run", *args], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, env={**os.environ, "PYTHONPATH": str(REPO)},
    )


def impl_name(impl) -> str:
    return "stdlib" if impl.__name__ == "socket" else impl.__name__


SHOW_SOCKET_IN_CHILD_AND_GRANDCHILD = textwrap.dedent("""
    import socket, subprocess, sys
    print("child", socket.__name__)
    subprocess.run([sys.executable, "-c", "import socket; print('grandchild', socket.__name__)"], check=True)
""")


def test_impl_replaces_socket_in_every_python_process_of_the_command(impl, tmp_path):
    done = lab_run("--impl", impl_name(impl), "--", "python", "-c", SHOW_SOCKET_IN_CHILD_AND_GRANDCHILD, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert f"child {impl.__name__}" in done.stdout
    assert f"grandchild {impl.__name__}" in done.stdout


def test_header_names_implementation_interpreter_kernel_and_backend(tmp_path):
    done = lab_run("--impl", "sockimpl", "--", "true", cwd=tmp_path)
    header = done.stdout.splitlines()[0]
    assert "impl sockimpl" in header
    assert f"python {sys.executable}" in header
    assert os.uname().release in header
    assert "backend host" in header


def test_the_users_own_sitecustomize_still_runs(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text("import os\nos.environ['USER_SITE_RAN'] = 'yes'\n")
    done = lab_run("--impl", "sockimpl", "--", "python", "-c", "import os, socket; print(os.environ.get('USER_SITE_RAN'), socket.__name__)",
                   cwd=tmp_path, env={"PYTHONPATH": f"{REPO}{os.pathsep}{site}"})
    assert done.stdout.splitlines()[-1] == "yes sockimpl", done.stderr


def test_an_impl_that_cannot_be_imported_fails_the_command_instead_of_falling_back(tmp_path):
    done = lab_run("--impl", "no_such_socket_module", "--", "python", "-c", "print('ran')", cwd=tmp_path)
    assert done.returncode != 0
    assert "ran" not in done.stdout
    assert "no_such_socket_module" in done.stderr


def test_the_commands_exit_status_is_returned(tmp_path):
    assert lab_run("--", "sh", "-c", "exit 7", cwd=tmp_path).returncode == 7


def test_the_command_runs_in_the_users_directory(tmp_path):
    done = lab_run("--", "pwd", cwd=tmp_path)
    assert done.stdout.splitlines()[-1] == str(tmp_path)


def test_an_unknown_need_fails_fast_naming_it_and_the_known_ones(tmp_path):
    started = time.monotonic()
    done = lab_run("--needs", "warp-drive", "--", "true", cwd=tmp_path)
    assert done.returncode == REFUSAL_STATUS
    assert time.monotonic() - started < FAST_S
    assert "warp-drive" in done.stderr and "vcan" in done.stderr


def test_a_need_the_host_lacks_on_the_host_backend_fails_fast_with_the_remedy(tmp_path):
    from lab.capabilities import missing

    if missing("vcan") is None:
        pytest.skip("this host kernel has vcan")
    done = lab_run("--needs", "vcan", "--backend", "host", "--", "true", cwd=tmp_path)
    assert done.returncode == REFUSAL_STATUS
    assert "vcan" in done.stderr and "lab VM" in done.stderr


def test_a_need_neither_host_nor_vm_can_meet_fails_fast_saying_how_to_get_it(tmp_path):
    from lab.capabilities import missing

    if missing("vcan") is None:
        pytest.skip("this host kernel has vcan")
    started = time.monotonic()
    done = lab_run("--needs", "vcan", "--kernel", str(tmp_path / "no-such-vmlinuz"), "--", "true", cwd=tmp_path)
    assert done.returncode == REFUSAL_STATUS
    assert time.monotonic() - started < FAST_S
    assert "vcan" in done.stderr and "socklab setup vm" in done.stderr


def test_needs_come_from_the_projects_pyproject_when_not_given(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.socklab]\nneeds = ["warp-drive"]\n')
    done = lab_run("--", "true", cwd=tmp_path)
    assert done.returncode == REFUSAL_STATUS
    assert "warp-drive" in done.stderr


def test_a_command_that_times_out_leaves_no_process_behind(tmp_path):
    marker = f"{uuid.uuid4().int % 10**6 + 10**6}"
    done = lab_run("--timeout", "1", "--", "sh", "-c", f"sleep {marker} & sleep {marker}.5", cwd=tmp_path)
    assert done.returncode == TIMED_OUT
    assert processes.with_command_line(f"sleep {marker}") == []  # the sleeps, and the shell


def test_a_killed_lab_run_takes_its_command_tree_with_it(tmp_path):
    marker = f"{uuid.uuid4().int % 10**6 + 10**6}"
    process = start_lab_run("--", "sh", "-c", f"sleep {marker} & sleep {marker}.5", cwd=tmp_path)
    deadline = time.monotonic() + FAST_S
    while not (processes.with_argv("sleep", marker) and processes.with_argv("sleep", f"{marker}.5")):
        assert time.monotonic() < deadline, "the command's sleeps never started"
        time.sleep(0.05)
    process.send_signal(signal.SIGTERM)
    process.wait(FAST_S)
    assert processes.with_command_line(f"sleep {marker}") == []


PASSES_ONLY_ON_THE_STDLIB = textwrap.dedent("""
    import socket

    def test_one_that_passes():
        pass

    def test_socket_is_the_stdlib():
        assert socket.__name__ == "socket"
""")


def test_two_impls_print_their_outcomes_side_by_side_with_junit_counts(tmp_path):
    (tmp_path / "test_probe.py").write_text(PASSES_ONLY_ON_THE_STDLIB)
    done = lab_run("--impl", "stdlib", "--impl", "sockimpl", "--", "python", "-m", "pytest", "-q",
                   "-p", "no:cacheprovider", "test_probe.py", cwd=tmp_path)
    table = done.stdout.splitlines()[-3:]
    assert table[0].split() == ["impl", "exit", "passed", "failed", "errors", "skipped", "seconds"]
    assert table[1].split()[:6] == ["stdlib", "0", "2", "0", "0", "0"]
    assert table[2].split()[:6] == ["sockimpl", "1", "1", "1", "0", "0"]
    assert done.returncode == 1


def test_a_kernel_release_that_is_not_in_boot_is_refused_with_what_is():
    with pytest.raises(RuntimeError, match=r"no kernel '0\.0' in /boot \(installed: "):
        vm_runner.resolve_kernel("0.0")


def _vm_or_skip() -> None:
    try:
        vm_runner.resolve_kernel(None)
    except RuntimeError as why:
        pytest.skip(f"the lab VM cannot boot here: {why}")


def test_a_command_timing_out_in_the_vm_leaves_no_vm_behind(tmp_path):
    _vm_or_skip()
    # The host clock: the default (icount) would only make the boot slower here.
    process = start_lab_run("--needs", "vcan", "--backend", "vm", "--clock", "host", "--timeout", "5", "--",
                            "sleep", "600", cwd=tmp_path)
    output, _ = process.communicate(timeout=600)
    assert process.returncode == TIMED_OUT, output
    assert vm.vm_processes(process_name_pid=process.pid) == []
    assert processes.with_command_line(vm.vm_name(process.pid)) == []


def test_several_implementations_run_in_turn_in_one_vm_boot_each_with_its_own_exit_status(tmp_path):
    _vm_or_skip()
    says = ("import pathlib, socket, sys; print('module', socket.__name__); "
            "bus = pathlib.Path('/sys/class/net/vcan0'); "
            "print('vcan0', (bus / 'type').read_text().strip(), (bus / 'mtu').read_text().strip(), "
            "int((bus / 'flags').read_text(), 16) & 1); "
            "sys.exit(0 if socket.__name__ == 'socket' else 3)")
    done = lab_run("--needs", "vcan", "--backend", "vm", "--impl", "stdlib", "--impl", "sockimpl", "--",
                   "python", "-c", says, cwd=tmp_path, timeout=600)
    assert done.returncode == 3, done.stdout + done.stderr
    # The bus the guest made before CMD: CAN (ARPHRD_CAN 280), CAN FD's MTU, up.
    assert done.stdout.count(f"vcan0 280 {CANFD_MTU} 1") == 2, done.stdout
    assert done.stdout.index("module socket") < done.stdout.index("module sockimpl")
    assert (done.stdout + done.stderr).count("VM boot (") == 1
    table = {line.split()[0]: line.split()[1] for line in done.stdout.splitlines()
             if line.split()[:1] in (["stdlib"], ["sockimpl"])}
    assert table == {"stdlib": "0", "sockimpl": "3"}


def test_a_lab_run_killed_while_its_vm_runs_leaves_no_vm_behind(tmp_path):
    _vm_or_skip()
    process = start_lab_run("--needs", "vcan", "--backend", "vm", "--", "sleep", "600", cwd=tmp_path)
    deadline = time.monotonic() + 60
    while not vm.vm_processes(process_name_pid=process.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert vm.vm_processes(process_name_pid=process.pid), "the VM never started"
    process.send_signal(signal.SIGTERM)
    process.wait(60)
    deadline = time.monotonic() + 10
    while processes.with_command_line(vm.vm_name(process.pid)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert processes.with_command_line(vm.vm_name(process.pid)) == []


def test_the_icount_clock_is_refused_fast_where_the_vm_would_run_under_kvm(tmp_path):
    _vm_or_skip()
    started = time.monotonic()
    done = lab_run("--backend", "vm", "--clock", "icount", "--", "true", cwd=tmp_path, env={"LAB_ACCEL": "kvm"})
    assert done.returncode == REFUSAL_STATUS
    assert time.monotonic() - started < FAST_S
    assert "--clock icount" in done.stderr and "LAB_ACCEL=tcg" in done.stderr


HOGS_WANTED = "hogs wanted"
SAME_WORK_TIMED_IN_THE_GUEST = textwrap.dedent(f"""
    import json, time

    def seconds_for_the_same_work():
        started = time.monotonic()
        sum(range(200_000))
        return time.monotonic() - started

    # The host starts its hogs on this line; the work is timed once they run.
    print({HOGS_WANTED!r}, flush=True)
    time.sleep(2)
    print(json.dumps([seconds_for_the_same_work() for _ in range(20)]))
""")


def test_under_the_icount_clock_the_guest_times_the_same_work_alike_however_busy_the_host(tmp_path):
    """What makes python-can's periodic-timing tests pass under TCG: guest
    time is counted in instructions, so a host busy with other work neither
    stretches the guest's timings nor makes its timers late."""
    _vm_or_skip()
    run = start_lab_run("--backend", "vm", "--clock", "icount", "--", "python", "-c", SAME_WORK_TIMED_IN_THE_GUEST,
                        cwd=tmp_path)
    hogs: list[subprocess.Popen] = []
    lines = []
    watchdog = threading.Timer(600, run.kill)
    watchdog.start()
    try:
        for line in run.stdout:
            lines.append(line.rstrip("\n"))
            if line.strip() == HOGS_WANTED and not hogs:
                # Only while the guest times its work (the boot before it
                # would only take the hogs' CPU from the rest of the suite).
                # Each hog in a session of its own: with autogroup
                # scheduling, hogs in one session would share one CPU slice
                # and hardly compete with QEMU.
                hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"], start_new_session=True)
                        for _ in range(os.cpu_count() or 1)]
        returncode = run.wait(timeout=600)
    finally:
        watchdog.cancel()
        for process in (*hogs, run):
            process.kill()
            process.wait()
    output = "\n".join(lines)
    assert returncode == 0, output
    assert hogs, f"the guest never asked for the hogs: {output}"
    assert any("clock icount" in line for line in lines if line.startswith("lab run: impl")), output
    # A sample that a guest interrupt lands in also counts the handler's
    # instructions; the faster half is the work alone.  Under the host's
    # clock with these hogs, that half spreads over several per cent.
    samples = next(line for line in reversed(lines) if line.startswith("["))
    fastest_half = sorted(json.loads(samples))[:10]
    assert max(fastest_half) < 1.005 * min(fastest_half), fastest_half


def test_a_stop_arriving_while_cmd_starts_waits_until_cmd_can_be_killed():
    """SIGTERM inside `Popen` (after the fork) used to leave CMD running with
    nobody holding its pid; it now waits for `started()`, in the `try`
    whose `finally` kills CMD's process group."""
    stops = run_command._Stops()
    process = stops.start(["sleep", "30"], start_new_session=True)
    try:
        stops.handle(signal.SIGTERM, None)  # as if it came while Popen ran
        with pytest.raises(run_command._Terminated, match="SIGTERM"):
            stops.started()
        stops.start(["true"]).wait()
        stops.started()  # the stop was raised once: the next CMD starts
    finally:
        processes.kill_group(process.pid)
        process.wait()
    with pytest.raises(run_command._Terminated, match="SIGHUP"):
        stops.handle(signal.SIGHUP, None)  # any other time: at once
