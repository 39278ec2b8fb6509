"""A drop-in that differs from the stdlib on the wire alone, planted for the
engine's own tests: its `sendto` on an IPv4 datagram socket returns the
count the stdlib's does and sends nothing, so no later frame of its world
ever matches the oracle's."""

import socket as _stdlib
from socket import *  # noqa: F403 - a drop-in offers every name


class socket(_stdlib.socket):  # noqa: N801 - the name a drop-in must have
    def sendto(self, data, *rest):
        if self.family == AF_INET and self.type == SOCK_DGRAM:  # noqa: F405
            if self.getsockname()[1] == 0:
                self.bind(("0.0.0.0", 0))  # the port a send would have bound
            return len(data)
        return super().sendto(data, *rest)
