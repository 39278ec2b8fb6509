"""The search: hypothesis draws sequences for a family, each runs in
lockstep, and the first divergence is shrunk to a minimal sequence.

Budgets come from the environment so that the lab's test run (the quick
profile), `make fuzz-lab` (the deep one) and a user's own run share one
code path: SOCKLAB_ENGINE_EXAMPLES sequences per family, from the seed
SOCKLAB_ENGINE_SEED (a fresh one per run when unset, always printed, so a
failure replays with the same seed).
"""

from __future__ import annotations

import os
import random
import socket as stdlib_socket
from collections.abc import Collection
from dataclasses import dataclass

from hypothesis import HealthCheck, Phase, given, seed, settings

from lab.engine import lockstep
from lab.engine.families import Family
from lab.engine.generate import sequences
from lab.engine.lockstep import Divergence

QUICK_EXAMPLES = 12
EXAMPLES_ENV = "SOCKLAB_ENGINE_EXAMPLES"
SEED_ENV = "SOCKLAB_ENGINE_SEED"


def examples_budget() -> int:
    return int(os.environ.get(EXAMPLES_ENV) or QUICK_EXAMPLES)


def run_seed() -> int:
    """This run's seed: SOCKLAB_ENGINE_SEED, or one drawn now and then kept
    in the environment so every family of the run (and its children) uses it."""
    chosen = os.environ.get(SEED_ENV)
    if not chosen:
        chosen = str(random.SystemRandom().randrange(2**32))
        os.environ[SEED_ENV] = chosen
    return int(chosen)


@dataclass
class Search:
    family: str
    target: str
    seed: int
    examples: int  # sequences drawn (shrinking included) until the end or the first divergence
    divergence: Divergence | None


class OracleLacksFamily(Exception):
    """This interpreter's stdlib cannot be the oracle for the family: every
    step would fail alike in both worlds, and agree about nothing."""


def oracle_lacks(family: Family) -> str | None:
    """Why the stdlib cannot be the family's oracle here, or None."""
    missing = sorted({kind[0] for kind in family.kinds if not hasattr(stdlib_socket, kind[0])})
    return f"this interpreter's stdlib has no {', '.join(missing)}" if missing else None


def explore(family: Family, target: str, examples: int | None = None, skip_known: Collection[str] = lockstep.ALL_KNOWN,
            chosen_seed: int | None = None) -> Search:
    lacking = oracle_lacks(family)
    if lacking:
        raise OracleLacksFamily(f"{family.name}: {lacking}")
    budget = examples or examples_budget()
    the_seed = run_seed() if chosen_seed is None else chosen_seed
    found: list[Divergence] = []
    drawn: list[int] = []

    @settings(max_examples=budget, deadline=None, database=None, derandomize=False, print_blob=False,
              phases=(Phase.generate, Phase.shrink),
              suppress_health_check=list(HealthCheck))
    @seed(the_seed)
    @given(sequences(family))
    def sequences_agree(steps: list) -> None:
        if not found:
            drawn.append(1)
        divergence = lockstep.run(family, target, steps, skip_known=skip_known)
        if divergence is None:
            return
        # Replayed at once: one that does not happen again (a call that
        # missed its time budget on a busy machine) is no finding, and must
        # not end the search, which stops at its first failure.
        again = lockstep.run(family, target, list(divergence.steps), skip_known=skip_known)
        if again is None or again.steps != divergence.steps:
            lockstep.tally(family.name).unconfirmed.append(divergence)
            return
        found.append(again)
        raise AssertionError(str(again))

    made_before = lockstep.tally(family.name).made
    try:
        sequences_agree()
    except Exception:  # hypothesis re-raises the minimal example's failure
        if not found:
            raise
    if not found and lockstep.tally(family.name).made == made_before:
        raise OracleLacksFamily(f"{family.name}: the stdlib made no socket of the family in {len(drawn)} sequences "
                                "(every step failed alike in both worlds): nothing was compared")
    # Every divergence in `found` happened again when replayed (above); the
    # shortest is the one hypothesis shrank to.
    shortest = min(found, key=lambda d: len(d.steps)) if found else None
    if shortest is not None:
        shortest = without_needless_steps(family, target, shortest, skip_known)
    return Search(family.name, target, the_seed, len(drawn), shortest)


def without_needless_steps(family: Family, target: str, divergence: Divergence,
                           skip_known: Collection[str] = lockstep.ALL_KNOWN) -> Divergence:
    """`divergence` with every step taken out that it diverges without, one
    at a time.  Hypothesis shrinks what the generator drew, and a steered
    sequence's steps depend on the model: dropping one changes the next
    draws, so it may keep steps a plain deletion shows are not needed.  The
    result must diverge at the same last step, and once more when replayed."""
    best = divergence
    index = len(best.steps) - 2  # the last step stays: it is the one that diverges
    while index >= 0:
        fewer = list(best.steps[:index] + best.steps[index + 1:])
        found = lockstep.run(family, target, fewer, skip_known=skip_known)
        if found is not None and found.steps[-1] == best.steps[-1]:
            best = found
        index -= 1
    if best is divergence or lockstep.run(family, target, list(best.steps), skip_known=skip_known) is None:
        return divergence
    return best
