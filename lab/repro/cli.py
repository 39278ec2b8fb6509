"""`lab repro`'s command line: `lab repro NAME...`, `--list`, `--all`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lab.paths import ARTIFACTS as LAB_ARTIFACTS
from lab.repro import axis
from lab.repro import matrix as repro_matrix
from lab.repro import run as repro
from lab.repro.catalogue import DEFAULT_FOLDER, Scenario, ScenarioError, catalogue, load, select
from lab.repro.cells import BACKENDS, IMPLEMENTATIONS

ARTIFACTS = LAB_ARTIFACTS / "repro"


def add_command(commands: argparse._SubParsersAction) -> None:
    repro = commands.add_parser(
        "repro", help="reproduce a bug report's scenario on every interpreter, stdlib and sockimpl",
        description="Run bug-report scenarios (the catalogue in lab/repro/scenarios/) in child processes, one per "
        "interpreter and implementation, and print the matrix.",
    )
    repro.add_argument("names", nargs="*", metavar="NAME",
                       help="scenario file name, reference (gh-94821) or path to a scenario file")
    repro.add_argument("--list", action="store_true", help="show the catalogue and exit")
    repro.add_argument("--all", action="store_true", help="run every scenario of the catalogue")
    repro.add_argument("--folder", type=Path, default=DEFAULT_FOLDER,
                       help=f"the catalogue's folder (default: {DEFAULT_FOLDER})")
    repro.add_argument("--python", action="append", metavar="PATH",
                       help="an interpreter to run (repeatable; default: every CPython >= 3.6 pyenv has)")
    repro.add_argument("--impl", action="append", choices=IMPLEMENTATIONS,
                       help="only this implementation's column (repeatable; default: both)")
    repro.add_argument("--backend", choices=BACKENDS, default="auto",
                       help="`auto` runs on the host when its kernel has the family, else in the lab VM")
    repro.add_argument("--kernel", action="append", default=[], metavar="KERNEL",
                       help="run on this kernel: a release or its prefix in /boot (6.1, 6.12), an image's path, "
                       "or `host` (the running kernel); repeatable, one lab VM boot per kernel")
    repro.add_argument("--kernels", choices=(axis.ALL,),
                       help="`all`: the running kernel where it has the family, and every kernel the lab VM can boot")
    repro.add_argument("--per-kernel", action="store_true",
                       help="one matrix per kernel instead of one with a row per interpreter and kernel")
    repro.add_argument("--artifacts", type=Path, default=ARTIFACTS,
                       help=f"where outputs, pcaps and the matrix go (default: {ARTIFACTS})")
    repro.add_argument("--expect-fixed", action="store_true",
                       help="exit 1 unless sockimpl comes out fixed in every scenario (for `make lab-test`)")


def _status(message: str) -> None:
    print(f"lab repro: {message}", file=sys.stderr, flush=True)


def _listing(scenarios: list[Scenario]) -> str:
    width = max((len(s.reference) for s in scenarios), default=0)
    lines = []
    for s in scenarios:
        needs = ", ".join(s.needs) or "-"
        lines.append(f"{s.reference:<{width}}  {s.family:<13} needs {needs:<16} {s.title}")
        lines.append(f"{'':<{width}}  {s.name}.py · report: {s.affected_text}")
    return "\n".join(lines)


def _chosen(options: argparse.Namespace) -> list[Scenario]:
    paths = [Path(n) for n in options.names if n.endswith(".py") and Path(n).is_file()]
    names = [n for n in options.names if Path(n) not in paths]
    scenarios = catalogue(options.folder)
    if options.all:
        return scenarios + [load(p) for p in paths]
    return [load(p) for p in paths] + (select(scenarios, names) if names else [])


def run(options: argparse.Namespace) -> int:
    try:
        if options.list:
            print(_listing(catalogue(options.folder)))
            return 0
        scenarios = _chosen(options)
    except ScenarioError as exc:
        _status(str(exc))
        return 2
    if not scenarios:
        _status("name a scenario, or use --all or --list")
        return 2
    implementations = tuple(options.impl) if options.impl else IMPLEMENTATIONS
    kernels = axis.targets(options.kernel + ([options.kernels] if options.kernels else []))
    if options.backend == "host" and any(not k.is_host for k in kernels):
        _status("--backend host runs on the running kernel only: name it `--kernel host`, or drop --backend")
        return 2
    for kernel in kernels:
        _status(f"kernel {kernel.spec}: " + (kernel.unavailable or kernel.label))
    run_options = repro.RunOptions(
        artifacts=options.artifacts, implementations=implementations,
        backend=options.backend, kernels=tuple(kernels), report=_status,
    )
    rows = repro.interpreters(options.python)
    _status("interpreters: " + ", ".join(r.version for r in rows))
    runs = repro.run(scenarios, rows, run_options)
    combined = len({r.kernel for r in runs}) > 1 and not options.per_kernel and bool(kernels)
    text = repro_matrix.render(runs, implementations, combined=combined)
    print(text)
    saved = repro.save(runs, options.artifacts, text)
    _status(f"outputs, pcaps and the matrix: {saved.parent}/")
    if options.expect_fixed and not repro_matrix.all_acceptable(runs):
        _status("sockimpl is not fixed in every scenario (see the matrix)")
        return 1
    return 0


def main(argv: list[str]) -> int:
    """`lab repro` on its own, `argv` as after `socklab` (the lab VM's guest
    runs it so, without the rest of the command line)."""
    top = argparse.ArgumentParser(prog="socklab")
    add_command(top.add_subparsers(dest="command", required=True))
    return run(top.parse_args(argv))
