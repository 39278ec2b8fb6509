"""Every sequence that ever diverged, kept and replayed on each run.

A corpus file holds a Python literal (read with `ast.literal_eval`, so
reading it runs nothing): a list of entries, each a dict with the family,
a name, the finding, its status and the steps.  Status "open": the target
still diverges there (the replay asserts it does, so a fix is noticed and
the entry is flipped); "fixed": the replay asserts agreement; "deliberate":
a difference sockimpl makes on purpose (exclusions.DELIBERATE), which the
replay asserts is still met and still recognised as that.
"""

from __future__ import annotations

import ast
import pprint
from dataclasses import dataclass
from pathlib import Path

from lab.engine.executor import Step
from lab.engine.lockstep import Divergence

OPEN, FIXED, DELIBERATE = "open", "fixed", "deliberate"


@dataclass(frozen=True)
class Entry:
    family: str
    name: str
    finding: str
    status: str
    steps: tuple[Step, ...]


def load(path: Path) -> list[Entry]:
    if not path.exists():
        return []
    return [Entry(e["family"], e["name"], e["finding"], e["status"], tuple(e["steps"]))
            for e in ast.literal_eval(path.read_text())]


def record(path: Path, divergence: Divergence, name: str) -> None:
    """Add a divergence as an open entry (unless its steps are there already)."""
    entries = load(path)
    if any(entry.steps == divergence.steps for entry in entries):
        return
    entries.append(Entry(divergence.family, name, str(divergence), OPEN, divergence.steps))
    literal = [{"family": e.family, "name": e.name, "finding": e.finding, "status": e.status, "steps": list(e.steps)}
               for e in entries]
    path.write_text("# socklab engine corpus: see lab/engine/corpus.py\n" + pprint.pformat(literal, width=110) + "\n")
