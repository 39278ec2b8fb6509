"""The matrix of a `lab repro` run, and what it says about sockimpl.

One block per scenario: a row per interpreter, the report's word on that
version ("affected" or "fixed"), then the stdlib's and sockimpl's cells.
A sockimpl cell is *fixed* when it does not show the bug; for a bug that
lives in the kernel (no implementation can fix it) sockimpl must instead
come out as the stdlib of the same interpreter does, without crashing.
A scenario is acceptable only where sockimpl actually ran: on no row, or
waiting on a VM that never booted, or n/a for lack of a name the same
interpreter's stdlib has, it is not.
"""

from __future__ import annotations

from lab.repro.catalogue import Scenario
from lab.repro.cells import (
    CRASHED,
    ERROR,
    HUNG,
    NEEDS_VM,
    NOT_APPLICABLE,
    NOT_REPRODUCED,
    Cell,
    ScenarioRun,
)

COLUMN = 50


def _version_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in text.split(".") if p.isdigit())


def _cell(run: ScenarioRun, python: str, implementation: str) -> Cell | None:
    for cell in run.cells:
        if cell.python == python and cell.implementation == implementation:
            return cell
    return None


def sockimpl_fixed(run: ScenarioRun, cell: Cell) -> bool | None:
    """Whether sockimpl's `cell` counts as fixed; None when it did not run
    (n/a for a reason the stdlib shares, or waiting for the VM)."""
    if cell.verdict == NOT_APPLICABLE:
        # sockimpl lacking a name the same interpreter's stdlib has is no
        # excuse: it is the thing this lab exists to catch.
        return False if cell.stdlib_has else None
    if cell.verdict == NEEDS_VM:
        return None
    if cell.verdict in (CRASHED, HUNG, ERROR):
        return False
    if not run.scenario.kernel_side:
        return cell.verdict == NOT_REPRODUCED
    stdlib = _cell(run, cell.python, "stdlib")
    if stdlib is None or stdlib.verdict in (NOT_APPLICABLE, NEEDS_VM, ERROR):
        return True
    return stdlib.shows_bug == cell.shows_bug


def sockimpl_summary(run: ScenarioRun) -> tuple[str, bool]:
    """A line on sockimpl for the scenario, and whether it is acceptable:
    fixed on every row it ran, and it ran on at least one.  A scenario whose
    sockimpl cells wait on a lab VM that never booted, or are n/a on every
    row, proved nothing and is not acceptable."""
    cells = [c for c in run.cells if c.implementation == "sockimpl"]
    verdicts = [sockimpl_fixed(run, c) for c in cells]
    broken = [c for c, ok in zip(cells, verdicts) if ok is False]
    if broken:
        rows = ", ".join(f"{c.python} ({_why_broken(c)})" for c in broken)
        return f"sockimpl NOT fixed on {rows}", False
    waiting = [c for c in run.cells if c.verdict == NEEDS_VM]
    if waiting:
        return f"sockimpl did not run: {waiting[0].detail}", False
    if not cells:
        why = "; ".join(sorted({c.label() for c in run.cells})) or "no cell"
        return f"sockimpl ran on no row ({why})", False
    ran = sum(1 for ok in verdicts if ok)
    if not ran:
        why = "; ".join(sorted({c.label() for c in cells}))
        return f"sockimpl ran on no row ({why})", False
    how = "behaves as the stdlib (the bug is the kernel's)" if run.scenario.kernel_side else "fixed"
    return f"sockimpl: {how} on every row it ran ({ran} of {len(cells)})", True


def _why_broken(cell: Cell) -> str:
    if cell.verdict == NOT_APPLICABLE:
        return f"lacks {', '.join(cell.stdlib_has)}, which this interpreter's stdlib has"
    return cell.label()


def _report_word(run: ScenarioRun, python: str) -> str:
    return "affected" if run.scenario.affected_on(_version_tuple(python), run.kernel_version) else "fixed"


def _stdlib_agreement(run: ScenarioRun) -> str:
    agree = disagree = 0
    for cell in run.cells:
        if cell.implementation != "stdlib" or cell.verdict in (NOT_APPLICABLE, NEEDS_VM, ERROR, HUNG):
            continue
        expected = run.scenario.affected_on(_version_tuple(cell.python), run.kernel_version)
        if cell.shows_bug == expected:
            agree += 1
        else:
            disagree += 1
    if not agree + disagree:
        return "stdlib: no row could run here"
    return f"stdlib matches the report on {agree} of {agree + disagree} row(s) that ran"


