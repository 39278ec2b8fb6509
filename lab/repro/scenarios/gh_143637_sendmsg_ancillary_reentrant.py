"""gh-143637: sendmsg() parsed its ancillary data straight out of the
caller's list; an item whose level converts through Python code
(`__index__`, `__int__` before 3.10) that clears the list left the parser
reading the list's freed item array: a heap out-of-bounds read, a
segfault here.  The fix (January-February 2026) holds the items while it
parses them; every interpreter here predates it.  Needs no sanitizer on
this machine's glibc: the stdlib child dies of SIGSEGV.
https://github.com/python/cpython/issues/143637
"""

import array
import os

SCENARIO = {
    "reference": "gh-143637",
    "title": "sendmsg() reads freed memory when an ancillary item's __index__ clears the list",
    "family": "AF_UNIX",
    "needs": [],
    "affected": {
        "text": "every version with sendmsg() (3.3) until the 2026 fix; the report's reproducer is a crash",
        "versions": [["3.3.0", None]],
    },
    "fixed": "sendmsg() sends both SCM_RIGHTS items as given (the peer receives two descriptors), no crash",
}


def run(socket, lab):
    lab.require(socket, "SCM_RIGHTS", "CMSG_SPACE")
    left, right = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
    pipes = [os.pipe(), os.pipe()]
    control = []

    class ClearingLevel:
        def __index__(self):
            del control[:]
            return socket.SOL_SOCKET

        __int__ = __index__  # 3.6-3.9 convert the level through __int__

    control[:] = [(ClearingLevel(), socket.SCM_RIGHTS, array.array("i", [pipes[0][0]]).tobytes()),
                  (socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", [pipes[1][0]]).tobytes())]
    try:
        print("sendmsg() with a level that clears the ancillary list", flush=True)
        try:
            left.sendmsg([b"x"], control)  # the report's crash, if any, is here
        except (TypeError, ValueError, OSError) as exc:
            return lab.not_reproduced(f"refused cleanly: {exc!r}")
        data, ancdata, _, _ = right.recvmsg(8, socket.CMSG_SPACE(64))
        fds = array.array("i")
        for _level, _kind, payload in ancdata:
            fds.frombytes(payload[:len(payload) - len(payload) % fds.itemsize])
        for fd in fds:
            os.close(fd)
    finally:
        left.close()
        right.close()
        for read_end, write_end in pipes:
            os.close(read_end)
            os.close(write_end)
    if len(fds) != 2:
        return lab.reproduced(f"the peer got {len(fds)} descriptor(s) instead of 2: ancillary data read after the list was cleared")
    return lab.not_reproduced(f"both descriptors arrived ({data!r})")
