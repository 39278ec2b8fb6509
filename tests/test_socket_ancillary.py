"""Differential: sendmsg, recvmsg and recvmsg_into, with and without
ancillary data (SCM_RIGHTS, SCM_CREDENTIALS), their truncation flags, and
the CMSG_LEN / CMSG_SPACE helpers."""

from __future__ import annotations

import array
import os
import struct
import tempfile
from typing import Any

import pytest
from differential import agree
from socket_support import (
    datagram_pair,
    fresh_dir,
    listener,
    port_hidden,
    same_file,
    unix_pair,
)

FD = array.array("i").itemsize
UCRED = struct.Struct("iII")
# The largest lengths the stdlib accepts: the results must still fit an int.
CMSG_LEN_MAX = 2**31 - 1 - 16
CMSG_SPACE_MAX = 2**31 - 1 - 24


def fds_in(ancdata: list[tuple[int, int, bytes]], m: Any) -> list[int]:
    """The descriptors carried by SCM_RIGHTS messages (whole ints only)."""
    fds = array.array("i")
    for level, kind, data in ancdata:
        if (level, kind) == (m.SOL_SOCKET, m.SCM_RIGHTS):
            fds.frombytes(data[: len(data) - len(data) % FD])
    return list(fds)


def close_all(fds: list[int]) -> None:
    for fd in fds:
        os.close(fd)


def rights(m: Any, *fds: int) -> tuple[int, int, bytes]:
    return m.SOL_SOCKET, m.SCM_RIGHTS, array.array("i", fds).tobytes()


def shape(ancdata: list[tuple[int, int, bytes]]) -> list[tuple[int, int, int]]:
    """Level, type and data length of each control message."""
    return [(level, kind, len(data)) for level, kind, data in ancdata]


# --- CMSG_LEN and CMSG_SPACE ------------------------------------------------------------


@pytest.mark.parametrize("length", [0, 1, 4, 7, 8, 12, 100, 4096, CMSG_LEN_MAX])
def test_cmsg_len_values(length: int) -> None:
    def scenario(m: Any) -> Any:
        return m.CMSG_LEN(length)

    agree(scenario)


@pytest.mark.parametrize("length", [0, 1, 4, 7, 8, 12, 100, 4096, CMSG_SPACE_MAX])
def test_cmsg_space_values(length: int) -> None:
    def scenario(m: Any) -> Any:
        return m.CMSG_SPACE(length)

    agree(scenario)


@pytest.mark.parametrize(
    "length",
    [-1, CMSG_LEN_MAX + 1, 2**32, 2**63 - 1, 2**63, 2**64, "1", 1.0, None],
    ids=repr,
)
def test_cmsg_len_bad_arguments(length: Any) -> None:
    def scenario(m: Any) -> Any:
        return m.CMSG_LEN(length)

    agree(scenario)


@pytest.mark.parametrize(
    "length",
    [-1, CMSG_SPACE_MAX + 1, 2**32, 2**63 - 1, 2**63, 2**64, "1", 1.0, None],
    ids=repr,
)
def test_cmsg_space_bad_arguments(length: Any) -> None:
    def scenario(m: Any) -> Any:
        return m.CMSG_SPACE(length)

    agree(scenario)


@pytest.mark.parametrize("name", ["CMSG_LEN", "CMSG_SPACE"])
def test_cmsg_helpers_take_exactly_one_argument(name: str) -> None:
    def scenario(m: Any) -> Any:
        return getattr(m, name)(1, 2)

    agree(scenario)


# --- sendmsg and recvmsg without ancillary data ---------------------------------------


def test_sendmsg_gathers_several_buffers() -> None:
    def scenario(m: Any) -> Any:
        with unix_pair(m) as (first, second):
            sent = first.sendmsg(
                [b"ab", bytearray(b"cd"), memoryview(b"ef"), array.array("b", b"g")]
            )
            return sent, second.recv(100)

    agree(scenario)


def test_sendmsg_with_no_buffers_sends_nothing() -> None:
    def scenario(m: Any) -> Any:
        with unix_pair(m) as (first, _second):
            return first.sendmsg([])

    agree(scenario)


def test_sendmsg_accepts_any_iterable_of_buffers() -> None:
    def scenario(m: Any) -> Any:
        with unix_pair(m) as (first, second):
            sent = first.sendmsg(chunk for chunk in (b"gen", b"erator"))
            return sent, second.recv(100)

    agree(scenario)


