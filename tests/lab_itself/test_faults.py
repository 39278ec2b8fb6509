"""Faults injected into real lab runs: a fixture that crashes, a test that
times out, a peer container killed, the lab's dockerd killed, the lab VM
killed.  Each run ends within a bound and names what went wrong; what the
run left (if anything) is removed by `lab clean`; and the next run works.

Each scenario starts `python -m lab test` in a child process on a small
test file of its own, injects the fault once the resource exists, and then
looks for everything of that run (`slab<child pid>`): namespaces, links,
processes, mounts, run directories, containers, VM processes.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pyroute2 import IPRoute, netns

from lab import naming

REPO = Path(__file__).resolve().parents[2]
ENDS_WITHIN = 60.0  # seconds from the fault to the end of the run
READY_WITHIN = 90.0  # a cold Docker engine and image load on a busy machine

pytestmark = [
    pytest.mark.needs("veth"),
    pytest.mark.skipif(
        os.environ.get("LAB_IN_VM") == "1",
        reason="fault injection starts lab runs (and a VM) of its own: it runs on the host share",
    ),
]

READY_HELPER = '''
import json, os, pathlib

def announce(**facts):
    # Written aside, then renamed: the outer test waits for the file to
    # exist, and must never read it half written.
    ready = pathlib.Path(os.environ["LAB_READY_FILE"])
    aside = ready.with_name(ready.name + ".part")
    aside.write_text(json.dumps(facts))
    aside.rename(ready)
'''

CRASHING_FIXTURE = READY_HELPER + '''
import pytest

@pytest.fixture
def half_built_lab(veth_pair):
    announce(namespaces=[veth_pair.left.host.name, veth_pair.right.host.name])
    raise RuntimeError("fixture crashed after making its veth pair")

def test_uses_a_fixture_that_crashes(half_built_lab):
    pass
'''

BLOCKS_PAST_ITS_TIMEOUT = READY_HELPER + '''
import pytest

@pytest.mark.timeout(2, method="{method}")
def test_blocks_in_recv_past_its_timeout(impl, veth_pair):
    with veth_pair.right.host.inside():
        receiver = impl.socket(impl.AF_INET, impl.SOCK_DGRAM)
    receiver.bind((veth_pair.right.address4, 5001))
    announce(namespaces=[veth_pair.left.host.name, veth_pair.right.host.name])
    receiver.recv(16)
'''

USES_A_PEER = READY_HELPER + '''
import time

def test_uses_its_peer_until_it_fails(container_peer, docker_engine):
    peer = container_peer("inet-peer")
    started = docker_engine.started  # None: the user's engine
    announce(peer=peer.name, peer_pid=peer.pid, engine=docker_engine.base_url,
             dockerd=docker_engine.daemon_pid, namespaces=[peer.host.name, peer.lab_end.host.name],
             data_root=str(started.recorded_data_root()) if started is not None else None)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        peer.exec("true")
        time.sleep(0.1)
'''

SLEEPS_IN_THE_VM = '''
import time

def test_sleeps_in_the_vm():
    time.sleep(300)
'''

HEALTHY = '''
import socket

def test_a_veth_pair_carries_a_datagram(veth_pair):
    with veth_pair.right.host.inside():
        receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    with veth_pair.left.host.inside():
        sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    with receiver, sender:
        receiver.bind((veth_pair.right.address4, 5001))
        receiver.settimeout(5)
        sender.sendto(b"after the fault", (veth_pair.right.address4, 5001))
        assert receiver.recv(64) == b"after the fault"

def test_a_peer_container_runs_a_command(container_peer):
    assert container_peer("inet-peer").exec("true").exit_code == 0
'''


@dataclass
class Ended:
    returncode: int
    output: str
    seconds: float  # from the fault (or the start, without one) to the end

    def summary_lines(self) -> list[str]:
        """pytest's short summary: one line per failure or error."""
        return [line for line in self.output.splitlines() if line.startswith(("FAILED ", "ERROR "))]


