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

from lab.engine.explore import EXAMPLES_ENV, explore, oracle_lacks
from lab.engine.families import BLUETOOTH
from lab.engine.reproducer import render, save
from lab.engine.world import CONTROLLERS_ENV

pytestmark = [pytest.mark.family("bluetooth"), pytest.mark.needs("vhci")]

QUICK_EXAMPLES = 6


def test_generated_bluetooth_sequences_agree_with_the_stdlib(bt_controllers, engine_target: str,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    lacking = oracle_lacks(BLUETOOTH)
    if lacking:
        pytest.skip(f"{lacking}: `lab test` runs this file again under its oracle python (Debian's python3, "
                    "`make oracle-python`), whose stdlib has it")
    monkeypatch.setenv(CONTROLLERS_ENV, ",".join(f"{c.index}={c.address}" for c in bt_controllers[:2]))
    search = explore(BLUETOOTH, engine_target, int(os.environ.get(EXAMPLES_ENV) or QUICK_EXAMPLES))
    if search.divergence is not None:
        path = save(search.divergence)
        pytest.fail(f"{search.divergence}\nseed {search.seed}; reproducer saved to {path}:\n\n"
                    f"{render(search.divergence)}", pytrace=False)
