"""`lab repro`'s promises: the catalogue says what each bug report says, a
cell's crash is reported with its signal and a hang with its timeout, an
interpreter's missing constant is "n/a" rather than a failure, and the
matrix judges sockimpl by the scenario's own definition of fixed."""

from __future__ import annotations

import os
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest

from lab.repro import catalogue as repro_catalogue
from lab.repro import cli as repro_cli
from lab.repro.catalogue import AffectedRange, ScenarioError, load, parse_version
from lab.repro.cells import (
    CRASHED,
    ERROR,
    HUNG,
    NOT_APPLICABLE,
    NOT_REPRODUCED,
    REPRODUCED,
    Cell,
    Interpreter,
    classify,
    run_cell,
)
from lab.repro.matrix import render_scenario, sockimpl_fixed, sockimpl_summary
from lab.repro.run import RunOptions, ScenarioRun, run_on_host

CATALOGUE = repro_catalogue.catalogue()
THIS_PYTHON = Interpreter(".".join(map(str, sys.version_info[:3])), Path(sys.executable))
HEADER = '''
SCENARIO = {
    "reference": "gh-0",
    "title": "a scenario written for the lab's own tests",
    "family": "AF_UNIX",
    "affected": {"text": "3.9 only", "versions": [["3.9", "3.10"]]},
    "fixed": "nothing happens",
    "timeout": 3,
}
'''


def write_scenario(folder: Path, name: str, body: str, header: str = HEADER) -> repro_catalogue.Scenario:
    path = folder / f"{name}.py"
    path.write_text(header + textwrap.dedent(body))
    return load(path)


def test_catalogue_holds_its_reports_each_once():
    references = [s.reference for s in CATALOGUE]
    assert len(references) == len(set(references))
    assert set(references) == {
        "gh-94821", "bpo-45228", "bpo-37405", "gh-129719", "bpo-35050", "gh-119461",
        "gh-101384", "gh-132099", "gh-100795", "gh-74895", "bpo-20246",
        # issue 19: the kernel axis's first (RDS), then the tracker's and the kernel's
        "gh-136110", "bpo-34587", "can-utils-377", "gh-143637", "gh-143988", "bpo-42393",
        "bpo-37013", "bpo-28134", "gh-107545", "bpo-37085", "bpo-30987", "bpo-27584",
        "bpo-35415", "python-can-isotp-22",
    }


@pytest.mark.parametrize("scenario", CATALOGUE, ids=lambda s: s.reference)
def test_every_scenario_states_affected_versions_and_a_known_need(scenario):
    from lab.capabilities import CAPABILITIES

    assert scenario.affected, "the report's affected versions"
    assert scenario.name.replace("_", "-").startswith(scenario.reference.lower())
    unknown = set(scenario.needs) - set(CAPABILITIES) - repro_catalogue.PREPARED_NEEDS
    assert not unknown


def test_pytest_collects_no_scenario_file_as_a_test():
    folder = repro_catalogue.DEFAULT_FOLDER
    looks_like_tests = [p.name for p in folder.glob("*.py") if p.name.startswith("test_") or p.stem.endswith("_test")]
    assert looks_like_tests == []


def test_a_scenario_without_run_is_refused(tmp_path):
    path = tmp_path / "gh_1_no_steps.py"
    path.write_text(HEADER)
    with pytest.raises(ScenarioError, match="no `def run"):
        load(path)


def test_a_scenario_is_selected_by_its_reference():
    chosen = repro_catalogue.select(CATALOGUE, ["gh-94821"])
    assert [s.name for s in chosen] == ["gh_94821_unix_autobind"]


def test_an_unknown_scenario_name_lists_the_catalogue():
    with pytest.raises(ScenarioError, match="gh-94821"):
        repro_catalogue.select(CATALOGUE, ["gh-1"])


def test_a_pre_release_version_compares_by_its_numbers():
    assert parse_version("3.11.0b5") == (3, 11, 0)


def test_an_affected_range_excludes_the_version_that_fixed_it():
    span = AffectedRange(first=(3, 9), fixed_in=(3, 10, 6))
    assert [span.covers(v) for v in [(3, 8, 18), (3, 9, 18), (3, 10, 5), (3, 10, 6)]] == [False, True, True, False]


def test_a_child_killed_by_a_signal_is_a_crash_with_the_signal_named(tmp_path):
    scenario = write_scenario(tmp_path, "gh_0_segfault", """
        def run(socket, lab):
            import ctypes
            ctypes.string_at(0)
    """)
    verdict, detail = run_cell(scenario, THIS_PYTHON, "stdlib", {}, tmp_path)[:2]
    assert (verdict, detail) == (CRASHED, "SIGSEGV")


