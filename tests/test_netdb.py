"""Differential: the resolver -- getaddrinfo, getnameinfo, the gethostby*
calls, services, protocols and the host name.

No lookup leaves this machine: numeric addresses, 'localhost' and the
host's own name (IPv4, from /etc/hosts), /etc/services and /etc/protocols.
An unknown name is one glibc refuses before asking DNS (it contains a
space), and only addresses /etc/hosts names are looked up in reverse.

Deliberate differences from the stdlib are tested against sockimpl alone at
the end of the file; each says why.
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

S = stdlib_socket
NUMERIC = S.NI_NUMERICHOST | S.NI_NUMERICSERV
# Not a valid host name, so glibc answers "not found" without a DNS query.
UNKNOWN_HOST = "no such host.invalid"


def calls(function: str, /, *args: Any, **kwargs: Any) -> Callable[[Any], Any]:
    """The scenario "call module.`function`(*args, **kwargs)"."""
    return lambda m: getattr(m, function)(*args, **kwargs)


def addrinfo(*args: Any, **kwargs: Any) -> Callable[[Any], Any]:
    """getaddrinfo with the result as plain tuples in libc's order."""
    return lambda m: [tuple(entry) for entry in m.getaddrinfo(*args, **kwargs)]


# --- getaddrinfo: answers -------------------------------------------------------------

ADDRINFO_ANSWERS = {
    "ipv4-every-kind": ("127.0.0.1", 80),
    "ipv4-stream": ("127.0.0.1", 80, 0, S.SOCK_STREAM),
    "ipv4-datagram-udp": ("198.18.0.1", 53, 0, S.SOCK_DGRAM, S.IPPROTO_UDP),
    "ipv4-tcp-proto-only": ("127.0.0.1", 80, 0, 0, S.IPPROTO_TCP),
    "ipv4-stream-with-udp-proto": ("127.0.0.1", 80, 0, S.SOCK_STREAM, S.IPPROTO_UDP),
    "ipv4-raw-with-port": ("127.0.0.1", 80, 0, S.SOCK_RAW),
    "ipv4-no-port": ("127.0.0.1", None),
    "ipv4-port-zero": ("127.0.0.1", 0),
    "ipv4-largest-port": ("127.0.0.1", 65535),
    "ipv4-str-port": ("127.0.0.1", "80", 0, S.SOCK_STREAM),
    "ipv4-bytes-host-and-port": (b"127.0.0.1", b"80", 0, S.SOCK_STREAM),
    "ipv4-service-name": ("127.0.0.1", "http", 0, S.SOCK_STREAM),
    "ipv4-one-part-form": ("1", 80, 0, S.SOCK_STREAM),
    "ipv4-hex-form": ("0x7f.1", 80, 0, S.SOCK_STREAM),
    "ipv4-family-given": ("127.0.0.1", 80, S.AF_INET),
    "ipv6-loopback": ("::1", 80, 0, S.SOCK_STREAM),
    "ipv6-every-kind": ("fd00::1", 443),
    "ipv6-mapped-ipv4": ("::ffff:198.18.0.1", 80, S.AF_INET6, S.SOCK_DGRAM),
    "ipv6-zone-by-name": ("fe80::1%lo", 80, 0, S.SOCK_STREAM),
    "ipv6-zone-by-number": ("fe80::1%1", 80, 0, S.SOCK_STREAM),
    "no-host-loopback": (None, 80, 0, S.SOCK_STREAM),
    "no-host-passive": (None, 80, 0, S.SOCK_STREAM, 0, S.AI_PASSIVE),
    "empty-host": ("", 80),
    "localhost": ("localhost", 80, 0, S.SOCK_STREAM),
    "localhost-canonical-name": ("localhost", 80, 0, S.SOCK_STREAM, 0, S.AI_CANONNAME),
    "numeric-literal-canonical-name": ("127.0.0.1", 80, 0, 0, 0, S.AI_CANONNAME),
    "own-host-name": (stdlib_socket.gethostname(), 80, S.AF_INET, S.SOCK_STREAM),
    "numerichost-flag": ("127.0.0.1", 80, 0, 0, 0, S.AI_NUMERICHOST),
    "numericserv-flag": ("127.0.0.1", "80", 0, 0, 0, S.AI_NUMERICSERV),
    "v4mapped-flag": ("127.0.0.1", 80, S.AF_INET6, S.SOCK_STREAM, 0, S.AI_V4MAPPED),
}


