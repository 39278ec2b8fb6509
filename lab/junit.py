"""JUnit XML reports, as pytest and most runners write them: their totals."""

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
