"""Put on PYTHONPATH by `lab run --impl MODULE`: every Python process of the
command's tree then gets MODULE when it imports `socket`.

`LAB_SOCKET_IMPL` names the module ("stdlib" or unset leaves `socket`
alone).  The module replaces `socket` in `sys.modules` before any user code
runs, so `import socket` and `from socket import x` both see it.  A module
that cannot be imported ends the process with a clear message: a run that
silently fell back to the stdlib would report a result it did not test.

Any other `sitecustomize` further along the path (a venv's, a distro's)
still runs afterwards: this one only steps aside for it.
"""

from __future__ import annotations

import importlib
import os
import sys

HOOK_DIR = os.path.dirname(os.path.abspath(__file__))
STDLIB = "stdlib"
FAILED_STATUS = 3


def _swap_socket_module(name: str) -> None:
    try:
        replacement = importlib.import_module(name)
    except Exception as error:  # noqa: BLE001 - any failure must stop the run
        sys.stderr.write(f"lab run: --impl {name}: cannot import {name}: {error!r}\n")
        sys.stderr.flush()
        # sys.exit would be swallowed by `site` as a failed sitecustomize.
        os._exit(FAILED_STATUS)
    sys.modules["socket"] = replacement


def _run_next_sitecustomize() -> None:
    """Import the `sitecustomize` this file shadows, if there is one."""
    ours = sys.modules.pop("sitecustomize", None)
    saved_path = list(sys.path)
    sys.path[:] = [entry for entry in sys.path if os.path.abspath(entry or ".") != HOOK_DIR]
    try:
        importlib.import_module("sitecustomize")
    except ImportError as error:
        if error.name != "sitecustomize":
            raise
    finally:
        sys.path[:] = saved_path
        if ours is not None and "sitecustomize" not in sys.modules:
            sys.modules["sitecustomize"] = ours


def _install() -> None:
    name = os.environ.get("LAB_SOCKET_IMPL", STDLIB)
    if name not in ("", STDLIB, "socket"):
        _swap_socket_module(name)
    _run_next_sitecustomize()


_install()
