"""`lab doctor`: which families and interface kinds each backend offers,
and why a cell is unavailable.  The host column is probed for real; the VM
and Docker backends are reported as planned until their issues land."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from lab.capabilities import CAPABILITIES, missing

BACKENDS = ("host", "vm", "docker")
PLANNED = {
    "vm": "planned: the lab VM backend (issue 5)",
    "docker": "planned: the Docker backend",
}


@dataclass(frozen=True)
class Cell:
    available: bool
    reason: str = ""

    @property
    def mark(self) -> str:
        return "yes" if self.available else ("planned" if self.reason.startswith("planned") else "no")


def probe_backend(backend: str, capability: str) -> Cell:
    if backend != "host":
        return Cell(False, PLANNED[backend])
    reason = missing(capability)
    return Cell(reason is None, reason or "")


def table(progress: Callable[[str], None] = lambda _: None) -> list[tuple[str, str, dict[str, Cell]]]:
    rows = []
    for name, capability in CAPABILITIES.items():
        progress(name)
        cells = {backend: probe_backend(backend, name) for backend in BACKENDS}
        rows.append((name, capability.kind, cells))
    return rows


def render(rows: list[tuple[str, str, dict[str, Cell]]]) -> str:
    header = f"{'capability':<11} {'kind':<10} " + " ".join(f"{b:<8}" for b in BACKENDS)
    lines = [header, "-" * len(header)]
    notes = []
    for name, kind, cells in rows:
        lines.append(f"{name:<11} {kind:<10} " + " ".join(f"{cells[b].mark:<8}" for b in BACKENDS))
        if not cells["host"].available:
            notes.append(f"  {name}: {cells['host'].reason}")
    lines.append("")
    lines.append("why not on host:")
    lines.extend(notes or ["  (everything is available)"])
    lines.extend(f"{backend}: {reason}" for backend, reason in PLANNED.items())
    return "\n".join(lines)