class LabRunInChild:
    """`python -m lab test DIRECTORY ARGS` in a child process, its output in
    a file; the run's objects carry the child's pid (`tag`)."""

    def __init__(self, directory: Path, *lab_args: str, cwd: Path = REPO) -> None:
        self.directory = directory
        self.ready_file = directory / "ready.json"
        self.log = directory / "output.txt"
        env = {
            **os.environ, "LAB_READY_FILE": str(self.ready_file), "COLUMNS": "400",
            "PYTHONPATH": os.pathsep.join([str(REPO), str(REPO / "tests")]),
        }
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "lab", "test", str(directory), "-q", "-rfE",
                 f"--junitxml={directory / 'junit.xml'}", *lab_args],
                cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            )
        self.started = time.monotonic()

    @property
    def tag(self) -> str:
        return f"{naming.PREFIX}{self.process.pid}"

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_ready(self) -> dict:
        """What the inner test announced once its resources existed."""
        self._wait_for(self.ready_file.exists, "the inner test to announce its resources")
        return json.loads(self.ready_file.read_text())

    def wait_for_output(self, text: str) -> None:
        self._wait_for(lambda: text in self.output(), repr(text))

    def _wait_for(self, condition: Callable[[], bool], what: str) -> None:
        deadline = time.monotonic() + READY_WITHIN
        while not condition():
            if self.process.poll() is not None:
                pytest.fail(f"the inner lab run ended before {what}:\n{self.output()}")
            if time.monotonic() > deadline:
                pytest.fail(f"no {what} within {READY_WITHIN} s:\n{self.output()}")
            time.sleep(0.1)

    def end(self, since: float | None = None) -> Ended:
        """Wait (bounded) for the run to end on its own."""
        try:
            self.process.wait(timeout=ENDS_WITHIN)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            pytest.fail(f"the lab run did not end within {ENDS_WITHIN} s of the fault:\n{self.output()}")
        return Ended(self.process.returncode, self.output(), time.monotonic() - (since or self.started))

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def fault_dir() -> Iterator[Path]:
    """A directory for one inner run; inside the repo, because the lab VM
    sees the host's files but not its /tmp."""
    parent = REPO / "lab-artifacts"
    parent.mkdir(exist_ok=True)
    directory = Path(tempfile.mkdtemp(prefix="faults-", dir=parent))
    yield directory
    shutil.rmtree(directory, ignore_errors=True)


StartLabRun = Callable[..., LabRunInChild]


@pytest.fixture
def start_lab_run(fault_dir: Path) -> Iterator[StartLabRun]:
    """`start_lab_run(test_source, *lab_args, cwd=...)`: a lab run in a
    child on that test file; killed afterwards if it still runs."""
    runs: list[LabRunInChild] = []

    def start(source: str, *lab_args: str, cwd: Path = REPO) -> LabRunInChild:
        (fault_dir / "test_scenario.py").write_text(source)
        run = LabRunInChild(fault_dir, *lab_args, cwd=cwd)
        runs.append(run)
        return run

    yield start
    for run in runs:
        run.kill()


# What one run leaves behind ---------------------------------------------------

def _owned_by(tag: str) -> re.Pattern[str]:
    return re.compile(rf"{re.escape(tag)}(?!\d)")


def _lab_processes(owned: re.Pattern[str]) -> list[str]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if owned.search(cmdline):
            found.append(f"process {entry}: {cmdline[:120]}")
    return found


def _mounts(owned: re.Pattern[str]) -> list[str]:
    with open("/proc/self/mountinfo", encoding="utf-8", errors="replace") as mountinfo:
        points = [line.split()[4] for line in mountinfo]
    return [f"mount {point}" for point in points if owned.search(point)]


