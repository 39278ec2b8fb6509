"""The GIL-free fast path must not change what a call does.

sockimpl tries a small transfer once with MSG_DONTWAIT and the GIL held,
and releases the GIL to wait only when the kernel has nothing.  These
scenarios are the cases where a non-blocking attempt could answer
differently from a blocking call; each runs against both implementations
and they must agree."""

from __future__ import annotations

import array
import errno
import gc
import os
import signal
import struct
import threading
import time
from typing import Any

import pytest
from differential import agree
from socket_support import abstract_name

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


def test_low_water_mark_set_as_packed_bytes_is_honoured() -> None:
    """The mark is the kernel's however it was set: an int packed into
    bytes is the same option as the int."""

    def scenario(m: Any) -> Any:
        a, b = m.socketpair()
        with a, b:
            b.setsockopt(m.SOL_SOCKET, m.SO_RCVLOWAT, struct.pack("i", 5))
            a.send(b"1")
            t = send_later(a, [b"2345"])
            data = b.recv(100)
            t.join()
            return data

    assert agree(scenario).value == b"12345"


def test_low_water_mark_set_through_a_duplicate_is_honoured() -> None:
    """dup() gives another descriptor of the same kernel socket: a mark
    set through it applies to the original's receives."""

    def scenario(m: Any) -> Any:
        a, b = m.socketpair()
        with a, b, b.dup() as duplicate:
            duplicate.setsockopt(m.SOL_SOCKET, m.SO_RCVLOWAT, 5)
            a.send(b"1")
            t = send_later(a, [b"2345"])
            data = b.recv(100)
            t.join()
            return data

    assert agree(scenario).value == b"12345"


def test_low_water_mark_set_after_adoption_is_honoured_by_the_adopter() -> None:
    """A socket made with fileno= and a mark set later through the
    original object."""

    def scenario(m: Any) -> Any:
        a, b = m.socketpair()
        with a, b, m.socket(fileno=b.dup().detach()) as adopted:
            b.setsockopt(m.SOL_SOCKET, m.SO_RCVLOWAT, 4)
            a.send(b"1")
            t = send_later(a, [b"234"])
            data = adopted.recv(100)
            t.join()
            return data

    assert agree(scenario).value == b"1234"


def tcp_pair(m: Any) -> tuple[Any, Any]:
    with m.create_server(("127.0.0.1", 0)) as server:
        client = m.create_connection(server.getsockname())
        accepted, _ = server.accept()
    return client, accepted


def receive_with(method: str, sock: Any, size: int) -> bytes:
    if method == "recv":
        return bytes(sock.recv(size))
    if method == "recvmsg":
        return bytes(sock.recvmsg(size)[0])
    buffer = bytearray(size)
    count = sock.recv_into(buffer)
    return bytes(buffer[:count])


@pytest.mark.parametrize("size", [100, 100_000])
@pytest.mark.parametrize("method", ["recv", "recv_into", "recvmsg"])
def test_timed_tcp_receive_waits_for_the_low_water_mark(method: str, size: int) -> None:
    """TCP's poll() honours the mark, so a timed socket waits for it before
    it receives; small and large buffers (tried first or not) alike."""

    def scenario(m: Any) -> Any:
        a, b = tcp_pair(m)
        with a, b:
            a.setsockopt(m.IPPROTO_TCP, m.TCP_NODELAY, 1)
            b.settimeout(5)
            b.setsockopt(m.SOL_SOCKET, m.SO_RCVLOWAT, 5)
            a.send(b"1")
            t = send_later(a, [b"2345"])
            data = receive_with(method, b, size)
            t.join()
            return data

    assert agree(scenario).value == b"12345"


def test_timed_tcp_receive_below_the_low_water_mark_times_out() -> None:
    def scenario(m: Any) -> Any:
        a, b = tcp_pair(m)
        with a, b:
            b.settimeout(LATER)
            b.setsockopt(m.SOL_SOCKET, m.SO_RCVLOWAT, 5)
            a.send(b"1")
            return b.recv(100)

    assert agree(scenario).error == "TimeoutError"


