"""Child Python processes that import the same sockimpl build as this one.

A test that starts `python -c ...` must not let the child find another
build.  The working directory comes first on a child's sys.path, so a child
started in the repository imports its in-place build -- or, where
`make build` has not run, the bare source folder -- ahead of the sanitized
build that hardening/asan.sh puts first on PYTHONPATH and names in
SOCKIMPL_BUILD_DIR.  A child runs in the directory this process imported
sockimpl from, with that directory first on PYTHONPATH too, and a child
that imports sockimpl checks where it came from.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import sockimpl

# Where this process found the sockimpl package: the repository for the
# in-place build, hardening/build/... for a sanitized one.
SOCKIMPL_HOME = Path(sockimpl.__file__).resolve().parent.parent

# Prepended to a child's program that imports sockimpl: in a sanitized run
# the child stops unless the extension is the sanitized build.
BUILD_CHECK = """\
import os as _os, sockimpl._sockimpl as _extension
_wanted = _os.environ.get("SOCKIMPL_BUILD_DIR")
if _wanted and not _os.path.realpath(_extension.__file__).startswith(
        _os.path.realpath(_wanted) + _os.sep):
    raise SystemExit(f"child imported {_extension.__file__}, not the build in {_wanted}")
del _os, _extension, _wanted
"""


def child_environment() -> dict[str, str]:
    env = dict(os.environ)
    inherited = env.get("PYTHONPATH")
    env["PYTHONPATH"] = os.pathsep.join([str(SOCKIMPL_HOME), *([inherited] if inherited else [])])
    return env


def run_python(
    python: str | Path, source: str, *, imports_sockimpl: bool, **kwargs: Any
) -> subprocess.CompletedProcess[str]:
    """`python -c source` as a child of this process's sockimpl build."""
    program = BUILD_CHECK + source if imports_sockimpl else source
    return subprocess.run(
        [str(python), "-c", program],
        cwd=SOCKIMPL_HOME,
        env=child_environment(),
        capture_output=True,
        text=True,
        check=False,
        **kwargs,
    )
