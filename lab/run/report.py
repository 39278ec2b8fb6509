"""What `lab run` prints: the header of each run and, with several
`--impl`, the outcomes side by side (JUnit counts where CMD wrote a report)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree


@dataclass(frozen=True)
class Counts:
    passed: int
    failed: int
    errors: int
    skipped: int


@dataclass(frozen=True)
class Outcome:
    impl: str
    status: int
    counts: Counts | None
    seconds: float


def junit_counts(path: Path | None) -> Counts | None:
    """Totals of a JUnit XML report (pytest's or any runner's); None when
    there is no readable report."""
    if path is None or not path.is_file():
        return None
    try:
        root = ElementTree.parse(path).getroot()
    except ElementTree.ParseError:
        return None
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    tests = failed = errors = skipped = 0
    for suite in suites:
        tests += int(suite.get("tests", 0))
        failed += int(suite.get("failures", 0))
        errors += int(suite.get("errors", 0))
        skipped += int(suite.get("skipped", 0))
    return Counts(tests - failed - errors - skipped, failed, errors, skipped)


def header(impl: str, impl_origin: str, python: str, kernel: str, backend: str) -> str:
    return (f"lab run: impl {impl} ({impl_origin}) | python {python} | "
            f"kernel {kernel} | backend {backend}")


def _cell(counts: Counts | None, field: str) -> str:
    return "-" if counts is None else str(getattr(counts, field))


def side_by_side(outcomes: list[Outcome]) -> str:
    """One row per implementation: exit status, test counts, wall time."""
    columns = ("impl", "exit", "passed", "failed", "errors", "skipped", "seconds")
    rows = [columns]
    for outcome in outcomes:
        rows.append((
            outcome.impl, str(outcome.status),
            *(_cell(outcome.counts, field) for field in ("passed", "failed", "errors", "skipped")),
            f"{outcome.seconds:.0f}",
        ))
    widths = [max(len(row[i]) for row in rows) for i in range(len(columns))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows)
