"""The kernel axis of `lab repro`: kernels named by release or path, a
scenario's kernel claim judged as its interpreter claim is, one VM boot per
kernel, and `--expect-fixed` accepting nothing that did not run."""

from __future__ import annotations

import os
import sys
import textwrap
from pathlib import Path

import pytest

from lab.capabilities import missing
from lab.repro import axis
from lab.repro import cli as repro_cli
from lab.repro import run as repro_run
from lab.repro.catalogue import kernel_version, load
from lab.repro.cells import (
    NEEDS_VM,
    NOT_REPRODUCED,
    REPRODUCED,
    Cell,
    Interpreter,
    RunOptions,
    ScenarioRun,
)
from lab.repro.matrix import render, sockimpl_summary
from lab.vm import kernels

THIS_PYTHON = Interpreter(".".join(map(str, sys.version_info[:3])), Path(sys.executable))
CLAIMING = '''
SCENARIO = {
    "reference": "gh-0",
    "title": "a kernel bug the report places in 6.16 and 6.17",
    "family": "AF_UNIX",
    "affected": {"text": "every version", "versions": [["3.6", None]]},
    "kernels": [["6.16", "6.18"]],
    "fixed": "nothing happens",
    "kernel_side": True,
    "timeout": 3,
}

def run(socket, lab):
    return lab.not_reproduced("ran")
'''


def scenario_file(folder: Path, name: str = "gh_0_kernel_claim", text: str = CLAIMING):
    path = folder / f"{name}.py"
    path.write_text(textwrap.dedent(text))
    return load(path)


def boot_folder(tmp_path: Path, *releases: str) -> Path:
    boot = tmp_path / "boot"
    boot.mkdir()
    for release in releases:
        (boot / f"vmlinuz-{release}").write_bytes(b"")
    return boot


def test_a_release_prefix_ends_at_a_part_of_the_release(tmp_path):
    boot = boot_folder(tmp_path, "6.1.0-57-amd64", "6.12.117+deb12-amd64")
    assert kernels.resolve("6.1", boot).name == "vmlinuz-6.1.0-57-amd64"
    assert kernels.resolve("6.12", boot).name == "vmlinuz-6.12.117+deb12-amd64"
    assert kernels.resolve("6.12.117+deb12-amd64", boot).name == "vmlinuz-6.12.117+deb12-amd64"


def test_a_prefix_matching_several_kernels_names_the_newest(tmp_path):
    boot = boot_folder(tmp_path, "6.1.0-9-amd64", "6.1.0-57-amd64", "6.1.0-56-amd64")
    assert kernels.resolve("6.1", boot).name == "vmlinuz-6.1.0-57-amd64"


def test_an_unknown_kernel_is_refused_with_what_is_installed(tmp_path):
    boot = boot_folder(tmp_path, "6.1.0-57-amd64")
    with pytest.raises(kernels.KernelNotFound, match=r"no kernel '6\.5'.*installed: 6\.1\.0-57-amd64"):
        kernels.resolve("6.5", boot)


def test_a_path_is_taken_as_it_is():
    assert kernels.resolve("/somewhere/vmlinuz-x") == Path("/somewhere/vmlinuz-x")


def test_a_kernels_modules_are_read_from_its_modules_folder(tmp_path):
    folder = tmp_path / "6.1.0-57-amd64"
    folder.mkdir()
    (folder / "modules.dep").write_text(
        "kernel/drivers/net/can/vcan.ko.xz:\nkernel/net/can/can-raw.ko.xz: kernel/net/can/can.ko.xz\n")
    (folder / "modules.builtin").write_text("kernel/net/unix/unix.ko\n")
    assert kernels.lacking_modules("6.1.0-57-amd64", ("vcan", "can-raw", "unix", "rds"), tmp_path) == ["rds"]
    assert kernels.lacking_modules("6.9.9", ("vcan",), tmp_path) is None


