"""`lab doctor`: which families and interface kinds each backend offers, and
why a cell is unavailable, with the remedy.  The host column is probed for
real; the VM column comes from what the guest saw in the last VM run with
the same kernel, else from that kernel's build configuration; the Docker
column from the engine the lab would start."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass

from lab import setup
from lab.capabilities import CAPABILITIES, missing
from lab.docker.engine import doctor_reason
from lab.vm import doctor as vm_doctor
from lab.vm import kernels
from lab.vm import machine as vm

BACKENDS = ("host", "vm", "docker")
# The modules that make each family the host kernel may lack; a kernel in
# /boot has the family when its package installed every one of them.
KERNEL_FAMILIES = {
    "can": ("can-raw", "can-bcm", "can-isotp", "can-j1939", "vcan", "vxcan"),
    "bluetooth": ("bluetooth", "hci_vhci", "rfcomm"),
    "vsock": ("vsock_loopback",),
    "alg": ("af_alg", "algif_hash", "algif_skcipher", "algif_aead"),
    "tipc": ("tipc",),
    "rds": ("rds", "rds_tcp"),
    "qipcrtr": ("qrtr",),
    "sctp": ("sctp",),
}


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
    lines.extend(["", *kernel_lines(rows)])
    lines.extend(["", setup.doctor_summary()])
    return "\n".join(lines)


def _families(present: dict[str, bool]) -> str:
    has = [name for name, yes in present.items() if yes]
    lacks = [name for name, yes in present.items() if not yes]
    return (" ".join(has) or "none of them") + (f"; lacks {' '.join(lacks)}" if lacks else "")


def kernel_lines(rows: list[tuple[str, str, dict[str, Cell]]]) -> list[str]:
    """Every kernel `lab repro --kernels all` would run on: the running
    one (as probed above) and each image in /boot, with its families as
    its modules folder lists them and why the VM cannot boot it."""
    host = {name: cells["host"].available for name, _, cells in rows if name in KERNEL_FAMILIES}
    lines = ["kernels (`socklab repro --kernels all`):",
             f"  host {os.uname().release} (running): {_families(host)}"]
    for image in kernels.installed():
        release = kernels.release(image)
        lacking = kernels.lacking_modules(release, tuple(m for mods in KERNEL_FAMILIES.values() for m in mods))
        if lacking is None:
            families = f"cannot tell: /lib/modules/{release} is absent"
        else:
            families = _families({name: not set(mods) & set(lacking) for name, mods in KERNEL_FAMILIES.items()})
        why = vm.why_unavailable(image)
        lines.append(f"  {release} ({image}): " + (f"cannot boot: {why}" if why else families))
    return lines


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
