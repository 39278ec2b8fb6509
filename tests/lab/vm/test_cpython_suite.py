"""CPython's own test_socket over the stdlib and over sockimpl, in the lab
VM, where every family the suite tests exists: its CAN classes (on a bus it
calls `vcan0`), TIPC, VSOCK, ALG, RDS, QIPCRTR, and its Bluetooth classes
under an interpreter whose stdlib has AF_BLUETOOTH, with two controllers up.
The host half is `make conformance`; `conformance/` does the comparing:
it fails when sockimpl fails a test the stdlib passes that
conformance/deliberate.txt does not list, or when a side ran nothing.

One interpreter: Debian's python3 (the Bluetooth tests' oracle, with its
test suite from `libpython3.X-testsuite`), else the lab's own."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lab.oracle import oracle_python
from lab.paths import ARTIFACTS, CHECKOUT

# (Not "bluetooth": the Bluetooth classes run under the interpreter chosen
# below, and this file must not be run again by the oracle pass.)
pytestmark = [pytest.mark.family(name) for name in ("can", "tipc", "vsock", "alg", "rds", "qipcrtr")]

# The suite's own CAN tests name this interface.
SUITE_BUS = "vcan0"
# Under TCG a side takes minutes; conformance restarts a side past a hang.
SUITE_TIMEOUT_S = 1500


def _interpreter() -> tuple[str, dict[str, str], str]:
    """The interpreter, its environment, and why it was chosen."""
    oracle, why_not = oracle_python(["AF_BLUETOOTH"])
    if oracle is not None:
        has_suite = subprocess.run([oracle.path, "-P", "-c", "import test.test_socket"], capture_output=True,
                                   check=False).returncode == 0
        if has_suite:
            return oracle.path, {"SOCKIMPL_BUILD_DIR": str(oracle.build)}, "its stdlib has AF_BLUETOOTH"
        why_not = f"{oracle.path} has no test suite: `make oracle-python` installs libpython3.X-testsuite"
    return sys.executable, {}, f"{why_not}; the Bluetooth classes skip on both sides"


# The classes of the families: they need the guest's first namespace and
# share its VSOCK ports, TIPC names and controllers, so their two sides run
# one after the other there.  Every other class (TCP, UDP, Unix, the file
# objects, timeouts...) runs after them, both sides at once, each side in a
# loopback-only namespace of its own, as `make conformance` runs them on the
# host: half their time is spent waiting on timeouts, which the two sides
# then share.  (Not beside the families: an RDS test then hung in one run.)
# A family class this misses would skip there for want of its family, which
# the check below turns into a failure.
FAMILY_CLASS = (r"\.\w*(CAN|ISOTP|J1939|TIPC|VSOCK|RDS|QIPCRTR|Bluetooth|KernelCryptoAPI|SCTP|UDPLITE|HyperV)"
                r"\w*\.")


def test_sockimpl_passes_every_test_the_stdlib_passes_in_the_vm(bt_controllers,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    if CHECKOUT is None or importlib.util.find_spec("conformance") is None:
        pytest.skip("the conformance runner is part of a socklab checkout, not of the installed package")
    python, env, why = _interpreter()
    out = ARTIFACTS / "conformance-vm"
    shutil.rmtree(out, ignore_errors=True)

    def conformance(*options: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "conformance", "--python", python, *options]
        return subprocess.run(command, cwd=CHECKOUT, capture_output=True, text=True, timeout=SUITE_TIMEOUT_S,
                              env=dict(os.environ, **env), check=False)

    # The guest's first namespace, the only one where the kernel serves
    # Bluetooth and QIPCRTR sockets, with the bus the suite names.
    subprocess.run(["ip", "link", "add", SUITE_BUS, "type", "vcan"], check=True)
    try:
        subprocess.run(["ip", "link", "set", SUITE_BUS, "up"], check=True)
        families = conformance("--out", str(out / "families"), "--select", FAMILY_CLASS, "--jobs", "1")
    finally:
        subprocess.run(["ip", "link", "del", SUITE_BUS], check=False)
    others = conformance("--out", str(out / "others"), "--deselect", FAMILY_CLASS, "--isolate", "--jobs", "2")
    report = "\n".join(f"{what}:\n{done.stdout}{done.stderr}" for what, done in (
        ("the families' classes, in the guest's first namespace", families),
        ("every other class, each side in a namespace of its own", others)))
    (out / "report.txt").write_text(report)
    # The per-side counts on the terminal, as `make conformance` prints the host's.
    with capsys.disabled():
        print(f"\ntest_socket in the lab VM under {python} ({why}):\n{report}", flush=True)
    for done in (families, others):
        assert done.returncode == 0, f"{done.stdout[-4000:]}\n{done.stderr[-2000:]}"
    # Every family is here: a family's class skipped for want of it means
    # the suite proved nothing about that family.
    unmet = sorted({f"{side}: {test} ({reason})" for side, test, reason in _skips(out)
                    if FAMILY_SKIP.search(reason) and not (test.startswith(BLUETOOTH_CLASSES) and "AF_BLUETOOTH" not in why)})
    assert not unmet, "skipped for want of a family the guest has:\n" + "\n".join(unmet)


FAMILY_SKIP = re.compile(r"\b(Bluetooth|QIPCRTR|VSOCK|TIPC|RDS|ALG|CAN|ISOTP|J1939|SCTP|UDPLITE)\b", re.IGNORECASE)
BLUETOOTH_CLASSES = ("test.test_socket.BasicBluetoothTest", "test.test_socket.BluetoothTest")


def _skips(out: Path) -> list[tuple[str, str, str]]:
    """(side, test, reason) of every skip both sides recorded."""
    found = []
    for results in out.rglob("*.jsonl"):
        side = results.stem.rpartition("-")[2]
        for line in results.read_text().splitlines():
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if isinstance(record, dict) and record.get("outcome") == "skip":
                found.append((side, record.get("test", "?"), record.get("detail") or ""))
    return found
