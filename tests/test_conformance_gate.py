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


def test_a_family_skip_outside_every_family_class_fails_a_host_run() -> None:
    from conformance.families import uncovered

    skips = {
        "test.test_socket.BasicCANTest.testCreateSocket": "SocketCan required for this test.",
        "test.test_socket.LinuxKernelCryptoAPI.test_sha256": "AF_ALG required",
        "test.test_socket.SendmsgSCTPStreamTest.testSendmsg": "can't create socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP)",
        "test.test_socket.TestSocketSharing.testShare": "Windows specific",
        "test.test_socket.GeneralModuleTests.testX": "can't do this here",  # "can't" is no family
        "test.test_socket.BasicHCITest.testBind": "Bluetooth sockets required for this test.",
    }
    assert uncovered(skips) == ["test.test_socket.BasicHCITest.testBind"]


def test_a_family_selection_names_only_known_families() -> None:
    import re

    import pytest

    from conformance.families import CLASSES, pattern

    assert re.search(pattern(["can"]), "J1939Test") and not re.search(pattern(["can"]), "TIPCTest")
    assert all(re.search(pattern(list(CLASSES)), name) for name in ("BasicVSOCKTest", "RecvmsgUDPLITE6Test"))
    for wrong in (["bogus"], []):
        with pytest.raises(ValueError):
            pattern(wrong)


def test_a_side_limited_to_some_classes_runs_only_theirs_and_still_reports_a_module_that_failed_to_load() -> None:
    import re
    import unittest

    from conformance.suite_child import without

    class BasicCANTest(unittest.TestCase):
        def test_a(self) -> None: ...

    class GeneralModuleTests(unittest.TestCase):
        def test_b(self) -> None: ...

    loader = unittest.TestLoader()
    suite = unittest.TestSuite([loader.loadTestsFromTestCase(BasicCANTest),
                                loader.loadTestsFromTestCase(GeneralModuleTests),
                                loader.loadTestsFromName("no_such_module_anywhere")])
    kept = [type(test).__name__ for group in without(suite, set(), re.compile("CAN")) for test in group]
    assert kept == ["BasicCANTest", "_FailedTest"]
