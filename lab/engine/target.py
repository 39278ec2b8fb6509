"""The implementation under test, named by the user: `sockimpl` unless
SOCKLAB_ENGINE_IMPL (or `python -m lab.engine --impl`) names another
drop-in for `socket`, such as `gevent.socket`."""

from __future__ import annotations

import importlib
import os
from types import ModuleType

DEFAULT = "sockimpl"
ENV = "SOCKLAB_ENGINE_IMPL"


def target_name() -> str:
    return os.environ.get(ENV) or DEFAULT


def load(name: str) -> ModuleType:
    """The module `name`; "stdlib" is the interpreter's own `socket`."""
    return importlib.import_module("socket" if name == "stdlib" else name)
