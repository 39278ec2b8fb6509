"""The fuzzers' saved corpus, replayed: every input that once reached new
coverage (and every finding, saved as finding-*) must still run clean:
no crash, no exception outside the expected kinds, and no difference
from the stdlib beyond the deliberate ones.

The inputs are in hardening/corpus/<target>/; `make fuzz` adds to them.
The suite runs in a network namespace with only loopback, and the targets
map every non-numeric host to a numeric one: no replay sends a DNS query."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parent.parent / "hardening" / "corpus"
TARGETS = ("addr_codecs", "inet_args", "sockopt_forms", "ancillary")


def _saved_inputs() -> list[pytest.param]:
    return [
        pytest.param(target, path, id=f"{target}/{path.name[:16]}")
        for target in TARGETS
        for path in sorted((CORPUS / target).glob("*"))
    ]


def test_every_target_has_a_saved_corpus() -> None:
    empty = [target for target in TARGETS if not any((CORPUS / target).glob("*"))]
    assert not empty, f"no saved inputs for {empty}: run `UPDATE_CORPUS=1 make fuzz`"


@pytest.mark.parametrize(("target", "path"), _saved_inputs())
def test_saved_fuzz_input_replays_clean(
    target: str, path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # a relative AF_UNIX path would land here
    exercise = importlib.import_module(f"hardening.fuzz.{target}").exercise
    exercise(path.read_bytes())
    assert not any(tmp_path.iterdir()), "the input left a file behind"