def test_debians_build_string_gives_the_upstream_version_its_release_hides():
    assert kernel_version("6.1.0-57-amd64", "#1 SMP PREEMPT_DYNAMIC Debian 6.1.192-3 (2026-11-26)") == (6, 1, 192)
    assert kernel_version("6.18.44-fc-v669", "#1 SMP") == (6, 18, 44)


def test_the_kernel_claim_is_part_of_the_reports_word(tmp_path):
    scenario = scenario_file(tmp_path)
    assert scenario.affected_on((3, 11, 7), (6, 16, 3))
    assert not scenario.affected_on((3, 11, 7), (6, 12, 117))
    assert not scenario.affected_on((3, 11, 7), (6, 18, 0))


def _ran_on(scenario, release: str, stdlib: str) -> ScenarioRun:
    cells = [Cell(scenario.name, "3.11.7", "stdlib", stdlib), Cell(scenario.name, "3.11.7", "sockimpl", stdlib)]
    return ScenarioRun(scenario, where=f"vm {release}", kernel=release, kernel_build="#1", cells=cells)


def test_the_combined_matrix_checks_the_kernel_claim_row_by_row(tmp_path):
    scenario = scenario_file(tmp_path)
    runs = [_ran_on(scenario, "6.12.1-amd64", NOT_REPRODUCED), _ran_on(scenario, "6.16.2-amd64", REPRODUCED)]
    text = render(runs, ("stdlib", "sockimpl"), combined=True)
    rows = [line.split() for line in text.splitlines() if line.startswith("  3.11.7")]
    assert [row[:3] for row in rows] == [["3.11.7", "6.12.1-amd64", "fixed"], ["3.11.7", "6.16.2-amd64", "affected"]]
    assert "=> 6.12.1-amd64: stdlib matches the report on 1 of 1" in text
    assert "=> 6.16.2-amd64: stdlib matches the report on 1 of 1" in text
    # The same verdicts the other way round disagree with the report on both kernels.
    swapped = [_ran_on(scenario, "6.12.1-amd64", REPRODUCED), _ran_on(scenario, "6.16.2-amd64", NOT_REPRODUCED)]
    assert render(swapped, ("stdlib",), combined=True).count("matches the report on 0 of 1") == 2


def test_expect_fixed_fails_on_a_kernel_that_is_not_installed(tmp_path, capsys):
    scenario = scenario_file(tmp_path, "gh_0_anywhere", CLAIMING.replace('"kernels": [["6.16", "6.18"]],', ""))
    status = repro_cli.main([
        "repro", str(scenario.path), "--kernel", "host", "--kernel", "0.0.1-none",
        "--python", sys.executable, "--impl", "sockimpl", "--expect-fixed", "--artifacts", str(tmp_path / "out"),
    ])
    captured = capsys.readouterr()
    assert status == 1
    assert "sockimpl did not run: kernel 0.0.1-none: no kernel '0.0.1-none'" in captured.out
    # The host's kernel ran it, and that alone is not enough.
    assert f"=> {os.uname().release}: sockimpl: behaves as the stdlib" in captured.out


def test_expect_fixed_passes_when_every_named_kernel_ran(tmp_path):
    scenario = scenario_file(tmp_path, "gh_0_anywhere", CLAIMING.replace('"kernels": [["6.16", "6.18"]],', ""))
    status = repro_cli.main([
        "repro", str(scenario.path), "--kernel", "host",
        "--python", sys.executable, "--impl", "sockimpl", "--expect-fixed", "--artifacts", str(tmp_path / "out"),
    ])
    assert status == 0


def test_backend_host_refuses_a_kernel_other_than_the_running_one(tmp_path):
    scenario = scenario_file(tmp_path)
    assert repro_cli.main(["repro", str(scenario.path), "--backend", "host", "--kernel", "/boot/vmlinuz-x",
                           "--artifacts", str(tmp_path / "out")]) == 2


