"""`lab repro`: see a family-specific bug happen, on a real interface, on
every interpreter at hand, against the stdlib and against sockimpl.

A run takes scenarios from the catalogue (`lab.repro.catalogue`), decides
for each where it can run (the host when its kernel has what the scenario
needs, else the lab VM), prepares a network namespace of the run's own for
it (loopback, a vcan bus, IPv6 switched off: what the scenario asks for),
and runs every cell in a child process (`lab.repro.cells`).  What each
cell printed and the frames on the namespace's interfaces are kept under
`lab-artifacts/repro/<scenario>/`; the matrix is printed
(`lab.repro.matrix`) and saved beside them.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lab.capabilities import missing
from lab.kernel.can import add_vcan
from lab.kernel.netns import NetnsHost
from lab.naming import RunNames
from lab.paths import IMPORT_ROOT
from lab.repro.catalogue import PREPARED_NEEDS, Scenario
from lab.repro.cells import (
    NEEDS_VM,
    NOT_APPLICABLE,
    Cell,
    Interpreter,
    RunOptions,
    ScenarioRun,
    run_cell,
)
from lab.repro.vm import run_in_vm
from lab.standalone import pythons
from lab.vm import runner as vm_runner
from lab.wire.can import CANFD_MTU
from lab.wire.namespace_capture import NamespaceCapture
from lab.wire.pcap import LINKTYPE_CAN_SOCKETCAN, LINKTYPE_ETHERNET

SOCKIMPL_MINIMUM = (3, 10)
OLDEST_STDLIB = (3, 6)


# --- interpreters -----------------------------------------------------------

def full_version(path: Path) -> str | None:
    try:
        out = subprocess.run(
            # -S: no site-packages to scan, seconds per interpreter under the VM's TCG.
            [str(path), "-S", "-c", "import platform; print(platform.python_version())"],
            capture_output=True, text=True, timeout=30, check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def interpreters(chosen: list[str] | None = None) -> list[Interpreter]:
    """`--python PATH`s when given, else every CPython >= 3.6 pyenv has."""
    paths = [Path(p) for p in chosen] if chosen else list(pythons.available(OLDEST_STDLIB).values())
    found = []
    for path in paths:
        version = full_version(path)
        if version is None:
            raise RuntimeError(f"{path} does not run as a Python interpreter")
        found.append(Interpreter(version, path))
    return sorted(found, key=lambda i: i.numbers)


def sockimpl_unavailable(interpreter: Interpreter) -> str | None:
    """Why sockimpl cannot run under `interpreter`, or None."""
    if interpreter.minor < SOCKIMPL_MINIMUM:
        return "needs >= {}.{}".format(*SOCKIMPL_MINIMUM)
    major, minor = interpreter.minor
    if not list((IMPORT_ROOT / "sockimpl").glob(f"_sockimpl.cpython-{major}{minor}-*.so")):
        return f"not built for {major}.{minor}: run `make build`"
    return None


# --- where a scenario runs -----------------------------------------------------

def host_lacks(scenario: Scenario) -> list[str]:
    """What the host kernel lacks of the scenario's needs, with the reason."""
    lacking = []
    for need in ("netns", *scenario.needs):
        if need in PREPARED_NEEDS:
            continue
        why = missing(need)
        if why is not None:
            lacking.append(f"{need} ({why.split(';')[0]})")
    return lacking


def vm_unavailable(kernel: str | None) -> str | None:
    """Why the lab VM cannot boot `kernel` (None: the default), or None."""
    try:
        vm_runner.resolve_kernel(kernel)
    except RuntimeError as exc:
        return str(exc)
    return None


# --- the scenario's namespace ---------------------------------------------------

@dataclass
class Prepared:
    namespace_path: str
    environment: dict[str, str]
    interfaces: dict[str, int]  # name -> pcap link type


def _disable_ipv6(host: NetnsHost) -> None:
    for scope in ("all", "default", "lo"):
        host.sysctl(f"net.ipv6.conf.{scope}.disable_ipv6", 1)


