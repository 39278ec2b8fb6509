"""socklab's command line (`socklab` or `python -m lab`): real kernel
interfaces for socket code, on this host or in a micro-VM that has every
family."""

from __future__ import annotations

import argparse
import os
import sys
from importlib import metadata

from lab import clean, doctor, setup, suite
from lab.docker import cli as images_cli
from lab.paths import IMPORT_ROOT, import_path
from lab.repro import cli as repro_cli
from lab.run import command as run_command
from lab.vm import cli as vm_cli


def version() -> str:
    try:
        return metadata.version("socklab")
    except metadata.PackageNotFoundError:
        return f"(a checkout: {IMPORT_ROOT})"


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="socklab", description=__doc__)
    top.add_argument("--version", action="version", version=f"socklab {version()}")
    commands = top.add_subparsers(dest="command", required=True)
    doctor.add_command(commands)
    setup.add_command(commands)
    clean.add_command(commands)
    suite.add_command(commands)
    vm_cli.add_vm_command(commands)
    images_cli.add_arguments(commands.add_parser(
        "images", help="build (from cache), load or list the Docker peer images, from local material only"
    ))
    repro_cli.add_command(commands)
    run_command.add_command(commands)
    return top


# Commands whose unknown arguments belong to someone else (pytest, CMD).
PASS_THROUGH = {"test": suite.main, "run": run_command.main}
COMMANDS = {
    "doctor": doctor.main, "setup": setup.main, "clean": clean.main, "vm": vm_cli.run,
    "images": images_cli.run, "repro": repro_cli.run,
}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    # Children (pytest in the VM, repro cells, CMD) import the lab from here.
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [import_path(), os.environ.get("PYTHONPATH")]))
    for entry in reversed(import_path().split(os.pathsep)):
        if entry not in sys.path:
            sys.path.insert(0, entry)
    options, rest = parser().parse_known_args(argv)
    if options.command in PASS_THROUGH:
        return PASS_THROUGH[options.command](options, rest)
    if rest:
        parser().error(f"unrecognized arguments: {' '.join(rest)}")
    return COMMANDS[options.command](options)
