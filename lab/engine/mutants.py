"""Deliberately broken builds of sockimpl, at least one per family, to
prove the engine finds what it should: each mutant is a
`#ifdef SOCKIMPL_MUTANT_<NAME>` hunk in the C code (a codec in
`sockimpl/_c/addr_*.c`, or one of issue 16's two fast-path bugs put back),
compiled into a build directory of its own (never over the in-place .so)
and put first on sys.path for an engine run against it, once per family it
breaks.  A mutant is killed in a family when the run there diverges.

The families the host kernel lacks are hunted in the lab VM: every mutant
is built here first, then one `socklab run` boot hunts them all.

    python -m lab.engine.mutants [--examples N] [--seed S] [--backend auto|host|vm] [NAME ...]
"""

from __future__ import annotations

import argparse
import ast
import concurrent.futures
import contextlib
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from lab.capabilities import missing
from lab.engine.families import FAMILIES
from lab.engine.world import CONTROLLERS_ENV
from lab.kernel.bluetooth import running_btvirt
from lab.oracle import oracle_python
from lab.paths import CHECKOUT, IMPORT_ROOT
from lab.run.needs import CREATED_IN_GUEST

BUILD = Path("build") / "mutants"


@dataclass(frozen=True)
class Mutant:
    name: str  # SOCKIMPL_MUTANT_<name>
    families: tuple[str, ...]  # where it is hunted
    breaks: str


MUTANTS = (
    Mutant("UNIX_ABSTRACT", ("unix",), "abstract AF_UNIX names come back one byte short"),
    Mutant("RCVLOWAT", ("unix", "inet"), "issue 16's first bug: the fast path honours SO_RCVLOWAT only when "
           "this object set it in int form and blocks"),
    Mutant("RECVMSG_SCRATCH", ("unix",), "issue 16's second bug: recvmsg copies its data out of the "
           "thread's buffer after allocating"),
    Mutant("INET_PORT", ("inet", "sctp", "udplite"), "IPv4 ports come back in network byte order"),
    # RDS's ports are always the kernel's (its binds are not per namespace),
    # and a port the kernel chose is compared by name: a byte-swapped one
    # hides there, so RDS is proven by its address.
    # What only the wire shows: the call returns its count either way.
    Mutant("SENDTO_PORT", ("inet",), "sendto() sends to an IPv4 port in host byte order"),
    Mutant("INET_ADDRESS", ("rds",), "IPv4 addresses come back in host byte order"),
    Mutant("INET6_SCOPE", ("inet6",), "IPv6 scope ids come back one too high"),
    Mutant("NETLINK_GROUPS", ("netlink",), "netlink multicast groups come back as 0"),
    Mutant("PACKET_PKTTYPE", ("packet",), "AF_PACKET packet types come back as 0"),
    Mutant("CAN_ADDRESS_TUPLE", ("can",), "bpo-37405 put back: CAN_RAW/BCM addresses come back as a bare "
           "name, not a 1-tuple"),
    Mutant("VSOCK_CID", ("vsock",), "AF_VSOCK CIDs come back one too high"),
    Mutant("ALG_NAME", ("alg",), "AF_ALG algorithm names reach the kernel one character short"),
    Mutant("TIPC_SCOPE", ("tipc",), "AF_TIPC scopes come back one too high"),
    Mutant("QRTR_NODE", ("qipcrtr",), "AF_QIPCRTR nodes come back one too high"),
    Mutant("BDADDR_ORDER", ("bluetooth",), "Bluetooth addresses come back with their bytes in wire order"),
)

# Families the engine searches under the lab's oracle python (their
# constant is missing from this interpreter's stdlib), with controllers.
UNDER_ORACLE = ("bluetooth",)


def interpreter(family: str) -> tuple[str, Path | None]:
    """The python that hunts in `family`, and its unbroken sockimpl build
    (None: the checkout's in-place one)."""
    if family not in UNDER_ORACLE:
        return sys.executable, None
    found, why = oracle_python(["AF_BLUETOOTH"])
    if found is None:
        raise RuntimeError(f"no interpreter can be the oracle for {family}: {why}")
    return found.path, found.build


