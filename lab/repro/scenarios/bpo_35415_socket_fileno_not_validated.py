"""bpo-35415: socket.socket(family, type, proto, fileno=fd) took any
descriptor, a regular file's too, and made a socket object of it; the
error came only at the first socket call.  3.8 checks the descriptor
(fstat: ENOTSOCK).  3.7's auto-detection (bpo-28134) hides it unless
family, type and proto are all given, as here.
https://bugs.python.org/issue35415
"""

import errno
import tempfile

SCENARIO = {
    "reference": "bpo-35415",
    "title": "socket(AF_INET, SOCK_STREAM, 0, fileno=fd) accepts a regular file's descriptor",
    "family": "AF_INET",
    "needs": [],
    "affected": {
        "text": "before the fix in 3.8.0 (the report's version)",
        "versions": [["3.0.0", "3.8.0"]],
    },
    "fixed": "the constructor refuses the file's descriptor with OSError ENOTSOCK",
}


def run(socket, lab):
    with tempfile.TemporaryFile() as regular:
        try:
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 0, fileno=regular.fileno())
        except OSError as exc:
            if exc.errno == errno.ENOTSOCK:
                return lab.not_reproduced(f"refused: {exc}")
            return lab.reproduced(f"refused, but not with ENOTSOCK: {exc!r}")
        sock.detach()  # the descriptor is the file's: do not close it twice
    return lab.reproduced(f"a socket object over a regular file's descriptor: {sock!r}")
