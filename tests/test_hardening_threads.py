"""Threads against one socket, once per implementation: close() from
another thread while recv, accept or connect blocks (with shutdown() to
wake the call, as the kernel does not wake a call on close alone), and
many threads sending and receiving on shared sockets.

What must hold: the blocked call ends with an OSError or its normal
result (never a crash or a hang), the descriptor is released exactly once,
and nothing another thread sent is lost or duplicated."""

from __future__ import annotations

import os
import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest

WAKE_WITHIN = 3.0


def open_fds() -> set[str]:
    return set(os.listdir("/proc/self/fd"))


def run_blocked(call: Callable[[], Any]) -> tuple[threading.Thread, list[Any]]:
    """Start `call` in a thread; the list receives its result or exception."""
    outcome: list[Any] = []

    def target() -> None:
        try:
            outcome.append(call())
        except Exception as exc:  # noqa: BLE001 - the exception is the outcome
            outcome.append(exc)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    time.sleep(0.2)  # long enough to be asleep in the kernel
    return thread, outcome


def shutdown_and_close(sock: Any) -> None:
    try:
        sock.shutdown(2)  # SHUT_RDWR
    except OSError:
        pass  # not connected: ENOTCONN, the close still counts
    sock.close()


def test_close_while_recv_blocks_wakes_it_and_releases_the_fd(impl: Any) -> None:
    before = open_fds()
    left, right = impl.socketpair()
    thread, outcome = run_blocked(lambda: right.recv(16))
    shutdown_and_close(right)
    thread.join(WAKE_WITHIN)
    left.close()
    assert not thread.is_alive()
    assert outcome == [b""] or isinstance(outcome[0], OSError)
    assert open_fds() == before


def test_close_while_accept_blocks_wakes_it_and_releases_the_fd(impl: Any) -> None:
    before = open_fds()
    server = impl.socket(impl.AF_INET, impl.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen()
    thread, outcome = run_blocked(server.accept)
    shutdown_and_close(server)
    thread.join(WAKE_WITHIN)
    assert not thread.is_alive()
    assert isinstance(outcome[0], OSError)
    assert open_fds() == before


def full_listener(impl: Any) -> Any:
    """A listener whose accept queue is full, so the next connect waits for
    a SYN-ACK that does not come (the kernel drops its SYNs)."""
    server = impl.socket(impl.AF_INET, impl.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(0)
    return server


def test_close_while_connect_blocks_wakes_it_and_releases_the_fd(impl: Any) -> None:
    before = open_fds()
    server = full_listener(impl)
    queued = [impl.socket(impl.AF_INET, impl.SOCK_STREAM) for _ in range(2)]
    for sock in queued:
        sock.setblocking(False)
        sock.connect_ex(server.getsockname())
    time.sleep(0.1)
    client = impl.socket(impl.AF_INET, impl.SOCK_STREAM)
    thread, outcome = run_blocked(lambda: client.connect(server.getsockname()))
    shutdown_and_close(client)
    thread.join(WAKE_WITHIN)
    for sock in (*queued, server):
        sock.close()
    assert not thread.is_alive()
    assert outcome == [None] or isinstance(outcome[0], OSError)
    assert open_fds() == before


@pytest.mark.parametrize("threads", [8])
def test_many_threads_share_one_datagram_socket_each_way(impl: Any, threads: int) -> None:
    """`threads` senders on one socket, `threads` receivers on its peer:
    every datagram arrives exactly once."""
    per_thread = 250
    sender, receiver = impl.socketpair(impl.AF_UNIX, impl.SOCK_DGRAM)
    receiver.settimeout(5)
    received: Counter[bytes] = Counter()
    lock = threading.Lock()

    def send(worker: int) -> None:
        for index in range(per_thread):
            sender.send(f"{worker}:{index}".encode())

    def receive() -> None:
        for _ in range(per_thread):
            datagram = receiver.recv(64)
            with lock:
                received[datagram] += 1

    workers = [threading.Thread(target=receive) for _ in range(threads)]
    workers += [threading.Thread(target=send, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)
    sender.close()
    receiver.close()
    expected = {f"{w}:{i}".encode() for w in range(threads) for i in range(per_thread)}
    assert set(received) == expected
    assert set(received.values()) == {1}


def test_many_threads_share_one_stream_socket_with_sendall(impl: Any) -> None:
    """sendall from several threads at once on one stream: the stream is
    not corrupted (each thread's records arrive, whole, in its order)."""
    threads, per_thread, record = 6, 200, 64
    left, right = impl.socketpair()
    lock = threading.Lock()  # sendall is not atomic across threads; callers serialise

    def send(worker: int) -> None:
        for index in range(per_thread):
            with lock:
                left.sendall(bytes([worker]) + index.to_bytes(4, "big") + b"." * (record - 5))

    senders = [threading.Thread(target=send, args=(n,)) for n in range(threads)]
    for sender in senders:
        sender.start()
    stream = bytearray()
    right.settimeout(10)
    while len(stream) < threads * per_thread * record:
        stream.extend(right.recv(65536))
    for sender in senders:
        sender.join(10)
    left.close()
    right.close()
    order: dict[int, list[int]] = {n: [] for n in range(threads)}
    for offset in range(0, len(stream), record):
        chunk = stream[offset : offset + record]
        order[chunk[0]].append(int.from_bytes(chunk[1:5], "big"))
    assert all(indices == list(range(per_thread)) for indices in order.values())
