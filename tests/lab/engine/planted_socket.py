"""A drop-in that differs from the stdlib in one known way, planted for the
engine's own tests: `recv(0)` answers b"planted" instead of b""."""

import socket as _stdlib
from socket import *  # noqa: F403 - a drop-in offers every name


class socket(_stdlib.socket):  # noqa: N801 - the name a drop-in must have
    def recv(self, bufsize, flags=0):
        return b"planted" if bufsize == 0 else super().recv(bufsize, flags)
