"""Differential: valid addresses of AF_UNIX, AF_INET and AF_INET6, and what
bind, connect, getsockname, getpeername and recvfrom make of them.

Deliberate differences from the stdlib are tested against sockimpl alone at
the end of the file; each says why.
"""

from __future__ import annotations

import errno
import os
import socket as stdlib_socket
from typing import Any

import pytest
from differential import agree
from socket_support import (
    INET_FAMILIES,
    SUN_PATH_SIZE,
    abstract_name,
    connected_pair,
    fresh_dir,
    listener,
    port_hidden,
)

import sockimpl

# Linux's IP_FREEBIND (not exported by the socket module): lets an IPv6 socket
# bind a link-local address that no interface has, so scope ids can be seen
# in getsockname() without sending anything.
IP_FREEBIND = 15
LO_INDEX = stdlib_socket.if_nametoindex("lo")


def bound_name(m: Any, family: str, kind: str, address: Any) -> Any:
    with m.socket(getattr(m, family), getattr(m, kind)) as sock:
        sock.bind(address)
        return port_hidden(sock.getsockname())


# --- AF_UNIX --------------------------------------------------------------------------


@pytest.mark.parametrize("form", ["str", "bytes", "bytearray", "memoryview"])
def test_unix_path_in_every_form_reads_back_as_str(form: str) -> None:
    convert = {
        "str": os.fsdecode,
        "bytes": os.fsencode,
        "bytearray": lambda p: bytearray(os.fsencode(p)),
        "memoryview": lambda p: memoryview(os.fsencode(p)),
    }[form]

    def scenario(m: Any) -> Any:
        with fresh_dir() as directory, m.socket(m.AF_UNIX) as sock:
            path = os.path.join(directory, "sock")
            sock.bind(convert(path))
            name = sock.getsockname()
            return type(name).__name__, name == path, os.path.exists(path)

    agree(scenario)


@pytest.mark.parametrize("leaf", ["é-ñ", "日本", "\udcff-escaped", "sp ace"], ids=ascii)
def test_unix_non_ascii_path_round_trips(leaf: str) -> None:
    def scenario(m: Any) -> Any:
        with fresh_dir() as directory, m.socket(m.AF_UNIX, m.SOCK_DGRAM) as sock:
            sock.bind(os.path.join(directory, leaf))
            return os.path.basename(sock.getsockname())

    agree(scenario)


def test_unix_undecodable_bytes_path_reads_back_surrogate_escaped() -> None:
    def scenario(m: Any) -> Any:
        with fresh_dir() as directory, m.socket(m.AF_UNIX) as sock:
            sock.bind(os.fsencode(directory) + b"/\xff\xfe")
            return os.path.basename(sock.getsockname())

    agree(scenario)


@pytest.mark.parametrize("form", ["bytes", "str"])
def test_unix_abstract_name_reads_back_as_bytes(form: str) -> None:
    def scenario(m: Any) -> Any:
        name = abstract_name()
        with m.socket(m.AF_UNIX) as sock:
            sock.bind(name if form == "bytes" else name.decode())
            return sock.getsockname() == name, type(sock.getsockname()).__name__

    agree(scenario)


@pytest.mark.parametrize("kind", ["SOCK_STREAM", "SOCK_DGRAM"])
def test_unix_autobind_with_empty_name_picks_an_abstract_name(kind: str) -> None:
    def scenario(m: Any) -> Any:
        with m.socket(m.AF_UNIX, getattr(m, kind)) as sock:
            sock.bind("")
            name = sock.getsockname()
            return type(name).__name__, name[:1], len(name)

    agree(scenario)


@pytest.mark.parametrize("kind", ["SOCK_STREAM", "SOCK_DGRAM", "SOCK_SEQPACKET"])
def test_unix_unbound_getsockname_is_empty(kind: str) -> None:
    def scenario(m: Any) -> Any:
        with m.socket(m.AF_UNIX, getattr(m, kind)) as sock:
            return sock.getsockname()

    agree(scenario)