def _files(owned: re.Pattern[str]) -> list[str]:
    found = []
    for directory in (Path("/run/socklab"), Path("/run/netns"), Path(tempfile.gettempdir())):
        if directory.is_dir():
            found += [f"file {entry}" for entry in directory.iterdir() if owned.match(entry.name)]
    return found


def _docker_leftovers(tag: str) -> list[str]:
    """Containers recorded in the cached data root, and mounts under it,
    when no engine holds it (then nothing of a finished run may be there)."""
    from lab.docker.engine import (
        data_root_if_free,
        default_data_root,
        mount_points_under,
        recorded_containers,
    )

    data_root = default_data_root()
    with data_root_if_free(data_root) as free:
        if not free:
            return []
        found = [f"container record {name}" for name in recorded_containers(data_root)
                 if name.startswith(tag + "-")]
        found += [f"mount {point}" for point in mount_points_under(data_root)]
    return found


def leftovers(tag: str, pids: tuple[int, ...] = ()) -> list[str]:
    """Everything of the run `tag` that still exists: namespaces, links in
    this machine's namespace, processes naming it (dockerd, containerd,
    shims, vng, QEMU, watchers) or listed in `pids` (a container's), mounts,
    run directories and scratch files, containers recorded for it."""
    owned = _owned_by(tag)
    found = [f"netns {name}" for name in netns.listnetns() if owned.match(name)]
    with IPRoute() as ipr:
        found += [f"link {link.get('IFLA_IFNAME')}" for link in ipr.get_links()
                  if owned.match(link.get("IFLA_IFNAME") or "")]
    found += _lab_processes(owned)
    found += [f"process {pid}" for pid in pids if naming.is_alive(pid)]
    found += _mounts(owned) + _files(owned) + _docker_leftovers(tag)
    return found


def removed_by_any_clean(since: float, cleaned: str) -> str:
    """What this test's `lab clean` said, and every removal any clean logged
    since `since`: a lab run starting beside this test (another pytest-xdist
    worker's) cleans what dead runs left, this test's run among them."""
    from lab.clean import removed_since

    return "\n".join([cleaned, *removed_since(since)])


