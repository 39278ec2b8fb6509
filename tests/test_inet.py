"""Differential: byte order (ntohs/htons/ntohl/htonl), address text
(inet_aton/ntoa/pton/ntop) and interface names (if_nameindex/nametoindex/
indextoname).

Each scenario runs against the stdlib and sockimpl, which must return the same
value or raise the same exception type (and errno).  Deliberate differences
from the stdlib are tested against sockimpl alone at the end; each says why.
"""

from __future__ import annotations

import socket as stdlib_socket
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from differential import Outcome, agree
from hypothesis import given
from hypothesis import strategies as st

import sockimpl

AF_INET = stdlib_socket.AF_INET
AF_INET6 = stdlib_socket.AF_INET6
LO_INDEX = stdlib_socket.if_nametoindex("lo")


class Index:
    """Not an int, but usable as one through __index__."""

    def __index__(self) -> int:
        return 0x1234


def calls(function: str, /, *args: Any, **kwargs: Any) -> Callable[[Any], Any]:
    """The scenario "call module.`function`(*args, **kwargs)"."""
    return lambda m: getattr(m, function)(*args, **kwargs)


# --- byte order -----------------------------------------------------------------------

SHORT_ARGUMENTS = {
    "zero": 0,
    "one": 1,
    "mixed-bytes": 0x1234,
    "largest": 0xFFFF,
    "bool": True,
    "index-object": Index(),
    "negative": -1,
    "17-bits": 0x10000,
    "beyond-c-int": 2**31,
    "beyond-c-long": 2**64,
    "float": 1.0,
    "str": "1",
    "none": None,
}


@pytest.mark.parametrize("function", ["ntohs", "htons"])
@pytest.mark.parametrize("value", SHORT_ARGUMENTS.values(), ids=SHORT_ARGUMENTS.keys())
def test_16_bit_byte_order_accepts_what_the_stdlib_accepts(function: str, value: Any) -> None:
    agree(calls(function, value))


LONG_ARGUMENTS = {
    "zero": 0,
    "mixed-bytes": 0x12345678,
    "largest": 0xFFFFFFFF,
    "bool": True,
    "index-object-refused": Index(),
    "negative": -1,
    "33-bits": 2**32,
    "beyond-c-long": 2**64,
    "float": 1.0,
    "str": "x",
}


@pytest.mark.parametrize("function", ["ntohl", "htonl"])
@pytest.mark.parametrize("value", LONG_ARGUMENTS.values(), ids=LONG_ARGUMENTS.keys())
def test_32_bit_byte_order_accepts_what_the_stdlib_accepts(function: str, value: Any) -> None:
    agree(calls(function, value))


@pytest.mark.parametrize("function", ["ntohs", "htons", "ntohl", "htonl"])
def test_byte_order_functions_take_exactly_one_positional_argument(function: str) -> None:
    agree(calls(function))
    agree(calls(function, 1, 2))
    agree(calls(function, x=1))


def test_byte_order_round_trips() -> None:
    agree(lambda m: (m.ntohs(m.htons(0xABCD)), m.ntohl(m.htonl(0xDEADBEEF))))


# --- inet_aton / inet_ntoa ------------------------------------------------------------

ATON_TEXTS = {
    "dotted-quad": "192.0.2.7",
    "one-part": "1",
    "two-parts": "127.1",
    "hex-and-octal": "0x7f.010.0.1",
    "trailing-junk-after-space": "1.2.3.4 junk",
    "broadcast": "255.255.255.255",
    "octet-too-large": "256.1.1.1",
    "empty": "",
    "non-ascii": "é",
    "ipv6": "::1",
    "embedded-nul": "1.2.3.4\x00",
    "bytes": b"1.2.3.4",
    "none": None,
}


@pytest.mark.parametrize("text", ATON_TEXTS.values(), ids=ATON_TEXTS.keys())
def test_inet_aton_parses_the_classic_forms(text: Any) -> None:
    agree(calls("inet_aton", text))


