"""The high-level layer (the part socket.py plays): the socket class's own
methods, socketpair/fromfd, descriptor passing and the module's surface."""

from __future__ import annotations

import copy
import os
import pickle
import re
import socket as stdlib_socket
from typing import Any

import pytest
from differential import agree

import sockimpl


def normalised_repr(sock: Any) -> str:
    """repr() with what differs from run to run (descriptor number, port
    numbers, the module name) replaced by placeholders."""
    text = repr(sock).replace(type(sock).__module__, "MODULE", 1)
    text = re.sub(r"fd=\d+", "fd=N", text)
    return re.sub(r", \d+\)", ", PORT)", text)


def tcp_listener(m: Any, host: str = "127.0.0.1") -> Any:
    family = m.AF_INET6 if ":" in host else m.AF_INET
    sock = m.socket(family, m.SOCK_STREAM)
    sock.bind((host, 0))
    sock.listen()
    return sock


# --- repr and pickling --------------------------------------------------------


def test_repr_of_fresh_inet_socket_shows_family_type_and_local_address() -> None:
    def scenario(m: Any) -> str:
        with m.socket() as sock:
            return normalised_repr(sock)

    agree(scenario)


def test_repr_of_connected_socket_shows_both_addresses() -> None:
    def scenario(m: Any) -> str:
        with tcp_listener(m) as server, m.create_connection(server.getsockname()) as client:
            return normalised_repr(client)

    agree(scenario)


def test_repr_of_unnamed_unix_socket_omits_addresses() -> None:
    def scenario(m: Any) -> str:
        first, second = m.socketpair()
        with first, second:
            return normalised_repr(first)

    agree(scenario)


def test_repr_of_closed_socket_says_closed_and_fd_minus_one() -> None:
    def scenario(m: Any) -> str:
        sock = m.socket(m.AF_INET6, m.SOCK_DGRAM)
        sock.close()
        return repr(sock).replace(m.__name__, "MODULE", 1)

    agree(scenario)


def test_repr_of_subclass_names_the_subclass() -> None:
    def scenario(m: Any) -> str:
        class Custom(m.socket):
            __slots__ = ()

        with Custom() as sock:
            return repr(sock).split(" ")[0]

    outcome = agree(scenario)
    assert (
        outcome.value
        == f"<{__name__}.test_repr_of_subclass_names_the_subclass.<locals>.scenario.<locals>.Custom"
    )


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_pickling_a_socket_is_refused(protocol: int) -> None:
    def scenario(m: Any) -> bytes:
        with m.socket() as sock:
            return pickle.dumps(sock, protocol)

    assert agree(scenario).error == "TypeError"


def test_pickling_refusal_names_the_class() -> None:
    def scenario(m: Any) -> str:
        with m.socket() as sock:
            try:
                sock.__getstate__()
            except TypeError as exc:
                return str(exc)
        return "no error"

    assert agree(scenario).value == "cannot pickle 'socket' object"


def test_copying_a_socket_is_refused() -> None:
    def scenario(m: Any) -> Any:
        with m.socket() as sock:
            return copy.copy(sock)

    assert agree(scenario).error == "TypeError"


# --- family and type ------------------------------------------------------------


@pytest.mark.parametrize(
    ("family", "kind"),
    [("AF_INET", "SOCK_STREAM"), ("AF_INET6", "SOCK_DGRAM"), ("AF_UNIX", "SOCK_SEQPACKET")],
)
def test_family_and_type_are_enum_members(family: str, kind: str) -> None:
    def scenario(m: Any) -> Any:
        with m.socket(getattr(m, family), getattr(m, kind)) as sock:
            return type(sock.family).__name__, sock.family.name, type(sock.type).__name__

    agree(scenario)


def test_type_hides_nonblock_and_cloexec_flags() -> None:
    def scenario(m: Any) -> Any:
        kind = m.SOCK_STREAM | m.SOCK_NONBLOCK | m.SOCK_CLOEXEC
        with m.socket(m.AF_INET, kind) as sock:
            return sock.type.name, sock.gettimeout()

    agree(scenario)


def test_family_is_identical_to_module_constant() -> None:
    def scenario(m: Any) -> bool:
        with m.socket(m.AF_INET6) as sock:
            return sock.family is m.AF_INET6 and sock.type is m.SOCK_STREAM

    assert agree(scenario).value is True


# --- context manager ----------------------------------------------------------


def test_context_manager_returns_the_socket_and_closes_it() -> None:
    def scenario(m: Any) -> Any:
        sock = m.socket()
        with sock as entered:
            same = entered is sock
        return same, sock.fileno(), sock._closed

    agree(scenario)