@pytest.mark.parametrize("args", ADDRINFO_ANSWERS.values(), ids=ADDRINFO_ANSWERS.keys())
def test_getaddrinfo_answers_as_libc_does(args: tuple[Any, ...]) -> None:
    agree(addrinfo(*args))


def test_getaddrinfo_takes_every_argument_by_keyword() -> None:
    agree(
        addrinfo(host="127.0.0.1", port=80, family=S.AF_INET, type=S.SOCK_DGRAM, proto=0, flags=0)
    )


def c_level(m: Any) -> Any:
    """The C module under `m`: _socket for the stdlib, _sockimpl for sockimpl."""
    return stdlib_socket._socket if m is stdlib_socket else sockimpl._sockimpl


def test_c_level_getaddrinfo_entries_are_five_tuples_of_plain_ints() -> None:
    """The enums come from the Python layer (socket.py); _socket gives ints."""

    def scenario(m: Any) -> Any:
        entry = c_level(m).getaddrinfo("::1", 80, 0, S.SOCK_STREAM)[0]
        return [type(field).__name__ for field in entry], entry

    agree(scenario)


HOSTS = ["127.0.0.1", "198.18.0.1", "::1", "fd00::1", "::ffff:1.2.3.4", "1", "fe80::1%lo"]
PORTS = [0, 80, 65535, "80", b"443", "http", None]
KINDS = [
    (0, 0),
    (S.SOCK_STREAM, 0),
    (S.SOCK_DGRAM, 0),
    (S.SOCK_STREAM, S.IPPROTO_TCP),
    (S.SOCK_DGRAM, S.IPPROTO_UDP),
    (0, S.IPPROTO_UDP),
    (S.SOCK_RAW, 0),
]
FLAGS = [0, S.AI_PASSIVE, S.AI_NUMERICHOST, S.AI_NUMERICSERV, S.AI_CANONNAME, S.AI_ADDRCONFIG]


@given(
    st.sampled_from(HOSTS),
    st.sampled_from(PORTS),
    st.sampled_from([0, S.AF_INET, S.AF_INET6]),
    st.sampled_from(KINDS),
    st.sampled_from(FLAGS),
)
def test_getaddrinfo_of_address_literals_is_what_libc_gives(
    host: str, port: Any, family: int, kind: tuple[int, int], flags: int
) -> None:
    """sockimpl answers plain literal lookups without calling libc; whatever
    the combination, the list must be libc's."""
    agree(addrinfo(host, port, family, kind[0], kind[1], flags))


# --- getaddrinfo: refusals ------------------------------------------------------------

ADDRINFO_REFUSALS = {
    "unknown-host": (UNKNOWN_HOST, 80),
    "unknown-idna-host": ("bücher unknown.invalid", 80),
    "localhost-as-ipv6-numerichost": ("localhost", 80, S.AF_INET6, 0, 0, S.AI_NUMERICHOST),
    "ipv4-literal-as-ipv6": ("127.0.0.1", 80, S.AF_INET6, S.SOCK_STREAM),
    "ipv6-literal-as-ipv4": ("::1", 80, S.AF_INET),
    "no-host-no-port": (None, None),
    "name-with-numerichost": ("localhost", 80, 0, 0, 0, S.AI_NUMERICHOST),
    "service-with-numericserv": ("127.0.0.1", "http", 0, 0, 0, S.AI_NUMERICSERV),
    "unknown-service": ("127.0.0.1", "nosuchservice"),
    "negative-port": ("127.0.0.1", -1),
    "raw-without-host": (None, 80, 0, S.SOCK_RAW),
    "unix-family": ("127.0.0.1", 80, S.AF_UNIX),
    "unknown-family": ("127.0.0.1", 80, 99),
    "unknown-type": ("127.0.0.1", 80, 0, 99),
    "unknown-proto": ("127.0.0.1", 80, 0, 0, 99),
    "bad-flags": ("127.0.0.1", 80, 0, 0, 0, -1),
    "host-int": (1, 80),
    "host-bytearray": (bytearray(b"127.0.0.1"), 80),
    "port-float": ("127.0.0.1", 80.0),
    "port-bool": ("127.0.0.1", True),
    "port-bytearray": ("127.0.0.1", bytearray(b"80")),
    "port-surrogate": ("127.0.0.1", "\udcff"),
    "host-surrogate": ("\udcff", 80),
    "empty-label": ("a..b", 80),
    "leading-dot": (".", 80),
    "label-longer-than-63": ("a" * 64 + ".example", 80),
    "last-label-longer-than-63": ("a" * 300, 80),
    "family-beyond-c-int": ("127.0.0.1", 80, 2**40),
    "family-str": ("127.0.0.1", 80, "x"),
    "bad-host-before-bad-port": (1, object()),
}