def test_unix_socketpair_names_are_empty() -> None:
    def scenario(m: Any) -> Any:
        first, second = m.socketpair()
        with first, second:
            return first.getsockname(), first.getpeername(), second.getpeername()

    agree(scenario)


def _path_of_length(directory: str, length: int) -> str:
    prefix = directory + "/"
    return prefix + "p" * (length - len(prefix))


@pytest.mark.parametrize("length", [SUN_PATH_SIZE - 1, SUN_PATH_SIZE, SUN_PATH_SIZE + 1])
def test_unix_path_length_boundary(length: int) -> None:
    def scenario(m: Any) -> Any:
        with fresh_dir() as directory, m.socket(m.AF_UNIX) as sock:
            path = _path_of_length(directory, length)
            sock.bind(path)
            return sock.getsockname() == path

    agree(scenario)


@pytest.mark.parametrize("length", [SUN_PATH_SIZE, SUN_PATH_SIZE + 1])
def test_unix_abstract_name_length_boundary(length: int) -> None:
    def scenario(m: Any) -> Any:
        name = abstract_name()
        name += b"a" * (length - len(name))
        with m.socket(m.AF_UNIX) as sock:
            sock.bind(name)
            return sock.getsockname() == name

    agree(scenario)


def test_unix_connect_length_boundary_too_long() -> None:
    def scenario(m: Any) -> Any:
        with fresh_dir() as directory, m.socket(m.AF_UNIX) as sock:
            return sock.connect(_path_of_length(directory, SUN_PATH_SIZE))

    agree(scenario)


def test_unix_bind_to_an_existing_path_is_in_use() -> None:
    def scenario(m: Any) -> Any:
        with listener(m, "AF_UNIX") as first, m.socket(m.AF_UNIX) as second:
            return second.bind(first.getsockname())

    agree(scenario)


def test_unix_bind_in_missing_directory() -> None:
    def scenario(m: Any) -> Any:
        with fresh_dir() as directory, m.socket(m.AF_UNIX) as sock:
            return sock.bind(os.path.join(directory, "missing", "sock"))

    agree(scenario)


def test_unix_bind_twice_is_invalid() -> None:
    def scenario(m: Any) -> Any:
        with fresh_dir() as directory, m.socket(m.AF_UNIX) as sock:
            sock.bind(os.path.join(directory, "one"))
            return sock.bind(os.path.join(directory, "two"))

    agree(scenario)


def test_unix_connect_to_missing_path() -> None:
    def scenario(m: Any) -> Any:
        with fresh_dir() as directory, m.socket(m.AF_UNIX) as sock:
            return sock.connect(os.path.join(directory, "nobody"))

    agree(scenario)


def test_unix_connect_to_unused_abstract_name_is_refused() -> None:
    def scenario(m: Any) -> Any:
        with m.socket(m.AF_UNIX) as sock:
            return sock.connect(abstract_name("unused"))

    agree(scenario)


def test_unix_connect_to_bound_but_not_listening_path_is_refused() -> None:
    def scenario(m: Any) -> Any:
        with listener(m, "AF_UNIX", "SOCK_DGRAM") as bound, m.socket(m.AF_UNIX) as sock:
            return sock.connect(bound.getsockname())

    agree(scenario)


def test_unix_connect_to_abstract_listener_and_getpeername() -> None:
    def scenario(m: Any) -> Any:
        name = abstract_name("listener")
        with m.socket(m.AF_UNIX) as server, m.socket(m.AF_UNIX) as client:
            server.bind(name)
            server.listen()
            client.connect(name)
            accepted, address = server.accept()
            with accepted:
                return client.getpeername() == name, address, accepted.getsockname() == name

    agree(scenario)


def test_unix_getpeername_gives_the_listener_path() -> None:
    def scenario(m: Any) -> Any:
        with connected_pair(m, "AF_UNIX") as (client, accepted):
            return client.getpeername() == accepted.getsockname(), client.getsockname()

    agree(scenario)


