"""The families the host kernel lacks, through the same engine: their
`family` marks send them to the lab VM's one boot under `lab test`.  The VM
runs under TCG on a busy machine, so its quick profile draws fewer
sequences per family (SOCKLAB_ENGINE_EXAMPLES overrides both)."""

from __future__ import annotations

import os

import pytest

from lab.engine.explore import EXAMPLES_ENV, explore
from lab.engine.families import VM_FAMILIES, Family
from lab.engine.reproducer import render, save

VM_QUICK_EXAMPLES = 4


def _marks(family: Family) -> list[pytest.MarkDecorator]:
    return [pytest.mark.family(family.name)] + [pytest.mark.needs(name) for name in family.needs]


@pytest.mark.parametrize("family", [pytest.param(f, marks=_marks(f), id=f.name) for f in VM_FAMILIES])
def test_generated_sequences_agree_with_the_stdlib(family: Family, engine_target: str) -> None:
    examples = int(os.environ.get(EXAMPLES_ENV) or VM_QUICK_EXAMPLES)
    search = explore(family, engine_target, examples)
    if search.divergence is not None:
        path = save(search.divergence)
        pytest.fail(f"{search.divergence}\nseed {search.seed}; reproducer saved to {path}:\n\n"
                    f"{render(search.divergence)}", pytrace=False)
