"""The oracle is the interpreter's own stdlib `socket` over its own `_socket`,
checked at the start of every run; `differential.observe` fails where one
implementation's observation has no counterpart from the other."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import textwrap
import types
from pathlib import Path

import pytest

import sockimpl
from lab import oracle

REPO = Path(__file__).resolve().parents[2]
USAGE_ERROR = 4


def pytest_in(folder: Path, *args: str, lab_run_impl: str | None = None) -> subprocess.CompletedProcess:
    """pytest with the lab's plugin on `folder`'s tests, in a child; under
    `lab run --impl lab_run_impl` when given."""
    command = [sys.executable, "-m", "pytest", "-p", "lab.plugin", "-p", "no:cacheprovider",
               "-o", "addopts=", "--rootdir", str(folder), *args, str(folder)]
    if lab_run_impl:
        command = [sys.executable, "-m", "lab", "run", "--backend", "host", "--impl", lab_run_impl,
                   "--", "python", *command[1:]]
    return subprocess.run(
        command, cwd=folder, capture_output=True, text=True, timeout=300, check=False,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), str(REPO / "tests")])},
    )


def test_this_interpreters_socket_is_the_oracle_and_says_where_it_came_from():
    origin = oracle.origin()
    assert Path(origin.socket_file) == Path(sysconfig.get_path("stdlib")).resolve() / "socket.py"
    assert origin.c_module == "built in" or Path(origin.c_module).name.startswith("_socket.")
    assert oracle.stdlib_socket() is sys.modules["socket"]


def test_sockimpl_in_the_place_of_socket_is_refused():
    with pytest.raises(oracle.OracleError, match="'sockimpl' from .*sockimpl"):
        oracle.verify(sockimpl, sys.modules["_socket"])


def test_a_copy_of_socket_py_over_another_socket_class_is_refused():
    fake = types.ModuleType("socket")
    fake.__file__ = str(Path(sysconfig.get_path("stdlib")) / "socket.py")
    fake._socket = sys.modules["_socket"]
    fake.socket = sockimpl.socket
    with pytest.raises(oracle.OracleError, match="not built on the loaded _socket"):
        oracle.verify(fake, sys.modules["_socket"])


def test_a_c_module_from_outside_the_interpreter_is_refused(tmp_path):
    impostor = types.ModuleType("_socket")
    impostor.__file__ = str(tmp_path / "_socket.cpython-311-x86_64-linux-gnu.so")
    with pytest.raises(oracle.OracleError, match="not from this interpreter's lib-dynload"):
        oracle.verify_c_module(impostor)


DIFFERENTIAL_SCENARIO = textwrap.dedent("""
    from differential import agree

    def test_a_family_agrees():
        assert agree(lambda m: m.AF_INET).value == 2

    def test_the_constant_is_seen_alike(impl, differential):
        differential.observe("AF_INET", int(impl.AF_INET))
""")


IMPL_SCENARIO = textwrap.dedent("""
    def test_the_constant_is_seen_alike(impl, differential):
        differential.observe("AF_INET", int(impl.AF_INET))
""")

PROJECT_SUITE = textwrap.dedent("""
    import socket

    def test_a_projects_own_test_sees_the_swapped_module():
        assert socket.__name__ == "sockimpl"