@pytest.mark.parametrize("args", ADDRINFO_REFUSALS.values(), ids=ADDRINFO_REFUSALS.keys())
def test_getaddrinfo_refuses_as_the_stdlib_does(args: tuple[Any, ...]) -> None:
    outcome = agree(addrinfo(*args))
    assert outcome.error is not None


@pytest.mark.parametrize(
    "args, kwargs",
    [
        ((), {}),
        (("127.0.0.1",), {}),
        (("127.0.0.1", 80, 0, 0, 0, 0, 0), {}),
        (("127.0.0.1", 80), {"bogus": 1}),
        (("127.0.0.1", 80), {"host": "::1"}),
        ((), {"port": 80}),
    ],
    ids=["none", "no-port", "seven", "unknown-keyword", "host-twice", "no-host"],
)
def test_getaddrinfo_argument_count_and_names(args: tuple[Any, ...], kwargs: dict) -> None:
    outcome = agree(addrinfo(*args, **kwargs))
    assert outcome.error == "TypeError"


# --- getnameinfo ----------------------------------------------------------------------

NAMEINFO_ANSWERS = {
    "ipv4-names": (("127.0.0.1", 80), 0),
    "ipv4-numeric": (("127.0.0.1", 80), NUMERIC),
    "ipv4-name-required": (("127.0.0.1", 80), S.NI_NAMEREQD),
    "ipv4-datagram-service": (("127.0.0.1", 9), S.NI_DGRAM),
    "ipv4-port-zero": (("127.0.0.1", 0), NUMERIC),
    "ipv4-bool-port": (("127.0.0.1", True), NUMERIC),
    "ipv4-one-part-form": (("1", 80), NUMERIC),
    "ipv6-pair": (("::1", 80), NUMERIC),
    "ipv6-four-tuple": (("::1", 80, 0, 0), NUMERIC),
    "ipv6-flowinfo-and-scope": (("::1", 80, 1, 2), NUMERIC),
    "ipv6-largest-flowinfo": (("::1", 80, 0xFFFFF, 0), NUMERIC),
    "ipv6-scope-by-number": (("fe80::1", 80, 0, 1), NUMERIC),
    "ipv6-zone-overridden": (("fe80::1%lo", 80, 0, 5), NUMERIC),
    "ipv6-mapped-ipv4": (("::ffff:127.0.0.1", 80), NUMERIC),
}


@pytest.mark.parametrize("sockaddr, flags", NAMEINFO_ANSWERS.values(), ids=NAMEINFO_ANSWERS.keys())
def test_getnameinfo_answers_as_libc_does(sockaddr: tuple[Any, ...], flags: int) -> None:
    agree(calls("getnameinfo", sockaddr, flags))