def _run_port() -> str:
    """A port for the run's scenarios: vsock ports are not namespaced, so
    one per run keeps parallel runs apart."""
    return str(20000 + os.getpid() % 40000)


@contextlib.contextmanager
def prepared_namespace(scenario: Scenario, names: RunNames) -> Iterator[Prepared]:
    """A namespace of the run's own for the scenario, with what it needs;
    removed afterwards, whatever happens."""
    if not scenario.own_namespace:
        yield Prepared("", {"LAB_REPRO_PORT": _run_port()}, {})
        return
    host = NetnsHost.create(names.namespace("repro"))
    try:
        environment = {
            "LAB_REPRO_NETNS": host.path,
            "LAB_REPRO_PORT": _run_port(),
        }
        interfaces = {"lo": LINKTYPE_ETHERNET}
        if "vcan" in scenario.needs:
            ifname = names.interface("c")
            add_vcan(host, ifname, CANFD_MTU)
            environment["LAB_REPRO_INTERFACE"] = ifname
            interfaces[ifname] = LINKTYPE_CAN_SOCKETCAN
        if "ipv6_disabled" in scenario.needs:
            _disable_ipv6(host)
        yield Prepared(host.path, environment, interfaces)
    finally:
        host.remove()


# --- running -------------------------------------------------------------------

def _pending_cells(scenario: Scenario, rows: list[Interpreter], options: RunOptions, why: str) -> list[Cell]:
    return [
        Cell(scenario.name, row.version, impl, NEEDS_VM, why, where="-")
        for row in rows for impl in options.implementations
    ]


def _captured_cell(
    scenario: Scenario, row: Interpreter, implementation: str, prepared: Prepared, folder: Path,
) -> Cell:
    started = time.monotonic()
    capture = NamespaceCapture(prepared.namespace_path, prepared.interfaces)
    if prepared.interfaces:
        capture.start()
    try:
        outcome = run_cell(scenario, row, implementation, prepared.environment, folder)
    finally:
        pcaps = capture.stop(folder / f"{row.version}-{implementation}")
    return Cell(
        scenario.name, row.version, implementation, outcome.verdict, outcome.detail, where="host",
        seconds=round(time.monotonic() - started, 2), output=outcome.output.name,
        pcaps=tuple(p.name for p in pcaps), stdlib_has=outcome.stdlib_has,
    )


def run_on_host(scenario: Scenario, rows: list[Interpreter], options: RunOptions) -> list[Cell]:
    folder = (options.artifacts / scenario.name).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    cells = []
    with prepared_namespace(scenario, RunNames()) as prepared:
        for row in rows:
            for implementation in options.implementations:
                why_not = sockimpl_unavailable(row) if implementation == "sockimpl" else None
                if why_not:
                    cells.append(Cell(scenario.name, row.version, implementation, NOT_APPLICABLE, why_not))
                    continue
                options.report(f"{scenario.reference}: CPython {row.version} {implementation}")
                cells.append(_captured_cell(scenario, row, implementation, prepared, folder))
    return cells


def plan(scenario: Scenario, options: RunOptions) -> tuple[str, str]:
    """("host" | "vm" | "needs VM", why) for the scenario under `options`
    when no kernel is named: the host's where it has what the scenario
    needs, else the lab VM's default kernel."""
    if options.backend == "host":
        return "host", "--backend host"
    if options.backend == "vm":
        why = vm_unavailable(None)
        return ("needs VM", f"the lab VM cannot boot: {why}") if why else ("vm", "--backend vm")
    lacking = host_lacks(scenario)
    if not lacking:
        return "host", "the host kernel has what it needs"
    why = vm_unavailable(None)
    if why:
        return "needs VM", f"host lacks {', '.join(lacking)}; the lab VM cannot boot: {why}"
    return "vm", f"host lacks {', '.join(lacking)}"


