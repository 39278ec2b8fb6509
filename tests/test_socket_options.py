"""Differential: getsockopt and setsockopt in their int, buffer and
(level, option, None, optlen) forms, good and bad."""

from __future__ import annotations

import os
import struct
from typing import Any

import pytest
from differential import agree
from socket_support import ALL_FAMILIES, connected_pair, listener, unix_pair

LINGER = struct.Struct("ii")
UCRED = struct.Struct("iII")
TIMEVAL = struct.Struct("ll")


def option(m: Any, level: str, name: str) -> tuple[int, int]:
    return getattr(m, level), getattr(m, name)


# --- reading integer options ---------------------------------------------------------


@pytest.mark.parametrize("family", ALL_FAMILIES)
@pytest.mark.parametrize("name", ["SO_TYPE", "SO_DOMAIN", "SO_PROTOCOL", "SO_ACCEPTCONN"])
def test_getsockopt_identity_options(family: str, name: str) -> None:
    def scenario(m: Any) -> Any:
        with m.socket(getattr(m, family), m.SOCK_DGRAM) as sock:
            return sock.getsockopt(m.SOL_SOCKET, getattr(m, name))

    agree(scenario)


@pytest.mark.parametrize(
    ("level", "name", "value"),
    [
        ("SOL_SOCKET", "SO_REUSEADDR", 1),
        ("SOL_SOCKET", "SO_KEEPALIVE", 1),
        ("SOL_SOCKET", "SO_REUSEPORT", 1),
        ("SOL_SOCKET", "SO_OOBINLINE", 1),
        ("SOL_SOCKET", "SO_RCVBUF", 8192),
        ("SOL_SOCKET", "SO_SNDBUF", 16384),
        ("SOL_SOCKET", "SO_RCVLOWAT", 7),
        ("SOL_SOCKET", "SO_PRIORITY", 3),
        ("IPPROTO_TCP", "TCP_NODELAY", 1),
        ("IPPROTO_TCP", "TCP_MAXSEG", 1000),
        ("IPPROTO_TCP", "TCP_KEEPIDLE", 77),
        ("IPPROTO_TCP", "TCP_KEEPINTVL", 9),
        ("IPPROTO_TCP", "TCP_KEEPCNT", 4),
        ("IPPROTO_TCP", "TCP_QUICKACK", 0),
        ("IPPROTO_IP", "IP_TTL", 33),
        ("IPPROTO_IP", "IP_TOS", 0x10),
    ],
)
def test_setsockopt_int_then_getsockopt_on_tcp(level: str, name: str, value: int) -> None:
    def scenario(m: Any) -> Any:
        with m.socket() as sock:
            before = sock.getsockopt(*option(m, level, name))
            result = sock.setsockopt(*option(m, level, name), value)
            return before, result, sock.getsockopt(*option(m, level, name))

    agree(scenario)


@pytest.mark.parametrize(
    ("name", "value"),
    [("IPV6_V6ONLY", 1), ("IPV6_UNICAST_HOPS", 12), ("IPV6_MULTICAST_LOOP", 0), ("IPV6_TCLASS", 8)],
)
def test_setsockopt_int_then_getsockopt_on_ipv6(name: str, value: int) -> None:
    def scenario(m: Any) -> Any:
        with m.socket(m.AF_INET6, m.SOCK_DGRAM) as sock:
            before = sock.getsockopt(m.IPPROTO_IPV6, getattr(m, name))
            sock.setsockopt(m.IPPROTO_IPV6, getattr(m, name), value)
            return before, sock.getsockopt(m.IPPROTO_IPV6, getattr(m, name))

    agree(scenario)


@pytest.mark.parametrize("value", [True, False, -1, 2**31 - 1], ids=repr)
def test_setsockopt_int_edge_values(value: Any) -> None:
    def scenario(m: Any) -> Any:
        with m.socket() as sock:
            sock.setsockopt(m.SOL_SOCKET, m.SO_KEEPALIVE, value)
            return sock.getsockopt(m.SOL_SOCKET, m.SO_KEEPALIVE)

    agree(scenario)