NAMEINFO_REFUSALS = {
    "name-not-address": (("localhost", 80), NUMERIC),
    "empty-host": (("", 80), NUMERIC),
    "unknown-host": ((UNKNOWN_HOST, 80), NUMERIC),
    "ipv4-three-tuple": (("127.0.0.1", 80, 0), NUMERIC),
    "ipv4-four-tuple": (("127.0.0.1", 80, 0, 0), NUMERIC),
    "one-tuple": (("127.0.0.1",), NUMERIC),
    "five-tuple": (("127.0.0.1", 80, 1, 2, 3), NUMERIC),
    "list": (["127.0.0.1", 80], NUMERIC),
    "str": ("127.0.0.1", NUMERIC),
    "bytes-host": ((b"127.0.0.1", 80), NUMERIC),
    "int-host": ((1, 80), NUMERIC),
    "embedded-nul": (("127.0.0.1\x00", 80), NUMERIC),
    "str-port": (("127.0.0.1", "80"), NUMERIC),
    "float-port": (("127.0.0.1", 80.0), NUMERIC),
    "port-beyond-c-int": (("127.0.0.1", 2**40), NUMERIC),
    "flowinfo-too-large": (("::1", 80, 0xFFFFF + 1, 0), NUMERIC),
    "flowinfo-negative": (("::1", 80, -1, 0), NUMERIC),
    "flowinfo-str": (("::1", 80, "x"), NUMERIC),
    "scope-str": (("::1", 80, 0, "x"), NUMERIC),
    "flowinfo-on-ipv4-str": (("127.0.0.1", 80, "x"), NUMERIC),
    "bad-flags": (("127.0.0.1", 80), -1),
    "flags-str": (("127.0.0.1", 80), "x"),
    "flags-beyond-c-int": (("127.0.0.1", 80), 2**40),
}


@pytest.mark.parametrize(
    "sockaddr, flags", NAMEINFO_REFUSALS.values(), ids=NAMEINFO_REFUSALS.keys()
)
def test_getnameinfo_refuses_as_the_stdlib_does(sockaddr: Any, flags: Any) -> None:
    outcome = agree(calls("getnameinfo", sockaddr, flags))
    assert outcome.error is not None


def test_getnameinfo_takes_two_positional_arguments() -> None:
    agree(calls("getnameinfo", ("127.0.0.1", 80)))
    agree(calls("getnameinfo", ("127.0.0.1", 80), 0, 0))
    agree(calls("getnameinfo", sockaddr=("127.0.0.1", 80), flags=0))


# --- host name ------------------------------------------------------------------------


def test_gethostname_reads_the_kernel_host_name() -> None:
    agree(calls("gethostname"))


def test_gethostname_takes_no_arguments() -> None:
    agree(calls("gethostname", 1))


# Setting the name the host already has changes nothing, so these may run
# beside anything else.
SETHOSTNAME_ARGUMENTS = {
    "str": lambda: stdlib_socket.gethostname(),
    "bytes": lambda: stdlib_socket.gethostname().encode(),
    "path-like": lambda: Path(stdlib_socket.gethostname()),
    "str-too-long": lambda: "x" * 65,
    "bytes-too-long": lambda: b"x" * 65,
    "undecodable-too-long": lambda: "\udcff" * 70,
    "str-embedded-nul": lambda: "a\x00b",
    "bytearray": lambda: bytearray(b"x"),
    "memoryview": lambda: memoryview(b"x"),
    "int": lambda: 1,
}


@pytest.mark.parametrize(
    "make_name", SETHOSTNAME_ARGUMENTS.values(), ids=SETHOSTNAME_ARGUMENTS.keys()
)
def test_sethostname_takes_str_bytes_or_path_like(make_name: Callable[[], Any]) -> None:
    def scenario(m: Any) -> Any:
        m.sethostname(make_name())
        return stdlib_socket.gethostname()

    agree(scenario)


def test_sethostname_takes_exactly_one_argument() -> None:
    agree(calls("sethostname"))
    agree(calls("sethostname", "a", "b"))


# --- gethostbyname / gethostbyname_ex / gethostbyaddr ---------------------------------