@dataclass
class Share:
    """The scenarios one kernel runs: on the host, or in one VM boot."""

    image: Path | None  # None: the host's kernel (or, with no axis, the VM's default)
    runs: list[ScenarioRun]


def _without_axis(runs: list[ScenarioRun], rows: list[Interpreter], options: RunOptions) -> tuple[Share, Share]:
    """No kernel named: each scenario on the host's kernel or the VM's default."""
    host, guest = Share(None, []), Share(None, [])
    for record in runs:
        where, why = plan(record.scenario, options)
        record.where = where
        if where == "host":
            host.runs.append(record)
        elif where == "vm":
            guest.runs.append(record)
        else:
            record.cells = _pending_cells(record.scenario, rows, options, why)
    return host, guest


def _on_axis(scenarios: list[Scenario], rows: list[Interpreter], options: RunOptions) -> tuple[list[ScenarioRun], Share, list[Share]]:
    """Every scenario on every kernel of the axis; a kernel that cannot run
    a scenario leaves cells that say why (and fail `--expect-fixed`)."""
    runs: list[ScenarioRun] = []
    host = Share(None, [])
    guests: list[Share] = []
    for target in options.kernels:
        guest = Share(target.image, [])
        for scenario in scenarios:
            record = ScenarioRun(scenario, where="needs VM", kernel=target.release, kernel_build="")
            if target.unavailable:
                record.cells = _pending_cells(scenario, rows, options, f"kernel {target.spec}: {target.unavailable}")
            elif target.is_host:
                lacking = host_lacks(scenario) if options.backend != "host" else []
                if lacking and target.host_if_able:
                    continue  # `--kernels all`: the host's counts only where it has the family
                if lacking:
                    why = f"the host kernel lacks {', '.join(lacking)}: name a kernel the lab VM boots"
                    record.cells = _pending_cells(scenario, rows, options, why)
                else:
                    record.where, record.kernel_build = "host", os.uname().version
                    host.runs.append(record)
            else:
                guest.runs.append(record)
            runs.append(record)
        if guest.runs:
            guests.append(guest)
    return runs, host, guests


def run(scenarios: list[Scenario], rows: list[Interpreter], options: RunOptions) -> list[ScenarioRun]:
    """Every cell of every scenario, on every kernel of the axis (or, when
    none is named, on the host's or the VM's default kernel).  The VM
    boots, one per kernel and one at a time, run on a thread of their own
    (each spends seconds booting) while the host's cells run here."""
    if options.kernels:
        runs, host, guests = _on_axis(scenarios, rows, options)
    else:
        runs = [ScenarioRun(scenario) for scenario in scenarios]
        host, guest = _without_axis(runs, rows, options)
        guests = [guest] if guest.runs else []
    vm_share = _start_vm_shares(guests, rows, options)
    for record in host.runs:
        record.cells = run_on_host(record.scenario, rows, options)
    if vm_share is not None:
        vm_share.join()
    return runs


def _vm_shares(guests: list[Share], rows: list[Interpreter], options: RunOptions) -> None:
    for guest in guests:
        run_in_vm(guest.runs, rows, options, guest.image)


def _start_vm_shares(guests: list[Share], rows: list[Interpreter], options: RunOptions) -> threading.Thread | None:
    if not guests:
        return None
    share = threading.Thread(target=_vm_shares, args=(guests, rows, options), name="repro-vm", daemon=True)
    share.start()
    return share


def save(runs: list[ScenarioRun], artifacts: Path, matrix_text: str) -> Path:
    """The cells as JSON and the matrix as text, under `artifacts`."""
    artifacts.mkdir(parents=True, exist_ok=True)
    (artifacts / "matrix.txt").write_text(matrix_text + "\n")
    record = [
        {"scenario": r.scenario.name, "reference": r.scenario.reference, "where": r.where,
         "kernel": r.kernel, "kernel_build": r.kernel_build, "cells": [c.to_json() for c in r.cells]}
        for r in runs
    ]
    path = artifacts / "results.json"
    path.write_text(json.dumps(record, indent=1) + "\n")
    return path