def test_a_child_outliving_the_timeout_is_hung_and_killed(tmp_path):
    scenario = write_scenario(tmp_path, "gh_0_sleeps", """
        def run(socket, lab):
            import time
            time.sleep(60)
    """)
    scenario = replace(scenario, timeout=1)
    verdict, detail = run_cell(scenario, THIS_PYTHON, "stdlib", {}, tmp_path)[:2]
    assert (verdict, detail) == (HUNG, "timeout 1s")


def test_a_hang_reproduces_a_scenario_whose_symptom_is_a_hang():
    scenario = replace(CATALOGUE[0], hang_is_symptom=True, timeout=4)
    assert classify(scenario, None, None)[0] == REPRODUCED


def test_a_missing_constant_is_not_applicable_and_named(tmp_path):
    scenario = write_scenario(tmp_path, "gh_0_requires", """
        def run(socket, lab):
            lab.require(socket, "AF_UNIX", "NO_SUCH_CONSTANT")
            return lab.reproduced("unreachable")
    """)
    verdict, detail = run_cell(scenario, THIS_PYTHON, "stdlib", {}, tmp_path)[:2]
    assert (verdict, detail) == (NOT_APPLICABLE, "NO_SUCH_CONSTANT missing from this stdlib")


def test_a_scenario_that_raises_is_an_error_not_a_verdict(tmp_path):
    scenario = write_scenario(tmp_path, "gh_0_raises", """
        def run(socket, lab):
            raise RuntimeError("the scenario itself is broken")
    """)
    verdict, detail, output = run_cell(scenario, THIS_PYTHON, "stdlib", {}, tmp_path)[:3]
    assert (verdict, detail) == (ERROR, "RuntimeError: the scenario itself is broken")
    assert "Traceback" in output.read_text()


def test_the_child_tests_the_implementation_it_is_given(tmp_path):
    scenario = write_scenario(tmp_path, "gh_0_which", """
        def run(socket, lab):
            return lab.not_reproduced(socket.__name__)
    """)
    answers = [run_cell(scenario, THIS_PYTHON, impl, {}, tmp_path)[1] for impl in ("stdlib", "sockimpl")]
    assert answers == ["socket", "sockimpl"]


def _run_of(scenario: repro_catalogue.Scenario, stdlib: str, sockimpl: str) -> ScenarioRun:
    run = ScenarioRun(scenario)
    run.cells = [Cell(scenario.name, "3.11.7", "stdlib", stdlib), Cell(scenario.name, "3.11.7", "sockimpl", sockimpl)]
    return run


def test_sockimpl_reproducing_a_bug_is_not_fixed():
    run = _run_of(CATALOGUE[0], REPRODUCED, REPRODUCED)
    assert sockimpl_fixed(run, run.cells[1]) is False


def test_sockimpl_matching_the_stdlib_on_a_kernel_bug_counts_as_fixed():
    run = _run_of(replace(CATALOGUE[0], kernel_side=True), REPRODUCED, REPRODUCED)
    assert sockimpl_fixed(run, run.cells[1]) is True


def test_sockimpl_crashing_on_a_kernel_bug_is_not_fixed():
    run = _run_of(replace(CATALOGUE[0], kernel_side=True), REPRODUCED, CRASHED)
    assert sockimpl_fixed(run, run.cells[1]) is False


def test_the_matrix_shows_the_reports_word_beside_each_row():
    scenario = repro_catalogue.select(CATALOGUE, ["gh-94821"])[0]
    run = _run_of(scenario, NOT_REPRODUCED, NOT_REPRODUCED)
    row = [line for line in render_scenario(run, ("stdlib", "sockimpl")).splitlines() if "3.11.7" in line]
    assert row[0].split()[:2] == ["3.11.7", "fixed"]


def test_a_host_scenario_runs_in_its_own_namespace_and_keeps_outputs(tmp_path):
    scenario = repro_catalogue.select(CATALOGUE, ["gh-94821"])[0]
    cells = run_on_host(scenario, [THIS_PYTHON], RunOptions(artifacts=tmp_path, report=lambda _: None))
    assert [(c.implementation, c.verdict) for c in cells] == [("stdlib", NOT_REPRODUCED), ("sockimpl", NOT_REPRODUCED)]
    assert all((tmp_path / scenario.name / c.output).is_file() for c in cells)


def test_cells_in_the_lab_vm_get_longer_timeouts(monkeypatch):
    from lab.repro import cells as repro_cells

    monkeypatch.delenv("LAB_REPRO_TIMEOUT_SCALE", raising=False)
    monkeypatch.setenv("LAB_IN_VM", "1")
    assert repro_cells.timeout_scale() == repro_cells.VM_TIMEOUT_SCALE


