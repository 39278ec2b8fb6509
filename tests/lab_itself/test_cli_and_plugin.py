"""The lab's own promises: a failing wire check leaves a readable pcap, a
killed run leaves nothing `lab clean` cannot remove, shards split the
matrix, and `lab doctor` prints its table."""

from __future__ import annotations

import functools
import itertools
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pyroute2 import IPRoute, netns
from scapy.layers.inet import IP
from scapy.utils import rdpcap

from lab import naming, processes

REPO = Path(__file__).resolve().parents[2]

WRONG_EXPECTATION = '''
def test_ttl_is_deliberately_expected_wrong(impl, veth_pair, wire_capture):
    capture = wire_capture(veth_pair.right)
    with veth_pair.left.host.inside():
        sender = impl.socket(impl.AF_INET, impl.SOCK_DGRAM)
    with sender:
        sender.setsockopt(impl.IPPROTO_IP, impl.IP_TTL, 33)
        sender.sendto(b"wrong on purpose", (veth_pair.right.address4, 5001))
    ttls = [p["IP"].ttl for p in capture.packets(lambda p: p.haslayer("UDP"))]
    assert ttls == [34], "deliberately wrong: the sender set 33"
'''

HANGS_WITH_A_LINK = '''
import os, pathlib, time

def test_holds_a_veth_pair_until_killed(veth_pair):
    pathlib.Path(os.environ["LAB_READY_FILE"]).write_text(str(os.getpid()))
    time.sleep(120)
'''


def lab(*args: str, **kwargs) -> subprocess.CompletedProcess:
    """`python -m lab ARGS`; an inner `lab test` must be given its own
    `--junitxml`, or it would overwrite the outer run's report."""
    return subprocess.run(
        [sys.executable, "-m", "lab", *args], cwd=REPO, capture_output=True, text=True,
        timeout=120, check=False, **kwargs,
    )


def kernel_objects(ignore_owned_by_others_than: int) -> set[str]:
    """`ip netns list` and `ip link` of this machine, less the objects of
    other live lab processes (a parallel run may come and go meanwhile)."""

    def counts(name: str) -> bool:
        owner = naming.owner_pid(name)
        return owner is None or owner == ignore_owned_by_others_than

    with IPRoute() as ipr:
        links = {f"link {link.get('IFLA_IFNAME')}" for link in ipr.get_links()}
    namespaces = {f"netns {name}" for name in netns.listnetns()}
    return {obj for obj in links | namespaces if counts(obj.split(" ", 1)[1])}


@pytest.fixture(scope="module")
def failing_wire_run(tmp_path_factory) -> tuple[subprocess.CompletedProcess, Path]:
    """A lab run whose wire check fails on purpose, and its artifacts
    folder: one run for the two readers below."""
    folder = tmp_path_factory.mktemp("wrong-wire")
    (folder / "test_wrong.py").write_text(WRONG_EXPECTATION)
    artifacts = folder / "artifacts"
    run = lab("test", str(folder), "--impl", "stdlib", f"--lab-artifacts={artifacts}",
              f"--junitxml={folder / 'junit.xml'}")
    return run, artifacts


def test_a_failing_wire_check_saves_a_pcap_that_scapy_reads(failing_wire_run):
    run, artifacts = failing_wire_run
    assert run.returncode == 1, run.stdout + run.stderr
    saved = sorted(artifacts.glob("*.pcap"))
    assert len(saved) == 1
    assert f"pcap: {saved[0]}" in run.stdout
    ttls = [p[IP].ttl for p in rdpcap(str(saved[0])) if p.haslayer(IP)]
    assert 33 in ttls


