"""gh-143988 (a sibling of gh-143637): sendmsg()'s data buffers and
recvmsg_into()'s buffers were read straight out of the caller's list; a
buffer whose `__buffer__` (PEP 688, Python 3.12) clears the list left the
call reading the freed item array: a segfault in the report's reproducer.
Fixed by reading a tuple copy (merged June 2026 for 3.13 onwards); older
interpreters have no `__buffer__` hook, so their rows are n/a.
https://github.com/python/cpython/issues/143988
"""

import sys

SCENARIO = {
    "reference": "gh-143988",
    "title": "sendmsg()/recvmsg_into() read freed memory when a buffer's __buffer__ clears the list",
    "family": "AF_UNIX",
    "needs": [],
    "affected": {
        "text": "3.12 (the __buffer__ protocol) until the June 2026 fix; the report's reproducer is a crash",
        "versions": [["3.12.0", None]],
    },
    "fixed": "sendmsg() sends every buffer and recvmsg_into() fills every buffer, as listed when the call began",
}


class ClearingBuffer:
    def __init__(self, data, into):
        self.data, self.into, self.cleared = data, into, False

    def __buffer__(self, flags):
        if not self.cleared:
            self.cleared = True
            del self.into[:]
        return memoryview(self.data)


def run(socket, lab):
    if sys.version_info < (3, 12):
        lab.not_applicable("no __buffer__ protocol before 3.12 (PEP 688)")
    left, right = socket.socketpair()
    try:
        buffers = []
        buffers[:] = [ClearingBuffer(bytearray(b"Hello"), buffers), b"World", b"!"]
        print("sendmsg() with a buffer that clears the list", flush=True)
        sent = left.sendmsg(buffers)  # the report's crash, if any, is here
        got = right.recv(64)
        first, second = bytearray(5), bytearray(6)
        targets = []
        targets[:] = [ClearingBuffer(first, targets), second]
        left.sendall(b"HelloWorld!")
        print("recvmsg_into() with a buffer that clears the list", flush=True)
        filled = right.recvmsg_into(targets)[0]
    finally:
        left.close()
        right.close()
    if (sent, got) != (11, b"HelloWorld!") or (filled, first, second) != (11, bytearray(b"Hello"), bytearray(b"World!")):
        return lab.reproduced(f"sent {sent} {got!r}; filled {filled} into {first!r} {second!r}")
    return lab.not_reproduced("every buffer sent and filled as listed")
