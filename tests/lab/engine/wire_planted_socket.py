"""A drop-in that differs from the stdlib on the wire alone, planted for the
engine's own tests: its IPv4 sockets send with a TTL of 2.  Every call
returns what the stdlib's does (the sequence never reads IP_TTL), so only
the frames show it."""

import socket as _stdlib
from socket import *  # noqa: F403 - a drop-in offers every name

PLANTED_TTL = 2


class socket(_stdlib.socket):  # noqa: N801 - the name a drop-in must have
    def __init__(self, family=-1, type=-1, proto=-1, fileno=None):  # noqa: A002 - the stdlib's names
        super().__init__(family, type, proto, fileno)
        if fileno is None and self.family == AF_INET:  # noqa: F405
            self.setsockopt(IPPROTO_IP, IP_TTL, PLANTED_TTL)  # noqa: F405
