"""bpo-28134: socket.socket(fileno=fd) took family and type from its
defaults (AF_INET, SOCK_STREAM) instead of the descriptor, so a socket
made from an AF_INET6 datagram descriptor called itself AF_INET/stream
and mis-parsed its own addresses.  Fixed in 3.7 by asking the kernel
(SO_DOMAIN, SO_TYPE, SO_PROTOCOL).
https://bugs.python.org/issue28134
"""

import os

SCENARIO = {
    "reference": "bpo-28134",
    "title": "socket(fileno=fd) ignores the descriptor's family and type",
    "family": "AF_INET6",
    "needs": [],
    "affected": {
        "text": "before the fix in 3.7.0",
        "versions": [["3.0.0", "3.7.0"]],
    },
    "fixed": "socket(fileno=fd) of an AF_INET6 datagram socket reports AF_INET6 and SOCK_DGRAM, and its own address",
}


def run(socket, lab):
    original = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    try:
        original.bind(("::1", 0))
        adopted = socket.socket(fileno=os.dup(original.fileno()))
        try:
            seen = (int(adopted.family), int(adopted.type), adopted.getsockname()[:2])
        finally:
            adopted.close()
        expected = (int(socket.AF_INET6), int(socket.SOCK_DGRAM), original.getsockname()[:2])
    finally:
        original.close()
    if seen != expected:
        return lab.reproduced(f"adopted as family {seen[0]}, type {seen[1]}, address {seen[2]!r}; the descriptor is {expected!r}")
    return lab.not_reproduced("family {}, type {}, address {!r}".format(*seen))