def _claim_lines(scenario: Scenario) -> list[str]:
    lines = [f"{scenario.reference} · {scenario.family} · {scenario.title}",
             f"  report: {scenario.affected_text}"]
    if scenario.kernels:
        spans = ", ".join(
            f"{'.'.join(map(str, r.first))} until {'.'.join(map(str, r.fixed_in)) if r.fixed_in else 'now'}"
            for r in scenario.kernels
        )
        lines.append(f"  kernels the report names: {scenario.kernels_text or spans} ({spans})")
    lines.append(f"  fixed means: {scenario.fixed}")
    return lines


def _where(run: ScenarioRun) -> str:
    if run.where == "needs VM":
        return f"nowhere: kernel {run.kernel} did not run it"
    return f"{run.where} (kernel {run.kernel})"


def _cells_text(run: ScenarioRun, python: str, implementations: tuple[str, ...]) -> str:
    text = ""
    for implementation in implementations:
        cell = _cell(run, python, implementation)
        label = cell.label() if cell else ""
        text += f"{label[:COLUMN - 2]:<{COLUMN}}"
    return text


def _verdict_line(run: ScenarioRun, implementations: tuple[str, ...]) -> str:
    summary, _ = sockimpl_summary(run)
    extra = [_stdlib_agreement(run)] if "stdlib" in implementations else []
    if "sockimpl" in implementations:
        extra.append(summary)
    return "; ".join(extra)


def _pythons(run: ScenarioRun) -> list[str]:
    return sorted({c.python for c in run.cells}, key=_version_tuple)


def render_scenario(run: ScenarioRun, implementations: tuple[str, ...]) -> str:
    lines = _claim_lines(run.scenario) + [
        f"  ran: {_where(run)}",
        ("  " + f"{'python':<9}{'report':<10}" + "".join(f"{i:<{COLUMN}}" for i in implementations)).rstrip(),
    ]
    for python in _pythons(run):
        word = _report_word(run, python) if python != "-" else ""
        lines.append(f"  {python:<9}{word:<10}{_cells_text(run, python, implementations)}".rstrip())
    lines.append("  => " + _verdict_line(run, implementations))
    return "\n".join(lines)


def render_kernels(runs: list[ScenarioRun], implementations: tuple[str, ...]) -> str:
    """One scenario on several kernels: a row per interpreter and kernel,
    the report's word for that pair beside it, and a verdict per kernel."""
    width = max(len(r.kernel) for r in runs) + 2
    lines = _claim_lines(runs[0].scenario)
    lines += [f"  ran: {_where(r)}" for r in runs]
    header = f"{'python':<9}{'kernel':<{width}}{'report':<10}" + "".join(f"{i:<{COLUMN}}" for i in implementations)
    lines.append(("  " + header).rstrip())
    pythons = sorted({p for r in runs for p in _pythons(r)}, key=_version_tuple)
    for python in pythons:
        for run in runs:
            if not any(c.python == python for c in run.cells):
                continue
            word = _report_word(run, python) if python != "-" else ""
            text = _cells_text(run, python, implementations)
            lines.append(f"  {python:<9}{run.kernel:<{width}}{word:<10}{text}".rstrip())
    lines += [f"  => {r.kernel}: {_verdict_line(r, implementations)}" for r in runs]
    return "\n".join(lines)


def render(runs: list[ScenarioRun], implementations: tuple[str, ...], combined: bool = False) -> str:
    """Every scenario's block; `combined`: one block per scenario over
    every kernel, else one per scenario and kernel."""
    if not combined:
        return "\n\n".join(render_scenario(r, implementations) for r in runs)
    by_scenario: dict[str, list[ScenarioRun]] = {}
    for run in runs:
        by_scenario.setdefault(run.scenario.name, []).append(run)
    return "\n\n".join(render_kernels(group, implementations) for group in by_scenario.values())


def all_acceptable(runs: list[ScenarioRun]) -> bool:
    return all(sockimpl_summary(r)[1] for r in runs)
