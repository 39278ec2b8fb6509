"""The oracle: this interpreter's own stdlib `socket` over its own `_socket`.

Every differential comparison in the lab takes its "stdlib" side from here.
`stdlib_socket()` returns the `socket` module the process imported, after
checking where it and `_socket` were loaded from; a module object that is
not the stdlib's (`lab run --impl sockimpl` and its import hook put sockimpl
in `sys.modules["socket"]`) raises `OracleError` instead of letting a run
compare sockimpl with itself and call that agreement.

`instrument_socket()` is for the lab's own instruments (a CAN trace, a
python-can peer), which must not depend on the implementation under test
even when a run swapped it: a private copy of the stdlib's `socket.py` over
the verified `_socket`.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from lab.capabilities import CAPABILITIES
from lab.paths import IMPORT_ROOT

# Where `make oracle-python` builds sockimpl for that interpreter.
ORACLE_PYTHON_BUILD = IMPORT_ROOT / "build" / "oracle-python" / "lib"

# Set by `lab run --impl` for every process of its command (see
# lab/standalone/impl_hook/sitecustomize.py); named in the error.
SWAP_VARIABLE = "LAB_SOCKET_IMPL"
_INSTRUMENT_NAME = "_lab_instrument_socket"


class OracleError(RuntimeError):
    """The process's `socket` is not the interpreter's stdlib module."""


@dataclass(frozen=True)
class Origin:
    """Where the oracle's two modules were loaded from."""

    socket_file: str
    c_module: str  # "built in" or the extension's path

    def __str__(self) -> str:
        version = ".".join(map(str, sys.version_info[:3]))
        return f"CPython {version} stdlib socket ({self.socket_file}) over _socket ({self.c_module})"


def _stdlib_dir() -> Path:
    return Path(sysconfig.get_path("stdlib")).resolve()


def _extension_dirs() -> set[Path]:
    found = {_stdlib_dir() / "lib-dynload"}
    shared = sysconfig.get_config_var("DESTSHARED")
    if shared:
        found.add(Path(shared).resolve())
    return found


def _file_of(module: ModuleType) -> str | None:
    spec = getattr(module, "__spec__", None)
    origin = getattr(spec, "origin", None) or getattr(module, "__file__", None)
    return origin if origin and os.path.isabs(origin) else None


def _swap_note() -> str:
    swapped = os.environ.get(SWAP_VARIABLE, "")
    if swapped and swapped not in ("stdlib", "socket"):
        return (f" ({SWAP_VARIABLE}={swapped}: `lab run --impl {swapped}` swapped it; a differential "
                "run must not be run under `lab run --impl`, it compares both implementations itself)")
    return ""


def verify_c_module(c_module: ModuleType) -> str:
    """Where `_socket` came from ("built in" or its path), if from this
    interpreter's stdlib; else `OracleError`."""
    if c_module.__name__ != "_socket":
        raise OracleError(f"_socket is {c_module.__name__!r}, not the interpreter's own _socket")
    if "_socket" in sys.builtin_module_names and _file_of(c_module) is None:
        return "built in"
    path = _file_of(c_module)
    if path is None or Path(path).resolve().parent not in _extension_dirs():
        raise OracleError(f"_socket was loaded from {path or 'nowhere known'}, not from this interpreter's "
                          f"lib-dynload ({', '.join(map(str, sorted(_extension_dirs())))})")
    return path


def verify(module: ModuleType, c_module: ModuleType | None) -> Origin:
    """The origin of `module` as the oracle, or `OracleError` saying why
    it is not this interpreter's stdlib `socket` over its own `_socket`."""
    expected = _stdlib_dir() / "socket.py"
    path = _file_of(module)
    if module.__name__ != "socket" or path is None or Path(path).resolve() != expected:
        raise OracleError(
            f"`socket` is {module.__name__!r} from {path or 'nowhere known'}, not the stdlib's {expected}"
            + _swap_note()
        )
    if c_module is None:
        raise OracleError("the stdlib socket module is loaded but _socket is not")
    where = verify_c_module(c_module)
    if getattr(module, "_socket", None) is not c_module or c_module.socket not in module.socket.__mro__:
        raise OracleError("the stdlib `socket` module is not built on the loaded _socket "
                          "(its `socket` class or its `_socket` was replaced)")
    return Origin(str(expected), where)