def test_every_kernel_that_boots_gets_one_share_for_all_its_scenarios(tmp_path):
    bootable = [t for t in axis.every_kernel() if not t.is_host]
    if len(bootable) < 2:
        pytest.skip("needs two kernels the lab VM can boot (`socklab setup vm` installs 6.1 and 6.12)")
    first = scenario_file(tmp_path, "gh_1_first")
    second = scenario_file(tmp_path, "gh_2_second")
    options = RunOptions(artifacts=tmp_path / "out", kernels=tuple(bootable[:2]))
    runs, host, guests = repro_run._on_axis([first, second], [THIS_PYTHON], options)
    assert [len(g.runs) for g in guests] == [2, 2]
    assert [g.image for g in guests] == [t.image for t in bootable[:2]]
    assert {r.kernel for r in runs} == {t.release for t in bootable[:2]}
    assert not host.runs


def test_all_counts_the_hosts_kernel_only_where_it_has_the_family(tmp_path):
    if missing("can") is None:
        pytest.skip("this host's kernel has CAN: nothing to leave out")
    needing_can = scenario_file(tmp_path, "gh_3_can", CLAIMING.replace('"family": "AF_UNIX",', '"family": "AF_CAN", "needs": ["can"],'))
    plain = scenario_file(tmp_path, "gh_4_plain")
    options = RunOptions(artifacts=tmp_path / "out", kernels=(axis.host_target(if_able=True),))
    runs, host, _ = repro_run._on_axis([needing_can, plain], [THIS_PYTHON], options)
    assert [r.scenario.name for r in runs] == [r.scenario.name for r in host.runs] == ["gh_4_plain"]
    # Named on its own, the host's kernel is not skipped: its cells say why.
    options = RunOptions(artifacts=tmp_path / "out", kernels=(axis.host_target(),))
    runs, _, _ = repro_run._on_axis([needing_can], [THIS_PYTHON], options)
    assert {c.verdict for c in runs[0].cells} == {NEEDS_VM}
    assert not sockimpl_summary(runs[0])[1]


def test_doctor_lists_every_kernel_in_boot_with_its_families():
    from lab import doctor
    from lab.kernel.modules import FAMILY_MODULES

    # One list of the families' modules: doctor's families are made of it.
    assert {m for mods in doctor.KERNEL_FAMILIES.values() for m in mods} <= set(FAMILY_MODULES)
    lines = doctor.kernel_lines([])
    assert lines[1].startswith(f"  host {os.uname().release} (running): ")
    listed = [line.split()[0] for line in lines[2:]]
    assert listed == [kernels.release(image) for image in kernels.installed()]
    for line, image in zip(lines[2:], kernels.installed()):
        release = kernels.release(image)
        lacking = kernels.lacking_modules(release, ("can-raw", "vcan"))
        if lacking == [] and vm_can_boot(image):
            assert ": can " in line or line.split(": ", 1)[1].startswith("can ")


def vm_can_boot(image: Path) -> bool:
    from lab.vm import machine

    return machine.why_unavailable(image) is None


def test_setup_installs_the_second_kernel_line_only_where_the_archive_offers_it():
    from lab import setup

    if setup.distribution() != "debian" or not setup.installed("apt"):
        pytest.skip("a Debian machine's archive is what this asks")
    assert not setup.offered("socklab-no-such-kernel-package")
    second = setup.SECOND_KERNEL_PACKAGES["debian"]
    the_plan = setup.plan(["vm"], kernel=True, distro="debian")
    for package in second:
        assert (package in the_plan.missing) == (not setup.installed(package) and setup.offered(package))
    assert not set(second) & set(setup.plan(["vm"], kernel=False, distro="debian").missing)
    # A new machine's package lists are empty until `apt-get update`, so the
    # install asks again after it: "apt" has a candidate, the other none.
    before_update = setup.Plan("debian", ("tshark",), if_offered=("socklab-no-such-kernel-package", "apt"))
    assert before_update.after_update().missing == ("tshark", "apt")
