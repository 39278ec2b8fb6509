"""gh-107545: setsockopt(level, option, 2**31) fails with a misleading
"TypeError: a bytes-like object is required, not 'int'": the int form's
overflow was taken as "not an int", and the buffer form's complaint
reported instead.  3.13.0 still says so here; the report's fix
(gh-107546) came later.
https://github.com/python/cpython/issues/107545
"""

SCENARIO = {
    "reference": "gh-107545",
    "title": "setsockopt() with an int too large for a C int says a bytes-like object is required",
    "family": "AF_INET",
    "needs": [],
    "affected": {
        "text": "every version here (3.13.0 included); the report's fix came after",
        "versions": [["3.0.0", None]],
    },
    "fixed": "the error for 2**31 names the int's range, not a missing bytes-like object",
}


def run(socket, lab):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 2**31)
        except (TypeError, OverflowError, ValueError) as exc:
            text = f"{type(exc).__name__}: {exc}"
            if "bytes-like" in str(exc):
                return lab.reproduced(text)
            return lab.not_reproduced(text)
    return lab.reproduced("2**31 was accepted as an int option value")
