"""Differential: sending and receiving over stream, datagram and seqpacket
sockets of every family, and what the calls accept."""

from __future__ import annotations

import array
import gc
import os
import struct
import sys
import threading
from collections.abc import Callable
from typing import Any

import pytest
from differential import agree
from socket_support import (
    ALL_FAMILIES,
    INET_FAMILIES,
    connected_pair,
    datagram_pair,
    fill_send_buffer,
    listener,
    port_hidden,
    unix_pair,
)

PAYLOAD = bytes(range(256)) * 4


def stream_pair(m: Any, family: str) -> Any:
    """A connected stream pair: socketpair for AF_UNIX, TCP on loopback otherwise."""
    return unix_pair(m) if family == "AF_UNIX" else connected_pair(m, family)


def drain(sock: Any, size: int) -> bytes:
    chunks = []
    while size > 0:
        chunk = sock.recv(min(size, 65536))
        if not chunk:
            break
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


# --- send and recv ------------------------------------------------------------------------


@pytest.mark.parametrize("family", ALL_FAMILIES)
def test_send_then_recv_over_a_stream(family: str) -> None:
    def scenario(m: Any) -> Any:
        with stream_pair(m, family) as (first, second):
            sent = first.send(PAYLOAD)
            return sent, drain(second, len(PAYLOAD)) == PAYLOAD

    agree(scenario)


@pytest.mark.parametrize("family", ALL_FAMILIES)
def test_recv_returns_empty_bytes_at_end_of_stream(family: str) -> None:
    def scenario(m: Any) -> Any:
        with stream_pair(m, family) as (first, second):
            first.sendall(b"last")
            first.shutdown(m.SHUT_WR)
            return second.recv(100), second.recv(100), second.recv(100)

    agree(scenario)


@pytest.mark.parametrize("form", ["bytes", "bytearray", "memoryview", "array", "sliced view"])
def test_send_accepts_any_contiguous_buffer(form: str) -> None:
    make = {
        "bytes": lambda: b"buffer",
        "bytearray": lambda: bytearray(b"buffer"),
        "memoryview": lambda: memoryview(b"buffer"),
        "array": lambda: array.array("b", b"buffer"),
        "sliced view": lambda: memoryview(b"xxbufferxx")[2:8],
    }[form]

    def scenario(m: Any) -> Any:
        with unix_pair(m) as (first, second):
            return first.send(make()), second.recv(100)

    agree(scenario)


def test_send_of_wide_array_counts_bytes() -> None:
    def scenario(m: Any) -> Any:
        with unix_pair(m) as (first, second):
            return first.send(array.array("i", [1, 2, 3])), len(second.recv(100))

    agree(scenario)


@pytest.mark.parametrize("family", ALL_FAMILIES)
def test_send_of_empty_bytes(family: str) -> None:
    def scenario(m: Any) -> Any:
        with stream_pair(m, family) as (first, _second):
            return first.send(b"")

    agree(scenario)


def test_recv_zero_bytes_returns_empty() -> None:
    def scenario(m: Any) -> Any:
        with unix_pair(m) as (first, second):
            first.send(b"data")
            return second.recv(0), second.recv(10)

    agree(scenario)


def test_recv_returns_no_more_than_asked() -> None:
    def scenario(m: Any) -> Any:
        with unix_pair(m) as (first, second):
            first.send(b"abcdefgh")
            return second.recv(3), second.recv(3), second.recv(3)

    agree(scenario)


def test_recv_peek_leaves_the_data() -> None:
    def scenario(m: Any) -> Any:
        with unix_pair(m) as (first, second):
            first.send(b"peek")
            return second.recv(10, m.MSG_PEEK), second.recv(10)

    agree(scenario)


def test_recv_dontwait_without_data() -> None:
    def scenario(m: Any) -> Any:
        with unix_pair(m) as (_first, second):
            return second.recv(10, m.MSG_DONTWAIT)

    agree(scenario)