NTOA_PACKED = {
    "bytes": b"\x7f\x00\x00\x01",
    "bytearray": bytearray(b"\xc0\x00\x02\x07"),
    "memoryview": memoryview(b"\xff\xff\xff\xff"),
    "too-short": b"abc",
    "too-long": b"abcde",
    "empty": b"",
    "str": "abcd",
    "none": None,
}


@pytest.mark.parametrize("packed", NTOA_PACKED.values(), ids=NTOA_PACKED.keys())
def test_inet_ntoa_formats_four_bytes_of_any_bytes_like(packed: Any) -> None:
    agree(calls("inet_ntoa", packed))


# --- inet_pton / inet_ntop ------------------------------------------------------------

PTON_CASES = {
    "ipv4": (AF_INET, "198.18.0.1"),
    "ipv4-short-form-refused": (AF_INET, "1.2.3"),
    "ipv4-leading-zero-refused": (AF_INET, "01.2.3.4"),
    "ipv4-as-ipv6-refused": (AF_INET6, "1.2.3.4"),
    "ipv6-loopback": (AF_INET6, "::1"),
    "ipv6-mapped-ipv4": (AF_INET6, "::ffff:198.18.0.1"),
    "ipv6-full": (AF_INET6, "fd00:1:2:3:4:5:6:7"),
    "ipv6-zone-refused": (AF_INET6, "fe80::1%lo"),
    "ipv6-as-ipv4-refused": (AF_INET, "::1"),
    "unknown-family": (99, "1.2.3.4"),
    "bytes-text": (AF_INET, b"1.2.3.4"),
    "embedded-nul": (AF_INET, "1.2.3.4\x00"),
    "family-beyond-c-int": (2**40, "1.2.3.4"),
    "family-str": ("2", "1.2.3.4"),
}


@pytest.mark.parametrize("family, text", PTON_CASES.values(), ids=PTON_CASES.keys())
def test_inet_pton_parses_only_strict_text(family: Any, text: Any) -> None:
    agree(calls("inet_pton", family, text))


NTOP_CASES = {
    "ipv4": (AF_INET, b"\xc6\x12\x00\x01"),
    "ipv4-bytearray": (AF_INET, bytearray(b"\x01\x02\x03\x04")),
    "ipv4-memoryview": (AF_INET, memoryview(b"\x00\x00\x00\x00")),
    "ipv4-wrong-length": (AF_INET, b"\x01\x02\x03"),
    "ipv6-any": (AF_INET6, bytes(16)),
    "ipv6-mapped-ipv4": (AF_INET6, bytes(10) + b"\xff\xff\x01\x02\x03\x04"),
    "ipv6-wrong-length": (AF_INET6, bytes(15)),
    "unknown-family": (99, bytes(4)),
    "str-packed": (AF_INET, "1234"),
    "family-beyond-c-int": (2**40, b"1234"),
}


@pytest.mark.parametrize("family, packed", NTOP_CASES.values(), ids=NTOP_CASES.keys())
def test_inet_ntop_formats_packed_addresses(family: Any, packed: Any) -> None:
    agree(calls("inet_ntop", family, packed))


@pytest.mark.parametrize("function", ["inet_pton", "inet_ntop"])
def test_inet_pton_and_ntop_take_exactly_two_arguments(function: str) -> None:
    agree(calls(function, AF_INET))
    agree(calls(function, AF_INET, b"1234", 3))


@given(st.binary(min_size=4, max_size=4))
def test_every_ipv4_address_formats_as_the_stdlib_does(packed: bytes) -> None:
    agree(lambda m: (m.inet_ntop(AF_INET, packed), m.inet_ntoa(packed)))


@given(st.binary(min_size=16, max_size=16))
def test_every_ipv6_address_formats_and_parses_back_as_the_stdlib_does(packed: bytes) -> None:
    def scenario(m: Any) -> Any:
        text = m.inet_ntop(AF_INET6, packed)
        return text, m.inet_pton(AF_INET6, text)

    agree(scenario)