def test_the_vm_command_line_stays_short_whatever_the_plan(tmp_path):
    import base64

    from lab.repro.vm import _command

    plan = tmp_path / ("p" * 100) / "plan.json"
    encoded = base64.b64encode(_command(plan).encode())
    # virtme-ng passes it on the kernel command line, 2048 bytes on x86.
    assert len(encoded) < 1024


def test_a_scenario_may_stay_in_the_first_namespace(tmp_path):
    scenario = write_scenario(tmp_path, "gh_0_first_namespace", """
        def run(socket, lab):
            import os
            return lab.not_reproduced(os.readlink("/proc/self/ns/net"))
    """)
    scenario = replace(scenario, own_namespace=False)
    cells = run_on_host(scenario, [THIS_PYTHON], RunOptions(artifacts=tmp_path, implementations=("stdlib",),
                                                            report=lambda _: None))
    assert cells[0].detail == os.readlink("/proc/self/ns/net")


def test_a_cells_pcap_holds_each_datagram_once(tmp_path):
    from scapy.layers.inet import UDP
    from scapy.utils import rdpcap

    scenario = repro_catalogue.select(CATALOGUE, ["bpo-20246"])[0]
    cells = run_on_host(scenario, [THIS_PYTHON], RunOptions(artifacts=tmp_path, implementations=("stdlib",),
                                                            report=lambda _: None))
    [pcap] = cells[0].pcaps
    datagrams = [p for p in rdpcap(str(tmp_path / scenario.name / pcap)) if p.haslayer(UDP)]
    assert [len(p[UDP].payload) for p in datagrams] == [1024]


def test_sockimpl_lacking_a_name_its_interpreters_stdlib_has_is_not_fixed(tmp_path):
    scenario = write_scenario(tmp_path, "gh_0_sockimpl_lacks", """
        def run(socket, lab):
            if socket.__name__ == "sockimpl":
                del socket.AF_UNIX  # as if sockimpl had never defined it
            lab.require(socket, "AF_UNIX")
            return lab.not_reproduced("has it")
    """)
    cells = run_on_host(scenario, [THIS_PYTHON], RunOptions(artifacts=tmp_path, report=lambda _: None))
    run = ScenarioRun(scenario, cells=cells)
    assert [(c.implementation, c.verdict, c.stdlib_has) for c in cells] == [
        ("stdlib", NOT_REPRODUCED, ()), ("sockimpl", NOT_APPLICABLE, ("AF_UNIX",)),
    ]
    summary, acceptable = sockimpl_summary(run)
    assert not acceptable
    assert "lacks AF_UNIX, which this interpreter's stdlib has" in summary


def test_a_name_neither_implementation_has_leaves_the_row_out():
    run = _run_of(CATALOGUE[0], NOT_APPLICABLE, NOT_APPLICABLE)
    assert sockimpl_fixed(run, run.cells[1]) is None


def test_a_scenario_that_ran_on_no_sockimpl_row_is_not_acceptable():
    run = _run_of(CATALOGUE[0], NOT_REPRODUCED, NOT_APPLICABLE)
    run.cells[1].detail = "needs >= 3.10"
    summary, acceptable = sockimpl_summary(run)
    assert not acceptable
    assert summary == "sockimpl ran on no row (n/a: needs >= 3.10)"


def test_a_scenario_with_no_sockimpl_cell_at_all_is_not_acceptable():
    run = ScenarioRun(CATALOGUE[0], cells=[Cell(CATALOGUE[0].name, "-", "-", ERROR, "the guest left no verdict")])
    assert sockimpl_summary(run) == ("sockimpl ran on no row (error: the guest left no verdict)", False)


def test_expect_fixed_fails_when_the_cells_wait_on_a_vm_that_never_booted(tmp_path, capsys):
    scenario = write_scenario(tmp_path, "gh_0_in_a_vm", """
        def run(socket, lab):
            return lab.not_reproduced("ran")
    """)
    status = repro_cli.main([
        "repro", str(scenario.path), "--backend", "vm", "--kernel", str(tmp_path / "vmlinuz-none"),
        "--python", sys.executable, "--impl", "sockimpl", "--expect-fixed", "--artifacts", str(tmp_path / "out"),
    ])
    assert status == 1
    out = capsys.readouterr().out
    assert "sockimpl did not run: kernel " in out
    assert "does not exist" in out


def test_expect_fixed_passes_where_sockimpl_ran_and_is_fixed(tmp_path):
    scenario = write_scenario(tmp_path, "gh_0_on_the_host", """
        def run(socket, lab):
            return lab.not_reproduced("ran")
    """)
    status = repro_cli.main([
        "repro", str(scenario.path), "--backend", "host", "--python", sys.executable, "--impl", "sockimpl",
        "--expect-fixed", "--artifacts", str(tmp_path / "out"),
    ])
    assert status == 0