def test_recv_waitall_collects_several_sends() -> None:
    def scenario(m: Any) -> Any:
        with unix_pair(m) as (first, second):
            first.send(b"ab")
            first.send(b"cd")
            first.shutdown(m.SHUT_WR)
            return second.recv(10, m.MSG_WAITALL)

    agree(scenario)


def test_recv_on_listening_socket_is_not_connected() -> None:
    def scenario(m: Any) -> Any:
        with listener(m, "AF_INET") as server:
            return server.recv(10)

    agree(scenario)


def test_recv_on_nonblocking_socket_without_data() -> None:
    def scenario(m: Any) -> Any:
        with connected_pair(m, "AF_INET6") as (client, _accepted):
            client.setblocking(False)
            return client.recv(10)

    agree(scenario)


def test_send_on_unconnected_tcp_socket() -> None:
    def scenario(m: Any) -> Any:
        with m.socket() as sock:
            return sock.send(b"x")

    agree(scenario)


def test_send_on_unconnected_udp_socket() -> None:
    def scenario(m: Any) -> Any:
        with m.socket(m.AF_INET, m.SOCK_DGRAM) as sock:
            return sock.send(b"x")

    agree(scenario)


def test_send_after_peer_closed_socketpair() -> None:
    def scenario(m: Any) -> Any:
        first, second = m.socketpair()
        with first:
            second.close()
            return first.send(b"nobody there")

    agree(scenario)


def test_recv_after_peer_reset_the_connection() -> None:
    def scenario(m: Any) -> Any:
        with listener(m, "AF_INET") as server, m.socket() as client:
            client.connect(server.getsockname())
            accepted, _ = server.accept()
            client.sendall(b"unread")
            # Closing with unread data makes the kernel answer with a reset.
            with accepted:
                accepted.recv(1)
            client.settimeout(5)
            return client.recv(10)

    agree(scenario)


def test_send_on_full_nonblocking_socket() -> None:
    def scenario(m: Any) -> Any:
        with unix_pair(m) as (first, _second):
            filled = fill_send_buffer(first)
            first.setblocking(False)
            return filled > 0, first.send(b"more")

    agree(scenario)


def test_out_of_band_byte_over_tcp() -> None:
    def scenario(m: Any) -> Any:
        with connected_pair(m, "AF_INET") as (client, accepted):
            client.send(b"normal")
            client.send(b"!", m.MSG_OOB)
            return accepted.recv(100), accepted.recv(1, m.MSG_OOB)

    agree(scenario)


def test_out_of_band_byte_over_unix_stream() -> None:
    def scenario(m: Any) -> Any:
        with unix_pair(m) as (first, second):
            first.send(b"!", m.MSG_OOB)
            return second.recv(1, m.MSG_OOB)

    agree(scenario)


# --- sendall -----------------------------------------------------------------------------


@pytest.mark.parametrize("family", ALL_FAMILIES)
def test_sendall_delivers_more_than_a_socket_buffer(family: str) -> None:
    size = 4 * 1024 * 1024

    def scenario(m: Any) -> Any:
        with stream_pair(m, family) as (first, second):
            received: list[bytes] = []
            reader = threading.Thread(target=lambda: received.append(drain(second, size)))
            reader.start()
            try:
                result = first.sendall(bytes(size))
            finally:
                reader.join(10)
            return result, len(received[0])

    agree(scenario)


def test_sendall_accepts_memoryview_of_array() -> None:
    def scenario(m: Any) -> Any:
        with unix_pair(m) as (first, second):
            first.sendall(memoryview(array.array("h", [1, 2, 3])))
            return second.recv(100)

    agree(scenario)


def test_sendall_on_nonblocking_full_socket() -> None:
    def scenario(m: Any) -> Any:
        with unix_pair(m) as (first, _second):
            fill_send_buffer(first)
            first.setblocking(False)
            return first.sendall(b"y" * 1000)

    agree(scenario)