@pytest.mark.parametrize("call", ["recv", "recv_into", "recvfrom", "recvmsg", "send"])
def test_timed_call_on_a_listening_socket_waits_for_readiness_before_its_error(call: str) -> None:
    """The stdlib waits before it tries on a timed socket; a listening
    socket never becomes ready, so it times out where an attempt would fail
    at once with ENOTCONN or EPIPE (found by the differential engine:
    sockimpl's first attempt raised that error)."""

    def scenario(m: Any) -> Any:
        with m.create_server(("127.0.0.1", 0)) as server:
            server.settimeout(LATER)
            if call == "send":
                return server.send(b"x")
            if call == "recv_into":
                return server.recv_into(bytearray(10))
            return getattr(server, call)(10)

    assert agree(scenario).error == "TimeoutError"


@pytest.mark.parametrize("kind", ["tcp-recv", "udp-send"])
def test_timed_call_on_a_ready_socket_raises_the_state_error_at_once(kind: str) -> None:
    """Where the socket is ready (a fresh TCP socket polls as hung up, an
    unconnected UDP socket as writable) the error comes at once, as in the
    stdlib."""

    def scenario(m: Any) -> Any:
        with m.socket(m.AF_INET, m.SOCK_STREAM if kind == "tcp-recv" else m.SOCK_DGRAM) as sock:
            sock.settimeout(10)
            started = time.monotonic()
            try:
                return sock.recv(1) if kind == "tcp-recv" else sock.send(b"x")
            except OSError as exc:
                return (exc.errno, time.monotonic() - started < 5)

    assert agree(scenario).value == ((errno.ENOTCONN, True) if kind == "tcp-recv" else (errno.EDESTADDRREQ, True))


@pytest.mark.parametrize("size", [100, 100_000])
def test_timed_recv_times_out_when_another_descriptor_made_the_file_blocking(size: int) -> None:
    """The blocking mode belongs to the open file, which a dup() shares: a
    timed socket whose file was made blocking through its duplicate still
    waits no longer than its timeout."""

    def scenario(m: Any) -> Any:
        a, b = m.socketpair()
        with a, b, b.dup() as duplicate:
            b.settimeout(LATER)
            duplicate.setblocking(True)
            return b.recv(size)

    assert agree(scenario).error == "TimeoutError"


def test_timed_accept_times_out_when_another_descriptor_made_the_file_blocking() -> None:
    def scenario(m: Any) -> Any:
        with m.create_server(("127.0.0.1", 0)) as server, server.dup() as duplicate:
            server.settimeout(LATER)
            duplicate.setblocking(True)
            return server.accept()

    assert agree(scenario).error == "TimeoutError"


def test_recvmsg_returns_its_own_bytes_when_a_finaliser_receives_meanwhile() -> None:
    """recvmsg allocates its result after the receive, which may run a
    collection (at once before 3.12); a finaliser that then receives on
    another socket must not change the bytes recvmsg returns."""

    def scenario(m: Any) -> Any:
        mine, mine_peer = m.socketpair()
        other, other_peer = m.socketpair()
        with mine, mine_peer, other, other_peer:
            mine_peer.send(b"mine")
            other_peer.send(b"other")
            stolen: list[bytes] = []

            class Receiver:
                def __del__(self) -> None:
                    stolen.append(other.recvmsg(100)[0])

            threshold = gc.get_threshold()
            gc.collect()
            gc.set_threshold(1)
            try:
                garbage = Receiver()
                garbage.cycle = garbage  # type: ignore[attr-defined]
                del garbage
                data = mine.recvmsg(100)[0]
            finally:
                gc.set_threshold(*threshold)
            gc.collect()
            return data, stolen

    assert agree(scenario).value == (b"mine", [b"other"])


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


