"""Compare the two sides of an interpreter's run and say what differs."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .side import SideRun

DELIBERATE = Path(__file__).with_name("deliberate.txt")
SUITE_PREFIX = "test.test_socket."


def read_deliberate(path: Path = DELIBERATE) -> dict[str, str]:
    """{test id: reason} from lines `Class.test_name  reason`; `#` starts a
    comment.  A test listed without its reason is an error."""
    listed: dict[str, str] = {}
    for number, raw in enumerate(path.read_text().splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        name, _, reason = line.partition(" ")
        if not reason.strip():
            raise SystemExit(f"{path}:{number}: {name} is listed without a reason")
        listed[SUITE_PREFIX + name] = reason.strip()
    return listed


def counts(run: SideRun) -> str:
    """run / ok / failed / errors / skipped, as unittest counts them."""
    c = Counter(o.outcome for o in run.outcomes.values())
    return (
        f"run {sum(c.values())}, ok {c['ok'] + c['xfail']}, failed {c['fail'] + c['xpass']}, "
        f"errors {c['error'] + c['hang'] + c['crash']}, skipped {c['skip']}"
    )


def short(test: str) -> str:
    return test.removeprefix(SUITE_PREFIX)


@dataclass
class Comparison:
    version: str
    stdlib: SideRun
    sockimpl: SideRun
    deliberate: dict[str, str]

    def regressions(self) -> list[str]:
        """Tests the stdlib passes and sockimpl does not."""
        return sorted(
            test
            for test, o in self.stdlib.outcomes.items()
            if o.passed and not self._passed_by_sockimpl(test)
        )

    def unexplained(self) -> list[str]:
        return [test for test in self.regressions() if test not in self.deliberate]

    def stale(self) -> list[str]:
        """Listed as deliberate, but sockimpl passes it or the stdlib fails it
        (or this interpreter has no such test)."""
        failing = set(self.regressions())
        return sorted(t for t in self.deliberate if t in self.stdlib.outcomes and t not in failing)

    def empty_sides(self) -> list[str]:
        """A side that recorded no test at all: nothing ran, so nothing was
        compared, and no count of zero differences may stand for a pass."""
        return [run.side for run in (self.stdlib, self.sockimpl) if not run.outcomes]

    def failures(self) -> int:
        """What fails the run: differences not listed as deliberate, listed
        ones that no longer fail, and sides that ran nothing."""
        return len(self.unexplained()) + len(self.stale()) + len(self.empty_sides())

    def sockimpl_only(self) -> list[str]:
        return sorted(
            test
            for test, o in self.sockimpl.outcomes.items()
            if o.passed and test in self.stdlib.outcomes and not self.stdlib.outcomes[test].passed
        )

    def _passed_by_sockimpl(self, test: str) -> bool:
        outcome = self.sockimpl.outcomes.get(test)
        return outcome is not None and outcome.passed

    def print(self) -> None:
        passed = sum(o.passed for o in self.stdlib.outcomes.values())
        failing = len(self.regressions())
        print(
            f"== CPython {self.version}: sockimpl passes {passed - failing} of the "
            f"{passed} tests the stdlib passes"
        )
        for run in (self.stdlib, self.sockimpl):
            restarts = f", {run.starts} starts" if run.starts > 1 else ""
            print(f"   {run.side:8}  {counts(run)}  ({run.seconds:.0f} s{restarts})")
        for test in self.regressions():
            outcome = self.sockimpl.outcomes.get(test)
            what = f"{outcome.outcome}: {outcome.detail}" if outcome else "not run"
            mark = "deliberate" if test in self.deliberate else "DIFFERS"
            print(f"   {mark:10} {short(test)}  -- {what}")
        for test in self.sockimpl_only():
            stdlib = self.stdlib.outcomes[test]
            print(
                f"   {'better':10} {short(test)}  -- the stdlib's {stdlib.outcome}: {stdlib.detail}"
            )
        for test in self.stale():
            print(f"   {'stale':10} {short(test)}  -- listed in {DELIBERATE.name} but not failing")
        for side in self.empty_sides():
            print(f"   {'NOTHING':10} the {side} side recorded no test: see its log")
