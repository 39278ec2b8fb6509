"""What `lab run` prints: the header of each run and, with several
`--impl`, the outcomes side by side (JUnit counts where CMD wrote a report)."""

from __future__ import annotations

from dataclasses import dataclass

from lab.junit import Counts


@dataclass(frozen=True)
class Outcome:
    impl: str
    status: int
    counts: Counts | None
    seconds: float


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