def origin() -> Origin:
    """Check the process's `socket` (importing it if need be) as the oracle."""
    # At call time, not at the lab's import: what `socket` is now is the question.
    importlib.import_module("socket")
    return verify(sys.modules["socket"], sys.modules.get("_socket"))


def stdlib_socket() -> ModuleType:
    """The verified oracle: this interpreter's stdlib `socket` module."""
    origin()
    return sys.modules["socket"]


def instrument_socket() -> ModuleType:
    """The stdlib's `socket` for the lab's instruments, whatever `sys.modules`
    holds: the process's own when it is the stdlib's, else a private copy of
    the stdlib's `socket.py` over the verified `_socket`."""
    try:
        return stdlib_socket()
    except OracleError:
        pass
    cached = sys.modules.get(_INSTRUMENT_NAME)
    if cached is not None:
        return cached
    c_module = importlib.import_module("_socket")
    verify_c_module(c_module)
    spec = importlib.util.spec_from_file_location(_INSTRUMENT_NAME, _stdlib_dir() / "socket.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[_INSTRUMENT_NAME] = module
    spec.loader.exec_module(module)
    return module


# --- an interpreter whose stdlib has what this one's lacks ---------------------

# Debian's own interpreter was built with the BlueZ headers, pyenv's were not:
# where this interpreter's stdlib has no AF_BLUETOOTH, the Bluetooth tests
# run a second time under that one, against a sockimpl built for it.
ORACLE_PYTHON_VARIABLE = "LAB_ORACLE_PYTHON"
DEFAULT_ORACLE_PYTHON = "/usr/bin/python3"


def lacks_family(family: str) -> str | None:
    """The `AF_*` constant of lab family `family` (a capability name such as
    "bluetooth") that this interpreter's stdlib lacks, else None."""
    capability = CAPABILITIES.get(family)
    if capability is None or capability.kind != "family" or not capability.describe.startswith("AF_"):
        return None
    constant = capability.describe.split()[0]
    return None if hasattr(stdlib_socket(), constant) else constant


@dataclass(frozen=True)
class OraclePython:
    """Another interpreter, whose stdlib is the oracle for what this one's lacks."""

    path: str
    build: Path  # the sockimpl package built for it (`make oracle-python`)

    def environment(self) -> dict[str, str]:
        """For its pytest: its own sockimpl build first, then the lab; the
        build guard refuses any other sockimpl."""
        return {"PYTHONPATH": os.pathsep.join([str(self.build), str(IMPORT_ROOT)]),
                "SOCKIMPL_BUILD_DIR": str(self.build)}

    def pytest_argv(self) -> list[str]:
        # -P and pythonpath=tests keep the checkout's in-place build (made
        # for another interpreter) off the path; hardening.build_guard checks.
        return [self.path, "-P", "-m", "pytest", "-o", "pythonpath=tests", "-p", "hardening.build_guard"]


def oracle_python(constants: list[str]) -> tuple[OraclePython | None, str]:
    """The interpreter named by $LAB_ORACLE_PYTHON (default Debian's
    /usr/bin/python3) when its stdlib has every one of `constants` and
    sockimpl and pytest are there for it; else (None, why not)."""
    path = os.environ.get(ORACLE_PYTHON_VARIABLE, DEFAULT_ORACLE_PYTHON)
    build = ORACLE_PYTHON_BUILD
    probe = ("import socket, sys, pytest; sys.stdout.write('%d%d ' % sys.version_info[:2]); "
             f"sys.stdout.write(' '.join(n for n in {constants!r} if not hasattr(socket, n)))")
    try:
        done = subprocess.run([path, "-P", "-c", probe], capture_output=True, text=True, timeout=60, check=False)
    except OSError as exc:
        return None, f"{path} does not run ({exc})"
    if done.returncode != 0:
        return None, f"{path} has no pytest ({done.stderr.strip().splitlines()[-1:]}): run `make oracle-python`"
    version, _, lacking = done.stdout.partition(" ")
    if lacking:
        return None, f"{path}'s stdlib lacks {lacking} too"
    if not list((build / "sockimpl").glob(f"_sockimpl.cpython-{version}-*.so")):
        return None, f"no sockimpl built for {path} in {build}: run `make oracle-python`"
    return OraclePython(path, build), ""
