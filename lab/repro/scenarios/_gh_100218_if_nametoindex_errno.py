"""gh-100218: socket.if_nametoindex() and if_indextoname() raised OSError
with errno None ("no interface with this name") instead of the libc's
errno (ENODEV), so callers could not tell why.  Fixed in November 2025
(GH-140905, backported to 3.13); every interpreter here predates it.

Parked (the leading `_` keeps it out of the catalogue): sockimpl raises
the same errno-less OSError as the stdlib it mirrors, and tests/test_inet.py
holds it to that; see the kernels branch's report.
https://github.com/python/cpython/issues/100218
"""

SCENARIO = {
    "reference": "gh-100218",
    "title": "if_nametoindex() of an unknown name raises OSError with errno None",
    "family": "AF_INET",
    "needs": [],
    "affected": {
        "text": "every version until the November 2025 fix (GH-140905; 3.13 backport)",
        "versions": [["3.3.0", None]],
    },
    "fixed": "if_nametoindex('slabnope0') raises OSError with errno ENODEV",
}


def run(socket, lab):
    try:
        index = socket.if_nametoindex("slabnope0")
    except OSError as exc:
        if exc.errno is None:
            return lab.reproduced(f"OSError without errno: {exc!r}")
        return lab.not_reproduced(f"OSError errno {exc.errno}: {exc}")
    return lab.reproduced(f"an index for a name that does not exist: {index}")
