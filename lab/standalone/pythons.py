"""Find the CPython interpreters the lab can use, by version.

Looks in pyenv's versions first (where this project's machines keep
3.10-3.13), then on PATH.  Used by the Makefile and by the lab itself;
standard library only, so it runs before anything is installed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path


def _pyenv_root() -> Path:
    env = os.environ.get("PYENV_ROOT")
    if env:
        return Path(env)
    try:
        out = subprocess.run(["pyenv", "root"], capture_output=True, text=True, check=True)
        return Path(out.stdout.strip())
    except (OSError, subprocess.CalledProcessError):
        return Path.home() / ".pyenv"


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(p) if p.isdigit() else -1 for p in name.split("."))


def find_python(version: str) -> Path | None:
    """The newest interpreter whose version starts with `version` ("3.11")."""
    versions = _pyenv_root() / "versions"
    if versions.is_dir():
        matches = [
            d for d in versions.iterdir()
            if (d.name == version or d.name.startswith(version + "."))
            and (d / "bin" / "python").exists()
        ]
        if matches:
            best = max(matches, key=lambda d: _version_key(d.name))
            return best / "bin" / "python"
    found = shutil.which(f"python{version}")
    return Path(found) if found else None


def available(minimum: tuple[int, int] = (3, 10)) -> dict[str, Path]:
    """Every interpreter of a supported minor version that can be found."""
    found = {}
    for minor in range(minimum[1], 20):
        version = f"{minimum[0]}.{minor}"
        path = find_python(version)
        if path is not None:
            found[version] = path
    return found


def main(argv: list[str]) -> int:
    if not argv:
        for version, path in available().items():
            print(f"{version}\t{path}")
        return 0
    path = find_python(argv[0])
    if path is None:
        print(
            f"no CPython {argv[0]} found: install it with `pyenv install {argv[0]}` "
            f"or put python{argv[0]} on PATH",
            file=sys.stderr,
        )
        return 1
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
