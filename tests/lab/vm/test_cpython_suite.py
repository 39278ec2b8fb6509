"""CPython's own test_socket over the stdlib and over sockimpl, in the lab
VM, where every family the suite tests exists: its CAN classes (on a bus it
calls `vcan0`), TIPC, VSOCK, ALG, RDS, QIPCRTR, SCTP, and its Bluetooth
classes under an interpreter whose stdlib has AF_BLUETOOTH, with two
controllers up.  The host half is `make conformance`; `conformance/` does
the comparing: it fails when sockimpl fails a test the stdlib passes that
conformance/deliberate.txt does not list, or when a side ran nothing.

Only the classes of the families the host lacks run here (all of them when
the host's lacks are not given): the rest the host's run has proved, on
four interpreters, and `make conformance` fails when a test skips there for
want of a family whose classes the VM would not run
(conformance/families.py).  Under TCG the whole suite took 83 s more.

One interpreter: Debian's python3 (the Bluetooth tests' oracle, with its
test suite from `libpython3.X-testsuite`), else the lab's own."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from lab.oracle import oracle_python
from lab.paths import ARTIFACTS, CHECKOUT

# (Not "bluetooth": the Bluetooth classes run under the interpreter chosen
# below, and this file must not be run again by the oracle pass.)
pytestmark = [pytest.mark.family(name) for name in ("can", "tipc", "vsock", "alg", "rds", "qipcrtr", "sctp")]

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


def _families(config: pytest.Config) -> list[str]:
    """The families whose classes run here: those the host lacks, and
    Bluetooth, which the host's interpreters (pyenv's) lack whatever its
    kernel has; every family when the host's lacks are not given."""
    from conformance.families import CLASSES

    lacks = {name for name in (config.getoption("--lab-host-lacks", default="") or "").split(",") if name}
    return [family for family in CLASSES if not lacks or family in lacks or family == "bluetooth"]


def test_sockimpl_passes_every_test_the_stdlib_passes_in_the_vm(bt_controllers, request: pytest.FixtureRequest,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    if CHECKOUT is None or importlib.util.find_spec("conformance") is None:
        pytest.skip("the conformance runner is part of a socklab checkout, not of the installed package")
    from conformance.families import CLASSES, FAMILY_SKIP, class_of

    families = _families(request.config)
    python, env, why = _interpreter()
    out = ARTIFACTS / "conformance-vm"
    # The guest's first namespace, the only one where the kernel serves
    # Bluetooth and QIPCRTR sockets, with the bus the suite names; the two
    # sides one after the other, as VSOCK ports, TIPC names and the
    # controllers are shared by everything in the guest.
    subprocess.run(["ip", "link", "add", SUITE_BUS, "type", "vcan"], check=True)
    try:
        subprocess.run(["ip", "link", "set", SUITE_BUS, "up"], check=True)
        command = [sys.executable, "-m", "conformance", "--python", python, "--out", str(out), "--jobs", "1",
                   "--families", ",".join(families)]
        done = subprocess.run(command, cwd=CHECKOUT, capture_output=True, text=True, timeout=SUITE_TIMEOUT_S,
                              env=dict(os.environ, **env), check=False)
    finally:
        subprocess.run(["ip", "link", "del", SUITE_BUS], check=False)
    (out / "report.txt").write_text(done.stdout + done.stderr)
    # The per-side counts on the terminal, as `make conformance` prints the host's.
    with capsys.disabled():
        print(f"\ntest_socket in the lab VM under {python} ({why}), the classes of {', '.join(families)}:\n"
              f"{done.stdout}", flush=True)
    assert done.returncode == 0, f"{done.stdout[-4000:]}\n{done.stderr[-2000:]}"
    outcomes = _outcomes(out)
    # Every family is here: a family's class skipped for want of it means
    # the suite proved nothing about that family.
    unmet = sorted({f"{side}: {test} ({detail})" for side, test, outcome, detail in outcomes
                    if outcome == "skip" and FAMILY_SKIP.search(detail)
                    and not (re.search(CLASSES["bluetooth"], class_of(test)) and "AF_BLUETOOTH" not in why)})
    assert not unmet, "skipped for want of a family the guest has:\n" + "\n".join(unmet)
    # And each family chosen had tests that ran on both sides: a class the
    # suite renamed would otherwise leave its family unproved, silently.
    for side in ("stdlib", "sockimpl"):
        ran = {family for family in families for s, test, outcome, _ in outcomes
               if s == side and outcome != "skip" and re.search(CLASSES[family], class_of(test))}
        missing = set(families) - ran - ({"bluetooth"} if "AF_BLUETOOTH" not in why else set())
        assert not missing, f"the {side} side ran no test of {', '.join(sorted(missing))}"


def _outcomes(out: Path) -> list[tuple[str, str, str, str]]:
    """(side, test, outcome, detail) of every test both sides recorded."""
    found = []
    for results in out.glob("*.jsonl"):
        side = results.stem.rpartition("-")[2]
        for line in results.read_text().splitlines():
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if isinstance(record, dict) and "outcome" in record:
                found.append((side, record.get("test", "?"), record["outcome"], record.get("detail") or ""))
    return found