def test_setsockopt_out_of_range_ttl_is_invalid() -> None:
    def scenario(m: Any) -> Any:
        with m.socket() as sock:
            return sock.setsockopt(m.IPPROTO_IP, m.IP_TTL, 256)

    agree(scenario)


def test_getsockopt_so_error_after_refused_nonblocking_connect() -> None:
    def scenario(m: Any) -> Any:
        with listener(m, "AF_INET", "SOCK_DGRAM") as unused, m.socket() as sock:
            sock.setblocking(False)
            code = sock.connect_ex(unused.getsockname())
            sock.settimeout(5)
            # A second connect waits for the outcome of the first.
            later = sock.connect_ex(unused.getsockname())
            return code, later, sock.getsockopt(m.SOL_SOCKET, m.SO_ERROR)

    agree(scenario)


def test_getsockopt_so_error_is_cleared_by_reading() -> None:
    def scenario(m: Any) -> Any:
        with m.socket() as sock:
            return sock.getsockopt(m.SOL_SOCKET, m.SO_ERROR)

    agree(scenario)


def test_getsockopt_acceptconn_of_listener() -> None:
    def scenario(m: Any) -> Any:
        with listener(m, "AF_INET6") as sock:
            return sock.getsockopt(m.SOL_SOCKET, m.SO_ACCEPTCONN)

    agree(scenario)


# --- buffer forms -------------------------------------------------------------------------


@pytest.mark.parametrize("form", ["bytes", "bytearray", "memoryview"])
def test_setsockopt_linger_from_buffer(form: str) -> None:
    convert = {"bytes": bytes, "bytearray": bytearray, "memoryview": memoryview}[form]

    def scenario(m: Any) -> Any:
        with m.socket() as sock:
            sock.setsockopt(m.SOL_SOCKET, m.SO_LINGER, convert(LINGER.pack(1, 5)))
            raw = sock.getsockopt(m.SOL_SOCKET, m.SO_LINGER, LINGER.size)
            return type(raw).__name__, LINGER.unpack(raw)

    agree(scenario)


def test_setsockopt_int_option_from_four_byte_buffer() -> None:
    def scenario(m: Any) -> Any:
        with m.socket() as sock:
            sock.setsockopt(m.SOL_SOCKET, m.SO_REUSEADDR, struct.pack("i", 1))
            return sock.getsockopt(m.SOL_SOCKET, m.SO_REUSEADDR)

    agree(scenario)


@pytest.mark.parametrize("size", [0, 1, 2, 3, 8], ids=lambda n: f"{n}bytes")
def test_setsockopt_int_option_from_buffer_of_other_length(size: int) -> None:
    def scenario(m: Any) -> Any:
        with m.socket() as sock:
            sock.setsockopt(m.SOL_SOCKET, m.SO_KEEPALIVE, b"\x01" * size)
            return sock.getsockopt(m.SOL_SOCKET, m.SO_KEEPALIVE)

    agree(scenario)


@pytest.mark.parametrize("buflen", [1, 4, 8, 64, 1024])
def test_getsockopt_int_option_with_buflen(buflen: int) -> None:
    def scenario(m: Any) -> Any:
        with m.socket() as sock:
            sock.setsockopt(m.SOL_SOCKET, m.SO_RCVBUF, 4096)
            return sock.getsockopt(m.SOL_SOCKET, m.SO_RCVBUF, buflen)

    agree(scenario)


def test_getsockopt_receive_timeout_as_timeval() -> None:
    def scenario(m: Any) -> Any:
        with m.socket() as sock:
            sock.setsockopt(m.SOL_SOCKET, m.SO_RCVTIMEO, TIMEVAL.pack(2, 500000))
            return TIMEVAL.unpack(sock.getsockopt(m.SOL_SOCKET, m.SO_RCVTIMEO, TIMEVAL.size))

    agree(scenario)


