"""Every host family's generated sequences agree with the stdlib: the
quick profile (SOCKLAB_ENGINE_EXAMPLES sequences each, seed in the header)."""

from __future__ import annotations

import pytest

from lab.engine.explore import explore
from lab.engine.families import HOST_FAMILIES, Family
from lab.engine.reproducer import render, save


def assert_no_divergence(family: Family, target: str) -> None:
    search = explore(family, target)
    if search.divergence is not None:
        path = save(search.divergence)
        pytest.fail(f"{search.divergence}\nseed {search.seed}; reproducer saved to {path}:\n\n"
                    f"{render(search.divergence)}", pytrace=False)


@pytest.mark.parametrize(
    "family", [pytest.param(f, marks=pytest.mark.family(f.name), id=f.name) for f in HOST_FAMILIES])
def test_generated_sequences_agree_with_the_stdlib(family: Family, engine_target: str) -> None:
    assert_no_divergence(family, engine_target)
