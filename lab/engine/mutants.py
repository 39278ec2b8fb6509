"""Deliberately broken builds of sockimpl, one per family, to prove the
engine finds what it should: each mutant is a `#ifdef SOCKIMPL_MUTANT_<NAME>`
hunk in a codec (`sockimpl/_c/addr_*.c`), compiled into a build directory
of its own (never over the in-place .so) and put first on sys.path for an
engine run against it.  A mutant is killed when the run diverges.

    python -m lab.engine.mutants [--examples N] [--seed S] [NAME ...]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from lab.paths import CHECKOUT

BUILD = Path("build") / "mutants"


@dataclass(frozen=True)
class Mutant:
    name: str  # SOCKIMPL_MUTANT_<name>
    family: str
    breaks: str


MUTANTS = (
    Mutant("UNIX_ABSTRACT", "unix", "abstract AF_UNIX names come back one byte short"),
    Mutant("INET_PORT", "inet", "IPv4 ports come back in network byte order"),
    Mutant("INET6_SCOPE", "inet6", "IPv6 scope ids come back one too high"),
    Mutant("NETLINK_GROUPS", "netlink", "netlink multicast groups come back as 0"),
    Mutant("PACKET_PKTTYPE", "packet", "AF_PACKET packet types come back as 0"),
)


def build(mutant: Mutant, python: str = sys.executable) -> Path:
    """Compile the mutant into build/mutants/<NAME>/, beside a copy of the
    package's Python half; returns the directory to put first on sys.path."""
    if CHECKOUT is None:
        raise RuntimeError("mutants are built from a socklab checkout")
    lib = CHECKOUT / BUILD / mutant.name
    temp = CHECKOUT / BUILD / f"{mutant.name}-tmp"
    (lib / "sockimpl").mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, CFLAGS=f"-DSOCKIMPL_MUTANT_{mutant.name}", PYTHONWARNINGS="ignore")
    subprocess.run(["flock", "build.lock", python, "setup.py", "-q", "build_ext", "--build-lib", str(lib),
                    "--build-temp", str(temp), "--force"], cwd=CHECKOUT, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    for pattern in ("*.py", "*.pyi", "py.typed"):
        for path in (CHECKOUT / "sockimpl").glob(pattern):
            shutil.copy(path, lib / "sockimpl")
    return lib


@dataclass
class Verdict:
    mutant: Mutant
    killed: bool
    sequences: int | None  # drawn until the divergence
    seconds: float
    summary: str


def hunt(mutant: Mutant, examples: int, seed: int) -> Verdict:
    lib = build(mutant)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(lib), str(CHECKOUT)]))
    started = time.monotonic()
    # From the mutant's directory: `-m` puts the working directory first on
    # sys.path, and the checkout's own in-place sockimpl must not win.
    run = subprocess.run([sys.executable, "-m", "lab.engine", "--family", mutant.family, "--examples",
                          str(examples), "--seed", str(seed)], env=env, cwd=lib,
                         capture_output=True, text=True, check=False)
    seconds = time.monotonic() - started
    drawn = re.search(r"DIVERGED after (\d+) sequences", run.stdout)
    if run.returncode not in (0, 1):
        raise RuntimeError(f"the engine failed on mutant {mutant.name}:\n{run.stdout}\n{run.stderr}")
    return Verdict(mutant, run.returncode == 1, int(drawn.group(1)) if drawn else None, seconds, run.stdout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lab.engine.mutants", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="*", choices=[[]] + [m.name for m in MUTANTS], default=[])
    parser.add_argument("--examples", type=int, default=300, help="sequences per mutant (default %(default)s)")
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args(argv)
    chosen = [m for m in MUTANTS if not options.names or m.name in options.names]
    survivors = 0
    for mutant in chosen:
        verdict = hunt(mutant, options.examples, options.seed)
        survivors += not verdict.killed
        outcome = f"killed after {verdict.sequences} sequences" if verdict.killed else "SURVIVED"
        print(f"{mutant.family:8} {mutant.name:16} {outcome:28} {verdict.seconds:6.1f} s  ({mutant.breaks})")
        if verdict.killed:
            print("    " + verdict.summary.split("minimal sequence:\n", 1)[-1].split("  reproducer:")[0]
                  .strip().replace("\n", "\n    "))
    print(f"{len(chosen) - survivors} of {len(chosen)} mutants killed")
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main())
