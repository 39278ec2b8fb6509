"""The user's settings for socklab: the `[tool.socklab]` table of the
`pyproject.toml` of a project (`needs`, `impl`, `kernel`, ...), read by
`socklab run` and by the pytest plugin."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # the stdlib has no TOML reader before 3.11; socklab depends on tomli there
    import tomli as tomllib


def pyproject_table(directory: Path) -> dict[str, Any]:
    """`[tool.socklab]` of `directory/pyproject.toml`; {} when there is none."""
    path = directory / "pyproject.toml"
    if not path.is_file():
        return {}
    with open(path, "rb") as source:
        return tomllib.load(source).get("tool", {}).get("socklab", {})