def test_unix_datagram_recvfrom_unbound_sender_is_none() -> None:
    def scenario(m: Any) -> Any:
        with (
            listener(m, "AF_UNIX", "SOCK_DGRAM") as receiver,
            m.socket(m.AF_UNIX, m.SOCK_DGRAM) as sender,
        ):
            sender.sendto(b"anonymous", receiver.getsockname())
            return receiver.recvfrom(100)

    agree(scenario)


def test_unix_datagram_recvfrom_bound_sender_gives_its_path() -> None:
    def scenario(m: Any) -> Any:
        with (
            listener(m, "AF_UNIX", "SOCK_DGRAM") as receiver,
            listener(m, "AF_UNIX", "SOCK_DGRAM") as sender,
        ):
            sender.sendto(b"named", receiver.getsockname())
            data, address = receiver.recvfrom(100)
            return data, address == sender.getsockname()

    agree(scenario)


def test_unix_datagram_recvfrom_abstract_sender_gives_bytes() -> None:
    def scenario(m: Any) -> Any:
        name = abstract_name("sender")
        with (
            listener(m, "AF_UNIX", "SOCK_DGRAM") as receiver,
            m.socket(m.AF_UNIX, m.SOCK_DGRAM) as sender,
        ):
            sender.bind(name)
            sender.sendto(b"abstract", receiver.getsockname())
            data, address = receiver.recvfrom(100)
            return data, address == name

    agree(scenario)


def test_unix_getpeername_unconnected() -> None:
    def scenario(m: Any) -> Any:
        with m.socket(m.AF_UNIX) as sock:
            return sock.getpeername()

    agree(scenario)


# --- AF_INET ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "host",
    ["127.0.0.1", "", "localhost", b"127.0.0.1", bytearray(b"127.0.0.1"), "127.1", "0.0.0.0"],
    ids=repr,
)
def test_inet_bind_host_forms(host: Any) -> None:
    def scenario(m: Any) -> Any:
        return bound_name(m, "AF_INET", "SOCK_STREAM", (host, 0))

    agree(scenario)


def test_inet_bind_to_address_not_on_this_host() -> None:
    def scenario(m: Any) -> Any:
        return bound_name(m, "AF_INET", "SOCK_DGRAM", ("198.18.0.1", 0))

    agree(scenario)


def test_inet_bind_to_broadcast_name() -> None:
    def scenario(m: Any) -> Any:
        return bound_name(m, "AF_INET", "SOCK_DGRAM", ("<broadcast>", 0))

    agree(scenario)


def test_inet_bind_twice_is_invalid() -> None:
    def scenario(m: Any) -> Any:
        with m.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            return sock.bind(("127.0.0.1", 0))

    agree(scenario)


def test_inet_bind_to_port_in_use() -> None:
    def scenario(m: Any) -> Any:
        with listener(m, "AF_INET") as first, m.socket() as second:
            return second.bind(first.getsockname())

    agree(scenario)


def test_inet_bind_to_port_in_use_with_reuseaddr_of_a_listener() -> None:
    def scenario(m: Any) -> Any:
        with listener(m, "AF_INET") as first, m.socket() as second:
            second.setsockopt(m.SOL_SOCKET, m.SO_REUSEADDR, 1)
            return second.bind(first.getsockname())

    agree(scenario)


def test_inet_unbound_getsockname() -> None:
    def scenario(m: Any) -> Any:
        with m.socket() as sock:
            return sock.getsockname()

    agree(scenario)


@pytest.mark.parametrize("family", INET_FAMILIES)
def test_inet_getpeername_unconnected(family: str) -> None:
    def scenario(m: Any) -> Any:
        with m.socket(getattr(m, family)) as sock:
            return sock.getpeername()

    agree(scenario)


