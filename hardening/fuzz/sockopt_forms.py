"""setsockopt/getsockopt in every buffer form (int, bytes-like, None with
an optlen; getsockopt with and without buflen), on fresh sockets of each
module, compared with the stdlib.

Values read back are compared by type and length only: some options are
per-socket by nature (SO_COOKIE), so equal sockets need not read equal."""

from __future__ import annotations

import socket as stdlib_socket
from collections.abc import Callable
from typing import Any

import sockimpl

from .draw import Draw, describe, outcome, outside_c_int

S = stdlib_socket
SOCKETS = (
    (S.AF_INET, S.SOCK_STREAM),
    (S.AF_INET, S.SOCK_DGRAM),
    (S.AF_INET6, S.SOCK_STREAM),
    (S.AF_INET6, S.SOCK_DGRAM),
    (S.AF_UNIX, S.SOCK_STREAM),
    (S.AF_UNIX, S.SOCK_DGRAM),
)
LEVELS = (S.SOL_SOCKET, S.IPPROTO_IP, S.IPPROTO_IPV6, S.IPPROTO_TCP, S.IPPROTO_UDP, -1, 2**31)
# Options that change what the process can do, not just the socket.
REFUSED = {(S.SOL_SOCKET, getattr(S, "SO_BINDTODEVICE", 25))}


def _option_value(draw: Draw) -> tuple[Any, ...]:
    form = draw.below(5)
    if form == 0:
        return (draw.interesting_int(),)
    if form == 1:
        return (draw.blob(48),)
    if form == 2:
        return (bytearray(draw.blob(48)),)
    if form == 3:
        return (None, draw.interesting_int())
    return (draw.value(),)


def _readback(value: Any) -> Any:
    return type(value).__name__, len(value) if isinstance(value, bytes) else None


def _scenario(
    family: int,
    sock_type: int,
    level: int,
    name: int,
    setting: tuple[Any, ...] | None,
    buflen: tuple[Any, ...],
) -> Callable[[Any], Any]:
    def run(module: Any) -> Any:
        with module.socket(family, sock_type) as sock:
            if setting is not None:
                sock.setsockopt(level, name, *setting)
            return _readback(sock.getsockopt(level, name, *buflen))

    return run


def exercise(data: bytes) -> None:
    draw = Draw(data)
    family, sock_type = draw.choice(SOCKETS)
    level = draw.choice(LEVELS)
    name = draw.below(80) if draw.below(8) else draw.interesting_int()
    if (level, name) in REFUSED:
        return
    setting = _option_value(draw) if draw.flag() else None
    buflen = (
        () if draw.flag() else (draw.choice((0, 1, 4, 1024, -1, 2**31, draw.interesting_int())),)
    )
    run = _scenario(family, sock_type, level, name, setting, buflen)
    expected = outcome(run, stdlib_socket)
    actual = outcome(run, sockimpl)
    if actual[0] == "error" and outside_c_int(level, name, *(setting or ())[1:], *buflen):
        return  # deliberate: the stdlib masks an optlen ('I' format); sockimpl refuses it
    assert actual == expected, f"{describe(run)}: stdlib {expected}, sockimpl {actual}"