def test_sendmsg_to_a_datagram_address() -> None:
    def scenario(m: Any) -> Any:
        with (
            listener(m, "AF_INET", "SOCK_DGRAM") as receiver,
            m.socket(m.AF_INET, m.SOCK_DGRAM) as sender,
        ):
            sent = sender.sendmsg([b"to", b"addr"], [], 0, receiver.getsockname())
            data, _, flags, address = receiver.recvmsg(100)
            return sent, data, flags, port_hidden(address)

    agree(scenario)


def test_sendmsg_to_a_unix_path() -> None:
    def scenario(m: Any) -> Any:
        with (
            listener(m, "AF_UNIX", "SOCK_DGRAM") as receiver,
            listener(m, "AF_UNIX", "SOCK_DGRAM") as sender,
        ):
            sender.sendmsg([b"path"], [], 0, receiver.getsockname())
            data, ancdata, flags, address = receiver.recvmsg(100)
            return data, ancdata, flags, address == sender.getsockname()

    agree(scenario)


def test_sendmsg_with_flags() -> None:
    def scenario(m: Any) -> Any:
        with unix_pair(m) as (first, second):
            return first.sendmsg([b"flags"], [], m.MSG_DONTWAIT), second.recv(100)

    agree(scenario)


@pytest.mark.parametrize("family", ["AF_INET", "AF_INET6"])
def test_recvmsg_over_udp_gives_the_sender(family: str) -> None:
    def scenario(m: Any) -> Any:
        with datagram_pair(m, family) as (first, second):
            first.send(b"msg")
            data, ancdata, flags, address = second.recvmsg(100)
            return data, ancdata, flags, address == first.getsockname()

    agree(scenario)


def test_recvmsg_on_socketpair_has_no_address() -> None:
    def scenario(m: Any) -> Any:
        with unix_pair(m) as (first, second):
            first.send(b"pair")
            return second.recvmsg(100)

    agree(scenario)


def test_recvmsg_peek_then_read() -> None:
    def scenario(m: Any) -> Any:
        with unix_pair(m) as (first, second):
            first.send(b"peek")
            return second.recvmsg(100, 0, m.MSG_PEEK), second.recvmsg(100)

    agree(scenario)


def test_recvmsg_at_end_of_stream() -> None:
    def scenario(m: Any) -> Any:
        with unix_pair(m) as (first, second):
            first.shutdown(m.SHUT_WR)
            return second.recvmsg(100, 1024)

    agree(scenario)


def test_recvmsg_truncated_datagram_sets_msg_trunc() -> None:
    def scenario(m: Any) -> Any:
        with unix_pair(m, "SOCK_DGRAM") as (first, second):
            first.send(b"0123456789")
            data, _, flags, _ = second.recvmsg(4)
            return data, bool(flags & m.MSG_TRUNC)

    agree(scenario)


def test_recvmsg_with_msg_trunc_flag_returns_at_most_bufsize() -> None:
    """With MSG_TRUNC in flags the kernel reports the datagram's real
    length; the data returned is still only what fitted the buffer."""

    def scenario(m: Any) -> Any:
        with unix_pair(m, "SOCK_DGRAM") as (first, second):
            first.send(b"0123456789")
            data, _, flags, _ = second.recvmsg(4, 0, m.MSG_TRUNC)
            return data, bool(flags & m.MSG_TRUNC)

    agree(scenario)


def test_recvmsg_whole_datagram_has_no_msg_trunc() -> None:
    def scenario(m: Any) -> Any:
        with unix_pair(m, "SOCK_SEQPACKET") as (first, second):
            first.send(b"fits")
            return second.recvmsg(100)

    agree(scenario)


def test_recvmsg_into_scatters_over_several_buffers() -> None:
    def scenario(m: Any) -> Any:
        buffers = [bytearray(3), memoryview(bytearray(2)), array.array("b", bytes(4))]
        with unix_pair(m) as (first, second):
            first.send(b"abcdefgh")
            count, ancdata, flags, address = second.recvmsg_into(buffers)
            return count, ancdata, flags, address, [bytes(b) for b in buffers]

    agree(scenario)


def test_recvmsg_into_truncated_datagram_over_several_buffers() -> None:
    def scenario(m: Any) -> Any:
        buffers = [bytearray(2), bytearray(2)]
        with datagram_pair(m, "AF_INET6") as (first, second):
            first.send(b"0123456789")
            count, _, flags, address = second.recvmsg_into(buffers)
            return count, bool(flags & m.MSG_TRUNC), port_hidden(address), buffers

    agree(scenario)