@pytest.mark.parametrize("family", INET_FAMILIES)
def test_inet_connected_stream_names(family: str) -> None:
    def scenario(m: Any) -> Any:
        with connected_pair(m, family) as (client, accepted):
            return (
                port_hidden(client.getsockname()),
                port_hidden(client.getpeername()),
                client.getpeername() == accepted.getsockname(),
            )

    agree(scenario)


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", b"127.0.0.1", "127.0.0.2"], ids=repr)
def test_inet_datagram_connect_host_forms(host: Any) -> None:
    def scenario(m: Any) -> Any:
        with m.socket(m.AF_INET, m.SOCK_DGRAM) as sock:
            sock.connect((host, 9))
            return sock.getpeername(), port_hidden(sock.getsockname())

    agree(scenario)


@pytest.mark.parametrize("port", [True, False, 65535], ids=repr)
def test_inet_port_edge_values(port: Any) -> None:
    def scenario(m: Any) -> Any:
        with m.socket(m.AF_INET, m.SOCK_DGRAM) as sock:
            sock.connect(("127.0.0.1", port))
            return sock.getpeername()

    agree(scenario)


def test_inet_connect_to_closed_port_is_refused() -> None:
    def scenario(m: Any) -> Any:
        with listener(m, "AF_INET", "SOCK_DGRAM") as unused, m.socket() as sock:
            return sock.connect(unused.getsockname())

    agree(scenario)


@pytest.mark.parametrize("family", INET_FAMILIES)
def test_inet_datagram_recvfrom_gives_sender_address(family: str) -> None:
    def scenario(m: Any) -> Any:
        with (
            listener(m, family, "SOCK_DGRAM") as receiver,
            listener(m, family, "SOCK_DGRAM") as sender,
        ):
            sender.sendto(b"hello", receiver.getsockname())
            data, address = receiver.recvfrom(100)
            return data, address == sender.getsockname(), port_hidden(address)

    agree(scenario)


def test_inet_broadcast_connect_needs_so_broadcast() -> None:
    def scenario(m: Any) -> Any:
        with m.socket(m.AF_INET, m.SOCK_DGRAM) as sock:
            return sock.connect(("<broadcast>", 9))

    agree(scenario)


def test_inet_broadcast_connect_with_so_broadcast() -> None:
    def scenario(m: Any) -> Any:
        with m.socket(m.AF_INET, m.SOCK_DGRAM) as sock:
            sock.setsockopt(m.SOL_SOCKET, m.SO_BROADCAST, 1)
            sock.connect(("<broadcast>", 9))
            return sock.getpeername()

    agree(scenario)


def test_inet_broadcast_sendto_without_so_broadcast() -> None:
    def scenario(m: Any) -> Any:
        with listener(m, "AF_INET", "SOCK_DGRAM") as sock:
            return sock.sendto(b"x", ("<broadcast>", 9))

    agree(scenario)


def test_inet_broadcast_sendto_from_loopback_bound_socket() -> None:
    """The datagram can only leave through lo: the socket is bound to the lo device."""

    def scenario(m: Any) -> Any:
        with m.socket(m.AF_INET, m.SOCK_DGRAM) as sock:
            sock.setsockopt(m.SOL_SOCKET, m.SO_BINDTODEVICE, b"lo")
            sock.setsockopt(m.SOL_SOCKET, m.SO_BROADCAST, 1)
            sock.bind(("127.0.0.1", 0))
            return sock.sendto(b"x", ("<broadcast>", 9))

    agree(scenario)


# --- AF_INET6 ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        ("::1", 0),
        ("::1", 0, 0),
        ("::1", 0, 0, 0),
        ("", 0),
        ("::", 0),
        (b"::1", 0),
        ("0:0:0:0:0:0:0:1", 0),
        ("::ffff:127.0.0.1", 0),
    ],
    ids=repr,
)
def test_inet6_bind_address_forms(address: tuple[Any, ...]) -> None:
    def scenario(m: Any) -> Any:
        return bound_name(m, "AF_INET6", "SOCK_STREAM", address)

    agree(scenario)


def test_inet6_v6only_refuses_mapped_address() -> None:
    def scenario(m: Any) -> Any:
        with m.socket(m.AF_INET6) as sock:
            sock.setsockopt(m.IPPROTO_IPV6, m.IPV6_V6ONLY, 1)
            return sock.bind(("::ffff:127.0.0.1", 0))

    agree(scenario)


