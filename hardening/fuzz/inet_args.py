"""inet_pton/inet_ntop/inet_aton/inet_ntoa and getaddrinfo/getnameinfo
argument handling, compared with the stdlib on every input.

No DNS: getaddrinfo always gets AI_NUMERICHOST and getnameinfo
NI_NUMERICHOST | NI_NUMERICSERV, so no name ever leaves for the resolver
(`make fuzz` also runs in a network namespace with only loopback)."""

from __future__ import annotations

import socket as stdlib_socket
from collections.abc import Callable
from typing import Any

import sockimpl

from .draw import Draw, describe, numeric_only, outcome

S = stdlib_socket
FAMILIES = (S.AF_INET, S.AF_INET6, S.AF_UNSPEC, S.AF_UNIX, -1, 2**31)


def _has_nul(value: Any) -> bool:
    return (
        isinstance(value, (str, bytes, bytearray))
        and ("\0" if isinstance(value, str) else b"\0") in value
    )


def _deliberate(call: Callable[[Any], Any], actual: tuple[Any, ...]) -> bool:
    """README's deliberate differences: getnameinfo refuses ports outside
    0-65535 and flowinfo/scope_id past 32 bits (the stdlib wraps them);
    getaddrinfo refuses int ports outside 0-65535 (gh-74895)."""
    captured = dict(
        zip(call.__code__.co_freevars, (c.cell_contents for c in call.__closure__ or ()))
    )
    if actual[0] == "error" and any(_has_nul(captured.get(k)) for k in ("host", "port")):
        return True  # README: NULs in getaddrinfo hosts and ports are refused
    if actual[:2] not in (("error", "OverflowError"), ("error", "gaierror")):
        return False
    sockaddr = captured.get("sockaddr")
    if isinstance(sockaddr, tuple) and len(sockaddr) >= 2:
        port, *rest = sockaddr[1:]
        if isinstance(port, int) and not 0 <= port <= 65535:
            return True
        if any(isinstance(v, int) and not 0 <= v < 2**32 for v in rest):
            return True
    port = captured.get("port")
    return isinstance(port, int) and not isinstance(port, bool) and not 0 <= port <= 65535


def _agree(call: Callable[[Any], Any]) -> None:
    expected = outcome(call, stdlib_socket)
    actual = outcome(call, sockimpl)
    if _deliberate(call, actual):
        return
    assert actual == expected, f"{describe(call)}: stdlib {expected}, sockimpl {actual}"


def _text_or_other(draw: Draw) -> Any:
    if draw.below(8) == 0:
        return draw.value()
    alphabet = "0123456789abcdefx.:%[] \0"
    return "".join(draw.choice(alphabet) for _ in range(draw.below(48)))


def _inet_call(draw: Draw) -> Callable[[Any], Any]:
    family = draw.choice(FAMILIES)
    which = draw.below(4)
    if which == 0:
        text = _text_or_other(draw)
        return lambda m: m.inet_pton(family, text)
    if which == 1:
        packed = draw.blob(20) if draw.below(8) else draw.value()
        return lambda m: m.inet_ntop(family, packed)
    if which == 2:
        text = _text_or_other(draw)
        return lambda m: m.inet_aton(text)
    packed = draw.blob(6) if draw.below(8) else draw.value()
    return lambda m: m.inet_ntoa(packed)


def _getaddrinfo_call(draw: Draw) -> Callable[[Any], Any]:
    host = numeric_only(_text_or_other(draw)) if draw.below(6) else None
    port = draw.choice((None, 0, 80, "80", "http", -1, 65536, b"22", draw.value()))
    family = draw.choice(FAMILIES)
    sock_type = draw.choice((0, S.SOCK_STREAM, S.SOCK_DGRAM, S.SOCK_RAW, -1))
    proto = draw.choice((0, 6, 17, -1))
    flags = (
        draw.choice((0, S.AI_PASSIVE, S.AI_CANONNAME, S.AI_V4MAPPED | S.AI_ALL)) | S.AI_NUMERICHOST
    )
    return lambda m: m.getaddrinfo(host, port, family, sock_type, proto, flags)


def _getnameinfo_call(draw: Draw) -> Callable[[Any], Any]:
    sockaddr = (
        draw.value()
        if draw.below(4) == 0
        else (
            numeric_only(_text_or_other(draw)),
            draw.interesting_int(),
            *(draw.interesting_int() for _ in range(draw.below(3))),
        )
    )
    if isinstance(sockaddr, tuple) and sockaddr:
        sockaddr = (numeric_only(sockaddr[0]),) + sockaddr[1:]
    flags = S.NI_NUMERICHOST | S.NI_NUMERICSERV | draw.choice((0, S.NI_DGRAM, S.NI_NAMEREQD))
    return lambda m: m.getnameinfo(sockaddr, flags)


def exercise(data: bytes) -> None:
    draw = Draw(data)
    make = draw.choice((_inet_call, _inet_call, _getaddrinfo_call, _getnameinfo_call))
    _agree(make(draw))
