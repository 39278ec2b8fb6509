"""What the runs of one scenario observed under each implementation, and
whether every observation has its counterpart.

`differential.observe(name, value)` records a value under (scenario, name,
implementation); a value another implementation already recorded for the
same name must be equal.  A name observed by one implementation only is no
agreement at all (the other side skipped, `--impl` chose one side, or
pytest-xdist ran the pair in two processes): `missing_counterparts` says
which, and the plugin fails the run on it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Seen:
    """One implementation's value for one name, and the process that saw it."""

    value: Any
    where: str  # "" in this process, else the xdist worker's id


@dataclass
class ObservationBook:
    """scenario -> name -> implementation -> what it saw."""

    implementations: tuple[str, ...]
    scenarios: dict[str, dict[str, dict[str, Seen]]] = field(default_factory=dict)
    checked: set[str] = field(default_factory=set)
    failed: set[str] = field(default_factory=set)  # a test of theirs failed: that says enough

    def record(self, scenario: str, name: str, impl: str, value: Any, where: str = "") -> None:
        """Keep `value`; AssertionError when another implementation saw
        something else for the same name."""
        seen = self.scenarios.setdefault(scenario, {}).setdefault(name, {})
        others = dict(seen)
        # Kept before comparing: a disagreement is reported as one, not
        # also as a missing counterpart.
        seen[impl] = Seen(value, where)
        for other, earlier in others.items():
            if other == impl or (where and where == earlier.where):
                continue  # the same side again, or compared in that worker already
            if where or earlier.where:
                # From another process only the repr travels (see `to_wire`).
                mine, theirs = _wire_text(value, where), _wire_text(earlier.value, earlier.where)
            else:
                mine, theirs = value, earlier.value
            assert mine == theirs, f"{name}: {other} gave {earlier.value!r}, {impl} gave {value!r}"

    def missing_counterparts(self, scenario: str) -> list[str]:
        """One line per name of `scenario` that some implementation did not observe."""
        lines = []
        for name, seen in self.scenarios.get(scenario, {}).items():
            lacking = [impl for impl in self.implementations if impl not in seen]
            if lacking:
                by = ", ".join(sorted(seen))
                lines.append(f"{scenario}: {name!r} observed by {by} only, never by {', '.join(lacking)}")
        return lines

    def unchecked(self) -> Iterable[str]:
        return [s for s in self.scenarios if s not in self.checked and s not in self.failed]

    def to_wire(self) -> dict[str, dict[str, dict[str, str]]]:
        """What an xdist worker sends its controller (plain strings travel)."""
        return {
            scenario: {name: {impl: repr(s.value) for impl, s in seen.items()} for name, seen in names.items()}
            for scenario, names in self.scenarios.items()
        }

    def merge(self, wire: dict[str, dict[str, dict[str, str]]], where: str) -> list[str]:
        """A worker's observations; the disagreements they reveal, one line each."""
        disagreements = []
        for scenario, names in wire.items():
            for name, seen in names.items():
                for impl, text in seen.items():
                    try:
                        self.record(scenario, name, impl, text, where)
                    except AssertionError as exc:
                        disagreements.append(f"{scenario}: {exc} (in two pytest-xdist workers)")
        return disagreements


def _wire_text(value: Any, where: str) -> str:
    """A value as it travels between processes: a worker's is its repr already."""
    return value if where else repr(value)
