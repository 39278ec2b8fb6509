"""Differential: bad input everywhere.  Wrong address shapes and types,
ports out of range, over-long paths, bad buffer sizes and flags, and every
method called on a closed or a detached socket."""

from __future__ import annotations

import contextlib
import gc
import os
import sys
import tempfile
from collections.abc import Callable
from typing import Any

import pytest
from differential import agree
from socket_support import SUN_PATH_SIZE, unix_pair

Call = Callable[[Any, Any], Any]

# Every method of the socket object, called with plausible arguments.
METHOD_CALLS: dict[str, Call] = {
    "accept": lambda m, s: s.accept(),
    "bind": lambda m, s: s.bind(("127.0.0.1", 0)),
    "close": lambda m, s: s.close(),
    "connect": lambda m, s: s.connect(("127.0.0.1", 9)),
    "connect_ex": lambda m, s: s.connect_ex(("127.0.0.1", 9)),
    "detach": lambda m, s: s.detach(),
    "dup": lambda m, s: s.dup(),
    "fileno": lambda m, s: s.fileno(),
    "get_inheritable": lambda m, s: s.get_inheritable(),
    "set_inheritable": lambda m, s: s.set_inheritable(True),
    "getpeername": lambda m, s: s.getpeername(),
    "getsockname": lambda m, s: s.getsockname(),
    "getsockopt int": lambda m, s: s.getsockopt(m.SOL_SOCKET, m.SO_TYPE),
    "getsockopt buflen": lambda m, s: s.getsockopt(m.SOL_SOCKET, m.SO_LINGER, 8),
    "setsockopt int": lambda m, s: s.setsockopt(m.SOL_SOCKET, m.SO_REUSEADDR, 1),
    "setsockopt buffer": lambda m, s: s.setsockopt(m.SOL_SOCKET, m.SO_REUSEADDR, b"\1\0\0\0"),
    "setsockopt none": lambda m, s: s.setsockopt(m.SOL_SOCKET, m.SO_REUSEADDR, None, 4),
    "getblocking": lambda m, s: s.getblocking(),
    "setblocking": lambda m, s: s.setblocking(False),
    "gettimeout": lambda m, s: s.gettimeout(),
    "settimeout": lambda m, s: s.settimeout(1.0),
    "settimeout none": lambda m, s: s.settimeout(None),
    "listen": lambda m, s: s.listen(),
    "recv": lambda m, s: s.recv(10),
    "recvfrom": lambda m, s: s.recvfrom(10),
    "recv_into": lambda m, s: s.recv_into(bytearray(10)),
    "recvfrom_into": lambda m, s: s.recvfrom_into(bytearray(10)),
    "recvmsg": lambda m, s: s.recvmsg(10),
    "recvmsg_into": lambda m, s: s.recvmsg_into([bytearray(10)]),
    "send": lambda m, s: s.send(b"x"),
    "sendall": lambda m, s: s.sendall(b"x"),
    "sendto": lambda m, s: s.sendto(b"x", ("127.0.0.1", 9)),
    "sendmsg": lambda m, s: s.sendmsg([b"x"]),
    "shutdown": lambda m, s: s.shutdown(m.SHUT_RDWR),
    "family": lambda m, s: s.family,
    "type": lambda m, s: s.type,
    "proto": lambda m, s: s.proto,
    "timeout": lambda m, s: s.timeout,
}


def after_close(m: Any) -> Any:
    sock = m.socket()
    sock.close()
    return sock


def after_detach(m: Any) -> Any:
    sock = m.socket()
    m.close(sock.detach())
    return sock


# --- a closed or detached socket ---------------------------------------------------------


@pytest.mark.parametrize("method", sorted(METHOD_CALLS))
def test_every_method_on_a_closed_socket(method: str) -> None:
    def scenario(m: Any) -> Any:
        return METHOD_CALLS[method](m, after_close(m))

    agree(scenario)


@pytest.mark.parametrize("method", sorted(METHOD_CALLS))
def test_every_method_on_a_detached_socket(method: str) -> None:
    def scenario(m: Any) -> Any:
        return METHOD_CALLS[method](m, after_detach(m))

    agree(scenario)


@pytest.mark.parametrize("method", ["recv", "send", "getsockname", "fileno", "shutdown"])
def test_method_on_a_socket_closed_by_the_module_level_close(method: str) -> None:
    """The object still holds the number, the kernel no longer knows it."""

    def scenario(m: Any) -> Any:
        first, second = m.socketpair()
        with second:
            m.close(first.fileno())
            try:
                return METHOD_CALLS[method](m, first) == first.fileno() or "called"
            finally:
                first.detach()

    agree(scenario)


