"""gh-94821: since 3.9, `bind("")` on an AF_UNIX socket passes one byte of
path too many, so the kernel binds the fixed abstract name "\\0" instead of
autobinding a fresh one; the second socket to do so fails with EADDRINUSE.
https://github.com/python/cpython/issues/94821
"""

SCENARIO = {
    "reference": "gh-94821",
    "title": 'AF_UNIX bind("") binds a fixed abstract name, so a second autobind fails',
    "family": "AF_UNIX",
    "needs": [],
    "affected": {
        "text": "since bpo-44493 (3.9.6, 3.10.0) until the fix in 3.9.14 and 3.10.6",
        "versions": [["3.9.6", "3.9.14"], ["3.10.0", "3.10.6"]],
    },
    "fixed": 'each bind("") gets its own autobound name: b"\\0" and five hex digits',
}

AUTOBIND_NAME_LENGTH = 6  # "\0" then five characters of [0-9a-f] (unix(7))


def run(socket, lab):
    first = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    second = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    try:
        first.bind("")
        name = first.getsockname()
        try:
            second.bind("")
        except OSError as exc:
            return lab.reproduced(f"second bind(\"\") failed: {exc!r}; first name {name!r}")
        names = (name, second.getsockname())
    finally:
        first.close()
        second.close()
    print("autobound names:", names)
    if any(len(n) != AUTOBIND_NAME_LENGTH or n[:1] != b"\0" for n in names):
        return lab.reproduced(f"not autobound names: {names!r}")
    return lab.not_reproduced("autobound {!r} and {!r}".format(*names))
