"""`lab doctor`: which families and interface kinds each backend offers,
and why a cell is unavailable.  The host column is probed for real; the VM
and Docker backends are reported as planned until their issues land."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from lab.capabilities import CAPABILITIES, missing

BACKENDS = ("host", "vm", "docker")
PLANNED: dict[str, str] = {}


@dataclass(frozen=True)
class Cell:
    available: bool
    reason: str = ""

    @property
    def mark(self) -> str:
        return "yes" if self.available else ("planned" if self.reason.startswith("planned") else "no")


def probe_backend(backend: str, capability: str) -> Cell:
    if backend == "docker":
        from lab.docker_engine import doctor_reason

        reason = doctor_reason(capability)
        return Cell(reason is None, reason or "")
    if backend == "vm":
        from lab.vm_doctor import probe_vm

        return Cell(*probe_vm(capability))
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
    from lab.vm_doctor import summary

    vm_notes = [f"  {name}: {cells['vm'].reason}" for name, _, cells in rows if not cells["vm"].available]
    lines.extend(["", summary(), "why not in the VM:", *(vm_notes or ["  (everything is available)"])])
    return "\n".join(lines)