# --- interface names ------------------------------------------------------------------

NAMETOINDEX_ARGUMENTS = {
    "str": "lo",
    "bytes": b"lo",
    "path-like": Path("lo"),
    "unknown": "nosuchif0",
    "empty": "",
    "longer-than-ifnamsiz": "x" * 100,
    "str-embedded-nul": "lo\x00",
    "bytes-embedded-nul": b"lo\x00",
    "bytearray-refused": bytearray(b"lo"),
    "int": 1,
    "none": None,
}


@pytest.mark.parametrize("name", NAMETOINDEX_ARGUMENTS.values(), ids=NAMETOINDEX_ARGUMENTS.keys())
def test_if_nametoindex_takes_str_bytes_or_path_like(name: Any) -> None:
    agree(calls("if_nametoindex", name))


INDEXTONAME_ARGUMENTS = {
    "loopback": LO_INDEX,
    "bool": True,
    "zero": 0,
    "unused-index": 99999,
    "largest-unsigned-int": 2**32 - 1,
    "negative": -1,
    "beyond-c-long": 2**64,
    "float": 1.0,
    "str": "1",
    "index-object-refused": Index(),
}


@pytest.mark.parametrize("index", INDEXTONAME_ARGUMENTS.values(), ids=INDEXTONAME_ARGUMENTS.keys())
def test_if_indextoname_takes_an_int_index(index: Any) -> None:
    agree(calls("if_indextoname", index))


def test_if_nameindex_lists_the_loopback_interface() -> None:
    def scenario(m: Any) -> Any:
        pairs = m.if_nameindex()
        shapes = {(type(i).__name__, type(n).__name__) for i, n in pairs}
        return shapes, [pair for pair in pairs if pair[1] == "lo"]

    agree(scenario)


def test_if_nameindex_takes_no_arguments() -> None:
    agree(calls("if_nameindex", 1))


def test_interface_name_and_index_round_trip() -> None:
    agree(lambda m: m.if_indextoname(m.if_nametoindex("lo")))


# --- deliberate differences -----------------------------------------------------------


@pytest.mark.parametrize("index", [2**32, 2**32 + LO_INDEX], ids=["2**32", "2**32+lo"])
def test_if_indextoname_refuses_an_index_wider_than_32_bits(index: int) -> None:
    """Interface indexes are C unsigned ints.  CPython 3.10-3.12 truncate a
    wider value, so 2**32 + 1 names 'lo'; 3.13 raises OverflowError("index is
    too large"), and sockimpl does so on every version."""
    outcome = Outcome.of(calls("if_indextoname", index), sockimpl)
    assert outcome.error == "OverflowError"
    if sys.version_info >= (3, 13):
        assert Outcome.of(calls("if_indextoname", index), stdlib_socket) == outcome


def _groups_pattern_addresses() -> list[bytes]:
    """Every pattern of zero and non-zero 16-bit groups (256 of them), with
    the values that pick the special forms (1, 0xffff) and ordinary ones in
    the non-zero groups: the cases where '::' placement and the dotted-quad
    tail of the IPv4-compatible and IPv4-mapped forms are decided."""
    out = []
    for mask in range(256):
        for filler in (0x0001, 0xFFFF, 0x0A0B, 0xF000):
            groups = [filler if mask >> i & 1 else 0 for i in range(8)]
            out.append(b"".join(g.to_bytes(2, "big") for g in groups))
    return out


@pytest.mark.parametrize("chunk", range(8))
def test_inet_ntop_v6_writes_every_zero_group_pattern_as_libc_does(chunk: int) -> None:
    """sockimpl formats IPv6 text itself (glibc's inet_ntop goes through
    sprintf per group); the stdlib calls glibc.  They must agree on every
    zero-run layout."""
    addresses = _groups_pattern_addresses()[chunk::8]

    def scenario(m: Any) -> Any:
        return [m.inet_ntop(m.AF_INET6, a) for a in addresses]

    agree(scenario)
