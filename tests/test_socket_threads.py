"""Blocking calls and threads, run once per implementation (not differential:
the outcome is asserted directly).  A call blocked in the kernel must let
other threads run, be woken by another thread's data, and survive the socket
being closed under it."""

from __future__ import annotations

import contextlib
import struct
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

# x86_64 futex(2): a thread waiting in it is waiting for the GIL (or a lock),
# not blocked in the socket call.
SYS_FUTEX = 202
# Kernel-level send/receive timeouts: if an implementation failed to release
# the GIL, its blocked call still returns after this long, so a broken
# implementation fails the test instead of hanging the suite.
SAFETY_NET = struct.pack("ll", 3, 0)
BLOCKED_WITHIN = 2.0


def kernel_wait(thread: threading.Thread) -> int | None:
    """The system call `thread` is sleeping in, or None if it is running."""
    path = f"/proc/self/task/{thread.native_id}/syscall"
    try:
        with open(path) as status:
            first = status.read().split()[0]
    except (FileNotFoundError, IndexError):
        return None
    return int(first) if first.isdigit() else None


def wait_until_blocked_in_kernel(thread: threading.Thread) -> float:
    """Poll until `thread` sleeps in a system call other than futex; return
    how long that took.  Polling needs the GIL, so this also proves the
    blocked thread gave it up."""
    start = time.monotonic()
    while time.monotonic() - start < BLOCKED_WITHIN:
        call = kernel_wait(thread)
        if call is not None and call != SYS_FUTEX:
            return time.monotonic() - start
        time.sleep(0.005)
    raise AssertionError(f"thread not blocked in a system call after {BLOCKED_WITHIN}s")


class Outcome:
    """What a call in a thread returned or raised."""

    def __init__(self) -> None:
        self.value: Any = None
        self.error: BaseException | None = None

    def run(self, call: Callable[[], Any]) -> None:
        try:
            self.value = call()
        except BaseException as exc:  # noqa: BLE001 - reported to the test
            self.error = exc


@contextlib.contextmanager
def running(call: Callable[[], Any]) -> Iterator[tuple[threading.Thread, Outcome]]:
    """Run `call` in a thread; the thread is always joined on the way out."""
    outcome = Outcome()
    thread = threading.Thread(target=outcome.run, args=(call,), daemon=True)
    thread.start()
    try:
        yield thread, outcome
    finally:
        thread.join(10)
        assert not thread.is_alive(), "blocked call never returned"


def with_safety_net(m: Any, *socks: Any) -> None:
    for sock in socks:
        sock.setsockopt(m.SOL_SOCKET, m.SO_RCVTIMEO, SAFETY_NET)
        sock.setsockopt(m.SOL_SOCKET, m.SO_SNDTIMEO, SAFETY_NET)


def fill(sock: Any) -> None:
    sock.setblocking(False)
    with contextlib.suppress(BlockingIOError):
        while True:
            sock.send(b"f" * 65536)


def drain(sock: Any) -> None:
    sock.setblocking(False)
    with contextlib.suppress(BlockingIOError):
        while sock.recv(1 << 20):
            pass


# --- receiving --------------------------------------------------------------------------


def received_into(sock: Any, method: str) -> bytes:
    """Call a *_into method with a fresh buffer; return the bytes it filled."""
    buffer = bytearray(100)
    if method == "recvmsg_into":
        count = sock.recvmsg_into([buffer])[0]
    elif method == "recvfrom_into":
        count = sock.recvfrom_into(buffer)[0]
    else:
        count = sock.recv_into(buffer)
    return bytes(buffer[:count])


RECEIVERS: dict[str, Callable[[Any], Any]] = {
    "recv": lambda s: s.recv(100),
    "recvfrom": lambda s: s.recvfrom(100)[0],
    "recv_into": lambda s: received_into(s, "recv_into"),
    "recvfrom_into": lambda s: received_into(s, "recvfrom_into"),
    "recvmsg": lambda s: s.recvmsg(100)[0],
    "recvmsg_into": lambda s: received_into(s, "recvmsg_into"),
}


@pytest.mark.parametrize("timeout", [None, 5.0], ids=["blocking", "timeout"])
@pytest.mark.parametrize("call", sorted(RECEIVERS))
def test_blocked_receive_is_woken_by_data_from_another_thread(
    impl: Any, call: str, timeout: float | None
) -> None:
    first, second = impl.socketpair()
    with first, second:
        with_safety_net(impl, first)
        first.settimeout(timeout)
        with running(lambda: RECEIVERS[call](first)) as (thread, outcome):
            wait_until_blocked_in_kernel(thread)
            second.send(b"wake up")
        assert outcome.error is None
        assert outcome.value == b"wake up"