def test_recvmsg_into_with_no_buffers() -> None:
    def scenario(m: Any) -> Any:
        with unix_pair(m, "SOCK_DGRAM") as (first, second):
            first.send(b"lost")
            count, _, flags, _ = second.recvmsg_into([])
            return count, bool(flags & m.MSG_TRUNC)

    agree(scenario)


# --- SCM_RIGHTS -----------------------------------------------------------------------


def test_scm_rights_passes_a_descriptor_to_the_same_file() -> None:
    def scenario(m: Any) -> Any:
        with tempfile.TemporaryFile() as shared, unix_pair(m) as (first, second):
            first.sendmsg([b"fd"], [rights(m, shared.fileno())])
            data, ancdata, flags, _ = second.recvmsg(10, m.CMSG_SPACE(FD))
            received = fds_in(ancdata, m)
            try:
                return (
                    data,
                    shape(ancdata),
                    flags,
                    [same_file(fd, shared.fileno()) for fd in received],
                )
            finally:
                close_all(received)

    agree(scenario)


def test_scm_rights_passes_several_descriptors_in_one_message() -> None:
    def scenario(m: Any) -> Any:
        with (
            tempfile.TemporaryFile() as one,
            tempfile.TemporaryFile() as two,
            unix_pair(m) as (first, second),
        ):
            first.sendmsg([b"x"], [rights(m, one.fileno(), two.fileno(), one.fileno())])
            _, ancdata, flags, _ = second.recvmsg(10, m.CMSG_SPACE(3 * FD))
            received = fds_in(ancdata, m)
            try:
                expected = [one.fileno(), two.fileno(), one.fileno()]
                return shape(ancdata), flags, [same_file(*pair) for pair in zip(received, expected)]
            finally:
                close_all(received)

    agree(scenario)


def test_scm_rights_in_two_control_messages_arrive_merged() -> None:
    def scenario(m: Any) -> Any:
        with tempfile.TemporaryFile() as one, unix_pair(m) as (first, second):
            first.sendmsg([b"x"], [rights(m, one.fileno()), rights(m, one.fileno())])
            _, ancdata, flags, _ = second.recvmsg(10, 1024)
            received = fds_in(ancdata, m)
            try:
                return shape(ancdata), flags, len(received)
            finally:
                close_all(received)

    agree(scenario)


def test_scm_rights_passes_a_socket_that_still_works() -> None:
    def scenario(m: Any) -> Any:
        with unix_pair(m) as (first, second), unix_pair(m) as (carried, peer):
            first.sendmsg([b"s"], [rights(m, carried.fileno())])
            _, ancdata, _, _ = second.recvmsg(10, m.CMSG_SPACE(FD))
            (fd,) = fds_in(ancdata, m)
            with m.socket(fileno=fd) as adopted:
                adopted.send(b"through the passed socket")
                return peer.recv(100), adopted.family, adopted.type

    agree(scenario)


def test_scm_rights_received_descriptor_inheritability() -> None:
    def scenario(m: Any) -> Any:
        with tempfile.TemporaryFile() as shared, unix_pair(m) as (first, second):
            first.sendmsg([b"x"], [rights(m, shared.fileno())])
            _, ancdata, _, _ = second.recvmsg(10, m.CMSG_SPACE(FD))
            received = fds_in(ancdata, m)
            try:
                return [os.get_inheritable(fd) for fd in received]
            finally:
                close_all(received)

    agree(scenario)


def test_scm_rights_with_msg_cmsg_cloexec() -> None:
    def scenario(m: Any) -> Any:
        with tempfile.TemporaryFile() as shared, unix_pair(m) as (first, second):
            first.sendmsg([b"x"], [rights(m, shared.fileno())])
            _, ancdata, _, _ = second.recvmsg(10, m.CMSG_SPACE(FD), m.MSG_CMSG_CLOEXEC)
            received = fds_in(ancdata, m)
            try:
                return [os.get_inheritable(fd) for fd in received]
            finally:
                close_all(received)

    agree(scenario)