def test_closing_inside_the_with_block_is_harmless() -> None:
    def scenario(m: Any) -> int:
        with m.socket() as sock:
            sock.close()
        return sock.fileno()

    agree(scenario)


def test_with_block_closes_socket_when_body_raises() -> None:
    def scenario(m: Any) -> Any:
        sock = m.socket()
        try:
            with sock:
                raise KeyError("boom")
        except KeyError:
            pass
        return sock.fileno()

    agree(scenario)


# --- dup ------------------------------------------------------------------------


def test_dup_gives_equal_socket_on_new_descriptor() -> None:
    def scenario(m: Any) -> Any:
        with m.socket(m.AF_INET6, m.SOCK_DGRAM) as sock:
            sock.settimeout(2.5)
            with sock.dup() as twin:
                return (
                    type(twin) is m.socket,
                    twin.fileno() != sock.fileno(),
                    twin.family,
                    twin.type,
                    twin.proto,
                    twin.gettimeout(),
                    twin.get_inheritable(),
                )

    agree(scenario)


def test_dup_of_subclass_instance_keeps_the_subclass() -> None:
    def scenario(m: Any) -> bool:
        class Custom(m.socket):
            __slots__ = ()

        with Custom() as sock, sock.dup() as twin:
            return type(twin) is Custom

    assert agree(scenario).value is True


def test_dup_survives_closing_the_original() -> None:
    def scenario(m: Any) -> bytes:
        first, second = m.socketpair()
        with second, first.dup() as twin:
            first.close()
            twin.sendall(b"still here")
            return second.recv(100)

    agree(scenario)


def test_dup_of_closed_socket_raises_ebadf() -> None:
    def scenario(m: Any) -> Any:
        sock = m.socket()
        sock.close()
        return sock.dup()

    assert agree(scenario).errno == 9


# --- accept ---------------------------------------------------------------------


def test_accept_returns_socket_object_and_peer_address() -> None:
    def scenario(m: Any) -> Any:
        with tcp_listener(m) as server, m.create_connection(server.getsockname()) as client:
            conn, address = server.accept()
            with conn:
                return (
                    type(conn) is m.socket,
                    conn.family,
                    conn.type,
                    conn.proto,
                    address == client.getsockname(),
                    conn.getpeername() == client.getsockname(),
                    conn.get_inheritable(),
                )

    agree(scenario)


def test_accepted_socket_is_blocking_when_listener_has_timeout() -> None:
    def scenario(m: Any) -> Any:
        with tcp_listener(m, "::1") as server, m.create_connection(server.getsockname()[:2]):
            server.settimeout(5)
            conn, _ = server.accept()
            with conn:
                return conn.gettimeout(), conn.getblocking()

    agree(scenario)


def test_accepted_socket_gets_the_default_timeout() -> None:
    def scenario(m: Any) -> Any:
        with tcp_listener(m) as server, m.create_connection(server.getsockname()):
            m.setdefaulttimeout(3.0)
            try:
                conn, _ = server.accept()
            finally:
                m.setdefaulttimeout(None)
            with conn:
                return conn.gettimeout()

    agree(scenario)


def test_accept_on_nonblocking_listener_without_client_raises_blocking_error() -> None:
    def scenario(m: Any) -> Any:
        with tcp_listener(m) as server:
            server.setblocking(False)
            return server.accept()

    assert agree(scenario).error == "BlockingIOError"


def test_accept_with_timeout_and_no_client_times_out() -> None:
    def scenario(m: Any) -> Any:
        with tcp_listener(m) as server:
            server.settimeout(0.05)
            return server.accept()

    assert agree(scenario).error == "TimeoutError"


def test_accept_on_unix_listener_returns_unnamed_peer() -> None:
    def scenario(m: Any) -> Any:
        with m.socket(m.AF_UNIX) as server:
            server.bind("\0sockimpl-highlevel-accept")
            server.listen()
            with m.socket(m.AF_UNIX) as client:
                client.connect("\0sockimpl-highlevel-accept")
                conn, address = server.accept()
                with conn:
                    return address, conn.family, conn.getsockname()

    agree(scenario)


# --- socketpair and fromfd ----------------------------------------------------


def test_socketpair_defaults_to_connected_unix_stream_sockets() -> None:
    def scenario(m: Any) -> Any:
        first, second = m.socketpair()
        with first, second:
            first.sendall(b"ping")
            return (
                type(first) is m.socket,
                type(second) is m.socket,
                first.family,
                first.type,
                second.recv(10),
                first.get_inheritable(),
            )

    agree(scenario)


