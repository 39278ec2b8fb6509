"""What a failing test leaves behind: the fixtures register their captures
and peers here as they make them, and the plugin saves the captures and
asks the peers what went wrong when a test fails."""

from __future__ import annotations

from typing import Any

import pytest

CAPTURES = pytest.StashKey[list]()
PEERS = pytest.StashKey[list]()


def register_capture(item: pytest.Item, capture: Any) -> None:
    """A capture with `.label` and `.save(path)`, saved if `item` fails."""
    item.stash.setdefault(CAPTURES, []).append(capture)


def register_peer(item: pytest.Item, peer: Any) -> None:
    """A peer with `.trouble()`: what to say if `item` fails (whether the
    peer, or its engine, stopped under the test)."""
    item.stash.setdefault(PEERS, []).append(peer)


def peer_troubles(item: pytest.Item) -> list[str]:
    troubles = (peer.trouble() for peer in item.stash.get(PEERS, []))
    return list(dict.fromkeys(t for t in troubles if t))
