"""One cell of a `lab repro` matrix, in a child interpreter of its own:
`python lab/repro_child.py SCENARIO.py IMPL RESULT.json`.

Run by file path, not as `-m lab.standalone.repro_child`, and written for every
CPython pyenv may hold (3.6 onwards: no `from __future__ import
annotations`, no dataclasses), because the stdlib column of the matrix
covers interpreters that sockimpl itself does not support.

The scenario's `run(socket, lab)` gets the implementation under test as
`socket` and a `Lab` as `lab`; it returns `lab.reproduced(...)` or
`lab.not_reproduced(...)`, or calls `lab.require(...)` to bow out of a cell
that cannot run ("n/a").  The verdict goes to RESULT.json; anything the
scenario prints stays in the child's own output, which the parent keeps.
A crash or a hang leaves no RESULT.json: the parent reads the exit signal
or its own timeout instead.
"""

import ctypes
import importlib
import importlib.util
import json
import os
import sys
import traceback

# The script's own folder (lab/) is sys.path[0]; nothing there belongs on
# the path of the implementation under test.
if sys.path and os.path.abspath(sys.path[0]) == os.path.dirname(os.path.abspath(__file__)):
    del sys.path[0]

CLONE_NEWNET = 0x40000000
REPRODUCED = "reproduced"
NOT_REPRODUCED = "not reproduced"
NOT_APPLICABLE = "n/a"


class NotApplicable(Exception):
    """The cell cannot run here: a constant or a kernel feature is absent.
    `stdlib_has`: the missing names this interpreter's own stdlib has (a
    name sockimpl lacks where the stdlib has it is sockimpl's fault)."""

    def __init__(self, detail, stdlib_has=()):
        Exception.__init__(self, detail)
        self.stdlib_has = list(stdlib_has)


class Lab:
    """What the parent prepared for the scenario, and the verdict helpers."""

    def __init__(self, environ):
        self.interface = environ.get("LAB_REPRO_INTERFACE", "")
        self.namespace = environ.get("LAB_REPRO_NETNS", "")
        self.port = int(environ.get("LAB_REPRO_PORT", "0") or 0)

    @staticmethod
    def reproduced(detail):
        return (REPRODUCED, str(detail))

    @staticmethod
    def not_reproduced(detail):
        return (NOT_REPRODUCED, str(detail))

    @staticmethod
    def require(module, *names):
        """Every name must be an attribute of `module` (the socket module
        under test), else the cell is "n/a: NAME missing from this stdlib"."""
        lacking = [name for name in names if not hasattr(module, name)]
        if not lacking:
            return
        flavour = _flavour(module)
        stdlib_has = []
        if flavour != "stdlib":
            # Run without `site` and without the lab's import hook: `socket`
            # here is this interpreter's own.
            stdlib = importlib.import_module("socket")
            stdlib_has = [name for name in lacking if hasattr(stdlib, name)]
        raise NotApplicable("{} missing from this {}".format(", ".join(lacking), flavour), stdlib_has)

    @staticmethod
    def not_applicable(detail):
        raise NotApplicable(str(detail))


def _flavour(module):
    return "sockimpl" if module.__name__.startswith("sockimpl") else "stdlib"


def enter_namespace(path):
    """Move this process into the network namespace at `path` before the
    implementation is imported, so every socket it makes lives there."""
    libc = ctypes.CDLL(None, use_errno=True)
    fd = os.open(path, os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET) != 0:
            err = ctypes.get_errno()
            raise OSError(err, f"setns {path}: {os.strerror(err)}")
    finally:
        os.close(fd)


def load_scenario(path):
    spec = importlib.util.spec_from_file_location("lab_repro_scenario", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_cell(scenario_path, implementation):
    lab = Lab(os.environ)
    if lab.namespace:
        enter_namespace(lab.namespace)
    socket_module = importlib.import_module(implementation)
    scenario = load_scenario(scenario_path)
    try:
        verdict, detail = scenario.run(socket_module, lab)
    except NotApplicable as exc:
        return {"verdict": NOT_APPLICABLE, "detail": str(exc), "stdlib_has": exc.stdlib_has}
    except Exception as exc:  # noqa: BLE001 - the scenario's own failure, reported
        traceback.print_exc()
        return {"verdict": "error", "detail": f"{type(exc).__name__}: {exc}"}
    return {"verdict": verdict, "detail": detail}


def main(argv):
    scenario_path, implementation, result_path = argv
    result = run_cell(scenario_path, implementation)
    sys.stdout.flush()
    with open(result_path, "w") as out:
        json.dump(result, out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
