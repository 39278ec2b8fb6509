"""Every sequence that ever diverged is replayed on each run.

An entry still open for sockimpl must still diverge (the replay proves the
engine still sees it; when it stops diverging the fix has landed: mark the
entry "fixed" and drop its KNOWN_OPEN exclusion).  A fixed entry must agree.
A deliberate one must agree for sockimpl by its deliberate difference alone.
For any other target every entry must agree."""

from __future__ import annotations

from pathlib import Path

import pytest

from lab.engine import lockstep
from lab.engine.corpus import DELIBERATE, OPEN, Entry, load
from lab.engine.families import FAMILIES

CORPUS = Path(__file__).parent / "corpus"
ENTRIES = [entry for path in sorted(CORPUS.glob("*.txt")) for entry in load(path)]


@pytest.mark.parametrize(
    "entry", [pytest.param(e, marks=pytest.mark.family(e.family), id=f"{e.family}-{e.name}") for e in ENTRIES])
def test_corpus_sequence_replays_as_recorded(entry: Entry, engine_target: str) -> None:
    excused = sum(lockstep.tally(entry.family).excluded.values())
    divergence = lockstep.run(FAMILIES[entry.family], engine_target, list(entry.steps), skip_known=())
    if entry.status == OPEN and engine_target == "sockimpl":
        assert divergence is not None, f"fixed? {entry.name} no longer diverges: mark it fixed"
        assert divergence.steps == entry.steps, f"diverged earlier than recorded:\n{divergence}"
    else:
        assert divergence is None, str(divergence)
    if entry.status == DELIBERATE and engine_target == "sockimpl":
        assert sum(lockstep.tally(entry.family).excluded.values()) > excused, \
            f"{entry.name}: the two agreed without the deliberate difference (the stdlib changed?)"


def test_corpus_is_not_empty() -> None:
    assert len(ENTRIES) >= 3
