"""The engine's tests: the oracle checked once, the implementation under
test named by SOCKLAB_ENGINE_IMPL (sockimpl by default), and a summary of
what each family's runs compared."""

from __future__ import annotations

from typing import Any

import pytest

from lab.engine import lockstep
from lab.engine.explore import examples_budget, run_seed
from lab.engine.families import FAMILIES
from lab.engine.oracle import OracleError, verify_oracle
from lab.engine.target import target_name
from lab.engine.world import CONTROLLERS_ENV


@pytest.fixture(scope="session")
def engine_target() -> str:
    """The module under test, once the oracle is known to be the stdlib's
    own (the run fails otherwise: a comparison with anything else proves nothing)."""
    try:
        verify_oracle()
    except OracleError as exc:
        pytest.fail(f"the engine's oracle is not the stdlib: {exc}", pytrace=False)
    return target_name()


@pytest.fixture
def world_controllers(bt_controllers: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each Bluetooth world's own controller: the first two of `bt_controllers`,
    the oracle's and the target's."""
    monkeypatch.setenv(CONTROLLERS_ENV, ",".join(f"{c.index}={c.address}" for c in bt_controllers[:2]))


def pytest_report_header(config: pytest.Config) -> list[str]:
    try:
        oracle = verify_oracle()
    except OracleError as exc:
        oracle = f"NOT THE STDLIB: {exc}"
    return [(f"engine: target {target_name()}, seed {run_seed()} (SOCKLAB_ENGINE_SEED replays), "
            f"{examples_budget()} sequences per family (SOCKLAB_ENGINE_EXAMPLES); oracle {oracle}")]


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    if not lockstep.TALLIES:
        return
    terminalreporter.section(f"engine: sequences compared, target {target_name()}, seed {run_seed()}")
    for family, counts in sorted(lockstep.TALLIES.items()):
        watched = family in FAMILIES and FAMILIES[family].wire
        wire = f"{counts.frames:6} frames on {FAMILIES[family].wire}" if watched else "  no wire watched"
        line = f"{family:10} {counts.sequences:6} sequences {counts.steps:7} steps {wire}"
        for label, counter in (("deliberate", counts.excluded), ("known open", counts.known)):
            for name, number in sorted(counter.items()):
                line += f"; {label} '{name}' x{number}"
        terminalreporter.write_line(line)
        for divergence in counts.unconfirmed:
            terminalreporter.write_line(f"  unconfirmed (seen once, not when replayed): {divergence}".replace(
                "\n", "\n  "))
