"""The GIL-free fast path must not change what a call does.

sockimpl tries a small transfer once with MSG_DONTWAIT and the GIL held,
and releases the GIL to wait only when the kernel has nothing.  These
scenarios are the cases where a non-blocking attempt could answer
differently from a blocking call; each runs against both implementations
and they must agree."""

from __future__ import annotations

import threading
import time
from typing import Any

from differential import agree

LATER = 0.05


def send_later(sock: Any, chunks: list[bytes]) -> threading.Thread:
    def run() -> None:
        for chunk in chunks:
            time.sleep(LATER)
            sock.send(chunk)

    t = threading.Thread(target=run)
    t.start()
    return t


def test_blocking_recv_honours_so_rcvlowat() -> None:
    """With a low-water mark of 5 a blocking recv sleeps until 5 bytes are
    there, although 1 byte is already waiting."""

    def scenario(m: Any) -> Any:
        a, b = m.socketpair()
        with a, b:
            b.setsockopt(m.SOL_SOCKET, m.SO_RCVLOWAT, 5)
            a.send(b"1")
            t = send_later(a, [b"2345"])
            data = b.recv(100)
            t.join()
            return data

    assert agree(scenario).value == b"12345"


def test_adopted_socket_keeps_its_low_water_mark() -> None:
    """A descriptor adopted with fileno= may carry SO_RCVLOWAT set by
    someone else; a blocking recv still waits for it."""

    def scenario(m: Any) -> Any:
        a, b = m.socketpair()
        with a, b:
            b.setsockopt(m.SOL_SOCKET, m.SO_RCVLOWAT, 3)
            with m.socket(fileno=b.dup().detach()) as adopted:
                a.send(b"x")
                t = send_later(a, [b"yz"])
                data = adopted.recv(100)
                t.join()
                return data

    assert agree(scenario).value == b"xyz"


def test_blocking_recv_with_msg_waitall_gathers_every_byte() -> None:
    def scenario(m: Any) -> Any:
        a, b = m.socketpair()
        with a, b:
            a.send(b"ab")
            t = send_later(a, [b"cd", b"ef"])
            data = b.recv(6, m.MSG_WAITALL)
            t.join()
            return data

    assert agree(scenario).value == b"abcdef"


def test_blocking_stream_send_larger_than_the_free_buffer_sends_everything() -> None:
    """A send that only partly fits the socket buffer: a blocking send waits
    and queues all of it, so it returns the full length."""
    payload = bytes(range(256)) * 200  # 51,200 bytes: within the fast path's size

    def scenario(m: Any) -> Any:
        a, b = m.socketpair()
        with a, b:
            a.setsockopt(m.SOL_SOCKET, m.SO_SNDBUF, 4096)
            received = bytearray()

            def drain() -> None:
                time.sleep(LATER)
                while len(received) < len(payload):
                    received.extend(b.recv(65536))

            t = threading.Thread(target=drain)
            t.start()
            sent = a.send(payload)
            t.join()
            return sent, bytes(received) == payload

    assert agree(scenario).value == (len(payload), True)


def test_blocking_datagram_recv_waits_for_the_next_datagram() -> None:
    def scenario(m: Any) -> Any:
        a, b = m.socketpair(m.AF_UNIX, m.SOCK_DGRAM)
        with a, b:
            t = send_later(a, [b"late"])
            data = b.recv(100)
            t.join()
            return data

    assert agree(scenario).value == b"late"


def test_non_blocking_recv_with_nothing_there_raises_blocking_io_error() -> None:
    def scenario(m: Any) -> Any:
        a, b = m.socketpair()
        with a, b:
            b.setblocking(False)
            return b.recv(10)

    outcome = agree(scenario)
    assert outcome.error == "BlockingIOError"


def test_timed_recv_waits_then_returns_data_arriving_within_the_timeout() -> None:
    def scenario(m: Any) -> Any:
        a, b = m.socketpair()
        with a, b:
            b.settimeout(5)
            t = send_later(a, [b"in time"])
            data = b.recv(100)
            t.join()
            return data

    assert agree(scenario).value == b"in time"