def test_sendall_to_closed_peer_is_a_broken_pipe() -> None:
    def scenario(m: Any) -> Any:
        first, second = m.socketpair()
        with first:
            second.close()
            return first.sendall(b"z" * 100000)

    agree(scenario)


# --- recvfrom and sendto ---------------------------------------------------------------


@pytest.mark.parametrize("family", INET_FAMILIES)
def test_sendto_then_recvfrom_over_udp(family: str) -> None:
    def scenario(m: Any) -> Any:
        with (
            listener(m, family, "SOCK_DGRAM") as receiver,
            m.socket(getattr(m, family), m.SOCK_DGRAM) as sender,
        ):
            sent = sender.sendto(b"datagram", receiver.getsockname())
            data, address = receiver.recvfrom(100)
            return sent, data, address[1] == sender.getsockname()[1], port_hidden(address)

    agree(scenario)


def test_sendto_with_flags_argument() -> None:
    def scenario(m: Any) -> Any:
        with (
            listener(m, "AF_INET", "SOCK_DGRAM") as receiver,
            m.socket(m.AF_INET, m.SOCK_DGRAM) as sender,
        ):
            sent = sender.sendto(b"flagged", m.MSG_DONTWAIT, receiver.getsockname())
            return sent, receiver.recv(100)

    agree(scenario)


def test_sendto_a_unix_datagram_path() -> None:
    def scenario(m: Any) -> Any:
        with (
            listener(m, "AF_UNIX", "SOCK_DGRAM") as receiver,
            m.socket(m.AF_UNIX, m.SOCK_DGRAM) as sender,
        ):
            return sender.sendto(b"to path", receiver.getsockname()), receiver.recv(100)

    agree(scenario)


def test_sendto_on_connected_tcp_ignores_or_refuses_the_address() -> None:
    def scenario(m: Any) -> Any:
        with connected_pair(m, "AF_INET") as (client, accepted):
            sent = client.sendto(b"x", accepted.getsockname())
            return sent, accepted.recv(10)

    agree(scenario)


def test_sendto_on_unix_stream_socketpair() -> None:
    def scenario(m: Any) -> Any:
        with unix_pair(m) as (first, _second):
            return first.sendto(b"x", "/nonexistent/socket")

    agree(scenario)


def test_sendto_a_unix_path_nobody_bound() -> None:
    def scenario(m: Any) -> Any:
        with m.socket(m.AF_UNIX, m.SOCK_DGRAM) as sock:
            return sock.sendto(b"x", "/nonexistent/socklab-socket")

    agree(scenario)


@pytest.mark.parametrize("family", ALL_FAMILIES)
def test_recvfrom_over_a_stream(family: str) -> None:
    def scenario(m: Any) -> Any:
        with stream_pair(m, family) as (first, second):
            first.send(b"stream")
            data, address = second.recvfrom(100)
            return data, port_hidden(address)

    agree(scenario)


def test_recvfrom_zero_bytes() -> None:
    def scenario(m: Any) -> Any:
        with datagram_pair(m, "AF_INET") as (first, second):
            first.send(b"dropped")
            data, address = second.recvfrom(0)
            return data, port_hidden(address)

    agree(scenario)


@pytest.mark.parametrize("family", ALL_FAMILIES)
def test_datagram_larger_than_the_buffer_is_truncated(family: str) -> None:
    def scenario(m: Any) -> Any:
        with (
            datagram_pair(m, family) if family != "AF_UNIX" else unix_pair(m, "SOCK_DGRAM") as (
                first,
                second,
            )
        ):
            first.send(b"0123456789")
            first.send(b"next")
            return second.recv(4), second.recv(100)

    agree(scenario)


def test_seqpacket_keeps_record_boundaries() -> None:
    def scenario(m: Any) -> Any:
        with unix_pair(m, "SOCK_SEQPACKET") as (first, second):
            first.send(b"one")
            first.send(b"two")
            return second.recv(100), second.recv(100)

    agree(scenario)


