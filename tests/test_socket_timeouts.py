"""Differential: timeouts, blocking mode and the module's default timeout,
and the calls that time out (recv, accept, connect, sendall)."""

from __future__ import annotations

import contextlib
import decimal
import fcntl
import fractions
import os
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from differential import IMPLEMENTATIONS, agree
from socket_support import connected_pair, fill_send_buffer, listener, unix_pair

SHORT = 0.05


@pytest.fixture(autouse=True)
def default_timeout_restored() -> Iterator[None]:
    """Every test leaves both modules' default timeout as it found it."""
    saved = {name: module.getdefaulttimeout() for name, module in IMPLEMENTATIONS.items()}
    yield
    for name, module in IMPLEMENTATIONS.items():
        module.setdefaulttimeout(saved[name])


@contextlib.contextmanager
def full_listener(m: Any) -> Iterator[Any]:
    """A TCP listener whose accept queue is full: the kernel drops further
    SYNs, so a new connect waits (all on loopback, nothing leaves the host)."""
    with listener(m, "AF_INET") as server:
        server.listen(0)
        with m.socket() as queued:
            queued.connect(server.getsockname())
            yield server


def timed(call: Any) -> tuple[Any, float]:
    start = time.monotonic()
    try:
        return call(), time.monotonic() - start
    except OSError as exc:
        return (type(exc).__name__, exc.errno, str(exc)), time.monotonic() - start


def o_nonblock(sock: Any) -> bool:
    return bool(fcntl.fcntl(sock.fileno(), fcntl.F_GETFL) & os.O_NONBLOCK)


# --- settimeout, gettimeout, setblocking, getblocking ------------------------------------


@pytest.mark.parametrize(
    "value",
    [None, 0, 0.0, -0.0, 2.5, 3, True, 1e-10, 1e-3, 86400 * 365, 1e9],
    ids=repr,
)
def test_settimeout_accepted_values(value: Any) -> None:
    def scenario(m: Any) -> Any:
        with m.socket() as sock:
            sock.settimeout(value)
            return sock.gettimeout(), sock.timeout, sock.getblocking(), o_nonblock(sock)

    agree(scenario)


@pytest.mark.parametrize(
    "value",
    [-1, -0.5, -1e-9, float("nan"), float("inf"), float("-inf"), 1e300, 2**70, 2**63 / 1e9],
    ids=repr,
)
def test_settimeout_out_of_range_values(value: Any) -> None:
    def scenario(m: Any) -> Any:
        with m.socket() as sock:
            sock.settimeout(value)
            return sock.gettimeout()

    agree(scenario)


@pytest.mark.parametrize(
    "value",
    ["1", b"1", [], object(), decimal.Decimal("1.5"), fractions.Fraction(1, 3), 1j],
    ids=repr,
)
def test_settimeout_values_of_wrong_type(value: Any) -> None:
    def scenario(m: Any) -> Any:
        with m.socket() as sock:
            sock.settimeout(value)
            return sock.gettimeout()

    agree(scenario)


def test_settimeout_requires_an_argument() -> None:
    def scenario(m: Any) -> Any:
        with m.socket() as sock:
            return sock.settimeout()

    agree(scenario)


def test_failed_settimeout_keeps_the_previous_timeout() -> None:
    def scenario(m: Any) -> Any:
        with m.socket() as sock:
            sock.settimeout(4.0)
            with contextlib.suppress(ValueError):
                sock.settimeout(-3)
            return sock.gettimeout()

    agree(scenario)


@pytest.mark.parametrize("flag", [True, False, 0, 1, 5, -1], ids=repr)
def test_setblocking_values(flag: Any) -> None:
    def scenario(m: Any) -> Any:
        with m.socket() as sock:
            sock.settimeout(7.0)
            result = sock.setblocking(flag)
            return result, sock.gettimeout(), sock.getblocking(), o_nonblock(sock)

    agree(scenario)


@pytest.mark.parametrize("flag", ["x", "", None, 1.5, 0.0, 2**70], ids=repr)
def test_setblocking_with_a_flag_that_is_not_an_int(flag: Any) -> None:
    """3.10 and 3.11 want an int; 3.12 and later take any object's truth."""

    def scenario(m: Any) -> Any:
        with m.socket() as sock:
            sock.settimeout(7.0)
            return sock.setblocking(flag), sock.gettimeout()

    agree(scenario)


def test_timeout_attribute_is_read_only() -> None:
    def scenario(m: Any) -> Any:
        with m.socket() as sock:
            sock.timeout = 5.0
            return sock.gettimeout()

    agree(scenario)


def test_timeout_keeps_the_descriptor_nonblocking_and_none_restores_it() -> None:
    def scenario(m: Any) -> Any:
        with m.socket() as sock:
            sock.settimeout(1.0)
            with_timeout = o_nonblock(sock)
            sock.settimeout(None)
            return with_timeout, o_nonblock(sock)

    agree(scenario)


