"""From measurements to what people read: one row per operation, the issue's
targets checked against them, the terminal table, results.json and a
Markdown table for the README."""

from __future__ import annotations

import json
import os
import platform
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.operations import RECV_BUFSIZE
from bench.timing import Measurement

RATIO_TARGET = 0.85
PINGPONG_SHARE_TARGET = 0.5
PINGPONG_OPERATIONS = ("pingpong_recv", "pingpong_recv_into")
# RSS moves by whole pages as the allocator settles; growth within this is
# not a leak (a leak of even 1 byte per ping-pong over a million is ~1 MiB).
RSS_TOLERANCE_KIB = 256
ISSUE_RSS_PINGPONGS = 10_000_000

Cell = float | str  # a number, or "n/a: why"


@dataclass
class Row:
    name: str
    title: str
    iterations: int
    ns: dict[str, Cell]
    instructions: dict[str, Cell] = field(default_factory=dict)
    samples: dict[str, list[float]] = field(default_factory=dict)

    def number(self, contender: str) -> float | None:
        value = self.ns.get(contender)
        return value if isinstance(value, float) else None

    # Ratios are taken round by round and then the median: the samples of one
    # round ran back to back, so a burst of load that slows a whole round
    # cancels out of its ratio instead of skewing one median.

    def rounds(self, *contenders: str) -> list[tuple[float, ...]]:
        """Per round, the samples of `contenders` (only when all have one)."""
        columns = [self.samples.get(name) for name in contenders]
        if not all(columns):
            return []
        return list(zip(*columns, strict=False))  # type: ignore[arg-type]

    @property
    def ratio(self) -> float | None:
        """sockimpl's time over the stdlib's."""
        ratios = [impl / stdlib for impl, stdlib in self.rounds("sockimpl", "stdlib")]
        return statistics.median(ratios) if ratios else None

    @property
    def floor_ratio(self) -> float | None:
        """The floor's time over the stdlib's: the best ratio any Python
        implementation could reach, with no overhead at all."""
        ratios = [floor / stdlib for floor, stdlib in self.rounds("floor", "stdlib")]
        return statistics.median(ratios) if ratios else None

    @property
    def overhead_share(self) -> float | None:
        """(sockimpl - floor) / (stdlib - floor): the part of the stdlib's own
        overhead above the system calls that sockimpl still pays.  A round
        where the stdlib was no slower than the floor says nothing (noise);
        without a majority of rounds that say something, neither does the run."""
        rounds = self.rounds("sockimpl", "stdlib", "floor")
        shares = [(i - f) / (s - f) for i, s, f in rounds if s > f]
        return statistics.median(shares) if shares and 2 * len(shares) > len(rounds) else None

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "iterations_per_sample": self.iterations,
            "ns_per_op_median": self.ns,
            "sockimpl_over_stdlib": rounded(self.ratio),
            "floor_over_stdlib": rounded(self.floor_ratio),
            "overhead_share": rounded(self.overhead_share),
            "instructions_per_op": self.instructions,
            "ns_per_op_samples": {k: [round(v, 1) for v in vs] for k, vs in self.samples.items()},
        }


def rounded(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)


def make_rows(
    measurements: list[Measurement], instructions: dict[str, dict[str, Cell]]
) -> list[Row]:
    rows = []
    for measurement in measurements:
        ns: dict[str, Cell] = {}
        for contender in ("stdlib", "sockimpl", "floor"):
            median = measurement.median(contender)
            reason = measurement.unavailable.get(contender, "no samples")
            ns[contender] = round(median, 1) if median is not None else f"n/a: {reason}"
        name = measurement.operation.name
        counts: dict[str, Cell] = {}
        for implementation, per_op in instructions.items():
            value = per_op.get(name, "not counted")
            counts[implementation] = (
                round(value) * 1.0 if isinstance(value, float) else f"n/a: {value}"
            )
        rows.append(
            Row(
                name,
                measurement.operation.title,
                measurement.iterations,
                ns,
                counts,
                measurement.samples,
            )
        )
    return rows


@dataclass
class Target:
    text: str
    met: bool | None  # None: could not be judged
    detail: str

    def as_json(self) -> dict[str, Any]:
        return {"target": self.text, "met": self.met, "detail": self.detail}


def ratio_targets(rows: list[Row]) -> list[Target]:
    judged = [row for row in rows if row.ratio is not None]
    over_target = [f"{row.name} {row.ratio:.2f}" for row in judged if row.ratio > RATIO_TARGET]
    slower = [f"{row.name} {row.ratio:.2f}" for row in judged if row.ratio > 1.0]
    unjudged = [row.name for row in rows if row.ratio is None]
    suffix = f"; not measured: {', '.join(unjudged)}" if unjudged else ""
    out_of_reach = [
        f"{row.name} {row.floor_ratio:.2f}"
        for row in judged
        if row.floor_ratio is not None and row.floor_ratio > RATIO_TARGET
    ]
    reach = f"; the system calls alone exceed {RATIO_TARGET}: {', '.join(out_of_reach)}"
    return [
        Target(
            f"every operation: sockimpl <= {RATIO_TARGET} x stdlib",
            not over_target if judged else None,
            (f"above: {', '.join(over_target)}" if over_target else "all within")
            + suffix
            + (reach if out_of_reach else ""),
        ),
        Target(
            "every operation: sockimpl never slower than the stdlib",
            not slower if judged else None,
            (f"slower: {', '.join(slower)}" if slower else "none slower") + suffix,
        ),
    ]