HOST_ARGUMENTS = {
    "localhost": "localhost",
    "localhost-bytes": b"localhost",
    "localhost-bytearray": bytearray(b"localhost"),
    "own-host-name": stdlib_socket.gethostname(),
    "ipv4-literal": "127.0.0.1",
    "one-part-form": "1",
    "empty": "",
    "ipv6-literal": "::1",
    "unknown": UNKNOWN_HOST,
    "unknown-idna": "bücher unknown.invalid",
    "empty-label": "a..b",
    "label-longer-than-63": "a" * 64 + ".x",
    "embedded-nul": "local\x00host",
    "bytes-embedded-nul": b"local\x00host",
    "int": 1,
    "none": None,
}


@pytest.mark.parametrize("host", HOST_ARGUMENTS.values(), ids=HOST_ARGUMENTS.keys())
def test_gethostbyname_resolves_to_one_ipv4_address(host: Any) -> None:
    agree(calls("gethostbyname", host))


def test_gethostbyname_of_broadcast_is_the_broadcast_address() -> None:
    agree(calls("gethostbyname", "<broadcast>"))


@pytest.mark.parametrize("host", HOST_ARGUMENTS.values(), ids=HOST_ARGUMENTS.keys())
def test_gethostbyname_ex_gives_name_aliases_and_addresses(host: Any) -> None:
    agree(calls("gethostbyname_ex", host))


ADDR_ARGUMENTS = {
    "ipv4-loopback": "127.0.0.1",
    "ipv4-bytes": b"127.0.0.1",
    "name": "localhost",
    "wildcard": "",
    "unknown": UNKNOWN_HOST,
    "embedded-nul": "1\x00",
    "int": 1,
}


@pytest.mark.parametrize("address", ADDR_ARGUMENTS.values(), ids=ADDR_ARGUMENTS.keys())
def test_gethostbyaddr_names_an_address(address: Any) -> None:
    agree(calls("gethostbyaddr", address))


@pytest.mark.parametrize("function", ["gethostbyname", "gethostbyname_ex", "gethostbyaddr"])
def test_gethostby_calls_take_exactly_one_argument(function: str) -> None:
    agree(calls(function))
    agree(calls(function, "localhost", "localhost"))


# --- protocols and services -----------------------------------------------------------

PROTOCOL_NAMES = {
    "tcp": "tcp",
    "udp": "udp",
    "icmp": "icmp",
    "upper-case": "TCP",
    "unknown": "nosuchproto",
    "empty": "",
    "embedded-nul": "tcp\x00",
    "bytes": b"tcp",
    "none": None,
}


@pytest.mark.parametrize("name", PROTOCOL_NAMES.values(), ids=PROTOCOL_NAMES.keys())
def test_getprotobyname_reads_etc_protocols(name: Any) -> None:
    agree(calls("getprotobyname", name))


def test_getprotobyname_takes_exactly_one_positional_argument() -> None:
    agree(calls("getprotobyname"))
    agree(calls("getprotobyname", "tcp", "udp"))
    agree(calls("getprotobyname", name="tcp"))


SERVICE_NAMES = {
    "any-protocol": ("http",),
    "tcp": ("http", "tcp"),
    "udp": ("domain", "udp"),
    "alias": ("www",),
    "not-for-this-protocol": ("http", "udp"),
    "unknown-protocol": ("http", "bogus"),
    "unknown": ("nosuchservice",),
    "empty": ("", "tcp"),
    "protocol-none": ("http", None),
    "bytes": (b"http",),
    "embedded-nul": ("http\x00",),
    "protocol-embedded-nul": ("http", "tcp\x00"),
    "no-arguments": (),
    "three-arguments": ("http", "tcp", "x"),
}


@pytest.mark.parametrize("args", SERVICE_NAMES.values(), ids=SERVICE_NAMES.keys())
def test_getservbyname_reads_etc_services(args: tuple[Any, ...]) -> None:
    agree(calls("getservbyname", *args))


SERVICE_PORTS = {
    "any-protocol": (80,),
    "tcp": (80, "tcp"),
    "udp": (53, "udp"),
    "lowest-named": (1,),
    "bool": (True,),
    "unknown-protocol": (80, "bogus"),
    "unnamed-port": (65535,),
    "port-zero": (0,),
    "negative": (-1,),
    "17-bits": (65536,),
    "beyond-c-int": (2**31,),
    "beyond-c-long": (2**70,),
    "str": ("80",),
    "float": (80.0,),
    "protocol-none": (80, None),
    "protocol-bytes": (80, b"tcp"),
    "protocol-embedded-nul": (80, "tcp\x00"),
    "bad-protocol-before-bad-port": (70000, b"tcp"),
    "no-arguments": (),
}


