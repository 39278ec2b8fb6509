"""bpo-37013 (gh-81194): socket.if_indextoname() with an index that does
not fit a C unsigned long (the report: 2**64 - 1 and the like) returned
NULL without setting an exception: a SystemError, a "Fatal Python error"
in a debug build.  The report names no fixed version; 3.13.0 raises
OverflowError (found by running each interpreter here).
https://bugs.python.org/issue37013
"""

SCENARIO = {
    "reference": "bpo-37013",
    "title": "if_indextoname(2**64 - 1) returns NULL without an exception (SystemError)",
    "family": "AF_INET",
    "needs": [],
    "affected": {
        "text": "every version before 3.13 (the report: 3.8-3.11 open; 3.13.0 raises OverflowError)",
        "versions": [["3.0.0", "3.13.0"]],
    },
    "fixed": "if_indextoname(2**64 - 1) raises OverflowError (or OSError), never SystemError",
}


def run(socket, lab):
    lab.require(socket, "if_indextoname")
    try:
        name = socket.if_indextoname(2**64 - 1)
    except SystemError as exc:
        return lab.reproduced(f"SystemError: {exc}")
    except (OverflowError, OSError, ValueError) as exc:
        return lab.not_reproduced(f"{type(exc).__name__}: {exc}")
    return lab.reproduced(f"named an interface: {name!r}")
