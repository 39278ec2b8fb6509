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
from lab.engine.families import BLUETOOTH, FAMILIES

CORPUS = Path(__file__).parent / "corpus"
ENTRIES = [entry for path in sorted(CORPUS.glob("*.txt")) for entry in load(path)]
# Replayed in test_bluetooth_family.py, the one file the lab VM runs again
# under an interpreter whose stdlib has AF_BLUETOOTH (so nothing else runs twice).
BLUETOOTH_ENTRIES = [entry for entry in ENTRIES if entry.family == BLUETOOTH.name]


def replays_as_recorded(entry: Entry, target: str) -> None:
    """The replay's verdict for `entry` against `target` (see the module's doc)."""
    excused = sum(lockstep.tally(entry.family).excluded.values())
    divergence = lockstep.run(FAMILIES[entry.family], target, list(entry.steps), skip_known=())
    if entry.status == OPEN and target == "sockimpl":
        assert divergence is not None, f"fixed? {entry.name} no longer diverges: mark it fixed"
        assert divergence.steps == entry.steps, f"diverged earlier than recorded:\n{divergence}"
    else:
        assert divergence is None, str(divergence)
    if entry.status == DELIBERATE and target == "sockimpl":
        assert sum(lockstep.tally(entry.family).excluded.values()) > excused, \
            f"{entry.name}: the two agreed without the deliberate difference (the stdlib changed?)"


def _marks(entry: Entry) -> list[pytest.MarkDecorator]:
    return [pytest.mark.family(entry.family)] + [pytest.mark.needs(name) for name in FAMILIES[entry.family].needs]


@pytest.mark.parametrize("entry", [pytest.param(e, marks=_marks(e), id=f"{e.family}-{e.name}")
                                   for e in ENTRIES if e not in BLUETOOTH_ENTRIES])
def test_corpus_sequence_replays_as_recorded(entry: Entry, engine_target: str) -> None:
    replays_as_recorded(entry, engine_target)


def test_corpus_is_not_empty() -> None:
    assert len(ENTRIES) >= 3