def test_getsockopt_peer_credentials_of_socketpair() -> None:
    def scenario(m: Any) -> Any:
        with unix_pair(m) as (first, _second):
            raw = first.getsockopt(m.SOL_SOCKET, m.SO_PEERCRED, UCRED.size)
            return UCRED.unpack(raw) == (os.getpid(), os.getuid(), os.getgid())

    agree(scenario)


def test_getsockopt_bound_device_as_bytes() -> None:
    def scenario(m: Any) -> Any:
        with m.socket(m.AF_INET, m.SOCK_DGRAM) as sock:
            sock.setsockopt(m.SOL_SOCKET, m.SO_BINDTODEVICE, b"lo")
            return sock.getsockopt(m.SOL_SOCKET, m.SO_BINDTODEVICE, 16).rstrip(b"\0")

    agree(scenario)


def test_getsockopt_tcp_info_length() -> None:
    def scenario(m: Any) -> Any:
        with connected_pair(m, "AF_INET") as (client, _accepted):
            raw = client.getsockopt(m.IPPROTO_TCP, m.TCP_INFO, 104)
            return type(raw).__name__, len(raw), raw[0]

    agree(scenario)


def test_getsockopt_tcp_congestion_name() -> None:
    def scenario(m: Any) -> Any:
        with m.socket() as sock:
            name = sock.getsockopt(m.IPPROTO_TCP, m.TCP_CONGESTION, 16)
            return type(name).__name__, len(name) > 0

    agree(scenario)


# --- the (level, option, None, optlen) form ------------------------------------------------


@pytest.mark.parametrize("optlen", [0, 4, 100])
def test_setsockopt_none_form_passes_a_null_pointer(optlen: int) -> None:
    def scenario(m: Any) -> Any:
        with m.socket() as sock:
            return sock.setsockopt(m.SOL_SOCKET, m.SO_REUSEADDR, None, optlen)

    agree(scenario)


def test_setsockopt_none_form_unbinds_the_device() -> None:
    def scenario(m: Any) -> Any:
        with m.socket(m.AF_INET, m.SOCK_DGRAM) as sock:
            sock.setsockopt(m.SOL_SOCKET, m.SO_BINDTODEVICE, b"lo")
            sock.setsockopt(m.SOL_SOCKET, m.SO_BINDTODEVICE, None, 0)
            return sock.getsockopt(m.SOL_SOCKET, m.SO_BINDTODEVICE, 16).rstrip(b"\0")

    agree(scenario)


@pytest.mark.parametrize("optlen", ["4", 4.0, None, b"x"], ids=repr)
def test_setsockopt_none_form_with_bad_optlen(optlen: Any) -> None:
    def scenario(m: Any) -> Any:
        with m.socket() as sock:
            return sock.setsockopt(m.SOL_SOCKET, m.SO_REUSEADDR, None, optlen)

    agree(scenario)


def test_setsockopt_four_arguments_need_none_as_third() -> None:
    def scenario(m: Any) -> Any:
        with m.socket() as sock:
            return sock.setsockopt(m.SOL_SOCKET, m.SO_REUSEADDR, b"\1\0\0\0", 4)

    agree(scenario)


# --- bad arguments and unknown options -------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["1", 1.0, None, 2**31, -(2**31) - 1, 2**64, [1], object()], ids=repr
)
def test_setsockopt_with_bad_value(value: Any) -> None:
    def scenario(m: Any) -> Any:
        with m.socket() as sock:
            return sock.setsockopt(m.SOL_SOCKET, m.SO_REUSEADDR, value)

    agree(scenario)