def test_blocking_stream_sendmsg_larger_than_the_free_buffer_sends_everything() -> None:
    """sendmsg is tried without sleeping too: when only part of the data
    fits, the rest follows the way a blocking sendmsg would send it, and
    the descriptor passed with the first part arrives once."""
    payload = bytes(range(256)) * 200  # 51,200 bytes: within the fast path's size

    def scenario(m: Any) -> Any:
        a, b = m.socketpair()
        with a, b:
            a.setsockopt(m.SOL_SOCKET, m.SO_SNDBUF, 4096)
            received = bytearray()
            passed: list[int] = []

            def drain() -> None:
                time.sleep(LATER)
                while len(received) < len(payload):
                    data, fds, _, _ = m.recv_fds(b, 65536, 1)
                    received.extend(data)
                    passed.extend(fds)

            t = threading.Thread(target=drain)
            t.start()
            ancillary = [(m.SOL_SOCKET, m.SCM_RIGHTS, array.array("i", [a.fileno()]))]
            sent = a.sendmsg([payload[:1000], payload[1000:]], ancillary)
            t.join()
            for fd in passed:
                os.close(fd)
            return sent, bytes(received) == payload, len(passed)

    assert agree(scenario).value == (len(payload), True, 1)


def test_blocking_recv_into_bytearray_waits_for_data() -> None:
    def scenario(m: Any) -> Any:
        a, b = m.socketpair()
        with a, b:
            buffer = bytearray(16)
            t = send_later(a, [b"late"])
            count = b.recv_into(buffer)
            t.join()
            return count, bytes(buffer[:count])

    assert agree(scenario).value == (4, b"late")


def test_bytearray_is_pinned_while_recv_into_waits() -> None:
    """While a blocking recv_into waits with the GIL released, the
    bytearray it writes into cannot be resized under it."""

    def scenario(m: Any) -> Any:
        a, b = m.socketpair()
        with a, b:
            buffer = bytearray(16)
            outcome: list[str] = []

            def resize_then_send() -> None:
                time.sleep(LATER)
                try:
                    buffer.extend(b"more")
                    outcome.append("resized")
                except BufferError:
                    outcome.append("BufferError")
                a.send(b"data")

            t = threading.Thread(target=resize_then_send)
            t.start()
            count = b.recv_into(buffer)
            t.join()
            return outcome, count, bytes(buffer[:count])

    assert agree(scenario).value == (["BufferError"], 4, b"data")


def test_timed_recv_into_bytearray_times_out() -> None:
    def scenario(m: Any) -> Any:
        a, b = m.socketpair()
        with a, b:
            b.settimeout(LATER)
            return b.recv_into(bytearray(16))

    assert agree(scenario).error == "TimeoutError"


def test_non_blocking_recv_into_bytearray_with_nothing_there_raises() -> None:
    def scenario(m: Any) -> Any:
        a, b = m.socketpair()
        with a, b:
            b.setblocking(False)
            return b.recv_into(bytearray(16))

    assert agree(scenario).error == "BlockingIOError"


def test_recv_into_bytearray_of_a_closed_socket_raises_ebadf() -> None:
    def scenario(m: Any) -> Any:
        a, b = m.socketpair()
        with a:
            b.close()
            return b.recv_into(bytearray(16))

    assert agree(scenario).errno == errno.EBADF


class Interrupted(Exception):
    """Raised by the test's signal handler."""


def test_signal_handler_exception_ends_a_blocking_recv_into_bytearray() -> None:
    """PEP 475: the wait is retried after a signal unless the handler
    raises, and then its exception propagates."""

    def interrupt(signum: int, frame: Any) -> None:
        raise Interrupted

    def scenario(m: Any) -> Any:
        a, b = m.socketpair()
        previous = signal.signal(signal.SIGALRM, interrupt)
        try:
            with a, b:
                signal.setitimer(signal.ITIMER_REAL, LATER)
                return b.recv_into(bytearray(16))
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)

    assert agree(scenario).error == "Interrupted"


