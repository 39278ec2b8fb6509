"""What runs first inside the lab VM: load the families' modules, record
what this guest kernel offers, then run the VM's share of pytest.

`python -m lab.vm.guest --artifacts DIR [--oracle-python PATH --oracle-build
DIR --oracle-files F,...] -- [pytest args]`, or `--plan FILE` holding those
arguments as a JSON list.  Everything the host should get
back goes under DIR, a directory shared read-write with the host (the
guest's own /tmp is private and gone at power-off).

With `--oracle-python`, the files named run a second time, in the same boot,
under that interpreter (its stdlib has a family this one's lacks) against a
sockimpl built for it; its JUnit report is `ORACLE_JUNIT` beside the first.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lab.capabilities import CAPABILITIES, missing
from lab.kernel import modules as kernel_modules
from lab.kernel.modules import FAMILY_MODULES
from lab.oracle import OraclePython

MARK = "lab-vm:"
NOTHING_COLLECTED = 5
ORACLE_JUNIT = "junit-oracle-python.xml"


def say(message: str) -> None:
    """A line the host recognises (timings, progress) among pytest's output."""
    os.write(1, f"{MARK} {message}\n".encode())


def uptime() -> float:
    with open("/proc/uptime", encoding="ascii") as f:
        return float(f.read().split()[0])


def load_modules() -> list[str]:
    """Load every family's module; the ones this kernel lacks, by name."""
    return kernel_modules.load(*FAMILY_MODULES)


_loading: list[subprocess.Popen] = []


def start_loading_modules() -> None:
    loading = kernel_modules.start_loading()
    if loading is not None:
        _loading.append(loading)


def wait_for_modules() -> None:
    """Wait for `start_loading_modules` (if it ran); missing ones get loaded
    one by one so the rest are there and the lacking ones are named."""
    while _loading:
        if _loading.pop().wait() != 0:
            lacking = load_modules()
            if lacking:
                say("this kernel lacks modules: " + " ".join(lacking))


def record_capabilities(path: Path) -> None:
    """What each lab capability looks like from inside this guest, for
    `lab doctor`'s VM column (the reason when one is missing)."""
    seen = {name: missing(name) for name in CAPABILITIES}
    path.write_text(json.dumps(
        {"kernel": os.uname().release, "missing": seen, "when": time.time()}, indent=1
    ))


def combined(*statuses: int) -> int:
    """pytest's statuses: 5 (nothing collected) only when every run had nothing."""
    real = [s for s in statuses if s != NOTHING_COLLECTED]
    return max(real) if real else NOTHING_COLLECTED


def _is_test_path(arg: str) -> bool:
    return not arg.startswith("-") and Path(arg.split("::")[0]).exists()


def oracle_pass_arguments(args: list[str], files: list[str], junit: Path) -> list[str]:
    """The first pass's pytest `args` for the second: its own JUnit report,
    only `files` (or the node ids the user named in them)."""
    kept = [a for a in args if not _is_test_path(a) and not a.startswith("--junitxml=")]
    named = [a for a in args if _is_test_path(a) and "::" in a and a.split("::")[0] in files]
    return [*kept, f"--junitxml={junit}", *(named or files)]


def run_oracle_pass(python: OraclePython, files: list[str], args: list[str], artifacts: Path) -> int:
    say(f"oracle pass: {', '.join(Path(f).name for f in files)} under {python.path}")
    argv = [*python.pytest_argv(), *oracle_pass_arguments(args, files, artifacts / ORACLE_JUNIT)]
    return subprocess.run(argv, env={**os.environ, **python.environment()}, check=False).returncode


def main(argv: list[str]) -> int:
    if argv[:1] == ["--plan"]:
        # The arguments in a file: a command line travels on the kernel's
        # (2 KiB on x86, truncated beyond) and a VM share's file list is long.
        argv = json.loads(Path(argv[1]).read_text())
    parser = argparse.ArgumentParser(prog="lab.vm.guest")
    parser.add_argument("--artifacts", type=Path, required=True)
    parser.add_argument("--oracle-python", help="an interpreter whose stdlib has what this one's lacks")
    parser.add_argument("--oracle-build", type=Path, help="the sockimpl built for it")
    parser.add_argument("--oracle-files", default="", help="comma-separated test files to run under it")
    parser.add_argument("pytest_args", nargs=argparse.REMAINDER)
    options = parser.parse_args(argv)
    say(f"guest up: kernel {os.uname().release}, {uptime():.1f} s since the kernel started")
    # The families' modules load while pytest starts and collects (mostly
    # waiting on 9p reads); the first test waits for them (see `lab.vm.plugin`),
    # so the capability probes see every family this kernel has.
    start_loading_modules()
    options.artifacts.mkdir(parents=True, exist_ok=True)
    args = [a for a in options.pytest_args if a != "--"]
    status = int(pytest.main(args))
    files = [f for f in options.oracle_files.split(",") if f]
    if options.oracle_python and files:
        python = OraclePython(options.oracle_python, options.oracle_build)
        status = combined(status, run_oracle_pass(python, files, args, options.artifacts))
    wait_for_modules()
    # After the tests, so that it does not delay the first one.
    record_capabilities(options.artifacts / "vm-capabilities.json")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