def build(mutant: Mutant, python: str = sys.executable) -> Path:
    """Compile the mutant for `python` into build/mutants/<NAME>[-<python>]/,
    beside a copy of the package's Python half; returns the directory to put
    first on sys.path."""
    lib = library(mutant, python)
    temp = lib.with_name(lib.name + "-tmp")
    (lib / "sockimpl").mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, CFLAGS=f"-DSOCKIMPL_MUTANT_{mutant.name}", PYTHONWARNINGS="ignore")
    subprocess.run(["flock", "build.lock", python, "setup.py", "-q", "build_ext", "--build-lib", str(lib),
                    "--build-temp", str(temp), "--force"], cwd=CHECKOUT, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    for pattern in ("*.py", "*.pyi", "py.typed"):
        for path in (CHECKOUT / "sockimpl").glob(pattern):
            shutil.copy(path, lib / "sockimpl")
    return lib


def library(mutant: Mutant, python: str = sys.executable) -> Path:
    if CHECKOUT is None:
        raise RuntimeError("mutants are built from a socklab checkout")
    suffix = "" if python == sys.executable else "-" + python.strip("/").replace("/", "-")
    return CHECKOUT / BUILD / (mutant.name + suffix)


@dataclass
class Verdict:
    mutant: Mutant
    family: str
    killed: bool
    sequences: int | None  # drawn until the divergence (or all of them, when it survived)
    seconds: float
    summary: str
    own_finding: str = ""  # the unbroken build diverged there too: no verdict on the mutant


def _engine(python: str, lib: Path, *args: str) -> subprocess.CompletedProcess:
    """`python -m lab.engine ARGS` over the sockimpl in `lib`, run from
    there: `-m` puts the working directory first on sys.path, so the
    checkout's in-place sockimpl cannot win."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(lib), str(IMPORT_ROOT)]))
    done = subprocess.run([python, "-m", "lab.engine", *args], env=env, cwd=lib, capture_output=True, text=True,
                          check=False)
    if done.returncode not in (0, 1):
        raise RuntimeError(f"the engine failed ({' '.join(args)}):\n{done.stdout}\n{done.stderr}")
    return done


def hunt(mutant: Mutant, family: str, examples: int, seed: int) -> Verdict:
    python, unbroken = interpreter(family)
    started = time.monotonic()
    run = _engine(python, library(mutant, python), "--family", family, "--examples", str(examples), "--seed",
                  str(seed))
    seconds = time.monotonic() - started
    drawn = re.search(r"DIVERGED after (\d+) sequences", run.stdout)
    if run.returncode == 1:
        again = _engine(python, unbroken or IMPORT_ROOT, "--family", family, "--replay",
                        repr(minimal_sequence(run.stdout)))
        if again.returncode == 1:
            # Not the mutant's doing: the unbroken build diverges there too.
            return Verdict(mutant, family, False, None, seconds, run.stdout, own_finding=again.stdout)
    if run.returncode == 0:  # survived: how many sequences it survived
        drawn = re.search(r"seed \d+, (\d+) sequences drawn", run.stdout)
    return Verdict(mutant, family, run.returncode == 1, int(drawn.group(1)) if drawn else None, seconds,
                   run.stdout)


def minimal_sequence(output: str) -> list:
    """The steps `python -m lab.engine` printed under "minimal sequence:"."""
    steps = []
    for line in output.split("minimal sequence:\n", 1)[-1].splitlines():
        if not line.startswith("    ("):
            break
        steps.append(ast.literal_eval(line.strip()))
    return steps


def in_vm(family: str) -> bool:
    """Whether the family is hunted in the lab VM: the host lacks it or an
    interface its worlds need."""
    return any(missing(name) is not None or name in CREATED_IN_GUEST
               for name in (family, *FAMILIES[family].needs))


def report(verdict: Verdict) -> None:
    mutant = verdict.mutant
    outcome = f"killed after {verdict.sequences} sequences" if verdict.killed else \
        f"SURVIVED {verdict.sequences} sequences"
    if verdict.own_finding:
        outcome = "NOT JUDGED"
        print(f"{verdict.family:8} {mutant.name:18} {outcome:28} the unbroken sockimpl diverges on the same "
              f"sequence, a finding of its own:\n    " + verdict.summary.replace("\n", "\n    "), flush=True)
        return
    print(f"{verdict.family:8} {mutant.name:18} {outcome:28} {verdict.seconds:6.1f} s  ({mutant.breaks})",
          flush=True)
    if verdict.killed:
        print("    " + verdict.summary.split("minimal sequence:\n", 1)[-1].split("  reproducer:")[0]
              .strip().replace("\n", "\n    "), flush=True)


def hunt_here(cells: list[tuple[Mutant, str]], examples: int, seed: int) -> int:
    """Hunt each (mutant, family) here, one per core at a time (each hunt
    is a process of its own, its worlds in namespaces of their own); the
    Bluetooth ones one after another, on the one pair of controllers.  The
    number that survived."""
    survivors = 0
    apart = [cell for cell in cells if cell[1] in UNDER_ORACLE]
    together = [cell for cell in cells if cell not in apart]
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        for verdict in pool.map(lambda cell: hunt(cell[0], cell[1], examples, seed), together):
            survivors += not verdict.killed
            report(verdict)
    with contextlib.ExitStack() as stack:
        if apart:
            controllers = stack.enter_context(running_btvirt(2))
            os.environ[CONTROLLERS_ENV] = ",".join(f"{c.index}={c.address}" for c in controllers)
        for mutant, family in apart:
            verdict = hunt(mutant, family, examples, seed)
            survivors += not verdict.killed
            report(verdict)
    return survivors


def hunt_in_vm(cells: list[tuple[Mutant, str]], examples: int, seed: int) -> int:
    """One lab VM boot hunts every VM cell (the mutants are built already);
    the number that survived, or all of them when the guest failed."""
    needs = sorted({name for _, family in cells for name in (family, *FAMILIES[family].needs)})
    names = sorted({mutant.name for mutant, _ in cells})
    families = sorted({family for _, family in cells})
    command = [sys.executable, "-m", "lab", "run", "--needs", ",".join(needs), "--",
               "python", "-m", "lab.engine.mutants", "--backend", "here", "--built", "--examples", str(examples),
               "--seed", str(seed), *(f"--family={family}" for family in families), *names]
    done = subprocess.run(command, cwd=CHECKOUT, check=False)
    return 0 if done.returncode == 0 else len(cells)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lab.engine.mutants", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="*", choices=[[]] + [m.name for m in MUTANTS], default=[])
    parser.add_argument("--examples", type=int, default=300, help="sequences per mutant and family "
                        "(default %(default)s)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--family", action="append", choices=sorted(FAMILIES),
                        help="hunt only in this family (repeat)")
    parser.add_argument("--backend", choices=("auto", "host", "vm", "here"), default="auto",
                        help="auto: host families here, the others in one lab VM boot; here: all here")
    parser.add_argument("--built", action="store_true", help=argparse.SUPPRESS)  # the guest's side
    options = parser.parse_args(argv)
    chosen = [m for m in MUTANTS if not options.names or m.name in options.names]
    cells = [(m, f) for m in chosen for f in m.families if not options.family or f in options.family]
    if not cells:
        parser.error("no mutant breaks the chosen families")
    if not options.built:
        # Once per mutant and interpreter, however many families hunt it.
        for mutant, python in dict.fromkeys((m, interpreter(f)[0]) for m, f in cells):
            build(mutant, python)
    if options.backend == "here":
        here, guest = cells, []
    else:
        here = [c for c in cells if options.backend != "vm" and not in_vm(c[1])]
        guest = [c for c in cells if c not in here and options.backend != "host"]
    survivors = hunt_here(here, options.examples, options.seed)
    if guest:
        print(f"in the lab VM: {len(guest)} mutant and family pairs", flush=True)
        survivors += hunt_in_vm(guest, options.examples, options.seed)
    hunted = len(here) + len(guest)
    print(f"{hunted - survivors} of {hunted} mutant and family pairs killed"
          + (f" ({len(cells) - hunted} not hunted: --backend {options.backend})" if hunted < len(cells) else ""))
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main())
