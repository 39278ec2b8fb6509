"""`--shard I/N`: a deterministic share of the lab's matrix for runner I of
N, so a CI matrix of N machines splits one run.

Tests are grouped so that the runs of one scenario against each
implementation stay together (a differential comparison needs both), the
groups are ordered by name, and group k goes to shard k mod N.  The same
collection gives the same shares everywhere; shards are disjoint and
together cover every test.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


class Item(Protocol):
    nodeid: str


@dataclass(frozen=True)
class Shard:
    index: int  # 1-based, as CI matrices count
    total: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        try:
            index_text, total_text = text.split("/")
            shard = cls(int(index_text), int(total_text))
        except ValueError:
            raise ValueError(f"--shard wants I/N with whole numbers, got {text!r}") from None
        if not 1 <= shard.index <= shard.total:
            raise ValueError(f"--shard {text}: I must be between 1 and N")
        return shard

    def __str__(self) -> str:
        return f"{self.index}/{self.total}"


def scenario_key(nodeid: str, impl_id: str | None) -> str:
    """The node id with the implementation's part of the parameter id removed."""
    if impl_id is None or "[" not in nodeid:
        return nodeid
    base, params = nodeid.split("[", 1)
    parts = [p for p in params.rstrip("]").split("-") if p != impl_id]
    return f"{base}[{'-'.join(parts)}]" if parts else base


def split(items: Sequence[Item], shard: Shard, key: dict[str, str]) -> tuple[list, list]:
    """(selected, deselected) for this shard; `key` maps node id to group."""
    groups = sorted({key[item.nodeid] for item in items})
    mine = {g for k, g in enumerate(groups) if k % shard.total == shard.index - 1}
    selected = [item for item in items if key[item.nodeid] in mine]
    deselected = [item for item in items if key[item.nodeid] not in mine]
    return selected, deselected