def test_empty_datagram_is_delivered() -> None:
    def scenario(m: Any) -> Any:
        with datagram_pair(m, "AF_INET6") as (first, second):
            first.send(b"")
            first.send(b"after")
            return second.recv(100), second.recv(100)

    agree(scenario)


def test_udp_datagram_too_large_to_send() -> None:
    def scenario(m: Any) -> Any:
        with datagram_pair(m, "AF_INET") as (first, _second):
            return first.send(bytes(70000))

    agree(scenario)


def test_udp_to_closed_port_reports_refusal_on_next_call() -> None:
    def scenario(m: Any) -> Any:
        with (
            listener(m, "AF_INET", "SOCK_DGRAM") as gone,
            m.socket(m.AF_INET, m.SOCK_DGRAM) as sock,
        ):
            sock.connect(gone.getsockname())
            gone.close()
            sock.send(b"ping")
            sock.settimeout(5)
            return sock.recv(10)

    agree(scenario)


# --- recv_into and recvfrom_into ----------------------------------------------------------


@pytest.mark.parametrize("form", ["bytearray", "memoryview", "array"])
def test_recv_into_fills_a_writable_buffer(form: str) -> None:
    def scenario(m: Any) -> Any:
        buffer = {
            "bytearray": bytearray(8),
            "memoryview": memoryview(bytearray(8)),
            "array": array.array("b", bytes(8)),
        }[form]
        with unix_pair(m) as (first, second):
            first.send(b"abc")
            count = second.recv_into(buffer)
            return count, bytes(buffer)

    agree(scenario)


@pytest.mark.parametrize("nbytes", [0, 2, 8], ids=lambda n: f"nbytes={n}")
def test_recv_into_honours_nbytes(nbytes: int) -> None:
    def scenario(m: Any) -> Any:
        buffer = bytearray(8)
        with unix_pair(m) as (first, second):
            first.send(b"abcdefghij")
            return second.recv_into(buffer, nbytes), bytes(buffer)

    agree(scenario)


def test_recv_into_with_flags() -> None:
    def scenario(m: Any) -> Any:
        buffer = bytearray(4)
        with unix_pair(m) as (first, second):
            first.send(b"peek")
            return second.recv_into(buffer, 0, m.MSG_PEEK), second.recv(10)

    agree(scenario)


def test_recv_into_slice_of_a_larger_buffer() -> None:
    def scenario(m: Any) -> Any:
        buffer = bytearray(b"........")
        with unix_pair(m) as (first, second):
            first.send(b"xy")
            count = second.recv_into(memoryview(buffer)[3:])
            return count, bytes(buffer)

    agree(scenario)


def test_recv_into_keywords() -> None:
    def scenario(m: Any) -> Any:
        buffer = bytearray(8)
        with unix_pair(m) as (first, second):
            first.send(b"keyword")
            return second.recv_into(buffer=buffer, nbytes=3, flags=0), bytes(buffer)

    agree(scenario)


@pytest.mark.parametrize("family", INET_FAMILIES)
def test_recvfrom_into_gives_count_and_sender(family: str) -> None:
    def scenario(m: Any) -> Any:
        buffer = bytearray(16)
        with datagram_pair(m, family) as (first, second):
            first.send(b"into")
            count, address = second.recvfrom_into(buffer)
            return count, bytes(buffer[:count]), address == first.getsockname()

    agree(scenario)


def test_recvfrom_into_with_nbytes_truncates_datagram() -> None:
    def scenario(m: Any) -> Any:
        buffer = bytearray(16)
        with datagram_pair(m, "AF_INET") as (first, second):
            first.send(b"0123456789")
            count, _ = second.recvfrom_into(buffer, 4)
            return count, bytes(buffer)

    agree(scenario)


def test_recvfrom_into_from_unix_socketpair() -> None:
    def scenario(m: Any) -> Any:
        buffer = bytearray(16)
        with unix_pair(m, "SOCK_DGRAM") as (first, second):
            first.send(b"unix")
            return second.recvfrom_into(buffer), bytes(buffer[:4])

    agree(scenario)


