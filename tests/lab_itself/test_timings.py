"""The wall times `make test` records of its parts, and the line it ends with."""

from __future__ import annotations

import time

from lab import timings


def test_the_line_make_test_ends_with_names_each_part_its_time_and_a_failure(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # lab-artifacts/ of its own
    timings.record("make-unit-test", 176.4, 0, "")
    timings.record("make-lab-test", 283.0, 1, "-k can")

    assert timings.shown(["make-unit-test", "make-conformance", "make-lab-test"]) == (
        "unit-test 176 s, conformance not run, lab-test 283 s (exit status 1)")
    assert timings.recorded()["make-lab-test"]["arguments"] == "-k can"


def test_show_prints_that_line_and_a_wrong_call_says_how_to_call(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    timings.record("make-test-setup", 41, 0, "")
    assert timings.main(["show", "make-test-setup"]) == 0
    assert capsys.readouterr().out == "test-setup 41 s\n"
    assert timings.main(["show"]) == 2
    assert "python -m lab.timings show [--since EPOCH_SECONDS] NAME..." in capsys.readouterr().err



def test_a_part_recorded_before_this_run_is_not_shown_as_this_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    timings.record("make-lab-test", 283.0, 0, "")  # an earlier run's
    later = time.time() + 5
    assert timings.shown(["make-lab-test"], since=later) == "lab-test not run"
    assert timings.shown(["make-lab-test"], since=later - 60) == "lab-test 283 s"
    assert timings.main(["show", "--since", str(later), "make-lab-test"]) == 0