def test_inet6_ipv4_address_on_ipv6_socket() -> None:
    def scenario(m: Any) -> Any:
        with m.socket(m.AF_INET6, m.SOCK_DGRAM) as sock:
            return sock.connect(("127.0.0.1", 9))

    agree(scenario)


@pytest.mark.parametrize("flowinfo", [0, 1, 0xFFFFF], ids=hex)
def test_inet6_flowinfo_in_range_is_accepted(flowinfo: int) -> None:
    def scenario(m: Any) -> Any:
        with m.socket(m.AF_INET6, m.SOCK_DGRAM) as sock:
            sock.connect(("::1", 9, flowinfo))
            return sock.getpeername()

    agree(scenario)


@pytest.mark.parametrize("flowinfo", [-1, 0x100000], ids=hex)
def test_inet6_flowinfo_out_of_range_overflows(flowinfo: int) -> None:
    def scenario(m: Any) -> Any:
        with m.socket(m.AF_INET6, m.SOCK_DGRAM) as sock:
            return sock.connect(("::1", 9, flowinfo))

    agree(scenario)


def test_inet6_scope_id_binds_link_local_address() -> None:
    def scenario(m: Any) -> Any:
        with m.socket(m.AF_INET6, m.SOCK_DGRAM) as sock:
            sock.setsockopt(m.SOL_IP, IP_FREEBIND, 1)
            sock.bind(("fe80::1", 0, 0, LO_INDEX))
            return port_hidden(sock.getsockname())

    agree(scenario)


def test_inet6_link_local_without_scope_id_is_invalid() -> None:
    def scenario(m: Any) -> Any:
        with m.socket(m.AF_INET6, m.SOCK_DGRAM) as sock:
            sock.setsockopt(m.SOL_IP, IP_FREEBIND, 1)
            return sock.bind(("fe80::1", 0))

    agree(scenario)


def test_inet6_scope_id_of_missing_interface() -> None:
    def scenario(m: Any) -> Any:
        with m.socket(m.AF_INET6, m.SOCK_DGRAM) as sock:
            sock.setsockopt(m.SOL_IP, IP_FREEBIND, 1)
            return sock.bind(("fe80::1", 0, 0, 2**31 - 1))

    agree(scenario)


def test_inet6_scope_id_ignored_for_global_address() -> None:
    def scenario(m: Any) -> Any:
        with m.socket(m.AF_INET6, m.SOCK_DGRAM) as sock:
            sock.connect(("::1", 9, 0, LO_INDEX))
            return sock.getpeername()

    agree(scenario)


def test_inet6_connect_to_closed_port_is_refused() -> None:
    def scenario(m: Any) -> Any:
        with listener(m, "AF_INET6", "SOCK_DGRAM") as unused, m.socket(m.AF_INET6) as sock:
            return sock.connect(unused.getsockname())

    agree(scenario)


def test_inet6_connect_with_two_tuple_to_listener() -> None:
    def scenario(m: Any) -> Any:
        with listener(m, "AF_INET6") as server, m.socket(m.AF_INET6) as client:
            client.connect(server.getsockname()[:2])
            accepted, address = server.accept()
            with accepted:
                return port_hidden(address), port_hidden(client.getpeername())

    agree(scenario)


def test_inet6_unbound_getsockname() -> None:
    def scenario(m: Any) -> Any:
        with m.socket(m.AF_INET6) as sock:
            return sock.getsockname()

    agree(scenario)


# --- deliberate differences: sockimpl alone ---------------------------------------------


def test_unix_path_with_nul_byte_is_a_value_error_in_sockimpl() -> None:
    """The stdlib hands the path to the kernel, which stops at the NUL and
    binds a shorter path than the one given; sockimpl refuses it instead."""
    with fresh_dir() as directory, sockimpl.socket(sockimpl.AF_UNIX) as sock:
        with pytest.raises(ValueError):
            sock.bind(directory + "/before\0after")
        assert os.listdir(directory) == []


