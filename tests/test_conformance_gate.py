"""`make conformance`'s verdict: green only when both sides ran and every
test the stdlib passes, sockimpl passes (or is listed as deliberate)."""

from __future__ import annotations

import re
import unittest
from pathlib import Path

from conformance.report import Comparison
from conformance.side import Outcome, SideRun
from conformance.suite_child import SUITE, left_out, without


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



def _ids(suite: unittest.TestSuite) -> set[str]:
    found: set[str] = set()
    for item in suite:
        found |= _ids(item) if isinstance(item, unittest.TestSuite) else {item.id()}
    return found


def test_select_and_deselect_of_one_pattern_split_the_suite_into_two_parts_that_add_up() -> None:
    """The lab VM runs test_socket in two parts, `--select` and `--deselect`
    of the same pattern: together they are the whole suite, none twice."""
    suite = unittest.defaultTestLoader.loadTestsFromName(SUITE)
    pattern = re.compile(r"\.\w*(CAN|TIPC)\w*\.")
    everything = _ids(suite)
    selected = _ids(without(suite, lambda test: left_out(test, set(), pattern, None)))
    deselected = _ids(without(suite, lambda test: left_out(test, set(), None, pattern)))

    assert selected and all(pattern.search(test) for test in selected)
    assert not selected & deselected
    assert selected | deselected == everything


def test_a_side_hands_its_selection_to_each_child_it_starts() -> None:
    run = SideRun("python", "3.x", "sockimpl", Path("."), 1.0, False, select="A", deselect="B")
    argv = run.child_argv(Path("r.jsonl"), Path("r.skip"))
    assert argv[argv.index("--select") + 1] == "A" and argv[argv.index("--deselect") + 1] == "B"
    assert "--select" not in _side("stdlib", {}).child_argv(Path("r.jsonl"), Path("r.skip"))
