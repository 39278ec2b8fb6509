"""`make conformance`'s verdict: green only when both sides ran and every
test the stdlib passes, sockimpl passes (or is listed as deliberate)."""

from __future__ import annotations

from pathlib import Path

from conformance.report import Comparison
from conformance.side import Outcome, SideRun


def _side(side: str, outcomes: dict[str, str]) -> SideRun:
    run = SideRun("python", "3.x", side, Path("."), 1.0, False)
    run.outcomes = {test: Outcome(outcome) for test, outcome in outcomes.items()}
    return run


def _compare(stdlib: dict[str, str], sockimpl: dict[str, str], deliberate: dict[str, str] | None = None):
    return Comparison("3.x", _side("stdlib", stdlib), _side("sockimpl", sockimpl), deliberate or {})


def test_the_same_passes_on_both_sides_is_green() -> None:
    assert _compare({"t.A": "ok", "t.B": "skip"}, {"t.A": "ok", "t.B": "skip"}).failures() == 0


def test_a_test_sockimpl_fails_and_the_stdlib_passes_fails_the_run() -> None:
    assert _compare({"t.A": "ok"}, {"t.A": "fail"}).failures() == 1


def test_a_listed_deliberate_failure_passes_and_a_stale_listing_fails() -> None:
    assert _compare({"t.A": "ok"}, {"t.A": "fail"}, {"t.A": "why"}).failures() == 0
    assert _compare({"t.A": "ok"}, {"t.A": "ok"}, {"t.A": "why"}).failures() == 1


def test_a_side_that_ran_nothing_fails_the_run() -> None:
    assert _compare({}, {}).failures() == 2
    assert _compare({"t.A": "ok"}, {}).failures() == 2  # no outcome, and the stdlib's pass unmatched
