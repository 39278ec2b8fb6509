"""A pytest plugin that refuses to run against the wrong sockimpl build.

The sanitizer and fuzzing scripts build sockimpl into a directory of their
own and put it first on sys.path; pytest's own path handling (the
project's `pythonpath` setting) could still put the uninstrumented
in-place build ahead of it.  With SOCKIMPL_BUILD_DIR set, the session
stops before the first test unless `sockimpl._sockimpl` comes from there.
"""

from __future__ import annotations

import os

import pytest


def pytest_sessionstart(session: pytest.Session) -> None:
    wanted = os.environ.get("SOCKIMPL_BUILD_DIR")
    if not wanted:
        return
    import sockimpl._sockimpl as extension

    if not os.path.realpath(extension.__file__).startswith(os.path.realpath(wanted) + os.sep):
        raise pytest.UsageError(
            f"sockimpl._sockimpl comes from {extension.__file__}, not from the build in {wanted}"
        )