@pytest.mark.parametrize("timeout", [None, 5.0], ids=["blocking", "timeout"])
def test_blocked_accept_is_woken_by_a_connection(impl: Any, timeout: float | None) -> None:
    with impl.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        with_safety_net(impl, server)
        server.settimeout(timeout)
        with running(server.accept) as (thread, outcome):
            wait_until_blocked_in_kernel(thread)
            with impl.socket() as client:
                client.connect(server.getsockname())
                thread.join(10)
                assert outcome.error is None
                accepted, address = outcome.value
                with accepted:
                    assert address == client.getsockname()


# --- sending --------------------------------------------------------------------------------


SENDERS: dict[str, Callable[[Any], Any]] = {
    "send": lambda s: s.send(b"s" * 1000),
    "sendall": lambda s: s.sendall(b"s" * 300000),
    "sendmsg": lambda s: s.sendmsg([b"s" * 500, b"m" * 500]),
}


@pytest.mark.parametrize("timeout", [None, 5.0], ids=["blocking", "timeout"])
@pytest.mark.parametrize("call", ["send", "sendall", "sendmsg"])
def test_blocked_send_is_woken_when_the_peer_reads(
    impl: Any, call: str, timeout: float | None
) -> None:
    first, second = impl.socketpair()
    with first, second:
        with_safety_net(impl, first)
        fill(first)
        first.settimeout(timeout)
        with running(lambda: SENDERS[call](first)) as (thread, outcome):
            wait_until_blocked_in_kernel(thread)
            while thread.is_alive():
                drain(second)
                thread.join(0.01)
        assert outcome.error is None


# --- closing under a blocked call ---------------------------------------------------------


def test_close_from_another_thread_while_recv_blocks_does_not_crash(impl: Any) -> None:
    """Closing does not wake a blocked recv on Linux; the peer's shutdown
    then does, and the call returns end of stream instead of crashing."""
    first, second = impl.socketpair()
    with second:
        with_safety_net(impl, first)
        with running(lambda: first.recv(100)) as (thread, outcome):
            wait_until_blocked_in_kernel(thread)
            first.close()
            assert first.fileno() == -1
            second.shutdown(impl.SHUT_RDWR)
        assert outcome.error is None
        assert outcome.value == b""


def test_shutdown_from_another_thread_wakes_a_blocked_recv(impl: Any) -> None:
    first, second = impl.socketpair()
    with first, second:
        with_safety_net(impl, first)
        with running(lambda: first.recv(100)) as (thread, outcome):
            wait_until_blocked_in_kernel(thread)
            first.shutdown(impl.SHUT_RD)
        assert outcome.error is None
        assert outcome.value == b""


def test_shutdown_from_another_thread_wakes_a_blocked_accept(impl: Any) -> None:
    with impl.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        with_safety_net(impl, server)
        with running(server.accept) as (thread, outcome):
            wait_until_blocked_in_kernel(thread)
            server.shutdown(impl.SHUT_RDWR)
        assert isinstance(outcome.error, OSError)


# --- several threads on one socket ------------------------------------------------------------


def test_two_threads_blocked_in_recv_each_get_one_datagram(impl: Any) -> None:
    first, second = impl.socketpair(impl.AF_UNIX, impl.SOCK_DGRAM)
    with first, second:
        with_safety_net(impl, first)
        with (
            running(lambda: first.recv(100)) as (one, got_one),
            running(lambda: first.recv(100)) as (two, got_two),
        ):
            wait_until_blocked_in_kernel(one)
            wait_until_blocked_in_kernel(two)
            second.send(b"first")
            second.send(b"second")
        assert sorted([got_one.value, got_two.value]) == [b"first", b"second"]


def test_send_and_recv_on_one_socket_from_two_threads(impl: Any) -> None:
    first, second = impl.socketpair()
    size = 2 * 1024 * 1024
    with first, second:
        with_safety_net(impl, first, second)

        def receive_all() -> int:
            total = 0
            while total < size:
                chunk = second.recv(65536)
                if not chunk:
                    break
                total += len(chunk)
            return total

        with running(receive_all) as (_thread, outcome):
            first.sendall(b"z" * size)
        assert outcome.error is None
        assert outcome.value == size
