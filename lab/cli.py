"""The `lab` command: `python -m lab doctor | test [pytest args] | clean`."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_TESTS = REPO / "tests" / "lab"
ARTIFACTS = Path("lab-artifacts")


def _status(message: str) -> None:
    print(f"lab: {message}", file=sys.stderr, flush=True)


def doctor(_: argparse.Namespace) -> int:
    from lab import doctor as report

    def progress(name: str) -> None:
        if sys.stderr.isatty():
            print(f"\rprobing {name:<12}", end="", file=sys.stderr, flush=True)

    rows = report.table(progress)
    if sys.stderr.isatty():
        print("\r" + " " * 24 + "\r", end="", file=sys.stderr)
    print(report.render(rows))
    return 0


def clean(_: argparse.Namespace) -> int:
    from lab.clean import clean as remove_stale

    removed = remove_stale(_status)
    from lab.vm import kill_stale_vms

    removed += kill_stale_vms(_status)
    _status(f"clean: {removed} stale object(s) removed")
    return 0


def _names_a_path(args: list[str]) -> bool:
    return any(not a.startswith("-") and Path(a.split("::")[0]).exists() for a in args)


def test(options: argparse.Namespace, pytest_args: list[str]) -> int:
    clean(options)
    import pytest

    ARTIFACTS.mkdir(exist_ok=True)
    args = ["-p", "lab.plugin", "-p", "no:cacheprovider", f"--junitxml={ARTIFACTS / 'junit.xml'}"]
    if options.shard:
        args.append(f"--shard={options.shard}")
    args += pytest_args
    if not _names_a_path(pytest_args):
        args.append(str(DEFAULT_TESTS))
    from lab import vm_cli

    def run_host(host_args: list[str]) -> int:
        _status("pytest " + " ".join(host_args))
        # In this process, not a child: a `kill -9` of `lab test` then leaves no
        # orphan behind, only namespaces that `lab clean` recognises as stale.
        return int(pytest.main(host_args))

    return vm_cli.test(options, args, run_host, _status)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="lab", description=__doc__)
    commands = top.add_subparsers(dest="command", required=True)
    commands.add_parser("doctor", help="what each backend offers, and why a cell is missing")
    commands.add_parser(
        "clean",
        help="remove what dead lab runs left (namespaces, links, processes, containers, "
        "daemons, mounts, scratch directories)",
    )
    run = commands.add_parser(
        "test", help="clean, then run the lab's tests (other arguments go to pytest)"
    )
    run.add_argument("--shard", metavar="I/N", help="run share I of N (for a CI matrix)")
    from lab import vm_cli

    vm_cli.add_test_arguments(run)
    vm_cli.add_vm_command(commands)
    from lab import images_cli

    images_cli.add_arguments(commands.add_parser(
        "images", help="build (from cache), load or list the Docker peer images, from local material only"
    ))
    from lab import repro_cli

    repro_cli.add_command(commands)
    from lab import run as run_command

    run_command.add_command(commands)
    return top


def main(argv: list[str]) -> int:
    for path in (str(REPO), str(REPO / "tests")):
        if path not in sys.path:
            sys.path.insert(0, path)
    os.environ["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(REPO), str(REPO / "tests"), os.environ.get("PYTHONPATH")])
    )
    options, rest = parser().parse_known_args(argv)
    if options.command == "test":
        return test(options, rest)
    if options.command == "vm":
        from lab import vm_cli

        return vm_cli.run(options)
    if options.command == "run":
        from lab import run as run_command

        return run_command.main(options, rest)
    if rest:
        parser().error(f"unrecognized arguments: {' '.join(rest)}")
    if options.command == "images":
        from lab import images_cli

        return images_cli.run(options)
    if options.command == "repro":
        from lab import repro_cli

        return repro_cli.run(options)
    return {"doctor": doctor, "clean": clean}[options.command](options)