def pingpong_target(rows: list[Row]) -> Target:
    shares = {row.name: row.overhead_share for row in rows if row.name in PINGPONG_OPERATIONS}
    judged = {name: share for name, share in shares.items() if share is not None}
    detail = (
        ", ".join(f"{name} {share:.2f}" for name, share in judged.items())
        or "floor or stdlib missing"
    )
    if any(
        row.name in PINGPONG_OPERATIONS
        and row.number("floor") is not None
        and row.number("stdlib") is not None
        and row.overhead_share is None
        for row in rows
    ):
        detail += " (stdlib at or below the floor in this run: too noisy to judge)"
    met = all(share <= PINGPONG_SHARE_TARGET for share in judged.values()) if judged else None
    return Target(
        "64 B ping-pong: sockimpl's overhead above the floor"
        f" <= {PINGPONG_SHARE_TARGET} of the stdlib's",
        met,
        detail,
    )


def memory_targets(costs: dict[str, dict[str, Any]], rss: dict[str, Any]) -> list[Target]:
    impl, stdlib = costs.get("sockimpl", {}), costs.get("stdlib", {})
    peak = impl.get("small_recv_peak_bytes")
    recv = Target(
        f"recv({RECV_BUFSIZE}) of 64 B allocates no bufsize buffer",
        peak < RECV_BUFSIZE if isinstance(peak, int) else None,
        f"peak allocation: sockimpl {peak}, stdlib {stdlib.get('small_recv_peak_bytes')} bytes",
    )
    size, stdlib_size = impl.get("socket_object_bytes"), stdlib.get("socket_object_bytes")
    both = isinstance(size, int) and isinstance(stdlib_size, int)
    sizes = Target(
        "a sockimpl socket object no larger than the stdlib's",
        size <= stdlib_size if both else None,  # type: ignore[operator]
        f"sys.getsizeof: sockimpl {size}, stdlib {stdlib_size} bytes",
    )
    return [recv, sizes, rss_target(rss.get("sockimpl"), rss.get("stdlib"))]


def rss_target(run: Any, stdlib_run: Any) -> Target:
    text = f"no RSS growth over {ISSUE_RSS_PINGPONGS:,} ping-pongs"
    if not isinstance(run, dict):
        return Target(text, None, str(run))
    detail = (
        f"sockimpl {run['growth_kib']} KiB over {run['pingpongs']:,} ping-pongs"
        f" (tolerance {RSS_TOLERANCE_KIB} KiB)"
    )
    if isinstance(stdlib_run, dict):
        detail += f", stdlib {stdlib_run['growth_kib']} KiB over {stdlib_run['pingpongs']:,}"
    short = run["pingpongs"] < ISSUE_RSS_PINGPONGS
    if short:
        why = (
            "the BENCH_RSS_SECONDS budget ran out" if run["stopped_by_time_budget"] else "as asked"
        )
        detail += f"; fewer than the issue's {ISSUE_RSS_PINGPONGS:,} ({why})"
    growth_ok = run["growth_kib"] <= RSS_TOLERANCE_KIB
    return Target(text, growth_ok if not short or not growth_ok else None, detail)


def targets(rows: list[Row], costs: dict[str, dict[str, Any]], rss: dict[str, Any]) -> list[Target]:
    return [*ratio_targets(rows), pingpong_target(rows), *memory_targets(costs, rss)]


def format_ns(value: Cell) -> str:
    if isinstance(value, str):
        return "n/a"
    return f"{value / 1e3:,.1f} µs" if value >= 100_000 else f"{value:,.0f}"


def format_ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def format_count(value: Cell | None) -> str:
    return "n/a" if value is None or isinstance(value, str) else f"{value:,.0f}"


HEADERS = (
    "operation",
    "stdlib ns",
    "sockimpl ns",
    "floor ns",
    "impl/std",
    "floor/std",
    "overhead",
    "instr std",
    "instr impl",
)


def table_cells(row: Row) -> tuple[str, ...]:
    return (
        row.name,
        format_ns(row.ns["stdlib"]),
        format_ns(row.ns["sockimpl"]),
        format_ns(row.ns["floor"]),
        format_ratio(row.ratio),
        format_ratio(row.floor_ratio),
        format_ratio(row.overhead_share),
        format_count(row.instructions.get("stdlib")),
        format_count(row.instructions.get("sockimpl")),
    )


def unavailable_notes(rows: list[Row]) -> list[str]:
    """One line per operation and distinct reason, for the cells shown as n/a."""
    notes = []
    for row in rows:
        reasons: dict[str, list[str]] = {}
        for column, value in [
            *row.ns.items(),
            *((f"instr {k}", v) for k, v in row.instructions.items()),
        ]:
            if isinstance(value, str):
                reasons.setdefault(value.removeprefix("n/a: "), []).append(column)
        notes.extend(
            f"{row.name} ({', '.join(columns)}): n/a: {why}" for why, columns in reasons.items()
        )
    return notes


def terminal_table(rows: list[Row]) -> str:
    lines = [HEADERS, *(table_cells(row) for row in rows)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(HEADERS))]
    rendered = []
    for line in lines:
        rendered.append(
            "  ".join(
                cell.ljust(w) if i == 0 else cell.rjust(w)
                for i, (cell, w) in enumerate(zip(line, widths, strict=True))
            )
        )
    rendered.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(rendered)


def markdown_table(rows: list[Row]) -> str:
    lines = [
        "| " + " | ".join(HEADERS) + " |",
        "|" + "|".join(["---"] + ["---:"] * (len(HEADERS) - 1)) + "|",
    ]
    lines.extend("| " + " | ".join(table_cells(row)) + " |" for row in rows)
    return "\n".join(lines)


def targets_text(checked: list[Target]) -> str:
    mark = {True: "met    ", False: "NOT MET", None: "unknown"}
    return "\n".join(f"  [{mark[t.met]}] {t.text}: {t.detail}" for t in checked)


def machine() -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "kernel": platform.release(),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


def write_json(path: Path, document: dict[str, Any]) -> None:
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