def test_unix_bytes_path_with_nul_byte_is_a_value_error_in_sockimpl() -> None:
    """Same as for str: a NUL inside a filesystem path would be truncated."""
    with (
        fresh_dir() as directory,
        sockimpl.socket(sockimpl.AF_UNIX, sockimpl.SOCK_DGRAM) as sock,
        pytest.raises(ValueError),
    ):
        sock.sendto(b"x", os.fsencode(directory) + b"/a\0b")


def test_unix_abstract_name_may_contain_nul_bytes_in_sockimpl() -> None:
    """Only filesystem paths are refused: an abstract name is a byte string
    whose every byte counts, NULs included."""
    name = abstract_name() + b"\0tail"
    with sockimpl.socket(sockimpl.AF_UNIX) as sock:
        sock.bind(name)
        assert sock.getsockname() == name


@pytest.mark.parametrize("scope_id", [-1, 2**32, 2**64], ids=hex)
def test_inet6_scope_id_out_of_range_overflows_in_sockimpl(scope_id: int) -> None:
    """The stdlib silently masks the scope id to 32 bits (2**32 becomes 0, a
    different interface); sockimpl refuses the value, as it does for flowinfo."""
    with (
        sockimpl.socket(sockimpl.AF_INET6, sockimpl.SOCK_DGRAM) as sock,
        pytest.raises(OverflowError),
    ):
        sock.connect(("::1", 9, 0, scope_id))


@pytest.mark.parametrize("flowinfo", [2**32, 2**32 + 1, 2**64], ids=hex)
def test_inet6_flowinfo_beyond_32_bits_overflows_in_sockimpl(flowinfo: int) -> None:
    """The stdlib checks flowinfo against 0-1048575 only after masking it to
    32 bits, so 2**32 silently becomes 0; sockimpl refuses it like 0x100000."""
    with (
        sockimpl.socket(sockimpl.AF_INET6, sockimpl.SOCK_DGRAM) as sock,
        pytest.raises(OverflowError),
    ):
        sock.connect(("::1", 9, flowinfo))


def test_inet6_zone_in_host_is_honoured_in_sockimpl() -> None:
    """The stdlib drops the `%lo` zone (the tuple's scope id, 0, wins), so a
    link-local address fails with EINVAL; sockimpl uses the zone when the
    tuple gives no scope id."""
    with sockimpl.socket(sockimpl.AF_INET6, sockimpl.SOCK_DGRAM) as sock:
        sock.setsockopt(sockimpl.SOL_IP, IP_FREEBIND, 1)
        sock.bind(("fe80::1%lo", 0))
        host, _port, flowinfo, scope_id = sock.getsockname()
        assert (host, flowinfo, scope_id) == ("fe80::1", 0, LO_INDEX)


def test_inet6_explicit_scope_id_wins_over_zone_in_host() -> None:
    """A non-zero scope id in the tuple is what the caller asked for, in
    both implementations: the missing interface it names is refused."""

    def scenario(m: Any) -> Any:
        with m.socket(m.AF_INET6, m.SOCK_DGRAM) as sock:
            sock.setsockopt(m.SOL_IP, IP_FREEBIND, 1)
            return sock.bind(("fe80::1%lo", 0, 0, 2**31 - 1))

    agree(scenario)


def test_stdlib_drops_the_zone_in_host() -> None:
    """The behaviour sockimpl deliberately differs from, pinned so that a
    stdlib change is noticed."""
    with stdlib_socket.socket(stdlib_socket.AF_INET6, stdlib_socket.SOCK_DGRAM) as sock:
        sock.setsockopt(stdlib_socket.SOL_IP, IP_FREEBIND, 1)
        with pytest.raises(OSError) as raised:
            sock.bind(("fe80::1%lo", 0))
        assert raised.value.errno == errno.EINVAL


# --- dual stack and peers that went away --------------------------------------------------


