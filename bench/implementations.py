"""The two implementations under test, by name, as their users import them."""

from __future__ import annotations

import importlib
from types import ModuleType

# The stdlib's high-level module against sockimpl's: what `import socket`
# and `import sockimpl as socket` give a user.
MODULES = {"stdlib": "socket", "sockimpl": "sockimpl"}
NAMES = list(MODULES)


def load(name: str) -> tuple[ModuleType | None, str]:
    """The module called `name` here, or None and why it cannot be imported."""
    try:
        return importlib.import_module(MODULES[name]), ""
    except Exception as error:  # noqa: BLE001 - a broken build is reported, not fatal
        return None, f"import {MODULES[name]} failed: {type(error).__name__}: {error}"