@pytest.mark.parametrize("arguments", [(), (1,), (1, 2), (1, 2, 3, 4, 5)], ids=repr)
def test_setsockopt_with_wrong_argument_count(arguments: tuple[int, ...]) -> None:
    def scenario(m: Any) -> Any:
        with m.socket() as sock:
            return sock.setsockopt(*arguments)

    agree(scenario)


@pytest.mark.parametrize("level", ["1", 1.0, None, 2**31], ids=repr)
def test_setsockopt_with_bad_level(level: Any) -> None:
    def scenario(m: Any) -> Any:
        with m.socket() as sock:
            return sock.setsockopt(level, m.SO_REUSEADDR, 1)

    agree(scenario)


def test_getsockopt_buflen_zero_means_the_int_form() -> None:
    def scenario(m: Any) -> Any:
        with m.socket() as sock:
            sock.setsockopt(m.SOL_SOCKET, m.SO_KEEPALIVE, 1)
            return sock.getsockopt(m.SOL_SOCKET, m.SO_KEEPALIVE, 0)

    agree(scenario)


@pytest.mark.parametrize("buflen", [-1, -(2**31), 1025, 2**31, 2**64], ids=repr)
def test_getsockopt_buflen_out_of_range(buflen: int) -> None:
    def scenario(m: Any) -> Any:
        with m.socket() as sock:
            return sock.getsockopt(m.SOL_SOCKET, m.SO_LINGER, buflen)

    agree(scenario)


@pytest.mark.parametrize("buflen", ["8", 8.0, None, b"8"], ids=repr)
def test_getsockopt_buflen_of_wrong_type(buflen: Any) -> None:
    def scenario(m: Any) -> Any:
        with m.socket() as sock:
            return sock.getsockopt(m.SOL_SOCKET, m.SO_LINGER, buflen)

    agree(scenario)


@pytest.mark.parametrize("arguments", [(), (1,), (1, 2, 3, 4)], ids=repr)
def test_getsockopt_with_wrong_argument_count(arguments: tuple[int, ...]) -> None:
    def scenario(m: Any) -> Any:
        with m.socket() as sock:
            return sock.getsockopt(*arguments)

    agree(scenario)


@pytest.mark.parametrize("with_buflen", [False, True])
def test_getsockopt_unknown_option(with_buflen: bool) -> None:
    def scenario(m: Any) -> Any:
        with m.socket() as sock:
            extra = (8,) if with_buflen else ()
            return sock.getsockopt(m.SOL_SOCKET, 9999, *extra)

    agree(scenario)


def test_getsockopt_unknown_level() -> None:
    def scenario(m: Any) -> Any:
        with m.socket() as sock:
            return sock.getsockopt(9999, 1)

    agree(scenario)


def test_setsockopt_unknown_option() -> None:
    def scenario(m: Any) -> Any:
        with m.socket() as sock:
            return sock.setsockopt(m.SOL_SOCKET, 9999, 1)

    agree(scenario)


def test_tcp_option_on_unix_socket() -> None:
    def scenario(m: Any) -> Any:
        with m.socket(m.AF_UNIX) as sock:
            return sock.setsockopt(m.IPPROTO_TCP, m.TCP_NODELAY, 1)

    agree(scenario)


def test_ipv6_option_on_ipv4_socket() -> None:
    def scenario(m: Any) -> Any:
        with m.socket() as sock:
            return sock.getsockopt(m.IPPROTO_IPV6, m.IPV6_V6ONLY)

    agree(scenario)


def test_bind_to_missing_device() -> None:
    def scenario(m: Any) -> Any:
        with m.socket(m.AF_INET, m.SOCK_DGRAM) as sock:
            return sock.setsockopt(m.SOL_SOCKET, m.SO_BINDTODEVICE, b"no-such-dev0")

    agree(scenario)


def test_keyword_arguments_are_refused_by_getsockopt() -> None:
    def scenario(m: Any) -> Any:
        with m.socket() as sock:
            return sock.getsockopt(level=m.SOL_SOCKET, optname=m.SO_TYPE)

    agree(scenario)
