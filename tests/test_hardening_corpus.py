"""The fuzzers' saved corpus, replayed: every input that once reached new
coverage (and every finding, saved as finding-*) must still run clean:
no crash, no exception outside the expected kinds, and no difference
from the stdlib beyond the deliberate ones.

The atheris inputs are in hardening/corpus/<target>/ and replay through
the Python API.  The libFuzzer inputs, hardening/corpus/c-<target>/, are
the bytes of an in-process C harness, so they replay through that same
harness binary (built here with clang for the running interpreter, under
ASan and UBSan): one run per target over all its files.  `make fuzz`
adds to both.  The suite runs in a network namespace with only loopback,
and the targets map every non-numeric host to a numeric one: no replay
sends a DNS query."""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "hardening" / "corpus"
LIBFUZZER = REPO / "hardening" / "libfuzzer"
TARGETS = ("addr_codecs", "inet_args", "sockopt_forms", "ancillary")
MAKE = ("make", "-s", "--no-print-directory", "-C", str(LIBFUZZER))
# The harnesses carry clang's sanitizers of their own, run as `make fuzz`
# runs them; a sanitized run of this suite (`make asan-test`) preloads
# gcc's ASan runtime into every child, with options for the interpreter
# (strict_string_checks flags a bounded strndup of unterminated bytes),
# none of which may reach make, the compiler or the harnesses.
CHILD_ENV = {name: value for name, value in os.environ.items()
             if name not in ("LD_PRELOAD", "ASAN_OPTIONS", "UBSAN_OPTIONS")}
C_TARGETS = sorted(path.name.removeprefix("c-") for path in CORPUS.glob("c-*") if path.is_dir())


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


@pytest.fixture(scope="module")
def harnesses() -> Path:
    """The libFuzzer harness binaries for this interpreter, built (or
    brought up to date) once per run."""
    if shutil.which("clang") is None:
        pytest.skip("clang is not installed: `apt-get install clang` (or `make fuzz`) to replay")
    if not sysconfig.get_config_var("Py_ENABLE_SHARED"):
        pytest.skip("this interpreter has no libpython to embed in the harnesses")
    built = subprocess.run(
        [*MAKE, f"PYTHON={sys.executable}", "-j2"], capture_output=True, text=True, check=False, env=CHILD_ENV
    )
    assert built.returncode == 0, f"the harnesses did not build:\n{built.stderr[-3000:]}"
    return REPO / "hardening" / "build" / "libfuzzer" / sysconfig.get_config_var("VERSION")


def test_every_c_target_has_a_saved_corpus() -> None:
    targets = subprocess.run(
        [*MAKE, "targets"], capture_output=True, text=True, check=False, env=CHILD_ENV
    ).stdout.split()
    missing = [t for t in targets if not any((CORPUS / f"c-{t}").glob("*"))]
    assert targets, "hardening/libfuzzer/Makefile lists no targets"
    assert not missing, f"no saved inputs for {missing}: run hardening/libfuzzer/seeds.py"


@pytest.mark.parametrize("target", C_TARGETS)
def test_saved_c_inputs_replay_clean(target: str, harnesses: Path, tmp_path: Path) -> None:
    """Given files, a libFuzzer binary runs each once and stops at the
    first crash, sanitizer report, leak or timeout."""
    inputs = sorted(str(p) for p in (CORPUS / f"c-{target}").iterdir())
    replay = subprocess.run(
        [str(harnesses / target), "-timeout=10", *inputs],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        env=CHILD_ENV,
    )
    assert replay.returncode == 0, f"{target} fails on a saved input:\n{replay.stderr[-4000:]}"
    assert not any(tmp_path.iterdir()), "the inputs left a file behind"