# --- AF_INET address shapes -----------------------------------------------------------------
# Hosts here are numeric or fail before any lookup: nothing may reach a resolver.


BAD_INET_ADDRESSES = [
    "127.0.0.1",
    b"127.0.0.1",
    ("127.0.0.1",),
    ("127.0.0.1", 80, 0),
    ["127.0.0.1", 80],
    (),
    None,
    80,
    (None, 80),
    (127, 80),
    (b"127.0.0.1\0", 80),
    ("127.0.0.1\0", 80),
    ("127.0.0.1", -1),
    ("127.0.0.1", 65536),
    ("127.0.0.1", 2**70),
    ("127.0.0.1", -(2**70)),
    ("127.0.0.1", 1.5),
    ("127.0.0.1", 80.0),
    ("127.0.0.1", "80"),
    ("127.0.0.1", None),
    ("", -1),
    ("::1", 80),
]


@pytest.mark.parametrize("address", BAD_INET_ADDRESSES, ids=repr)
@pytest.mark.parametrize("method", ["bind", "connect", "connect_ex", "sendto"])
def test_bad_inet_address(method: str, address: Any) -> None:
    def scenario(m: Any) -> Any:
        with m.socket(m.AF_INET, m.SOCK_DGRAM) as sock:
            if method == "sendto":
                return sock.sendto(b"x", address)
            return getattr(sock, method)(address)

    agree(scenario)


# --- AF_INET6 address shapes ---------------------------------------------------------------


BAD_INET6_ADDRESSES = [
    "::1",
    ("::1",),
    ("::1", 80, 0, 0, 0),
    ["::1", 80],
    (None, 80),
    ("::1", -1),
    ("::1", 65536),
    ("::1", 2**70),
    ("::1", 1.5),
    ("::1", "80"),
    ("::1", 80, "0"),
    ("::1", 80, 0, "0"),
    ("::1", 80, 1.0),
    ("::1", 80, 0, 1.0),
    ("::1", 80, None),
    ("::1\0", 80),
    (b"::1", None),
]


@pytest.mark.parametrize("address", BAD_INET6_ADDRESSES, ids=repr)
@pytest.mark.parametrize("method", ["bind", "connect", "sendto"])
def test_bad_inet6_address(method: str, address: Any) -> None:
    def scenario(m: Any) -> Any:
        with m.socket(m.AF_INET6, m.SOCK_DGRAM) as sock:
            if method == "sendto":
                return sock.sendto(b"x", address)
            return getattr(sock, method)(address)

    agree(scenario)


# --- AF_UNIX addresses --------------------------------------------------------------------


BAD_UNIX_ADDRESSES = [
    ("/tmp/x",),
    ("/tmp/x", 0),
    None,
    42,
    1.5,
    ["/tmp/x"],
    "/" + "p" * SUN_PATH_SIZE,
    b"/" + b"p" * SUN_PATH_SIZE,
    b"\0" + b"a" * SUN_PATH_SIZE,
    "x" * 10000,
]


@pytest.mark.parametrize("address", BAD_UNIX_ADDRESSES, ids=lambda a: repr(a)[:40])
@pytest.mark.parametrize("method", ["bind", "connect", "connect_ex", "sendto"])
def test_bad_unix_address(method: str, address: Any) -> None:
    def scenario(m: Any) -> Any:
        with m.socket(m.AF_UNIX, m.SOCK_DGRAM) as sock:
            if method == "sendto":
                return sock.sendto(b"x", address)
            return getattr(sock, method)(address)

    agree(scenario)


# --- buffer sizes and flags -----------------------------------------------------------------


@pytest.mark.parametrize(
    "arguments",
    [(-1,), (2**63,), (2**64,), (-(2**63) - 1,), ("10",), (1.5,), (None,), ()],
    ids=repr,
)
@pytest.mark.parametrize("method", ["recv", "recvfrom"])
def test_receive_with_bad_size(method: str, arguments: tuple[Any, ...]) -> None:
    def scenario(m: Any) -> Any:
        with unix_pair(m) as (first, second):
            first.send(b"x")
            return getattr(second, method)(*arguments)

    agree(scenario)


