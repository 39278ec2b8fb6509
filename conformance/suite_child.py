"""Run this interpreter's own `test.test_socket` with one socket module and
record every test's outcome, one JSON object a line.

    python suite_child.py stdlib|sockimpl RESULTS.jsonl TEST_TIMEOUT [SKIP_LIST [CLASSES]]

Run by `conformance` under the interpreter being tested, so it needs nothing
but the standard library (and sockimpl on the path for that side).  For
sockimpl, `socket` and `_socket` are replaced in `sys.modules` before the
suite imports them; `ssl` is imported first, as `_ssl` binds the stdlib
`_socket`'s C API when it loads and cannot work with another.

A line is written when a test starts and when it ends, and flushed at once
(RESULTS.jsonl is appended to): a side that crashes or hangs still leaves
every finished outcome and the name of the test it died in, and the runner
starts it again without the tests in SKIP_LIST (one id a line), those done.
A test that runs longer than TEST_TIMEOUT seconds ends the process with
every thread's traceback on stderr.  CLASSES, a regular expression, keeps
only the tests of the classes whose names it matches (and any module that
failed to load, which must not pass unseen).
"""

import faulthandler
import json
import re
import sys
import unittest

SUITE = "test.test_socket"


def swap_in_sockimpl() -> None:
    import ssl  # noqa: F401 - must load with the stdlib's _socket

    import sockimpl
    import sockimpl._sockimpl

    sys.modules["socket"] = sockimpl
    sys.modules["_socket"] = sockimpl._sockimpl


def last_line(err: tuple) -> str:
    """The exception's own line (`TypeError: ...`), without the traceback."""
    exc_type, exc, _ = err
    text = f"{exc_type.__name__}: {exc}".strip()
    return text.splitlines()[0][:300] if text else exc_type.__name__


class RecordingResult(unittest.TestResult):
    """Writes {"start": id} and {"test": id, "outcome": ..., "detail": ...}.

    Outcomes: ok, fail, error, skip, xfail (expected failure), xpass
    (unexpected success).  A failed subtest fails its test."""

    def __init__(self, stream, test_timeout: float) -> None:
        super().__init__()
        self.stream = stream
        self.test_timeout = test_timeout
        self.pending: dict[str, tuple[str, str]] = {}

    def emit(self, record: dict) -> None:
        self.stream.write(json.dumps(record) + "\n")
        self.stream.flush()

    def note(self, test: unittest.TestCase, outcome: str, detail: str = "") -> None:
        test_id = test.id()
        if test_id in self.pending:
            # A failed subtest already decided; an error wins over a failure.
            if outcome in ("fail", "error") and self.pending[test_id][0] != "error":
                self.pending[test_id] = (outcome, detail)
            return
        if isinstance(test, unittest.TestCase):
            self.pending[test_id] = (outcome, detail)
        else:
            # A class or module fixture that failed: no start or stop.
            self.emit({"test": test_id, "outcome": outcome, "detail": detail})

    def startTest(self, test: unittest.TestCase) -> None:
        super().startTest(test)
        faulthandler.dump_traceback_later(self.test_timeout, exit=True)
        self.emit({"start": test.id()})

    def stopTest(self, test: unittest.TestCase) -> None:
        faulthandler.cancel_dump_traceback_later()
        super().stopTest(test)
        outcome, detail = self.pending.pop(test.id(), ("ok", ""))
        self.emit({"test": test.id(), "outcome": outcome, "detail": detail})

    def addSuccess(self, test: unittest.TestCase) -> None:
        super().addSuccess(test)
        self.note(test, "ok")

    def addFailure(self, test: unittest.TestCase, err: tuple) -> None:
        super().addFailure(test, err)
        self.note(test, "fail", last_line(err))

    def addError(self, test: unittest.TestCase, err: tuple) -> None:
        super().addError(test, err)
        self.note(test, "error", last_line(err))

    def addSkip(self, test: unittest.TestCase, reason: str) -> None:
        super().addSkip(test, reason)
        self.note(test, "skip", reason[:300])

    def addExpectedFailure(self, test: unittest.TestCase, err: tuple) -> None:
        super().addExpectedFailure(test, err)
        self.note(test, "xfail", last_line(err))

    def addUnexpectedSuccess(self, test: unittest.TestCase) -> None:
        super().addUnexpectedSuccess(test)
        self.note(test, "xpass")

    def addSubTest(self, test, subtest, err) -> None:
        super().addSubTest(test, subtest, err)
        if err is not None:
            failed = issubclass(err[0], test.failureException)
            self.note(test, "fail" if failed else "error", f"{subtest}: {last_line(err)}")


def without(suite: unittest.TestSuite, skip: set, classes: re.Pattern | None = None) -> unittest.TestSuite:
    """`suite` with the tests whose ids are in `skip`, and those of classes
    `classes` does not match, left out (its nesting kept, so that class and
    module fixtures run as before)."""
    kept = unittest.TestSuite()
    for item in suite:
        if isinstance(item, unittest.TestSuite):
            kept.addTest(without(item, skip, classes))
        elif item.id() in skip:
            continue
        elif classes is None or classes.search(type(item).__name__) or type(item).__name__ == "_FailedTest":
            kept.addTest(item)
    return kept


def main() -> int:
    side, results, test_timeout = sys.argv[1], sys.argv[2], float(sys.argv[3])
    skip = set()
    if len(sys.argv) > 4:
        with open(sys.argv[4], encoding="utf-8") as listing:
            skip = {line.strip() for line in listing if line.strip()}
    classes = re.compile(sys.argv[5]) if len(sys.argv) > 5 else None
    if side == "sockimpl":
        swap_in_sockimpl()
    elif side != "stdlib":
        sys.exit(f"suite_child: unknown side {side!r} (stdlib or sockimpl)")
    suite = without(unittest.defaultTestLoader.loadTestsFromName(SUITE), skip, classes)
    imported = sys.modules["socket"].__name__
    if imported != {"stdlib": "socket", "sockimpl": "sockimpl"}[side]:
        sys.exit(f"suite_child: the suite imported {imported}, not the {side} side's")
    with open(results, "a", encoding="utf-8") as stream:
        result = RecordingResult(stream, test_timeout)
        suite.run(result)
        result.emit({"finished": True})
    return 0


if __name__ == "__main__":
    sys.exit(main())
