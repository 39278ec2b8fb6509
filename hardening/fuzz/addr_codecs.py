"""Every address codec, through the private hook that runs a family's
parse and build without a socket, and through real sockets' bind/connect
for the families this host has.

A codec must answer any object with an address or an ordinary exception;
an address it built must parse again to itself (the codec is a bijection
on its own output)."""

from __future__ import annotations

import socket as stdlib_socket
from typing import Any

from sockimpl import _sockimpl

from .draw import EXPECTED_ERRORS, Draw, numeric_only

S = stdlib_socket
# Numbers, not the stdlib's names: its build here lacks AF_BLUETOOTH.
FAMILIES = (2, 10, 1, 16, 17, 29, 31, 38, 40, 30, 42, 21, 0, 255)
TYPES = (S.SOCK_STREAM, S.SOCK_DGRAM, S.SOCK_RAW, S.SOCK_SEQPACKET, 0, -1)
PROTOS = (0, 1, 2, 3, 5, 6, 7, 17, -1)
# Families whose first tuple element goes to the resolver.
RESOLVED = (S.AF_INET, S.AF_INET6)
# Real sockets only where this host has the family and binding is harmless.
LIVE = ((S.AF_INET, S.SOCK_DGRAM), (S.AF_INET6, S.SOCK_DGRAM), (S.AF_UNIX, S.SOCK_DGRAM))


def _without_lookups(family: int, address: Any) -> Any:
    if family in RESOLVED and isinstance(address, tuple) and address:
        return (numeric_only(address[0]),) + address[1:]
    return numeric_only(address) if family in RESOLVED else address


def _roundtrip(family: int, sock_type: int, proto: int, address: Any) -> None:
    try:
        built = _sockimpl._addr_roundtrip(family, sock_type, proto, address)
    except EXPECTED_ERRORS:
        return
    again = _sockimpl._addr_roundtrip(family, sock_type, proto, _without_lookups(family, built))
    assert again == built, f"family {family}: {address!r} -> {built!r} -> {again!r}"


def _names_a_file(address: Any) -> bool:
    """Whether bind() would create a file: any str or bytes-like path
    that is neither empty (autobind) nor abstract (leading NUL)."""
    if isinstance(address, str):
        return address[:1] not in ("", "\0")
    try:
        first = bytes(memoryview(address)[:1])
    except (TypeError, ValueError):
        return False  # not a path at all: the codec must refuse it
    return first not in (b"", b"\0")


def _live(draw: Draw, address: Any) -> None:
    import sockimpl

    family, sock_type = draw.choice(LIVE)
    address = _without_lookups(family, address)
    if family == S.AF_UNIX and _names_a_file(address):
        return  # a filesystem path would leave a file behind; abstract names don't
    with sockimpl.socket(family, sock_type) as sock:
        try:
            (sock.bind if draw.flag() else sock.connect)(address)
        except EXPECTED_ERRORS:
            pass


def exercise(data: bytes) -> None:
    draw = Draw(data)
    family = draw.choice(FAMILIES)
    sock_type = draw.choice(TYPES)
    proto = draw.choice(PROTOS)
    address = _without_lookups(family, draw.value())
    _roundtrip(family, sock_type, proto, address)
    if draw.flag():
        _live(draw, address)