@pytest.mark.parametrize("flags", ["0", 1.0, None, 2**31, 2**64, -(2**31) - 1], ids=repr)
@pytest.mark.parametrize("method", ["recv", "recvfrom", "send", "sendall"])
def test_bad_flags(method: str, flags: Any) -> None:
    def scenario(m: Any) -> Any:
        with unix_pair(m) as (first, second):
            first.send(b"x")
            argument = 10 if method.startswith("recv") else b"y"
            return getattr(second, method)(argument, flags)

    agree(scenario)


def test_unknown_flag_bits_on_recv() -> None:
    def scenario(m: Any) -> Any:
        with unix_pair(m) as (first, second):
            first.send(b"x")
            return second.recv(10, 0x40000000)

    agree(scenario)


@pytest.mark.parametrize(
    ("buffer_size", "nbytes"),
    [(4, 10), (4, 5), (4, -1), (0, 1), (4, 2**63), (4, "2")],
    ids=repr,
)
@pytest.mark.parametrize("method", ["recv_into", "recvfrom_into"])
def test_receive_into_with_nbytes_beyond_the_buffer(
    method: str, buffer_size: int, nbytes: Any
) -> None:
    def scenario(m: Any) -> Any:
        with unix_pair(m) as (first, second):
            first.send(b"0123456789")
            return getattr(second, method)(bytearray(buffer_size), nbytes)

    agree(scenario)


@pytest.mark.parametrize(
    "buffer",
    [b"read-only", memoryview(b"read-only"), "str", None, 42, memoryview(bytearray(8))[::2]],
    ids=["bytes", "read-only view", "str", "None", "int", "strided writable view"],
)
@pytest.mark.parametrize("method", ["recv_into", "recvfrom_into"])
def test_receive_into_unwritable_or_odd_buffer(method: str, buffer: Any) -> None:
    def scenario(m: Any) -> Any:
        with unix_pair(m) as (first, second):
            first.send(b"x")
            return getattr(second, method)(buffer)

    agree(scenario)


@pytest.mark.parametrize(
    "data",
    ["str", None, 42, [1, 2], memoryview(b"abcdef")[::2]],
    ids=["str", "None", "int", "list", "strided view"],
)
@pytest.mark.parametrize("method", ["send", "sendall", "sendto"])
def test_send_of_non_buffer_data(method: str, data: Any) -> None:
    def scenario(m: Any) -> Any:
        with unix_pair(m, "SOCK_DGRAM") as (first, _second):
            if method == "sendto":
                return first.sendto(data, "/nonexistent")
            return getattr(first, method)(data)

    agree(scenario)


@pytest.mark.parametrize(
    "arguments",
    [(b"x",), (b"x", 0, ("127.0.0.1", 9), 1), (), (b"x", "0", ("127.0.0.1", 9))],
    ids=repr,
)
def test_sendto_with_wrong_argument_count_or_types(arguments: tuple[Any, ...]) -> None:
    def scenario(m: Any) -> Any:
        with m.socket(m.AF_INET, m.SOCK_DGRAM) as sock:
            return sock.sendto(*arguments)

    agree(scenario)


# --- constructor and simple methods ---------------------------------------------------------


@pytest.mark.parametrize(
    "arguments",
    [("2",), (2, "1"), (2, 1, "0"), (2.0,), (2**31,), (2, 2**31), (2, 1, 2**31)],
    ids=repr,
)
def test_constructor_with_bad_arguments(arguments: tuple[Any, ...]) -> None:
    def scenario(m: Any) -> Any:
        with m.socket(*arguments) as sock:
            return sock.family, sock.type, sock.proto

    agree(scenario)


def test_constructor_with_unknown_keyword() -> None:
    def scenario(m: Any) -> Any:
        return m.socket(familly=2)

    agree(scenario)


@pytest.mark.parametrize("kind", [0, 99, 2**30], ids=repr)
def test_constructor_with_unknown_type(kind: int) -> None:
    def scenario(m: Any) -> Any:
        with m.socket(m.AF_INET, kind) as sock:
            return sock.type

    agree(scenario)


def test_constructor_minus_one_means_the_default() -> None:
    def scenario(m: Any) -> Any:
        with m.socket(-1, -1, -1) as sock:
            return sock.family, sock.type, sock.proto

    agree(scenario)


@pytest.mark.parametrize("flag", ["yes", None, 2**70, 1.0], ids=repr)
def test_set_inheritable_with_bad_flag(flag: Any) -> None:
    def scenario(m: Any) -> Any:
        with m.socket() as sock:
            sock.set_inheritable(flag)
            return sock.get_inheritable()

    agree(scenario)


