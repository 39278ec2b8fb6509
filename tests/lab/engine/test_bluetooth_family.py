"""Bluetooth through the engine: L2CAP, RFCOMM, HCI and SCO sockets in
lockstep on the stdlib and the implementation under test.

It needs an interpreter whose stdlib has AF_BLUETOOTH (pyenv's have not):
its `family` mark sends the file to the lab VM, where `lab test` runs it
again under the lab's oracle python (Debian's python3, `make
oracle-python`).  Bluetooth is not per namespace, so each world gets a
controller of its own (of the two `bt_controllers`), and names it "own"."""

from __future__ import annotations

import os

import pytest
from test_corpus import BLUETOOTH_ENTRIES, replays_as_recorded

from lab.engine.corpus import Entry
from lab.engine.explore import EXAMPLES_ENV, explore, oracle_lacks
from lab.engine.families import BLUETOOTH
from lab.engine.reproducer import render, save

pytestmark = [pytest.mark.family("bluetooth"), pytest.mark.needs("vhci")]

QUICK_EXAMPLES = 6


def test_generated_bluetooth_sequences_agree_with_the_stdlib(engine_target: str, request: pytest.FixtureRequest
                                                            ) -> None:
    lacking = oracle_lacks(BLUETOOTH)
    if lacking:
        pytest.skip(f"{lacking}: `lab test` runs this file again under its oracle python (Debian's python3, "
                    "`make oracle-python`), whose stdlib has it")
    request.getfixturevalue("world_controllers")
    search = explore(BLUETOOTH, engine_target, int(os.environ.get(EXAMPLES_ENV) or QUICK_EXAMPLES))
    if search.divergence is not None:
        path = save(search.divergence)
        pytest.fail(f"{search.divergence}\nseed {search.seed}; reproducer saved to {path}:\n\n"
                    f"{render(search.divergence)}", pytrace=False)


@pytest.mark.parametrize("entry", [pytest.param(e, id=e.name) for e in BLUETOOTH_ENTRIES])
def test_bluetooth_corpus_sequence_replays_as_recorded(entry: Entry, engine_target: str,
                                                       request: pytest.FixtureRequest) -> None:
    lacking = oracle_lacks(BLUETOOTH)
    if lacking:
        pytest.skip(f"{lacking}: `lab test` runs this file again under its oracle python, whose stdlib has it")
    request.getfixturevalue("world_controllers")
    replays_as_recorded(entry, engine_target)
