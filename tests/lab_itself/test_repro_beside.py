"""`lab test --repro ARGS` (lab.repro.beside): a `lab repro` run split
between the host's share and the VM share's own boot, judged as one.
`make lab-test` runs the whole catalogue so; these check the split and
that a boot which left no verdict fails the run rather than passing it."""

from __future__ import annotations

import json
import shutil
import sys
import uuid
from pathlib import Path

import pytest

from lab.paths import ARTIFACTS
from lab.repro import catalogue as repro_catalogue
from lab.repro.beside import InVmShare
from lab.repro.cells import ERROR, NOT_REPRODUCED
from lab.repro.run import host_lacks, vm_unavailable

HOST_SCENARIO = "gh-94821"  # AF_UNIX: every host kernel has it
KERNEL = Path("/boot/vmlinuz-6.1.0-0-lab-test")


@pytest.fixture
def artifacts():
    """A folder under lab-artifacts/, where a VM share's guest may write."""
    folder = ARTIFACTS / f"repro-beside-{uuid.uuid4().hex[:8]}"
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def vm_scenario() -> str:
    lacked = [s for s in repro_catalogue.catalogue() if host_lacks(s)]
    if not lacked:
        pytest.skip("this host kernel has every family of the catalogue: no scenario needs the lab VM")
    why = vm_unavailable(None)
    if why:
        pytest.skip(f"the lab VM cannot boot here ({why}): `lab repro` marks its scenarios as waiting on it")
    return lacked[0].reference


def test_the_host_runs_its_cells_and_the_vm_shares_boot_gets_a_plan_of_the_rest(artifacts, capsys):
    in_vm = vm_scenario()
    share = InVmShare.embeddable([HOST_SCENARIO, in_vm, "--impl", "sockimpl", "--python", sys.executable,
                                  "--expect-fixed", "--artifacts", str(artifacts)], KERNEL)
    assert isinstance(share, InVmShare), share
    assert [r.scenario.reference for r in share.host.runs] == [HOST_SCENARIO]
    assert [r.scenario.reference for r in share.guest.runs] == [in_vm]

    option, plan = share.guest_options()
    assert option == "--repro-plan"
    guest_argv = json.loads(Path(plan).read_text())
    assert guest_argv[:3] == ["repro", "--backend", "host"]
    assert [Path(a).stem for a in guest_argv if a.endswith(".py")] == [share.guest.runs[0].scenario.name]

    share.run_host_part()
    assert [c.verdict for c in share.host.runs[0].cells] == [NOT_REPRODUCED]

    # The boot never came: its scenario has no verdict, and the run fails.
    assert share.finish(vm_status=None) == 1
    left = share.guest.runs[0].cells
    assert [c.verdict for c in left] == [ERROR] and "the boot never came" in left[0].detail
    assert "the boot never came" in capsys.readouterr().out


@pytest.mark.parametrize("argv", [
    ["--all", "--kernel", "6.1"],
    ["--all", "--kernels", "all"],
    ["--all", "--backend", "host"],
    ["--all", "--artifacts", "/tmp/elsewhere"],
])
def test_a_repro_run_the_vm_share_cannot_carry_runs_on_its_own(argv):
    why = InVmShare.embeddable(argv, KERNEL)
    assert isinstance(why, str) and why