""")


def test_the_lab_suite_under_lab_run_impl_sockimpl_fails_instead_of_comparing_sockimpl_with_itself(tmp_path):
    (tmp_path / "test_scenario.py").write_text(IMPL_SCENARIO)
    assert pytest_in(tmp_path).returncode == 0
    done = pytest_in(tmp_path, lab_run_impl="sockimpl")
    assert done.returncode == USAGE_ERROR, done.stdout + done.stderr
    assert "no oracle: `socket` is 'sockimpl'" in done.stderr
    assert "LAB_SOCKET_IMPL=sockimpl" in done.stderr
    assert " passed" not in done.stdout


def test_a_differential_module_under_lab_run_impl_fails_at_its_import(tmp_path):
    (tmp_path / "test_scenario.py").write_text(DIFFERENTIAL_SCENARIO)
    assert pytest_in(tmp_path).returncode == 0
    done = pytest_in(tmp_path, lab_run_impl="sockimpl")
    assert done.returncode != 0
    assert "`socket` is 'sockimpl'" in done.stdout + done.stderr
    assert " passed" not in done.stdout


def test_a_suite_that_takes_no_stdlib_side_runs_under_lab_run_impl_with_the_plugin(tmp_path):
    """A project's own suite, where the plugin comes with the installed
    package, is what `socklab run --impl` is for: no oracle is needed."""
    (tmp_path / "test_project.py").write_text(PROJECT_SUITE)
    done = pytest_in(tmp_path, lab_run_impl="sockimpl")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "lab oracle: none" in done.stdout
    assert "1 passed" in done.stdout


def test_differential_py_refuses_to_import_where_socket_is_not_the_stdlib(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "lab", "run", "--backend", "host", "--impl", "sockimpl", "--",
         "python", "-c", f"import sys; sys.path.insert(0, {str(REPO / 'tests')!r}); import differential"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), str(REPO / "tests")])},
    )
    assert done.returncode != 0
    assert "OracleError: `socket` is 'sockimpl'" in done.stderr


def test_the_run_header_names_the_oracles_files(tmp_path):
    (tmp_path / "test_scenario.py").write_text(DIFFERENTIAL_SCENARIO)
    done = pytest_in(tmp_path)
    assert f"lab oracle: {oracle.origin()}" in done.stdout


def test_instruments_get_the_stdlib_even_where_a_run_swapped_socket(monkeypatch):
    monkeypatch.setitem(sys.modules, "socket", sockimpl)
    monkeypatch.delitem(sys.modules, "_lab_instrument_socket", raising=False)
    instrument = oracle.instrument_socket()
    assert instrument is not sockimpl
    assert sys.modules["_socket"].socket in instrument.socket.__mro__
    assert Path(instrument.__file__) == Path(sysconfig.get_path("stdlib")) / "socket.py"


PAIRS = textwrap.dedent("""
    import pytest

    def test_both_sides_observe(impl, differential):
        differential.observe("family", int(impl.AF_UNIX))

    def test_the_stdlib_side_skips(impl, differential):
        if impl.__name__ == "socket":
            pytest.skip("as a side that lacks something would")
        differential.observe("family", int(impl.AF_UNIX))

    def test_only_the_stdlib_observes_a_second_name(impl, differential):
        differential.observe("family", int(impl.AF_UNIX))
        if impl.__name__ == "socket":
            differential.observe("extra", 1)
""")


def test_an_observation_without_its_counterpart_fails_the_scenario(tmp_path):
    (tmp_path / "test_pairs.py").write_text(PAIRS)
    done = pytest_in(tmp_path, "-rA")
    assert done.returncode == 1, done.stdout
    assert "PASSED test_pairs.py::test_both_sides_observe[sockimpl]" in done.stdout
    assert "ERROR test_pairs.py::test_the_stdlib_side_skips[sockimpl]" in done.stdout
    assert "'family' observed by sockimpl only, never by stdlib" in done.stdout
    assert "ERROR test_pairs.py::test_only_the_stdlib_observes_a_second_name[sockimpl]" in done.stdout
    assert "'extra' observed by stdlib only, never by sockimpl" in done.stdout


def test_impl_of_one_side_only_fails_every_observing_scenario(tmp_path):
    (tmp_path / "test_pairs.py").write_text(PAIRS)
    done = pytest_in(tmp_path, "-rA", "--impl", "sockimpl", "-k", "both_sides")
    assert done.returncode == 1, done.stdout
    assert "never by stdlib" in done.stdout


SPLIT_BY_IMPLEMENTATION = textwrap.dedent("""
    import pytest

    def pytest_collection_modifyitems(items):
        # One xdist group per implementation: two groups on two workers
        # (--dist loadgroup gives each worker one group first).
        for item in items:
            item.add_marker(pytest.mark.xdist_group(item.callspec.params["impl"]))
""")

SPLIT_PAIR = textwrap.dedent("""
    import os

    def test_worker_and_value(impl, differential):
        differential.observe("worker", os.environ["PYTEST_XDIST_WORKER"] + ":" + impl.__name__)

    def test_same_value(impl, differential):
        differential.observe("family", int(impl.AF_UNIX))
""")


def test_a_pair_split_between_xdist_workers_is_compared_by_the_controller(tmp_path):
    pytest.importorskip("xdist", reason="needs pytest-xdist (`make lab-deps`)")
    (tmp_path / "conftest.py").write_text(SPLIT_BY_IMPLEMENTATION)
    (tmp_path / "test_split.py").write_text(SPLIT_PAIR)
    done = pytest_in(tmp_path, "-p", "xdist", "-n", "2", "--dist", "loadgroup")
    assert done.returncode == 1, done.stdout
    assert "'gw0:socket'" in done.stdout or "'gw1:socket'" in done.stdout
    assert "in two pytest-xdist workers" in done.stdout
    assert "family" not in done.stdout.split("observations without a counterpart")[1]
    assert "4 passed" in done.stdout


def test_xdist_workers_with_one_side_only_fail_at_the_controller(tmp_path):
    pytest.importorskip("xdist", reason="needs pytest-xdist (`make lab-deps`)")
    (tmp_path / "test_split.py").write_text(SPLIT_PAIR)
    done = pytest_in(tmp_path, "-p", "xdist", "-n", "2", "--impl", "sockimpl", "-k", "same_value")
    assert done.returncode == 1, done.stdout
    assert "'family' observed by sockimpl only, never by stdlib" in done.stdout