# --- the module's default timeout --------------------------------------------------------


def test_default_timeout_starts_as_none() -> None:
    def scenario(m: Any) -> Any:
        return m.getdefaulttimeout()

    agree(scenario)


@pytest.mark.parametrize("value", [None, 0, 1, 2.5], ids=repr)
def test_setdefaulttimeout_is_read_back(value: Any) -> None:
    def scenario(m: Any) -> Any:
        m.setdefaulttimeout(value)
        try:
            return m.getdefaulttimeout()
        finally:
            m.setdefaulttimeout(None)

    agree(scenario)


@pytest.mark.parametrize("value", [-1, float("nan"), "1", 1e300], ids=repr)
def test_setdefaulttimeout_refuses_bad_values(value: Any) -> None:
    def scenario(m: Any) -> Any:
        try:
            m.setdefaulttimeout(value)
            return m.getdefaulttimeout()
        finally:
            m.setdefaulttimeout(None)

    agree(scenario)


def test_default_timeout_applies_to_new_sockets() -> None:
    def scenario(m: Any) -> Any:
        m.setdefaulttimeout(2.5)
        try:
            with m.socket() as sock:
                return sock.gettimeout(), sock.getblocking(), o_nonblock(sock)
        finally:
            m.setdefaulttimeout(None)

    agree(scenario)


def test_default_timeout_applies_to_socketpair() -> None:
    def scenario(m: Any) -> Any:
        m.setdefaulttimeout(1.5)
        try:
            with unix_pair(m) as (first, second):
                return first.gettimeout(), second.gettimeout()
        finally:
            m.setdefaulttimeout(None)

    agree(scenario)


def test_default_timeout_applies_to_adopted_descriptors() -> None:
    def scenario(m: Any) -> Any:
        fd = m.socket().detach()
        m.setdefaulttimeout(3.0)
        try:
            with m.socket(fileno=fd) as sock:
                return sock.gettimeout()
        finally:
            m.setdefaulttimeout(None)

    agree(scenario)


def test_default_timeout_does_not_change_existing_sockets() -> None:
    def scenario(m: Any) -> Any:
        with m.socket() as sock:
            m.setdefaulttimeout(3.0)
            m.setdefaulttimeout(None)
            return sock.gettimeout()

    agree(scenario)


def test_sock_nonblock_wins_over_default_timeout() -> None:
    def scenario(m: Any) -> Any:
        m.setdefaulttimeout(2.0)
        try:
            with m.socket(m.AF_INET, m.SOCK_STREAM | m.SOCK_NONBLOCK) as sock:
                return sock.gettimeout(), sock.type
        finally:
            m.setdefaulttimeout(None)

    agree(scenario)


def test_accepted_socket_takes_the_default_timeout() -> None:
    def scenario(m: Any) -> Any:
        with listener(m, "AF_INET") as server, m.socket() as client:
            client.connect(server.getsockname())
            m.setdefaulttimeout(4.0)
            try:
                accepted, _ = server.accept()
            finally:
                m.setdefaulttimeout(None)
            with accepted:
                return accepted.gettimeout()

    agree(scenario)


# --- what times out ------------------------------------------------------------------------


def test_timeout_is_timeout_error() -> None:
    def scenario(m: Any) -> Any:
        return m.timeout is TimeoutError, issubclass(m.timeout, OSError)

    agree(scenario)


@pytest.mark.parametrize("call", ["recv", "recvfrom", "recv_into", "recvfrom_into", "recvmsg"])
def test_receiving_times_out(call: str) -> None:
    arguments = {
        "recv": (10,),
        "recvfrom": (10,),
        "recv_into": (bytearray(10),),
        "recvfrom_into": (bytearray(10),),
        "recvmsg": (10,),
    }[call]

    def scenario(m: Any) -> Any:
        with unix_pair(m) as (first, _second):
            first.settimeout(SHORT)
            outcome, elapsed = timed(lambda: getattr(first, call)(*arguments))
            return outcome, SHORT * 0.8 <= elapsed < 2.0

    agree(scenario)


def test_accept_times_out() -> None:
    def scenario(m: Any) -> Any:
        with listener(m, "AF_INET6") as server:
            server.settimeout(SHORT)
            outcome, elapsed = timed(server.accept)
            return outcome, elapsed < 2.0

    agree(scenario)


def test_connect_times_out_when_the_accept_queue_is_full() -> None:
    def scenario(m: Any) -> Any:
        with full_listener(m) as server, m.socket() as sock:
            sock.settimeout(SHORT)
            outcome, elapsed = timed(lambda: sock.connect(server.getsockname()))
            return outcome, elapsed < 2.0

    agree(scenario)


def test_connect_ex_returns_eagain_on_timeout() -> None:
    def scenario(m: Any) -> Any:
        with full_listener(m) as server, m.socket() as sock:
            sock.settimeout(SHORT)
            return sock.connect_ex(server.getsockname())

    agree(scenario)