def test_inet6_listener_sees_ipv4_client_as_mapped_address() -> None:
    def scenario(m: Any) -> Any:
        with m.socket(m.AF_INET6) as server, m.socket(m.AF_INET) as client:
            server.setsockopt(m.IPPROTO_IPV6, m.IPV6_V6ONLY, 0)
            server.bind(("::", 0))
            server.listen()
            client.connect(("127.0.0.1", server.getsockname()[1]))
            accepted, address = server.accept()
            with accepted:
                return port_hidden(address), port_hidden(accepted.getsockname())

    agree(scenario)


def test_inet6_datagram_from_ipv4_sender_has_mapped_address() -> None:
    def scenario(m: Any) -> Any:
        with (
            m.socket(m.AF_INET6, m.SOCK_DGRAM) as receiver,
            m.socket(m.AF_INET, m.SOCK_DGRAM) as sender,
        ):
            receiver.bind(("::", 0))
            sender.sendto(b"v4", ("127.0.0.1", receiver.getsockname()[1]))
            data, address = receiver.recvfrom(10)
            return data, port_hidden(address)

    agree(scenario)


@pytest.mark.parametrize("family", ["AF_UNIX", "AF_INET", "AF_INET6"])
def test_getpeername_after_the_peer_closed(family: str) -> None:
    def scenario(m: Any) -> Any:
        with listener(m, family) as server, m.socket(getattr(m, family)) as client:
            client.connect(server.getsockname())
            accepted, _ = server.accept()
            accepted.close()
            end = client.recv(10)
            peer = client.getpeername()
            shown = type(peer).__name__ if family == "AF_UNIX" else port_hidden(peer)
            return end, shown, peer == server.getsockname()

    agree(scenario)


def test_unix_datagram_connect_sets_the_peer() -> None:
    def scenario(m: Any) -> Any:
        with (
            listener(m, "AF_UNIX", "SOCK_DGRAM") as receiver,
            m.socket(m.AF_UNIX, m.SOCK_DGRAM) as sender,
        ):
            sender.connect(receiver.getsockname())
            sender.send(b"connected")
            return sender.getpeername() == receiver.getsockname(), receiver.recv(20)

    agree(scenario)


def test_unix_datagram_sendto_abstract_name() -> None:
    def scenario(m: Any) -> Any:
        name = abstract_name("dgram")
        with (
            m.socket(m.AF_UNIX, m.SOCK_DGRAM) as receiver,
            m.socket(m.AF_UNIX, m.SOCK_DGRAM) as sender,
        ):
            receiver.bind(name)
            return sender.sendto(b"abstract", name), receiver.recv(20)

    agree(scenario)


def test_unix_connect_ex_to_bound_datagram_path_from_stream_socket() -> None:
    def scenario(m: Any) -> Any:
        with listener(m, "AF_UNIX", "SOCK_DGRAM") as bound, m.socket(m.AF_UNIX) as sock:
            return sock.connect_ex(bound.getsockname())

    agree(scenario)


@pytest.mark.parametrize("host", [bytearray(b"127.0.0.1"), b"localhost"], ids=repr)
def test_inet_sendto_host_as_bytes(host: Any) -> None:
    def scenario(m: Any) -> Any:
        with (
            listener(m, "AF_INET", "SOCK_DGRAM") as receiver,
            m.socket(m.AF_INET, m.SOCK_DGRAM) as sender,
        ):
            sent = sender.sendto(b"bytes host", (host, receiver.getsockname()[1]))
            return sent, receiver.recv(20)

    agree(scenario)


def test_inet_udp_rebind_with_reuseaddr_on_both() -> None:
    def scenario(m: Any) -> Any:
        with (
            m.socket(m.AF_INET, m.SOCK_DGRAM) as first,
            m.socket(m.AF_INET, m.SOCK_DGRAM) as second,
        ):
            for sock in (first, second):
                sock.setsockopt(m.SOL_SOCKET, m.SO_REUSEADDR, 1)
            first.bind(("127.0.0.1", 0))
            second.bind(first.getsockname())
            return second.getsockname() == first.getsockname()

    agree(scenario)