def test_scm_rights_too_small_ancillary_buffer_sets_msg_ctrunc() -> None:
    def scenario(m: Any) -> Any:
        with tempfile.TemporaryFile() as one, unix_pair(m) as (first, second):
            first.sendmsg([b"x"], [rights(m, one.fileno(), one.fileno(), one.fileno())])
            _, ancdata, flags, _ = second.recvmsg(10, m.CMSG_LEN(FD))
            received = fds_in(ancdata, m)
            try:
                return shape(ancdata), bool(flags & m.MSG_CTRUNC), len(received)
            finally:
                close_all(received)

    agree(scenario)


def test_scm_rights_without_ancillary_buffer_drops_descriptors() -> None:
    def scenario(m: Any) -> Any:
        with tempfile.TemporaryFile() as one, unix_pair(m) as (first, second):
            first.sendmsg([b"data"], [rights(m, one.fileno())])
            return second.recvmsg(10)

    agree(scenario)


def test_scm_rights_received_with_recvmsg_into() -> None:
    def scenario(m: Any) -> Any:
        buffer = bytearray(8)
        with tempfile.TemporaryFile() as shared, unix_pair(m, "SOCK_DGRAM") as (first, second):
            first.sendmsg([b"in", b"to"], [rights(m, shared.fileno())])
            count, ancdata, flags, address = second.recvmsg_into([buffer], m.CMSG_SPACE(FD))
            received = fds_in(ancdata, m)
            try:
                same = [same_file(fd, shared.fileno()) for fd in received]
                return count, bytes(buffer), shape(ancdata), flags, address, same
            finally:
                close_all(received)

    agree(scenario)


def test_scm_rights_with_partial_descriptor_carries_nothing() -> None:
    def scenario(m: Any) -> Any:
        with unix_pair(m) as (first, _second):
            return first.sendmsg([b"x"], [(m.SOL_SOCKET, m.SCM_RIGHTS, b"\0\0\0")])

    agree(scenario)


def test_scm_rights_with_closed_descriptor_is_bad() -> None:
    def scenario(m: Any) -> Any:
        with unix_pair(m) as (first, _second):
            # Opened after the pair, so no socket reuses the closed number.
            fd = os.open("/dev/null", os.O_RDONLY)
            os.close(fd)
            return first.sendmsg([b"x"], [rights(m, fd)])

    agree(scenario)


def test_scm_rights_over_udp_is_ignored() -> None:
    def scenario(m: Any) -> Any:
        with datagram_pair(m, "AF_INET") as (first, _second):
            return first.sendmsg([b"x"], [rights(m, first.fileno())])

    agree(scenario)


def test_control_message_with_empty_data() -> None:
    def scenario(m: Any) -> Any:
        with unix_pair(m) as (first, second):
            sent = first.sendmsg([b"x"], [(m.SOL_SOCKET, m.SCM_RIGHTS, b"")])
            return sent, second.recvmsg(10, 1024)

    agree(scenario)


# --- SCM_CREDENTIALS --------------------------------------------------------------------


def test_scm_credentials_with_so_passcred_identify_the_sender() -> None:
    def scenario(m: Any) -> Any:
        with unix_pair(m) as (first, second):
            second.setsockopt(m.SOL_SOCKET, m.SO_PASSCRED, 1)
            first.send(b"who")
            data, ancdata, flags, _ = second.recvmsg(10, m.CMSG_SPACE(UCRED.size))
            credentials = [UCRED.unpack(d) for lvl, kind, d in ancdata if kind == m.SCM_CREDENTIALS]
            mine = (os.getpid(), os.getuid(), os.getgid())
            return data, shape(ancdata), flags, [c == mine for c in credentials]

    agree(scenario)


def test_scm_credentials_sent_explicitly() -> None:
    def scenario(m: Any) -> Any:
        mine = UCRED.pack(os.getpid(), os.getuid(), os.getgid())
        with unix_pair(m, "SOCK_DGRAM") as (first, second):
            second.setsockopt(m.SOL_SOCKET, m.SO_PASSCRED, 1)
            first.sendmsg([b"me"], [(m.SOL_SOCKET, m.SCM_CREDENTIALS, mine)])
            _, ancdata, flags, _ = second.recvmsg(10, 1024)
            return [(lvl, kind, d == mine) for lvl, kind, d in ancdata], flags

    agree(scenario)


def test_scm_credentials_too_small_buffer_sets_msg_ctrunc() -> None:
    def scenario(m: Any) -> Any:
        with unix_pair(m, "SOCK_SEQPACKET") as (first, second):
            second.setsockopt(m.SOL_SOCKET, m.SO_PASSCRED, 1)
            first.send(b"who")
            data, ancdata, flags, _ = second.recvmsg(10, m.CMSG_LEN(4))
            return data, shape(ancdata), bool(flags & m.MSG_CTRUNC)

    agree(scenario)


