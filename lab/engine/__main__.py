"""`python -m lab.engine`: search families for divergences from the stdlib.

    python -m lab.engine --family unix --examples 2000 --seed 1
    python -m lab.engine --impl gevent.socket
    python -m lab.engine --hunt "SO_RCVLOWAT not honoured by the fast path"
    python -m lab.engine --family unix --replay "[('socket', 0), ('recv', 0, 0, '')]"

Exits 1 when a family diverged (minimal sequence printed, reproducer saved
under lab-artifacts/engine/), 0 otherwise.
"""

from __future__ import annotations

import argparse
import ast
import sys

from lab.engine import lockstep
from lab.engine.corpus import record
from lab.engine.exclusions import KNOWN_OPEN
from lab.engine.explore import explore
from lab.engine.families import FAMILIES, HOST_FAMILIES
from lab.engine.oracle import verify_oracle
from lab.engine.reproducer import save
from lab.engine.target import target_name
from lab.paths import CHECKOUT


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m lab.engine", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--family", action="append", choices=sorted(FAMILIES),
                        help="a family to search (repeat; default: the host families)")
    parser.add_argument("--impl", default=target_name(), help="the module under test (default: %(default)s)")
    parser.add_argument("--examples", type=int, default=None, help="sequences per family")
    parser.add_argument("--seed", type=int, default=None, help="the search's seed (default: a fresh one)")
    parser.add_argument("--hunt", choices=[entry.name for entry in KNOWN_OPEN], default=None,
                        help="stop passing over this known open divergence: show that the search finds it")
    parser.add_argument("--record", action="store_true",
                        help="add each divergence to the family's corpus file (tests/lab/engine/corpus/)")
    parser.add_argument("--replay", metavar="STEPS", default=None,
                        help="run this one sequence (a Python literal list of steps) in the one --family")
    return parser.parse_args(argv)


def replay(family: str, impl: str, literal: str) -> int:
    divergence = lockstep.run(FAMILIES[family], impl, list(ast.literal_eval(literal)), skip_known=())
    print(f"{family}: " + ("agrees" if divergence is None else f"DIVERGED\n{divergence}"))
    return 0 if divergence is None else 1


def main(argv: list[str] | None = None) -> int:
    options = parse(sys.argv[1:] if argv is None else argv)
    print(f"oracle: {verify_oracle()}")
    if options.replay is not None:
        if len(options.family or []) != 1:
            raise SystemExit("--replay needs exactly one --family")
        return replay(options.family[0], options.impl, options.replay)
    skip = lockstep.ALL_KNOWN - {options.hunt} if options.hunt else lockstep.ALL_KNOWN
    diverged = 0
    for name in options.family or [family.name for family in HOST_FAMILIES]:
        search = explore(FAMILIES[name], options.impl, options.examples, skip, options.seed)
        counts = lockstep.tally(name)
        print(f"{name}: seed {search.seed}, {search.examples} sequences drawn, "
              f"{counts.sequences} run (shrinking included), {counts.steps} steps and {counts.frames} frames compared; "
              f"deliberate {dict(counts.excluded)}, known open {dict(counts.known)}, "
              f"unconfirmed {len(counts.unconfirmed)}")
        for divergence in counts.unconfirmed:
            print("  unconfirmed (seen once, not when replayed): " + str(divergence).replace("\n", "\n  "))
        if search.divergence is None:
            continue
        diverged += 1
        print(f"  DIVERGED after {search.examples} sequences, minimal sequence:")
        for step in search.divergence.steps:
            print(f"    {step!r}")
        print("  " + str(search.divergence).replace("\n", "\n  "))
        print(f"  reproducer: {save(search.divergence)}")
        if options.record and CHECKOUT is not None:
            record(CHECKOUT / "tests" / "lab" / "engine" / "corpus" / f"{name}.txt", search.divergence,
                   options.hunt or "found by the search")
    return 1 if diverged else 0


if __name__ == "__main__":
    sys.exit(main())