@pytest.mark.skipif(shutil.which("tshark") is None, reason="needs tshark: run `make lab-deps`")
def test_a_failing_wire_checks_pcap_is_readable_by_tshark(failing_wire_run):
    _run, artifacts = failing_wire_run
    (saved,) = artifacts.glob("*.pcap")
    read = subprocess.run(
        ["tshark", "-r", str(saved), "-Y", "udp.dstport == 5001 && !icmp", "-T", "fields", "-e", "ip.ttl"],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert read.returncode == 0, read.stderr
    assert read.stdout.split() == ["33"]


def test_lab_clean_after_kill_9_restores_namespaces_and_links(tmp_path):
    (tmp_path / "test_hang.py").write_text(HANGS_WITH_A_LINK)
    ready = tmp_path / "ready"
    since = time.time()
    before = kernel_objects(ignore_owned_by_others_than=-1)
    run = subprocess.Popen(
        [sys.executable, "-m", "lab", "test", str(tmp_path), "-q",
         f"--junitxml={tmp_path / 'junit.xml'}"], cwd=REPO,
        env={**os.environ, "LAB_READY_FILE": str(ready)},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while not ready.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert ready.exists(), "the inner lab run never set up its veth pair"
    finally:
        run.send_signal(signal.SIGKILL)
        run.wait()
    left_behind = kernel_objects(ignore_owned_by_others_than=run.pid) - before
    # A lab run starting beside this test (another pytest-xdist worker's)
    # cleans what dead runs left: its record counts as what was left.
    from lab.clean import removed_since

    taken = [line for line in removed_since(since) if f"namespace {naming.PREFIX}{run.pid}-" in line]
    assert any(obj.startswith("netns ") for obj in left_behind) or taken

    cleaned = lab("clean")

    assert cleaned.returncode == 0, cleaned.stderr
    assert kernel_objects(ignore_owned_by_others_than=run.pid) == before


def test_lab_clean_spares_the_objects_of_a_live_run(netns):
    assert lab("clean").returncode == 0
    assert netns.name in netns_names()


def netns_names() -> list[str]:
    return netns.listnetns()


@functools.cache
def collections() -> dict[str, list[str]]:
    """The lab's tests as each collection below sees them: all of them, the
    three shards, and the second shard once more in another process.  Each
    collection of tests/lab takes seconds: they run at once."""
    wanted = {"all": (), "1/3": ("--shard=1/3",), "2/3": ("--shard=2/3",), "3/3": ("--shard=3/3",),
              "2/3 again": ("--shard=2/3",)}
    started = {
        name: subprocess.Popen(
            [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
             str(REPO / "tests" / "lab"), *args],
            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for name, args in wanted.items()
    }
    seen = {}
    for name, child in started.items():
        stdout, stderr = child.communicate(timeout=120)
        assert child.returncode == 0, stdout + stderr
        seen[name] = [line for line in stdout.splitlines() if "::" in line]
    return seen


def three_shards() -> tuple[list[str], ...]:
    return tuple(collections()[f"{i}/3"] for i in (1, 2, 3))


def test_shards_are_disjoint_and_cover_every_test():
    shards = three_shards()
    assert sorted(itertools.chain(*shards)) == sorted(collections()["all"])
    assert all(shards), "a shard came out empty"


def test_a_shard_is_the_same_every_time():
    assert collections()["2/3 again"] == three_shards()[1]  # another process, the same shard


def test_a_shard_keeps_both_implementations_of_a_scenario_together():
    for shard in three_shards():
        for nodeid in shard:
            if "[stdlib" in nodeid:
                assert nodeid.replace("[stdlib", "[sockimpl") in shard


def test_lab_doctor_prints_each_capability_against_each_backend():
    run = lab("doctor")
    assert run.returncode == 0, run.stderr
    header, *rows = run.stdout.splitlines()
    assert header.split() == ["capability", "kind", "host", "vm", "docker"]
    table = {row.split()[0]: row.split()[2:5] for row in rows if len(row.split()) == 5}
    assert table["veth"][0] == "yes"
    assert table["inet6"][0] == "yes"


def test_lab_doctor_says_why_a_family_is_missing_on_the_host():
    output = lab("doctor").stdout
    if "can" in output and "CONFIG_CAN;" in output:
        assert "run in the lab VM" in output
    else:
        pytest.skip("this host has CAN: nothing is missing to explain")


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGKILL], ids=["SIGINT", "SIGKILL"])
def test_a_stopped_lab_test_takes_its_command_beside_with_it(tmp_path, stop):
    marker = f"{os.getpid()}{time.monotonic_ns() % 10**6}"
    started = tmp_path / "host-share-test-started"
    # The signal arrives while the host share's test runs (pytest then takes a
    # SIGINT itself, and returns), not while the run starts.
    (tmp_path / "test_sleeps.py").write_text(
        f"import pathlib, time\ndef test_sleeps():\n    pathlib.Path({str(started)!r}).touch()\n    time.sleep(120)\n")
    run = subprocess.Popen(
        [sys.executable, "-m", "lab", "test", "--backend", "host", "--beside", f"sleep {marker}", str(tmp_path),
         "--impl", "stdlib", f"--junitxml={tmp_path / 'junit.xml'}"],
        cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not (processes.with_argv("sleep", marker) and started.exists()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert processes.with_argv("sleep", marker), "the command beside never started"
    assert started.exists(), "the host share's test never started"
    run.send_signal(stop)
    run.wait(60)
    deadline = time.monotonic() + 10
    while processes.with_argv("sleep", marker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert processes.with_argv("sleep", marker) == []


def test_a_command_beside_the_shares_runs_while_they_run_and_its_exit_status_counts(tmp_path):
    # The host's share waits for CMD's mark: it can only pass if CMD started
    # with the run, not after the share.
    mark = tmp_path / "beside-started"
    (tmp_path / "test_waits.py").write_text(
        "import pathlib, time\n"
        "def test_sees_the_command_beside():\n"
        f"    mark = pathlib.Path({str(mark)!r})\n"
        "    deadline = time.monotonic() + 60\n"
        "    while not mark.exists() and time.monotonic() < deadline:\n"
        "        time.sleep(0.05)\n"
        "    assert mark.exists()\n"
    )
    command = f"sh -c 'touch {mark}; echo beside-the-shares; exit 3'"
    run = lab("test", "--backend", "host", "--beside", command,
              str(tmp_path), "--impl", "stdlib", f"--junitxml={tmp_path / 'junit.xml'}")
    assert run.returncode == 3, run.stdout + run.stderr
    shown = run.stdout + run.stderr
    assert "1 passed" in shown
    assert "beside-the-shares" in shown
    assert f"`{command}`: exit status 3" in shown