@pytest.mark.parametrize("args", SERVICE_PORTS.values(), ids=SERVICE_PORTS.keys())
def test_getservbyport_reads_etc_services(args: tuple[Any, ...]) -> None:
    agree(calls("getservbyport", *args))


@pytest.mark.parametrize("function", ["getservbyname", "getservbyport"])
def test_service_lookups_take_no_keywords(function: str) -> None:
    agree(calls(function, name="http", port=80))


# --- audit events ---------------------------------------------------------------------

_audited: list[tuple[str, tuple[Any, ...]]] | None = None


def _record(event: str, args: tuple[Any, ...]) -> None:
    if _audited is not None and event.startswith("socket."):
        _audited.append((event, args))


sys.addaudithook(_record)


AUDITED_CALLS = {
    "getaddrinfo": calls("getaddrinfo", "127.0.0.1", 80, 0, S.SOCK_STREAM),
    "getaddrinfo-no-port": calls("getaddrinfo", "127.0.0.1", None, 0, S.SOCK_STREAM),
    "getaddrinfo-refused": calls("getaddrinfo", UNKNOWN_HOST, "http"),
    "getnameinfo": calls("getnameinfo", ("127.0.0.1", 80), NUMERIC),
    "gethostname": calls("gethostname"),
    "gethostbyname": calls("gethostbyname", "localhost"),
    "gethostbyname_ex": calls("gethostbyname_ex", "localhost"),
    "gethostbyaddr": calls("gethostbyaddr", "127.0.0.1"),
    "getservbyname": calls("getservbyname", "http"),
    "getservbyport": calls("getservbyport", 80, "tcp"),
    "sethostname": lambda m: m.sethostname(stdlib_socket.gethostname().encode()),
}


@pytest.mark.parametrize("scenario", AUDITED_CALLS.values(), ids=AUDITED_CALLS.keys())
def test_resolver_calls_raise_the_stdlibs_audit_events(scenario: Callable[[Any], Any]) -> None:
    def audited(m: Any) -> Any:
        global _audited
        _audited = []
        try:
            Outcome.of(scenario, m)
            return _audited
        finally:
            _audited = None

    agree(audited)


# --- deliberate differences -----------------------------------------------------------


def refusal_of_port_minus_one(m: Any) -> Outcome:
    return Outcome.of(addrinfo("127.0.0.1", -1), m)


@pytest.mark.parametrize("port", [65536, 70000, 2**31, 2**63, 2**64, -(2**63) - 1, 10**30])
def test_getaddrinfo_refuses_an_int_port_outside_0_65535_with_eai_service(port: int) -> None:
    """gh-74895.  glibc reads a numeric service modulo 65536, so the stdlib
    silently gives port 0 for 65536 and port 4464 for 70000; for a port beyond
    a C long, CPython <= 3.11 raises OverflowError and 3.12+ hands libc the
    digits (2**63 again comes back as port 0).  A port is not an overflowing
    C integer but an unknown service, so sockimpl answers what libc says for
    port -1 on every version: gaierror(EAI_SERVICE)."""
    outcome = Outcome.of(addrinfo("127.0.0.1", port), sockimpl)
    assert outcome == Outcome(error="gaierror", errno=S.EAI_SERVICE)
    assert outcome == refusal_of_port_minus_one(stdlib_socket)


def test_getaddrinfo_huge_port_still_reports_libcs_earlier_errors() -> None:
    """The out-of-range port reaches libc as port -1, so a bad family is
    still reported first, as libc orders its checks."""
    outcome = Outcome.of(addrinfo("127.0.0.1", 2**70, 99), sockimpl)
    assert outcome == Outcome.of(addrinfo("127.0.0.1", -1, 99), stdlib_socket)
    assert outcome.error == "gaierror"