def test_socketpair_of_datagram_sockets_keeps_message_boundaries() -> None:
    def scenario(m: Any) -> Any:
        first, second = m.socketpair(m.AF_UNIX, m.SOCK_DGRAM)
        with first, second:
            first.send(b"one")
            first.send(b"two")
            return second.type, second.recv(100), second.recv(100)

    agree(scenario)


def test_socketpair_of_inet_sockets_is_not_supported() -> None:
    def scenario(m: Any) -> Any:
        return m.socketpair(m.AF_INET)

    assert agree(scenario).error is not None


def test_fromfd_wraps_a_duplicate_of_the_descriptor() -> None:
    def scenario(m: Any) -> Any:
        first, second = m.socketpair()
        with first, second, m.fromfd(first.fileno(), m.AF_UNIX, m.SOCK_STREAM) as adopted:
            different = adopted.fileno() != first.fileno()
            first.close()
            adopted.sendall(b"via the duplicate")
            return type(adopted) is m.socket, different, adopted.family, second.recv(100)

    agree(scenario)


def test_fromfd_of_a_closed_descriptor_raises_ebadf() -> None:
    def scenario(m: Any) -> Any:
        read_end, write_end = os.pipe()
        os.close(read_end)
        os.close(write_end)
        return m.fromfd(read_end, m.AF_UNIX, m.SOCK_STREAM)

    assert agree(scenario).errno == 9


# --- passing descriptors ------------------------------------------------------


def test_send_fds_passes_a_working_descriptor() -> None:
    def scenario(m: Any) -> Any:
        first, second = m.socketpair()
        read_end, write_end = os.pipe()
        try:
            with first, second:
                sent = m.send_fds(first, [b"here"], [write_end])
                data, fds, flags, address = m.recv_fds(second, 100, 4)
                for fd in fds:
                    os.write(fd, b"through the copy")
                    os.close(fd)
                return sent, data, len(fds), flags, address, os.read(read_end, 100)
        finally:
            os.close(read_end)
            os.close(write_end)

    agree(scenario)


def test_recv_fds_with_too_little_room_truncates_and_flags_it() -> None:
    def scenario(m: Any) -> Any:
        first, second = m.socketpair()
        read_end, write_end = os.pipe()
        try:
            with first, second:
                m.send_fds(first, [b"x"], [read_end, write_end, read_end])
                data, fds, flags, _ = m.recv_fds(second, 10, 1)
                for fd in fds:
                    os.close(fd)
                return data, len(fds), bool(flags & m.MSG_CTRUNC)
        finally:
            os.close(read_end)
            os.close(write_end)

    agree(scenario)


def test_recv_fds_without_descriptors_returns_empty_list() -> None:
    def scenario(m: Any) -> Any:
        first, second = m.socketpair()
        with first, second:
            first.sendall(b"plain")
            return m.recv_fds(second, 100, 2)

    agree(scenario)


def test_recv_fds_honours_flags() -> None:
    """Deliberately differs: the stdlib (3.10-3.13) ignores recv_fds'
    flags (gh-107898), silently consuming a message the caller asked to
    peek at.  sockimpl passes them to recvmsg()."""
    first, second = sockimpl.socketpair()
    with first, second:
        first.sendall(b"peek at me")
        peeked, _, _, _ = sockimpl.recv_fds(second, 100, 1, sockimpl.MSG_PEEK)
        assert peeked == b"peek at me"
        assert second.recv(100) == b"peek at me"


def test_send_fds_honours_address() -> None:
    """Deliberately differs: the stdlib (3.10-3.13) ignores send_fds'
    address (gh-107898), so an unconnected datagram socket fails with
    ENOTCONN.  sockimpl sends to the address."""
    name = "\0sockimpl-highlevel-send-fds"
    read_end, write_end = os.pipe()
    try:
        with sockimpl.socket(sockimpl.AF_UNIX, sockimpl.SOCK_DGRAM) as receiver:
            receiver.bind(name)
            with sockimpl.socket(sockimpl.AF_UNIX, sockimpl.SOCK_DGRAM) as sender:
                sockimpl.send_fds(sender, [b"addressed"], [read_end], 0, name)
            data, fds, _, _ = sockimpl.recv_fds(receiver, 100, 1)
            for fd in fds:
                os.close(fd)
    finally:
        os.close(read_end)
        os.close(write_end)
    assert (data, len(fds)) == (b"addressed", 1)


# --- enums ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("enum_name", "value"),
    [("AddressFamily", 2), ("AddressFamily", 1), ("AddressFamily", 10), ("SocketKind", 2)],
)
def test_enum_looks_values_up_by_number(enum_name: str, value: int) -> None:
    def scenario(m: Any) -> Any:
        member = getattr(m, enum_name)(value)
        return member.name, int(member)

    agree(scenario)


