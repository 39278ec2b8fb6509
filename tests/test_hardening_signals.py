"""Signals delivered while a socket call blocks (PEP 475), once per
implementation: a handler that returns lets the call go on (retried, with
the timeout counting from the first attempt, not restarted); a handler
that raises ends the call with its exception.

SIGALRM comes from an interval timer, so it keeps arriving every few
milliseconds for the whole call.  SIGINT is sent to the main thread itself
(pthread_kill), as a terminal's ^C reaches a program blocked in recv."""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Any

import pytest

TICK = 0.01
TIMEOUT = 0.5
# The timeout must not restart at each signal: with a tick of 10 ms a
# restarting implementation would never time out; this leaves room for a
# loaded machine while still catching a restart.
TIMEOUT_SLACK = 1.0


class HandlerRaised(Exception):
    """What the test's signal handler raises."""


@contextlib.contextmanager
def alarms(handler: Callable[[int, FrameType | None], Any]) -> Iterator[None]:
    """SIGALRM every TICK seconds into `handler`, until the block ends."""
    previous = signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, TICK, TICK)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class Counter:
    """A handler that counts the signals and returns."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        self.calls += 1


def raise_after(
    count: int, exception: type[BaseException]
) -> Callable[[int, FrameType | None], None]:
    """A handler that returns `count - 1` times, raises once, then returns
    again (signals that arrive while the exception unwinds must not raise
    a second one into pytest's own code)."""
    seen = [0]

    def handler(signum: int, frame: FrameType | None) -> None:
        seen[0] += 1
        if seen[0] == count:
            raise exception()

    return handler


def later(delay: float, action: Callable[[], Any]) -> threading.Timer:
    timer = threading.Timer(delay, action)
    timer.start()
    return timer


@pytest.fixture
def stream_pair(impl: Any) -> Iterator[tuple[Any, Any]]:
    left, right = impl.socketpair()
    with left, right:
        yield left, right


@pytest.fixture
def listener(impl: Any) -> Iterator[Any]:
    with impl.socket(impl.AF_INET, impl.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        yield server


# --- a handler that returns: the call is retried ----------------------------------------


@pytest.mark.parametrize("timeout", [None, 5.0], ids=["blocking", "timeout"])
def test_recv_is_retried_after_signals_whose_handler_returns(
    stream_pair: tuple[Any, Any], timeout: float | None
) -> None:
    left, right = stream_pair
    right.settimeout(timeout)
    counter = Counter()
    timer = later(0.2, lambda: left.sendall(b"late"))
    with alarms(counter):
        data = right.recv(16)
    timer.join()
    assert data == b"late"
    assert counter.calls >= 5


@pytest.mark.parametrize("timeout", [None, 5.0], ids=["blocking", "timeout"])
def test_accept_is_retried_after_signals_whose_handler_returns(
    impl: Any, listener: Any, timeout: float | None
) -> None:
    listener.settimeout(timeout)
    client = impl.socket(impl.AF_INET, impl.SOCK_STREAM)
    counter = Counter()
    timer = later(0.2, lambda: client.connect(listener.getsockname()))
    with alarms(counter):
        accepted, _ = listener.accept()
    timer.join()
    with accepted, client:
        assert accepted.getpeername() == client.getsockname()
    assert counter.calls >= 5


@pytest.mark.parametrize("timeout", [None, 10.0], ids=["blocking", "timeout"])
def test_sendall_delivers_everything_despite_signals(
    stream_pair: tuple[Any, Any], timeout: float | None
) -> None:
    """The peer reads slowly, so sendall blocks many times on a full buffer
    and is interrupted many times: every byte must still arrive, once."""
    left, right = stream_pair
    left.settimeout(timeout)
    payload = bytes(range(256)) * 16384  # 4 MiB, far more than the buffers
    received = bytearray()

    def read_slowly() -> None:
        while len(received) < len(payload):
            time.sleep(0.001)
            received.extend(right.recv(65536))

    reader = threading.Thread(target=read_slowly)
    reader.start()
    counter = Counter()
    with alarms(counter):
        left.sendall(payload)
    reader.join(20)
    assert bytes(received) == payload
    assert counter.calls >= 1


# --- the timeout spans the whole call --------------------------------------------------


def test_recv_timeout_is_not_restarted_by_signals(stream_pair: tuple[Any, Any], impl: Any) -> None:
    _, right = stream_pair
    right.settimeout(TIMEOUT)
    start = time.monotonic()
    with alarms(Counter()), pytest.raises(impl.timeout):
        right.recv(16)
    assert TIMEOUT * 0.9 <= time.monotonic() - start < TIMEOUT + TIMEOUT_SLACK


def test_accept_timeout_is_not_restarted_by_signals(listener: Any, impl: Any) -> None:
    listener.settimeout(TIMEOUT)
    start = time.monotonic()
    with alarms(Counter()), pytest.raises(impl.timeout):
        listener.accept()
    assert TIMEOUT * 0.9 <= time.monotonic() - start < TIMEOUT + TIMEOUT_SLACK


def test_sendall_timeout_is_not_restarted_by_signals(
    stream_pair: tuple[Any, Any], impl: Any
) -> None:
    left, _ = stream_pair
    left.settimeout(TIMEOUT)
    start = time.monotonic()
    with alarms(Counter()), pytest.raises(impl.timeout):
        left.sendall(b"x" * (16 << 20))  # nobody reads: the buffer fills
    assert TIMEOUT * 0.9 <= time.monotonic() - start < TIMEOUT + TIMEOUT_SLACK


# --- a handler that raises: its exception ends the call ------------------------------------


@pytest.mark.parametrize("timeout", [None, 5.0], ids=["blocking", "timeout"])
@pytest.mark.parametrize(
    "exception", [HandlerRaised, KeyboardInterrupt], ids=["custom", "KeyboardInterrupt"]
)
def test_recv_raises_what_the_handler_raises(
    stream_pair: tuple[Any, Any], timeout: float | None, exception: type[BaseException]
) -> None:
    _, right = stream_pair
    right.settimeout(timeout)
    with alarms(raise_after(3, exception)), pytest.raises(exception):
        right.recv(16)


@pytest.mark.parametrize("timeout", [None, 5.0], ids=["blocking", "timeout"])
def test_accept_raises_what_the_handler_raises(listener: Any, timeout: float | None) -> None:
    listener.settimeout(timeout)
    with alarms(raise_after(3, HandlerRaised)), pytest.raises(HandlerRaised):
        listener.accept()


@pytest.mark.parametrize("timeout", [None, 5.0], ids=["blocking", "timeout"])
def test_sendall_raises_what_the_handler_raises(
    stream_pair: tuple[Any, Any], timeout: float | None
) -> None:
    left, _ = stream_pair
    left.settimeout(timeout)
    with alarms(raise_after(3, HandlerRaised)), pytest.raises(HandlerRaised):
        left.sendall(b"x" * (16 << 20))


def test_connection_survives_an_interrupted_recv(stream_pair: tuple[Any, Any]) -> None:
    """After the handler's exception ends a recv, the socket still works:
    nothing was consumed or lost by the interrupted call."""
    left, right = stream_pair
    with alarms(raise_after(2, HandlerRaised)), pytest.raises(HandlerRaised):
        right.recv(16)
    left.sendall(b"after")
    assert right.recv(16) == b"after"


# --- SIGINT: ^C during a blocking call ----------------------------------------------


@contextlib.contextmanager
def interrupt_main_thread_after(delay: float) -> Iterator[None]:
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    main = threading.main_thread().ident
    assert main is not None and threading.get_ident() == main
    timer = later(delay, lambda: signal.pthread_kill(main, signal.SIGINT))
    try:
        yield
    finally:
        timer.join()
        signal.signal(signal.SIGINT, previous)


@pytest.mark.parametrize("timeout", [None, 5.0], ids=["blocking", "timeout"])
def test_sigint_during_recv_raises_keyboard_interrupt(
    stream_pair: tuple[Any, Any], timeout: float | None
) -> None:
    _, right = stream_pair
    right.settimeout(timeout)
    start = time.monotonic()
    with interrupt_main_thread_after(0.1), pytest.raises(KeyboardInterrupt):
        right.recv(16)
    assert time.monotonic() - start < 3


@pytest.mark.parametrize("timeout", [None, 5.0], ids=["blocking", "timeout"])
def test_sigint_during_accept_raises_keyboard_interrupt(
    listener: Any, timeout: float | None
) -> None:
    listener.settimeout(timeout)
    with interrupt_main_thread_after(0.1), pytest.raises(KeyboardInterrupt):
        listener.accept()