@pytest.mark.parametrize("method", ["getsockname", "getpeername", "fileno", "detach", "dup"])
def test_methods_without_arguments_refuse_one(method: str) -> None:
    def scenario(m: Any) -> Any:
        with m.socket() as sock:
            return getattr(sock, method)(1)

    agree(scenario)


@pytest.mark.parametrize("method", ["bind", "connect", "connect_ex", "shutdown", "recv"])
def test_methods_with_a_required_argument_refuse_none_given(method: str) -> None:
    def scenario(m: Any) -> Any:
        with m.socket() as sock:
            return getattr(sock, method)()

    agree(scenario)


def test_socketpair_with_bad_arguments() -> None:
    def scenario(m: Any) -> Any:
        return m.socketpair("unix")

    agree(scenario)


@pytest.mark.parametrize("kind", [99, -1])
def test_socketpair_with_unknown_type(kind: int) -> None:
    def scenario(m: Any) -> Any:
        return m.socketpair(m.AF_UNIX, kind)

    agree(scenario)


# --- failures leak nothing (per implementation, not differential) ---------------------------


FAILING_CALLS: dict[str, Call] = {
    "bind bad port": lambda m, s: s.bind(("127.0.0.1", 65536)),
    "bind bad tuple": lambda m, s: s.bind(("127.0.0.1", 80, 0)),
    "bind long unix path": lambda m, s: s.bind("/" + "p" * SUN_PATH_SIZE),
    "connect bad host type": lambda m, s: s.connect((None, 80)),
    "sendto bad data": lambda m, s: s.sendto("str", ("127.0.0.1", 9)),
    "recv negative": lambda m, s: s.recv(-1),
    "recv_into read-only": lambda m, s: s.recv_into(b"read-only"),
    "recvmsg negative": lambda m, s: s.recvmsg(-1),
    "recvmsg_into bad buffer": lambda m, s: s.recvmsg_into([bytearray(4), b"ro"]),
    "sendmsg bad ancillary": lambda m, s: s.sendmsg([b"x"], [(1, 1, "str")]),
    "sendmsg bad buffer": lambda m, s: s.sendmsg([b"ok", "str"]),
    "getsockopt bad buflen": lambda m, s: s.getsockopt(m.SOL_SOCKET, m.SO_LINGER, 2000),
    "setsockopt bad value": lambda m, s: s.setsockopt(m.SOL_SOCKET, m.SO_REUSEADDR, "x"),
    "settimeout nan": lambda m, s: s.settimeout(float("nan")),
    "recv would block": lambda m, s: s.recv(10),
    "accept not listening": lambda m, s: s.accept(),
    "socket from closed fd": lambda m, s: m.socket(fileno=2**31 - 1),
    "socketpair inet": lambda m, s: m.socketpair(m.AF_INET),
}


def open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.parametrize("call", sorted(FAILING_CALLS))
def test_failing_call_leaks_no_descriptor_or_memory(impl: Any, call: str) -> None:
    """Repeat a failing call; descriptors and live allocations stay flat."""
    with impl.socket(impl.AF_INET, impl.SOCK_DGRAM | impl.SOCK_NONBLOCK) as sock:
        attempt = FAILING_CALLS[call]

        def fail_many(times: int) -> None:
            for _ in range(times):
                with contextlib.suppress(Exception):
                    attempt(impl, sock)

        fail_many(50)  # warm caches: interned strings, free lists
        gc.collect()
        descriptors, blocks = open_descriptors(), sys.getallocatedblocks()
        fail_many(2000)
        gc.collect()
        assert open_descriptors() == descriptors
        assert sys.getallocatedblocks() - blocks < 200


def test_fileno_of_a_regular_file_is_refused_with_every_argument_given() -> None:
    # bpo-35415: nothing asks the kernel what the descriptor is when family,
    # type and proto are all given; the constructor must check it anyway.
    with tempfile.TemporaryFile() as regular:
        agree(lambda m: m.socket(m.AF_INET, m.SOCK_STREAM, 0, fileno=regular.fileno()))


def test_fileno_of_a_closed_descriptor_is_refused_with_every_argument_given() -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)
    os.close(write_end)
    agree(lambda m: m.socket(m.AF_INET, m.SOCK_STREAM, 0, fileno=read_end))