def test_int_arguments_of_every_kind_convert_alike() -> None:
    """Small ints are read inline; bools, IntEnum members and ints too
    large for a C int must still come out as the stdlib has them."""

    def scenario(m: Any) -> Any:
        with m.socket(m.AF_INET, m.SOCK_STREAM) as sock:
            results = []
            for value in (True, 0, -1, 2**31 - 1, 2**31, -(2**31) - 1, 2**70):
                try:
                    sock.setsockopt(m.SOL_SOCKET, m.SO_KEEPALIVE, value)
                    results.append(sock.getsockopt(m.SOL_SOCKET, m.SO_KEEPALIVE))
                except Exception as exc:  # noqa: BLE001 - the type is the result
                    results.append(type(exc).__name__)
            for level in (m.SOL_SOCKET, 2**31, -(2**40)):
                try:
                    results.append(sock.getsockopt(level, m.SO_TYPE))
                except Exception as exc:  # noqa: BLE001 - the type is the result
                    results.append(type(exc).__name__)
            return results

    agree(scenario)


def test_a_subclass_with_its_own_init_still_runs_it() -> None:
    """socket() has a fast constructor; a subclass that takes construction
    over is constructed the ordinary way."""

    def scenario(m: Any) -> Any:
        class Tagged(m.socket):  # type: ignore[name-defined,misc]
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, **kwargs)
                self.tag = "mine"

        with Tagged(m.AF_INET, type=m.SOCK_DGRAM) as sock:
            return sock.tag, int(sock.type), sock.recv_into.__name__

    assert agree(scenario).value == ("mine", 2, "recv_into")


def test_socket_arguments_by_keyword_and_position_construct_alike() -> None:
    def scenario(m: Any) -> Any:
        results = []
        for args, kwargs in (
            ((), {}),
            ((m.AF_INET6,), {"type": m.SOCK_DGRAM}),
            ((), {"proto": 0, "family": m.AF_UNIX}),
            ((m.AF_INET,), {"family": m.AF_INET}),
            ((), {"bogus": 1}),
            ((1, 2, 3, None, 5), {}),
        ):
            try:
                with m.socket(*args, **kwargs) as sock:
                    results.append((int(sock.family), int(sock.type), sock.proto))
            except Exception as exc:  # noqa: BLE001 - the type is the result
                results.append(type(exc).__name__)
        return results

    agree(scenario)


def test_a_method_called_on_another_object_raises_type_error() -> None:
    """The high-level class's own method descriptors check their object."""

    def scenario(m: Any) -> Any:
        return m.socket.send(object(), b"x")

    assert agree(scenario).error == "TypeError"


def test_sender_addresses_shorter_than_the_last_one_carry_no_stale_bytes() -> None:
    """AF_UNIX senders with a long name, a short one and none: the kernel
    fills only the name's length, and each address built is exactly the
    sender's, by recvfrom, recvmsg and accept alike."""
    long_name = b"\0" + b"L" * 100
    short_name = b"\0s"

    def scenario(m: Any) -> Any:
        seen = []
        with m.socket(m.AF_UNIX, m.SOCK_DGRAM) as receiver:
            receiver.bind(abstract_name("rx"))
            for name in (long_name, short_name, None, long_name, None):
                with m.socket(m.AF_UNIX, m.SOCK_DGRAM) as sender:
                    if name is not None:
                        sender.bind(name)
                    sender.sendto(b"x", receiver.getsockname())
                    sender.sendto(b"y", receiver.getsockname())
                    seen.append(receiver.recvfrom(10)[1])
                    seen.append(receiver.recvmsg(10)[3])
        with m.socket(m.AF_UNIX, m.SOCK_STREAM) as server:
            server.bind(abstract_name("srv"))
            server.listen()
            for name in (long_name, short_name, None):
                with m.socket(m.AF_UNIX, m.SOCK_STREAM) as client:
                    if name is not None:
                        client.bind(name)
                    client.connect(server.getsockname())
                    accepted, address = server.accept()
                    accepted.close()
                    seen.append(address)
        return seen

    agree(scenario)
