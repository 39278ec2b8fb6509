"""Where the lab's files are: one definition of each path.

The lab finds its own files (scenarios, container recipes, the scripts that
run by path under any interpreter) beside its modules, so an installed lab
works wherever pip put it; a checkout of the repository adds its test
suites and in-place builds, which an installed lab does not have.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
# The folder that holds `lab` (and `sockimpl`): site-packages, or a checkout.
IMPORT_ROOT = PACKAGE.parent
STANDALONE = PACKAGE / "standalone"
IMPL_HOOK = STANDALONE / "impl_hook"
REPRO_CHILD = STANDALONE / "repro_child.py"
SCENARIOS = PACKAGE / "repro" / "scenarios"
# Container recipes: `containers/` of the checkout, shipped as package data.
CONTAINERS = PACKAGE / "containers"
# Relative on purpose: a run's artifacts belong to the directory it ran in.
ARTIFACTS = Path("lab-artifacts")
CACHE_DIR = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "socklab"


def checkout() -> Path | None:
    """The repository this lab runs from, when it is a checkout (it then has
    the lab's own tests and the in-place sockimpl builds); None when installed."""
    root = IMPORT_ROOT
    return root if (root / "tests" / "lab").is_dir() and (root / "setup.py").is_file() else None


CHECKOUT = checkout()


def import_path() -> str:
    """PYTHONPATH for a child that imports the lab and sockimpl from here
    (and, in a checkout, the helpers of the repository's own tests)."""
    entries = [IMPORT_ROOT] + ([CHECKOUT / "tests"] if CHECKOUT else [])
    return os.pathsep.join(str(entry) for entry in entries)