@pytest.mark.parametrize(
    "host, port, error",
    [
        ("127.0.0.1\x00junk", 80, "TypeError"),
        (b"127.\x000.0.1", 80, "TypeError"),
        ("127.0.0.1", "8\x000", "ValueError"),
        ("::1", b"8\x00", "ValueError"),
    ],
    ids=["str-host", "bytes-host", "str-port", "bytes-port"],
)
def test_getaddrinfo_refuses_embedded_nul_instead_of_truncating(
    host: Any, port: Any, error: str
) -> None:
    """The stdlib hands libc the text up to the NUL: '127.0.0.1\\0junk'
    resolves as 127.0.0.1 and port '8\\00' as 8.  sockimpl refuses, with the
    errors the stdlib uses for NULs elsewhere: TypeError for a host (as
    gethostbyname raises), ValueError for the port."""
    assert Outcome.of(addrinfo(host, port), sockimpl).error == error


@pytest.mark.parametrize("port", [-1, 65536, 70000], ids=["negative", "2**16", "70000"])
def test_getnameinfo_refuses_a_port_outside_0_65535(port: int) -> None:
    """The stdlib passes the port to libc as text, which reads it modulo
    65536: ('127.0.0.1', 70000) comes back as port '4464', and -1 as
    gaierror(EAI_SERVICE).  sockimpl raises OverflowError as the socket
    address parsers do ("port must be 0-65535")."""
    outcome = Outcome.of(calls("getnameinfo", ("127.0.0.1", port), NUMERIC), sockimpl)
    assert outcome.error == "OverflowError"


@pytest.mark.parametrize(
    "sockaddr",
    [("::1", 80, 0, -1), ("::1", 80, 0, 2**32), ("::1", 80, 0, 2**64), ("::1", 80, 2**64, 0)],
    ids=["scope-negative", "scope-2**32", "scope-2**64", "flowinfo-2**64"],
)
def test_getnameinfo_refuses_ipv6_fields_it_cannot_hold(sockaddr: tuple[Any, ...]) -> None:
    """The stdlib masks scope_id and flowinfo to 32 bits first: scope_id -1
    becomes 4294967295 and 2**32 becomes 0 (so does a flowinfo of 2**64).
    sockimpl raises OverflowError, as it does for a flowinfo above
    0xfffff."""
    outcome = Outcome.of(calls("getnameinfo", sockaddr, NUMERIC), sockimpl)
    assert outcome.error == "OverflowError"


def test_getnameinfo_keeps_a_zone_given_in_the_host_text() -> None:
    """('fe80::1%lo', 80) names the loopback's link-local address; the stdlib
    erases the zone with the missing scope_id (0) and answers 'fe80::1'.
    sockimpl keeps it unless the tuple gives a scope_id, the rule its
    AF_INET6 address codec follows too."""
    host, _ = sockimpl.getnameinfo(("fe80::1%lo", 80), NUMERIC)
    assert host == stdlib_socket.getnameinfo(("fe80::1", 80, 0, 1), NUMERIC)[0]


def test_gethostbyname_ex_reports_the_lookups_own_resolver_error() -> None:
    """The stdlib raises herror from the global h_errno, which
    gethostbyname_r need not set: in a fresh process '<broadcast>' gives
    herror(0, 'Resolver Error 0 (no error)'), later whatever an earlier
    lookup left behind.  sockimpl reports the code the lookup returned."""
    with pytest.raises(sockimpl.herror) as raised:
        sockimpl.gethostbyname_ex("<broadcast>")
    assert raised.value.errno != 0
    assert raised.value.args[1] != "Resolver Error 0 (no error)"


def test_sethostname_refuses_bytes_with_an_embedded_nul() -> None:
    """The stdlib passes bytes with their length, so b'a\\0b' would set a
    host name that reads back as 'a'.  sockimpl refuses it as it refuses
    such a str: ValueError("embedded null byte").  (Only sockimpl runs this:
    the stdlib would rename the host.)"""
    with pytest.raises(ValueError):
        sockimpl.sethostname(b"a\x00b")