def test_connect_again_after_a_timed_out_connect() -> None:
    def scenario(m: Any) -> Any:
        with full_listener(m) as server, m.socket() as sock:
            sock.settimeout(SHORT)
            first = sock.connect_ex(server.getsockname())
            return first, sock.connect_ex(server.getsockname())

    agree(scenario)


def test_connect_ex_on_nonblocking_socket_is_in_progress() -> None:
    def scenario(m: Any) -> Any:
        with full_listener(m) as server, m.socket() as sock:
            sock.setblocking(False)
            return sock.connect_ex(server.getsockname())

    agree(scenario)


def test_connect_on_nonblocking_socket_raises_in_progress() -> None:
    def scenario(m: Any) -> Any:
        with full_listener(m) as server, m.socket() as sock:
            sock.setblocking(False)
            return sock.connect(server.getsockname())

    agree(scenario)


@pytest.mark.parametrize("timeout", [None, 5.0], ids=repr)
def test_connect_ex_success_then_already_connected(timeout: float | None) -> None:
    def scenario(m: Any) -> Any:
        with listener(m, "AF_INET") as server, m.socket() as sock:
            sock.settimeout(timeout)
            return sock.connect_ex(server.getsockname()), sock.connect_ex(server.getsockname())

    agree(scenario)


@pytest.mark.parametrize("timeout", [None, 0.0, 5.0], ids=repr)
def test_connect_ex_to_closed_port_reports_refusal_unless_nonblocking(
    timeout: float | None,
) -> None:
    def scenario(m: Any) -> Any:
        with listener(m, "AF_INET", "SOCK_DGRAM") as unused, m.socket() as sock:
            sock.settimeout(timeout)
            return sock.connect_ex(unused.getsockname())

    agree(scenario)


def test_connect_ex_to_missing_unix_path_returns_enoent() -> None:
    def scenario(m: Any) -> Any:
        with m.socket(m.AF_UNIX) as sock:
            return sock.connect_ex("/nonexistent/socklab")

    agree(scenario)


def test_connect_ex_raises_for_a_bad_address() -> None:
    def scenario(m: Any) -> Any:
        with m.socket() as sock:
            return sock.connect_ex(("127.0.0.1", "port"))

    agree(scenario)


def test_send_times_out_on_a_full_buffer() -> None:
    def scenario(m: Any) -> Any:
        with unix_pair(m) as (first, _second):
            fill_send_buffer(first)
            first.settimeout(SHORT)
            outcome, elapsed = timed(lambda: first.send(b"x" * 1024))
            return outcome, elapsed < 2.0

    agree(scenario)


def test_sendall_times_out_when_the_peer_never_reads() -> None:
    def scenario(m: Any) -> Any:
        with unix_pair(m) as (first, _second):
            first.settimeout(SHORT)
            outcome, elapsed = timed(lambda: first.sendall(bytes(8 * 1024 * 1024)))
            return outcome, elapsed < 2.0

    agree(scenario)


def test_sendall_timeout_bounds_the_whole_call_not_each_send() -> None:
    """The reader keeps freeing buffer space more often than the timeout,
    so each partial send would succeed; the total must still time out."""

    def scenario(m: Any) -> Any:
        with unix_pair(m) as (first, second):
            stop = threading.Event()

            def trickle_reader() -> None:
                while not stop.is_set():
                    second.recv(4096)
                    time.sleep(0.01)

            reader = threading.Thread(target=trickle_reader)
            second.settimeout(5.0)
            reader.start()
            try:
                first.settimeout(0.3)
                outcome, elapsed = timed(lambda: first.sendall(bytes(64 * 1024 * 1024)))
            finally:
                stop.set()
                first.close()
                reader.join(10)
            return outcome, 0.2 < elapsed < 3.0

    agree(scenario)


def test_sendall_completes_within_the_timeout() -> None:
    def scenario(m: Any) -> Any:
        size = 2 * 1024 * 1024
        with connected_pair(m, "AF_INET") as (client, accepted):
            received: list[int] = []

            def reader() -> None:
                total = 0
                while total < size:
                    total += len(accepted.recv(65536))
                received.append(total)

            thread = threading.Thread(target=reader)
            thread.start()
            try:
                client.settimeout(5.0)
                result = client.sendall(bytes(size))
            finally:
                thread.join(10)
            return result, received

    agree(scenario)


def test_recv_with_timeout_returns_data_already_there() -> None:
    def scenario(m: Any) -> Any:
        with unix_pair(m) as (first, second):
            second.settimeout(SHORT)
            first.send(b"ready")
            return second.recv(10)

    agree(scenario)


def test_zero_timeout_recv_is_would_block_not_timeout() -> None:
    def scenario(m: Any) -> Any:
        with unix_pair(m) as (first, _second):
            first.settimeout(0)
            return first.recv(10)

    agree(scenario)