def lab_clean() -> str:
    done = subprocess.run(
        [sys.executable, "-m", "lab", "clean"], cwd=REPO, capture_output=True, text=True,
        timeout=120, check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stderr


def assert_the_lab_recovers(start_lab_run: StartLabRun, uses_docker: bool = False) -> None:
    """The next run, on the same machine, passes and leaves nothing."""
    selection = () if uses_docker else ("-k", "veth_pair")
    healthy = start_lab_run(HEALTHY, "--backend", "host", *selection)
    ended = healthy.end()
    assert ended.returncode == 0, ended.output
    assert leftovers(healthy.tag) == []


def one_summary_line_naming(ended: Ended, *words: str) -> str:
    """The short-summary line that names the fault, so a reader of the
    run's last lines learns what went wrong."""
    naming_it = [line for line in ended.summary_lines() if all(word in line for word in words)]
    assert naming_it, f"no summary line names {words}:\n{ended.output}"
    return naming_it[0]


def observed(fault: str, ended: Ended | None, left: list[str], cleaned: str, said: str | None = None) -> None:
    """One line per fault for the record (`-s` shows it): how the run
    ended, what it said, what it left, what `lab clean` removed."""
    said = said or (ended.summary_lines()[:1] if ended else "")
    how = f"ended {ended.seconds:.1f} s after it, exit status {ended.returncode}" if ended else "killed"
    removed = [line.split("lab: ", 1)[-1] for line in cleaned.splitlines() if "removed" in line]
    print(f"\nfault [{fault}]: {how}; said {said}; left after the run: {left or 'nothing'}; "
          f"lab clean: {removed or 'nothing to remove'}")


# The faults -------------------------------------------------------------------

@pytest.mark.timeout(120)
def test_a_fixture_crashing_after_making_its_link_fails_that_test_and_leaves_nothing(start_lab_run):
    run = start_lab_run(CRASHING_FIXTURE, "--backend", "host")

    ended = run.end()
    created = json.loads(run.ready_file.read_text())["namespaces"]

    assert ended.returncode == 1
    one_summary_line_naming(ended, "ERROR", "test_uses_a_fixture_that_crashes",
                            "fixture crashed after making its veth pair")
    assert created and all(name.startswith(run.tag + "-") for name in created)
    left = leftovers(run.tag)
    observed("fixture crash", ended, left, lab_clean())
    assert left == []
    assert_the_lab_recovers(start_lab_run)


@pytest.mark.timeout(120)
def test_a_test_blocked_in_recv_past_its_timeout_fails_as_a_timeout_and_leaves_nothing(start_lab_run):
    run = start_lab_run(BLOCKS_PAST_ITS_TIMEOUT.format(method="signal"), "--backend", "host")

    ended = run.end()

    assert ended.returncode == 1
    # Both implementations let the timeout's exception out of a blocking recv.
    for impl_name in ("stdlib", "sockimpl"):
        one_summary_line_naming(ended, f"test_blocks_in_recv_past_its_timeout[{impl_name}]", "Timeout")
    left = leftovers(run.tag)
    observed("test timeout (signal)", ended, left, lab_clean())
    assert left == []
    assert_the_lab_recovers(start_lab_run)


@pytest.mark.timeout(120)
def test_a_timeout_that_ends_the_whole_run_leaves_only_what_lab_clean_removes(start_lab_run):
    # pytest-timeout's thread method ends the process at once (os._exit):
    # no fixture teardown runs, as after a kill -9.
    since = time.time()
    run = start_lab_run(BLOCKS_PAST_ITS_TIMEOUT.format(method="thread"), "--backend", "host", "--impl", "stdlib")

    ended = run.end()
    left = leftovers(run.tag)
    cleaned = lab_clean()
    observed("test timeout (thread: os._exit)", ended, left, cleaned)
    removed = removed_by_any_clean(since, cleaned)

    assert ended.returncode != 0
    assert "Timeout" in ended.output and "test_blocks_in_recv_past_its_timeout" in ended.output
    assert "removed namespace " + run.tag in removed, "the run ended too early to leave a namespace"
    assert leftovers(run.tag) == []
    assert_the_lab_recovers(start_lab_run)


def _docker_client() -> str:
    client = shutil.which("docker")
    if client is None:
        pytest.skip("needs the `docker` client to kill a container from outside: run `make lab-deps`")
    return client


@pytest.mark.timeout(240)
def test_a_peer_container_killed_from_outside_fails_the_test_naming_it_and_leaves_nothing(start_lab_run):
    docker = _docker_client()
    run = start_lab_run(USES_A_PEER, "--backend", "host")
    facts = run.wait_ready()

    subprocess.run([docker, "--host", facts["engine"], "kill", facts["peer"]],
                   capture_output=True, timeout=30, check=True)
    killed = time.monotonic()
    ended = run.end(since=killed)

    assert ended.returncode == 1
    one_summary_line_naming(ended, "FAILED", f"peer container {facts['peer']} stopped during the test",
                            "killed by SIGKILL")
    left = leftovers(run.tag, pids=(facts["peer_pid"],))
    observed("peer container killed", ended, left, lab_clean())
    assert left == []
    assert leftovers(run.tag, pids=(facts["peer_pid"],)) == []
    assert_the_lab_recovers(start_lab_run, uses_docker=True)


def a_run_on_the_labs_own_dockerd(start_lab_run):
    """A run whose peer is up on a dockerd the lab started (and may kill)."""
    run = start_lab_run(USES_A_PEER, "--backend", "host")
    facts = run.wait_ready()
    if facts["dockerd"] is None:
        run.kill()
        pytest.skip("the lab uses the user's Docker engine here: it is not the lab's to kill")
    return run, facts


@pytest.mark.timeout(240)
def test_the_labs_dockerd_killed_fails_the_run_naming_the_engine_and_leaves_nothing(start_lab_run):
    run, facts = a_run_on_the_labs_own_dockerd(start_lab_run)

    os.kill(facts["dockerd"], signal.SIGKILL)
    killed = time.monotonic()
    ended = run.end(since=killed)

    assert ended.returncode == 1
    said = f"docker engine stopped: the lab's dockerd (pid {facts['dockerd']}"
    one_summary_line_naming(ended, "FAILED", said, f"peer container {facts['peer']}")
    one_summary_line_naming(ended, "ERROR", said, "the lab removed what it ran")
    # Its containerd, the shim and the container's processes, the mounts and
    # the container's record are gone without `lab clean`.
    left = leftovers(run.tag, pids=(facts["peer_pid"],))
    observed("lab's dockerd killed", ended, left, lab_clean())
    assert left == []
    assert leftovers(run.tag, pids=(facts["peer_pid"],)) == []
    assert_the_lab_recovers(start_lab_run, uses_docker=True)


@pytest.mark.timeout(240)
def test_a_run_killed_together_with_its_dockerd_leaves_only_what_lab_clean_removes(start_lab_run):
    since = time.time()
    run, facts = a_run_on_the_labs_own_dockerd(start_lab_run)

    run.kill()
    os.kill(facts["dockerd"], signal.SIGKILL)
    left = leftovers(run.tag, pids=(facts["peer_pid"],))
    cleaned = lab_clean()
    observed("lab run and its dockerd killed", None, left, cleaned)
    removed = removed_by_any_clean(since, cleaned)

    # Nobody stopped the container: its shim, its processes, its mounts and
    # its record stay until a clean (this test's `lab clean`, or a run's
    # beside it) removes them.
    assert "removed process " in removed, (left, removed)
    from lab.docker.engine import default_data_root

    if facts["data_root"] == str(default_data_root()):
        assert f"removed container {facts['peer']}" in removed
    else:
        # Another run's engine held the cached data root (a run beside this
        # one, or another pytest-xdist worker's): the engine had a scratch
        # root of its own, which stays, mounted, until a clean.
        assert f"removed scratch {facts['data_root']}" in removed
    assert leftovers(run.tag, pids=(facts["peer_pid"],)) == []
    assert_the_lab_recovers(start_lab_run, uses_docker=True)


def one_line_with(ended: Ended, text: str) -> str:
    lines = [line for line in ended.output.splitlines() if text in line]
    assert lines, f"no line says {text!r}:\n{ended.output}"
    return lines[0]


def _qemu_of(owner: int) -> int:
    """The QEMU process of lab process `owner`'s VM (not vng, nor the
    watcher shell beside QEMU that carries the same arguments)."""
    from lab.vm import machine as vm

    for pid in vm.vm_processes(process_name_pid=owner):
        try:
            if Path(os.readlink(f"/proc/{pid}/exe")).name == vm.QEMU:
                return pid
        except OSError:
            continue
    pytest.fail(f"no QEMU process of lab process {owner} while its guest runs a test")


@pytest.mark.timeout(300)
def test_the_lab_vm_killed_mid_test_fails_the_run_naming_qemu_and_leaves_nothing(start_lab_run, fault_dir):
    from lab.vm import machine as vm

    if vm.why_unavailable(vm.default_kernel()):
        pytest.skip(f"the lab VM cannot boot here: {vm.why_unavailable(vm.default_kernel())}")
    # Its own working directory, so that its VM artifacts (timings, JUnit)
    # do not overwrite this run's.
    run = start_lab_run(SLEEPS_IN_THE_VM, "--backend", "vm", cwd=fault_dir)
    run.wait_for_output("lab-vm: first test starts")
    qemu = _qemu_of(run.process.pid)

    os.kill(qemu, signal.SIGKILL)
    killed = time.monotonic()
    ended = run.end(since=killed)

    assert ended.returncode != 0
    died = one_line_with(ended, f"lab VM (qemu pid {qemu}) died before its tests finished while ")
    assert "test_scenario.py::test_sleeps_in_the_vm ran" in died
    left = leftovers(run.tag)
    observed("lab VM's QEMU killed", ended, left, lab_clean(), said=died)
    assert left == []
    assert leftovers(run.tag) == []
    assert not vm.vm_processes(process_name_pid=run.process.pid)
    # A second VM boot would double this test's time: the host share shows
    # the lab recovers, and nothing of the VM is left to get in the way.
    assert_the_lab_recovers(start_lab_run)


HOST_WAITS_VM_SLEEPS = '''
import os
import pathlib
import time

import pytest

def test_waits_on_the_host():
    pathlib.Path(os.environ["HOST_TEST_STARTED"]).touch()
    time.sleep(300)

@pytest.mark.needs("vcan")
def test_sleeps_in_the_vm():
    time.sleep(300)
'''


def test_a_ctrl_c_during_the_host_share_stops_the_lab_vm_instead_of_waiting_for_it(start_lab_run, fault_dir,
                                                                                   monkeypatch):
    from lab.vm import machine as vm
    from lab.vm.runner import host_lacks

    if "vcan" not in host_lacks():
        pytest.skip("this host makes vcan buses itself: no test of this run would go to the lab VM")
    if vm.why_unavailable(vm.default_kernel()):
        pytest.skip(f"the lab VM cannot boot here: {vm.why_unavailable(vm.default_kernel())}")
    started = fault_dir / "host-test-started"
    monkeypatch.setenv("HOST_TEST_STARTED", str(started))
    run = start_lab_run(HOST_WAITS_VM_SLEEPS, cwd=fault_dir)  # --backend auto: both shares at once
    deadline = time.monotonic() + READY_WITHIN
    while not (started.exists() and vm.vm_processes(process_name_pid=run.process.pid)):
        assert run.process.poll() is None and time.monotonic() < deadline, run.output()
        time.sleep(0.1)

    run.process.send_signal(signal.SIGINT)  # what a terminal's Ctrl-C sends
    stopped = time.monotonic()
    ended = run.end(since=stopped)  # the VM's test alone would take 300 s more

    assert ended.returncode == 2, ended.output
    assert "the host's share was interrupted: stopping the lab VM" in ended.output
    assert "VM share (stopped with the run): exit status 2" in ended.output
    assert not vm.vm_processes(process_name_pid=run.process.pid)
    observed("Ctrl-C with the lab VM running", ended, leftovers(run.tag), lab_clean())


# How the host reads the guest's progress --------------------------------------

def test_a_vm_share_whose_guest_finished_its_tests_is_not_reported_dead(tmp_path):
    from lab.vm.plugin import FINISHED, RUNNING
    from lab.vm.runner import GuestProgress

    progress = GuestProgress(tmp_path / "progress.txt")
    progress.qemu_pid = 4242
    progress.progress_file.write_text(f"{RUNNING} tests/a.py::test_one\n{FINISHED} 1\n")

    assert progress.death(status=1) is None


def test_a_vm_share_that_ended_mid_test_is_reported_dead_naming_qemu_and_the_test(tmp_path):
    from lab.vm.plugin import RUNNING
    from lab.vm.runner import GuestProgress

    progress = GuestProgress(tmp_path / "progress.txt")
    progress.qemu_pid = 4242
    progress.progress_file.write_text(f"{RUNNING} tests/a.py::test_one\n{RUNNING} tests/a.py::test_two\n")

    said = progress.death(status=255)

    assert said is not None
    assert said.startswith("lab VM (qemu pid 4242) died before its tests finished while tests/a.py::test_two ran")


def test_a_vm_that_never_spoke_is_reported_dead_while_booting(tmp_path):
    from lab.vm.runner import GuestProgress

    said = GuestProgress(tmp_path / "progress.txt").death(status=1)

    assert said is not None and said.startswith("lab VM died while booting")
