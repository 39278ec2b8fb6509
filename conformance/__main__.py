"""python -m conformance [--python PATH]... [--out DIR] [--isolate] [--jobs N] [--families LIST]

Runs every interpreter's own test_socket against the stdlib and sockimpl
(both sides of every interpreter at once, `--jobs` children at a time),
prints per interpreter run / ok / failed / errors / skipped for each side
and the tests whose outcomes differ, and exits non-zero when sockimpl fails
a test the stdlib passes that deliberate.txt does not list.  Per-test
outcomes and each side's output are left in DIR.

Without --python, the interpreters are the repository's venvs
(.venv/3.10 ... .venv/3.13).  --isolate runs each side in a network
namespace of its own with only loopback (needs root); without it the sides
share the caller's network, as in the lab VM, where the families the host
lacks are:

    python -m lab run --needs vcan,vsock,alg -- \
        python -m conformance --python python --out build/conformance-vm --jobs 2

--families runs only the classes of those families (families.py), as the lab
VM does.  A run without it fails when a test skips for want of a family
whose class no family names: the lab VM would never run it.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from . import families as family_classes
from .report import Comparison, read_deliberate
from .side import REPO, SideRun

DEFAULT_PYTHONS = [
    str(REPO / ".venv" / v / "bin" / "python") for v in ("3.10", "3.11", "3.12", "3.13")
]


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m conformance", description=__doc__.split("\n\n")[1]
    )
    parser.add_argument(
        "--python",
        action="append",
        metavar="PATH",
        help="an interpreter to test (repeatable; default: the repo's venvs)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=REPO / "build" / "conformance",
        help="where outcomes and logs go (default: build/conformance)",
    )
    parser.add_argument(
        "--isolate",
        action="store_true",
        help="each side in a loopback-only network namespace of its own",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=8,
        help="sides running at once (default 8: mostly they wait on sockets)",
    )
    parser.add_argument(
        "--families",
        type=lambda text: [name for name in text.split(",") if name],
        default=None,
        metavar="LIST",
        help=f"only the test classes of these families, comma-separated ({', '.join(family_classes.CLASSES)})",
    )
    parser.add_argument(
        "--test-timeout",
        type=float,
        default=30.0,
        help="seconds before a test counts as hung (default 30)",
    )
    return parser.parse_args(argv)


def version_of(python: str) -> str:
    done = subprocess.run(
        [python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def main(argv: list[str]) -> int:
    options = parse_args(argv)
    try:
        classes = family_classes.pattern(options.families) if options.families is not None else None
    except ValueError as exc:
        print(f"conformance: {exc}", file=sys.stderr)
        return 2
    deliberate = read_deliberate()
    options.out = options.out.absolute()
    options.out.mkdir(parents=True, exist_ok=True)
    # Absolute: each side runs in the output directory.
    pythons = [
        str(Path(shutil.which(p) or p).absolute()) for p in options.python or DEFAULT_PYTHONS
    ]
    runs = [
        SideRun(
            python, version_of(python), side, options.out, options.test_timeout, options.isolate, classes
        )
        for python in pythons
        for side in ("stdlib", "sockimpl")
    ]
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=options.jobs) as pool:
        done = list(pool.map(SideRun.run, runs))
    comparisons = [
        Comparison(stdlib.version, stdlib, sockimpl, deliberate)
        for stdlib, sockimpl in zip(done[::2], done[1::2])
    ]
    for comparison in comparisons:
        comparison.print()
    unexplained = sum(len(c.unexplained()) for c in comparisons)
    failures = sum(c.failures() for c in comparisons)
    if classes is None:
        failures += _print_uncovered(done)
    print(
        f"conformance: {time.monotonic() - started:.0f} s wall, {unexplained} unexplained "
        f"difference{'s' if unexplained != 1 else ''}, {failures} failure{'s' if failures != 1 else ''} "
        f"in all; outcomes in {options.out}"
    )
    return 1 if failures else 0


def _print_uncovered(runs: list[SideRun]) -> int:
    """Print the tests skipped for want of a family that the lab VM's
    selection would not run either; their count."""
    skips = {test: o.detail for run in runs for test, o in run.outcomes.items() if o.outcome == "skip"}
    missed = family_classes.uncovered(skips)
    for test in missed:
        print(f"   {'NO VM':10} {test}  -- skipped ({skips[test]}), and in no class of conformance/families.py")
    return len(missed)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
