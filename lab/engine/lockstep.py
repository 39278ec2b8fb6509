"""Runs one sequence of steps in two worlds at once, the oracle's and the
target's, and compares what each step observably did.

Outcomes and states are compared step by step.  Frames on the wire are
matched across steps (`Ledger`): a kernel's timer may send a step's frame
during a later step in one world and not in the other (data corked by
MSG_MORE or TCP_CORK goes out when the cork's 200 ms are up), so the worlds
disagree on the wire when each has sent a frame the other has not, or when
one has sent a frame the other has still not sent after the last step and a
wait as long as those timers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from lab.engine.exclusions import KNOWN_OPEN, deliberate, known_open
from lab.engine.executor import Step
from lab.engine.families import Family
from lab.engine.world import World

ORACLE = "stdlib"
# A step after the last one, in both worlds, when one world's frames wait
# for the other's: long enough for a cork's 200 ms.
WAIT_FOR_FRAMES = ("wait", 0.3)
MAKING = ("socket", "socketpair", "connected_pair", "bound_pair")
ALL_KNOWN = frozenset(entry.name for entry in KNOWN_OPEN)


@dataclass
class Tally:
    """What a family's runs compared: sequences, steps, frames on the wire,
    and deliberate differences excluded (by name)."""

    sequences: int = 0
    steps: int = 0
    excluded: Counter = field(default_factory=Counter)
    known: Counter = field(default_factory=Counter)
    unconfirmed: list = field(default_factory=list)  # divergences that did not happen again
    made: int = 0  # sockets the oracle made: none means the family was never tested
    frames: int = 0  # frames the oracle's steps put on the wire, each compared with the target's


TALLIES: dict[str, Tally] = {}


def tally(family: str) -> Tally:
    return TALLIES.setdefault(family, Tally())


@dataclass(frozen=True)
class Divergence:
    family: str
    target: str
    steps: tuple[Step, ...]  # up to and including the step that diverged
    oracle: Any  # (outcome, state, frames on the wire) of that step
    observed: Any

    def __str__(self) -> str:
        step = self.steps[-1]
        lines = [f"{self.family}: step {len(self.steps) - 1} {step!r} diverged",
                 f"  stdlib:        {self.oracle[0]!r}", f"  {self.target + ':':14} {self.observed[0]!r}"]
        if self.oracle[1] != self.observed[1]:
            lines += [f"  stdlib state:  {self.oracle[1]!r}", f"  {self.target} state: {self.observed[1]!r}"]
        if self.oracle[2] != self.observed[2]:
            lines += [f"  stdlib wire:   {self.oracle[2]!r}", f"  {self.target} wire: {self.observed[2]!r}"]
        return "\n".join(lines)


@dataclass
class Ledger:
    """The frames each world has sent that the other has not (yet)."""

    ahead: tuple[Counter, Counter] = (Counter(), Counter())

    def after(self, oracle: Iterable, target: Iterable) -> tuple[Counter, Counter]:
        """What each world would be ahead by with these frames too."""
        sent = (self.ahead[0] + Counter(oracle), self.ahead[1] + Counter(target))
        both = sent[0] & sent[1]
        return sent[0] - both, sent[1] - both

    @staticmethod
    def disagree(ahead: tuple[Counter, Counter]) -> bool:
        return bool(ahead[0]) and bool(ahead[1])


def _with_frames(observation: tuple, frames: Counter) -> tuple:
    return (observation[0], observation[1], tuple(sorted(frames.elements(), key=repr)))


def run(family: Family, target: str, steps: list[Step], skip_known: Collection[str] = ALL_KNOWN
        ) -> Divergence | None:
    """The first divergence of `steps` between the oracle and `target`, or
    None.  Deliberate differences are passed over (and counted); so are the
    known open ones named in `skip_known` (none in the corpus replay, all
    but one when hunting for that one)."""
    worlds = [World(ORACLE, family, seat=0), World(target, family, seat=1)]
    counts = tally(family.name)
    counts.sequences += 1
    ledger = Ledger()
    met: dict[str, list] = {}  # the deliberate differences excused so far, with the target's frames
    steps = list(steps)
    try:
        for index, step in enumerate(steps):
            for world in worlds:
                world.ask(step)
            oracle, observed = (world.answer() for world in worlds)
            counts.steps += 1
            counts.frames += len(oracle[2])
            if step[0] in MAKING and oracle[0][0] == "value":
                counts.made += 1
            ahead = ledger.after(oracle[2], observed[2])
            unmatched = bool(ahead[0] or ahead[1])
            last = index == len(steps) - 1
            if last and unmatched and step != WAIT_FOR_FRAMES:
                # One world's frames wait for the other's: the loop goes on
                # to this step too (it iterates over the growing list).
                steps.append(WAIT_FOR_FRAMES)
                last = False
            if Ledger.disagree(ahead) or (last and unmatched):
                # Each world's frames that the other has not sent stand for the step's.
                oracle, observed = _with_frames(oracle, ahead[0]), _with_frames(observed, ahead[1])
            else:
                ledger.ahead = ahead
                observed = (observed[0], observed[1], oracle[2])
            if oracle == observed:
                continue
            excuse = deliberate(step, oracle, observed, family.name, target, met)
            if excuse is not None and (oracle[1] == observed[1] or excuse.ends_sequence):
                counts.excluded[excuse.name] += 1
                met.setdefault(excuse.name, []).extend(observed[2])
                if oracle[1] != observed[1]:
                    return None  # the stdlib's call changed the socket: nothing after is comparable
                continue
            known = known_open(tuple(steps[: index + 1]), oracle[0], observed[0]) \
                if target == "sockimpl" else None
            if known is not None and known.name in skip_known:
                counts.known[known.name] += 1
                return None  # what follows a known divergence is not comparable
            return Divergence(family.name, target, tuple(steps[: index + 1]), oracle, observed)
        return None
    finally:
        for world in worlds:
            world.end()
