"""`lab test`: clean up after dead runs, then run the lab's tests (or the
paths given) on the host and, for what the host kernel lacks, in one boot
of the lab VM."""

from __future__ import annotations

import argparse
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from lab import clean, terminal
from lab.paths import ARTIFACTS, CHECKOUT
from lab.vm import cli as vm_cli

# The repository's own lab suites, when the lab runs from a checkout: the
# instrument's own tests first, then the tests that use it.  (The fault
# tests also start Docker engines of their own, which must find the cached
# data root free: the peer tests' session engine holds it until the end.)
DEFAULT_TESTS = [CHECKOUT / "tests" / "lab_itself", CHECKOUT / "tests" / "lab"] if CHECKOUT else []


def status(message: str) -> None:
    # The VM share's thread says things while the host's share captures.
    terminal.write(2, f"lab: {message}\n")


def add_command(commands: argparse._SubParsersAction) -> None:
    run = commands.add_parser(
        "test", help="clean, then run the lab's tests (other arguments go to pytest)"
    )
    run.add_argument("--shard", metavar="I/N", help="run share I of N (for a CI matrix)")
    vm_cli.add_test_arguments(run)


def plugin_args() -> list[str]:
    """`-p lab.plugin`, unless socklab's pytest11 entry point loads it
    already (an installed socklab): a plugin named twice is an error."""
    installed = any(entry.value == "lab.plugin" for entry in entry_points(group="pytest11"))
    return [] if installed else ["-p", "lab.plugin"]


def _names_a_path(args: list[str]) -> bool:
    return any(not a.startswith("-") and Path(a.split("::")[0]).exists() for a in args)


def main(options: argparse.Namespace, pytest_args: list[str]) -> int:
    terminal.keep()
    clean.remove_everything_stale(status)
    ARTIFACTS.mkdir(exist_ok=True)
    args = [*plugin_args(), "-p", "no:cacheprovider", f"--junitxml={ARTIFACTS / 'junit.xml'}"]
    if options.shard:
        args.append(f"--shard={options.shard}")
    args += pytest_args
    if not _names_a_path(pytest_args):
        if not DEFAULT_TESTS:
            status("name the tests to run: the lab's own suites come with a checkout of socklab")
            return 4
        args += [str(path) for path in DEFAULT_TESTS]

    def run_host(host_args: list[str]) -> int:
        status("pytest " + " ".join(host_args))
        # In this process, not a child: a `kill -9` of `lab test` then leaves no
        # orphan behind, only namespaces that `lab clean` recognises as stale.
        return int(pytest.main(host_args))

    return vm_cli.test(options, args, run_host, status)