# --- repeated successful calls leak nothing (per implementation, not differential) ---------


def _round_trip_datagram(m: Any, first: Any, second: Any) -> None:
    first.send(b"d")
    second.recvfrom(10)


def _round_trip_message(m: Any, first: Any, second: Any) -> None:
    first.sendmsg([b"a", b"b"], [(m.SOL_SOCKET, m.SCM_RIGHTS, struct.pack("i", first.fileno()))])
    _, ancdata, _, _ = second.recvmsg(10, m.CMSG_SPACE(4))
    for _level, _kind, data in ancdata:
        os.close(struct.unpack("i", data)[0])


def _round_trip_into(m: Any, first: Any, second: Any) -> None:
    first.send(b"into")
    second.recvmsg_into([bytearray(2), bytearray(2)])


def _names(m: Any, first: Any, second: Any) -> None:
    first.getsockname()
    first.getpeername()
    first.getsockopt(m.SOL_SOCKET, m.SO_PEERCRED, 12)


def _dup_and_close(m: Any, first: Any, second: Any) -> None:
    first.dup().close()


def _socketpair_and_close(m: Any, first: Any, second: Any) -> None:
    one, two = m.socketpair()
    one.close()
    two.close()


def _timeout_round_trip(m: Any, first: Any, second: Any) -> None:
    second.settimeout(1.0)
    first.send(b"t")
    second.recv(10)
    second.settimeout(None)


SUCCEEDING_CALLS: dict[str, Callable[[Any, Any, Any], None]] = {
    "recvfrom": _round_trip_datagram,
    "sendmsg and recvmsg with SCM_RIGHTS": _round_trip_message,
    "recvmsg_into": _round_trip_into,
    "names and options": _names,
    "dup and close": _dup_and_close,
    "socketpair and close": _socketpair_and_close,
    "recv with timeout": _timeout_round_trip,
}


@pytest.mark.parametrize("call", sorted(SUCCEEDING_CALLS))
def test_repeated_calls_leak_no_descriptor_or_memory(impl: Any, call: str) -> None:
    first, second = impl.socketpair(impl.AF_UNIX, impl.SOCK_DGRAM)
    with first, second:

        def repeat(times: int) -> None:
            for _ in range(times):
                SUCCEEDING_CALLS[call](impl, first, second)

        repeat(50)
        gc.collect()
        descriptors, blocks = len(os.listdir("/proc/self/fd")), sys.getallocatedblocks()
        repeat(1000)
        gc.collect()
        assert len(os.listdir("/proc/self/fd")) == descriptors
        assert sys.getallocatedblocks() - blocks < 200


def test_recv_of_nothing_asks_no_kernel() -> None:
    """recv(0), and recv_into an empty buffer, return at once in the stdlib,
    on a socket that would block, fail (an unconnected stream) or is
    closed; the engine found sockimpl calling recv(fd, buf, 0) instead."""

    def scenario(m: Any) -> Any:
        seen = []
        a, b = m.socketpair()
        with a, b:
            seen.append(b.recv(0))  # nothing queued: recv(fd, buf, 0) would block
            seen.append(b.recv(0, m.MSG_PEEK))
            with b.makefile("rb") as reader:
                seen.append(reader.read(0))
            with b.makefile("rb", buffering=0) as raw:
                seen.append(raw.read(0))  # recv_into of an empty buffer
            seen.append(b.recv_into(bytearray(0)))
            seen.append(b.recv_into(memoryview(bytearray(0))))
        with m.socket(m.AF_UNIX, m.SOCK_STREAM) as lone:
            seen.append(lone.recv(0))  # unconnected: the kernel says EINVAL
        closed = m.socket(m.AF_UNIX, m.SOCK_STREAM)
        closed.close()
        seen.append(closed.recv(0))
        return seen

    assert agree(scenario).value == [b"", b"", b"", b"", 0, 0, b"", b""]
