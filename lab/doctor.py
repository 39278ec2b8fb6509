"""`lab doctor`: which families and interface kinds each backend offers, and
why a cell is unavailable, with the remedy.  The host column is probed for
real; the VM column comes from what the guest saw in the last VM run with
the same kernel, else from that kernel's build configuration; the Docker
column from the engine the lab would start."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass

from lab import setup
from lab.capabilities import CAPABILITIES, missing
from lab.docker.engine import doctor_reason
from lab.vm import doctor as vm_doctor

BACKENDS = ("host", "vm", "docker")


@dataclass(frozen=True)
class Cell:
    available: bool
    reason: str = ""

    @property
    def mark(self) -> str:
        return "yes" if self.available else "no"


def probe_backend(backend: str, capability: str) -> Cell:
    if backend == "docker":
        reason = doctor_reason(capability)
        return Cell(reason is None, reason or "")
    if backend == "vm":
        return Cell(*vm_doctor.probe_vm(capability))
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
    vm_notes = [f"  {name}: {cells['vm'].reason}" for name, _, cells in rows if not cells["vm"].available]
    lines.extend(["", vm_doctor.summary(), "why not in the VM:", *(vm_notes or ["  (everything is available)"])])
    lines.extend(["", setup.doctor_summary()])
    return "\n".join(lines)


def add_command(commands: argparse._SubParsersAction) -> None:
    commands.add_parser("doctor", help="what each backend offers, why a cell is missing, and what to install")


def main(_: argparse.Namespace) -> int:
    def progress(name: str) -> None:
        if sys.stderr.isatty():
            print(f"\rprobing {name:<12}", end="", file=sys.stderr, flush=True)

    rows = table(progress)
    if sys.stderr.isatty():
        print("\r" + " " * 24 + "\r", end="", file=sys.stderr)
    print(render(rows))
    return 0