def test_enum_rejects_unknown_value() -> None:
    def scenario(m: Any) -> Any:
        return m.AddressFamily(31337)

    assert agree(scenario).error == "ValueError"


@pytest.mark.parametrize(
    ("enum_name", "name"),
    [
        ("AddressFamily", "AF_INET"),
        ("SocketKind", "SOCK_DGRAM"),
        ("MsgFlag", "MSG_PEEK"),
        ("AddressInfo", "AI_PASSIVE"),
    ],
)
def test_module_constant_is_the_enum_member(enum_name: str, name: str) -> None:
    def scenario(m: Any) -> bool:
        return getattr(m, name) is getattr(getattr(m, enum_name), name)

    assert agree(scenario).value is True


@pytest.mark.parametrize("name", ["AF_INET", "AF_UNIX", "SOCK_STREAM", "MSG_PEEK", "AI_CANONNAME"])
def test_member_str_repr_and_format_match_stdlib(name: str) -> None:
    def scenario(m: Any) -> Any:
        member = getattr(m, name)
        return str(member), repr(member), f"{member}", f"{member:>4}"

    agree(scenario)


def test_combined_flags_repr_matches_stdlib() -> None:
    def scenario(m: Any) -> Any:
        combined = m.MSG_PEEK | m.MSG_DONTWAIT
        return repr(combined), type(combined).__name__, int(combined)

    agree(scenario)


def test_enum_member_pickles_to_itself() -> None:
    def scenario(m: Any) -> bool:
        return pickle.loads(pickle.dumps(m.AF_INET6)) is m.AF_INET6

    assert agree(scenario).value is True


@pytest.mark.parametrize("enum_name", ["AddressFamily", "SocketKind", "MsgFlag", "AddressInfo"])
def test_enum_has_every_stdlib_member_with_its_value(enum_name: str) -> None:
    ours = getattr(sockimpl, enum_name).__members__
    theirs = getattr(stdlib_socket, enum_name).__members__
    missing = {name: int(v) for name, v in theirs.items() if int(ours.get(name, -1)) != int(v)}
    assert missing == {}


def test_nonmember_constants_stay_plain_ints() -> None:
    def scenario(m: Any) -> Any:
        return type(m.SOL_SOCKET).__name__, type(m.SO_REUSEADDR).__name__

    agree(scenario)


# --- the module surface -------------------------------------------------------


def test_all_lists_every_stdlib_public_name() -> None:
    # CAPI is the stdlib's capsule for C extensions: nothing to offer here.
    expected = set(stdlib_socket.__all__) - {"CAPI"}
    assert expected - set(sockimpl.__all__) == set()


def test_every_name_in_all_exists() -> None:
    assert [name for name in sockimpl.__all__ if not hasattr(sockimpl, name)] == []


def test_star_import_exposes_the_high_level_socket_class() -> None:
    namespace: dict[str, Any] = {}
    exec("from sockimpl import *", namespace)  # noqa: S102 - a star import needs module scope
    assert namespace["socket"] is sockimpl.socket
    assert namespace["AF_INET"] is sockimpl.AddressFamily.AF_INET


def test_reexported_errno_values() -> None:
    agree(lambda m: (m.EBADF, m.EAGAIN, m.EWOULDBLOCK))


def test_socket_type_is_the_base_of_socket() -> None:
    def scenario(m: Any) -> Any:
        return m.SocketType is not m.socket, issubclass(m.socket, m.SocketType)

    agree(scenario)


def test_error_and_timeout_are_builtin_exceptions() -> None:
    agree(lambda m: (m.error is OSError, m.timeout is TimeoutError))


def test_socket_instances_have_no_dict() -> None:
    def scenario(m: Any) -> bool:
        with m.socket() as sock:
            return hasattr(sock, "__dict__")

    agree(scenario)


def test_getaddrinfo_returns_enum_family_and_type() -> None:
    def scenario(m: Any) -> Any:
        return [
            (type(family).__name__, family, type(kind).__name__, kind, proto, address)
            for family, kind, proto, _, address in m.getaddrinfo(
                "127.0.0.1", 80, type=m.SOCK_STREAM
            )
        ]

    agree(scenario)


def test_getaddrinfo_accepts_keyword_arguments() -> None:
    def scenario(m: Any) -> Any:
        return m.getaddrinfo(
            host="::1",
            port=7,
            family=m.AF_INET6,
            type=m.SOCK_DGRAM,
            proto=0,
            flags=m.AI_NUMERICHOST,
        )

    agree(scenario)