def test_scm_credentials_naming_another_pid() -> None:
    def scenario(m: Any) -> Any:
        other = UCRED.pack(1, os.getuid(), os.getgid())
        with unix_pair(m, "SOCK_DGRAM") as (first, second):
            second.setsockopt(m.SOL_SOCKET, m.SO_PASSCRED, 1)
            first.sendmsg([b"pid 1"], [(m.SOL_SOCKET, m.SCM_CREDENTIALS, other)])
            _, ancdata, _, _ = second.recvmsg(10, 1024)
            return [UCRED.unpack(d)[0] for _lvl, _kind, d in ancdata]

    agree(scenario)


# --- bad arguments ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "buffers",
    [b"not a list", [b"ok", "str"], [None], 42, [42]],
    ids=repr,
)
def test_sendmsg_with_bad_buffers(buffers: Any) -> None:
    def scenario(m: Any) -> Any:
        with unix_pair(m) as (first, _second):
            return first.sendmsg(buffers)

    agree(scenario)


@pytest.mark.parametrize(
    "ancdata",
    [
        [(1, 1)],
        [(1, 1, b"", 4)],
        [(1, 1, "str")],
        [("1", 1, b"")],
        [(2**31, 1, b"")],
        [1],
        [(1, 1, b"", None)],
        42,
    ],
    ids=repr,
)
def test_sendmsg_with_bad_ancillary_data(ancdata: Any) -> None:
    def scenario(m: Any) -> Any:
        with unix_pair(m) as (first, _second):
            return first.sendmsg([b"x"], ancdata)

    agree(scenario)


def test_sendmsg_ancillary_item_may_be_any_sequence() -> None:
    def scenario(m: Any) -> Any:
        with unix_pair(m) as (first, second):
            sent = first.sendmsg([b"x"], [[m.SOL_SOCKET, m.SCM_RIGHTS, b""]])
            return sent, second.recv(10)

    agree(scenario)


@pytest.mark.parametrize(
    "arguments",
    [([b"x"], [], "0"), ([b"x"], [], 0, ("127.0.0.1",)), ([b"x"], [], 0, None, 5)],
    ids=repr,
)
def test_sendmsg_with_bad_flags_address_or_count(arguments: tuple[Any, ...]) -> None:
    def scenario(m: Any) -> Any:
        with datagram_pair(m, "AF_INET") as (first, _second):
            return first.sendmsg(*arguments)

    agree(scenario)


@pytest.mark.parametrize(
    "arguments",
    [(-1,), (10, -1), (10, 0, "0"), ("10",), (2**63,), (10, 2**63), (1, 2, 3, 4)],
    ids=repr,
)
def test_recvmsg_with_bad_arguments(arguments: tuple[Any, ...]) -> None:
    def scenario(m: Any) -> Any:
        with unix_pair(m) as (first, second):
            first.send(b"x")
            return second.recvmsg(*arguments)

    agree(scenario)


@pytest.mark.parametrize(
    "buffers",
    [[b"read-only"], [bytearray(4), b"ro"], 42, [42], "str", [memoryview(b"ro")]],
    ids=repr,
)
def test_recvmsg_into_with_bad_buffers(buffers: Any) -> None:
    def scenario(m: Any) -> Any:
        with unix_pair(m) as (first, second):
            first.send(b"x")
            return second.recvmsg_into(buffers)

    agree(scenario)


def test_recvmsg_into_with_negative_ancillary_size() -> None:
    def scenario(m: Any) -> Any:
        with unix_pair(m) as (first, second):
            first.send(b"x")
            return second.recvmsg_into([bytearray(4)], -1)

    agree(scenario)


def test_sendmsg_on_unconnected_unix_datagram_socket() -> None:
    def scenario(m: Any) -> Any:
        with m.socket(m.AF_UNIX, m.SOCK_DGRAM) as sock:
            return sock.sendmsg([b"nowhere"])

    agree(scenario)


def test_sendmsg_to_missing_unix_path() -> None:
    def scenario(m: Any) -> Any:
        with fresh_dir() as directory, m.socket(m.AF_UNIX, m.SOCK_DGRAM) as sock:
            return sock.sendmsg([b"x"], [], 0, os.path.join(directory, "nobody"))

    agree(scenario)
