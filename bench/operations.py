"""The measured operations, each written once against a socket module.

An operation's `prepare(module)` is a context manager: it sets up what the
operation needs (sockets, buffers), checks once that the operation does what
it says, and yields `loop(n)`, which performs the operation n times.  Only
the loop is timed.  The C floor (bench/floor.c) has an operation of the same
name making the same system calls.

Socket methods are called the way users write them (`a.send(...)`), so a
method lookup that one implementation makes slower is part of its cost;
module functions and constants are bound to locals once, because a module
attribute costs both implementations the same.
"""

from __future__ import annotations

import hashlib
import os
import struct
import sys
import threading
from array import array
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from itertools import repeat
from types import ModuleType
from typing import Any

Loop = Callable[[int], None]
Prepare = Callable[[ModuleType], AbstractContextManager[Loop]]

PING = b"p" * 64
RECV_BUFSIZE = 65536
MEBIBYTE = 1024 * 1024
BULK_CHUNK = 65536
LINE = b"l" * 31 + b"\n"
LINES_PER_BLOCK = 64
LOOPBACK = "127.0.0.1"
V4_TEXT = "198.18.0.1"
V6_TEXT = "fd00::1:2:3"
# The families the host kernel may lack: measured in the lab VM (bench/vm.py).
CAN_INTERFACE = os.environ.get("BENCH_CAN_INTERFACE", "vcan0")
CAN_FRAME = struct.pack("=IB3x8s", 0x123, 8, b"canframe")  # struct can_frame
CAN_MTU = 16
SHA256_SIZE = 32


@dataclass(frozen=True)
class Operation:
    name: str
    title: str
    prepare: Prepare | None
    unavailable: str = ""
    vm: bool = False  # needs a family the host kernel may lack (CAN, ALG)
    # Callgrind runs some fifty times slower than the machine: enough
    # iterations to drown the loop's start-up, few enough to stay quick.
    callgrind_iterations: int = 300


OPERATIONS: list[Operation] = []


class WrongResult(AssertionError):
    """An implementation did not do what the operation expects of it."""


def expect(condition: bool, what: str) -> None:
    if not condition:
        raise WrongResult(what)


def operation(
    name: str, title: str, callgrind_iterations: int = 300, vm: bool = False
) -> Callable[[Any], Any]:
    """Register a generator function (module -> yields loop) as an operation."""

    def register(
        body: Callable[[ModuleType], Iterator[Loop]],
    ) -> Callable[[ModuleType], Iterator[Loop]]:
        OPERATIONS.append(
            Operation(
                name,
                title,
                contextmanager(body),
                vm=vm,
                callgrind_iterations=callgrind_iterations,
            )
        )
        return body

    return register


def by_name(names: list[str] | None) -> list[Operation]:
    if not names:
        return list(OPERATIONS)
    known = {op.name: op for op in OPERATIONS}
    unknown = [name for name in names if name not in known]
    if unknown:
        raise SystemExit(f"unknown operations {unknown}; known: {sorted(known)}")
    return [known[name] for name in names]


@operation("pingpong_recv", "64 B ping-pong, socketpair, send+recv(65536)")
def pingpong_recv(socket: ModuleType) -> Iterator[Loop]:
    a, b = socket.socketpair()
    with a, b:
        a.send(PING)
        expect(b.recv(RECV_BUFSIZE) == PING, "recv returns what send sent")

        def loop(n: int) -> None:
            for _ in repeat(None, n):
                a.send(PING)
                b.recv(RECV_BUFSIZE)
                b.send(PING)
                a.recv(RECV_BUFSIZE)

        yield loop


@operation("pingpong_recv_into", "64 B ping-pong, socketpair, send+recv_into")
def pingpong_recv_into(socket: ModuleType) -> Iterator[Loop]:
    a, b = socket.socketpair()
    buffer = bytearray(RECV_BUFSIZE)
    with a, b:
        a.send(PING)
        expect(b.recv_into(buffer) == len(PING), "recv_into counts the bytes sent")

        def loop(n: int) -> None:
            for _ in repeat(None, n):
                a.send(PING)
                b.recv_into(buffer)
                b.send(PING)
                a.recv_into(buffer)

        yield loop


@operation("udp_sendto_recvfrom", "UDP loopback, 64 B sendto+recvfrom")
def udp_sendto_recvfrom(socket: ModuleType) -> Iterator[Loop]:
    sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    with sender, receiver:
        receiver.bind((LOOPBACK, 0))
        address = receiver.getsockname()
        sender.sendto(PING, address)
        data, _ = receiver.recvfrom(RECV_BUFSIZE)
        expect(data == PING, "recvfrom returns the datagram")

        def loop(n: int) -> None:
            for _ in repeat(None, n):
                sender.sendto(PING, address)
                receiver.recvfrom(RECV_BUFSIZE)

        yield loop


@contextmanager
def tcp_connection(socket: ModuleType) -> Iterator[tuple[Any, Any]]:
    """A connected (client, server-side) pair of TCP sockets on loopback."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind((LOOPBACK, 0))
        listener.listen(1)
        client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        with client:
            client.connect(listener.getsockname())
            server, _ = listener.accept()
            with server:
                yield client, server


@operation(
    "tcp_bulk_1mib", "TCP loopback, sendall 1 MiB, recv_into 64 KiB", callgrind_iterations=10
)
def tcp_bulk_1mib(socket: ModuleType) -> Iterator[Loop]:
    # sendall() of a megabyte blocks until a reader drains it, so the
    # sender is a second thread, as in floor.c.
    block = bytes(MEBIBYTE)
    view = memoryview(bytearray(BULK_CHUNK))
    with tcp_connection(socket) as (client, server):

        def send(megabytes: int) -> None:
            for _ in repeat(None, megabytes):
                client.sendall(block)

        def loop(n: int) -> None:
            sender = threading.Thread(target=send, args=(n,))
            sender.start()
            left = n * MEBIBYTE
            while left > 0:
                got = server.recv_into(view)
                expect(got > 0, "the connection stays open")
                left -= got
            sender.join()

        loop(1)
        yield loop


@operation("sendmsg_recvmsg_scm_rights", "sendmsg+recvmsg, 1 fd by SCM_RIGHTS")
def sendmsg_recvmsg_scm_rights(socket: ModuleType) -> Iterator[Loop]:
    a, b = socket.socketpair()
    with a, b:
        passed = array("i", [a.fileno()])
        ancillary = [(socket.SOL_SOCKET, socket.SCM_RIGHTS, passed)]
        space = socket.CMSG_SPACE(passed.itemsize)
        byteorder = sys.byteorder
        close = os.close

        def exchange() -> int:
            a.sendmsg([b"x"], ancillary)
            _, received, _, _ = b.recvmsg(1, space)
            fd = int.from_bytes(received[0][2], byteorder)
            close(fd)
            return fd

        expect(exchange() >= 0, "recvmsg returns the passed descriptor")

        def loop(n: int) -> None:
            for _ in repeat(None, n):
                a.sendmsg([b"x"], ancillary)
                _, received, _, _ = b.recvmsg(1, space)
                close(int.from_bytes(received[0][2], byteorder))

        yield loop


@operation("socket_close", "socket() + close()")
def socket_close(socket: ModuleType) -> Iterator[Loop]:
    new_socket = socket.socket
    family, kind = socket.AF_INET, socket.SOCK_STREAM
    probe = new_socket(family, kind)
    probe.close()
    expect(probe.fileno() == -1, "close() releases the descriptor")

    def loop(n: int) -> None:
        for _ in repeat(None, n):
            new_socket(family, kind).close()

    yield loop


@operation(
    "tcp_connect_accept", "TCP loopback, socket+connect+accept+2 close", callgrind_iterations=100
)
def tcp_connect_accept(socket: ModuleType) -> Iterator[Loop]:
    new_socket = socket.socket
    family, kind = socket.AF_INET, socket.SOCK_STREAM
    # A listener per preparation: each has its own port, so the client
    # connections left in TIME_WAIT never exhaust the ephemeral ports.
    with new_socket(family, kind) as listener:
        listener.bind((LOOPBACK, 0))
        listener.listen(128)
        address = listener.getsockname()

        def loop(n: int) -> None:
            for _ in repeat(None, n):
                client = new_socket(family, kind)
                client.connect(address)
                server, _ = listener.accept()
                client.close()
                server.close()

        loop(1)
        yield loop


@operation("setsockopt_int", "setsockopt(SOL_SOCKET, SO_KEEPALIVE, 1)")
def setsockopt_int(socket: ModuleType) -> Iterator[Loop]:
    level, option = socket.SOL_SOCKET, socket.SO_KEEPALIVE
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(level, option, 1)
        expect(sock.getsockopt(level, option) == 1, "the option is set")

        def loop(n: int) -> None:
            for _ in repeat(None, n):
                sock.setsockopt(level, option, 1)

        yield loop


@operation("getsockopt_int", "getsockopt(SOL_SOCKET, SO_KEEPALIVE)")
def getsockopt_int(socket: ModuleType) -> Iterator[Loop]:
    level, option = socket.SOL_SOCKET, socket.SO_KEEPALIVE
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        expect(sock.getsockopt(level, option) == 0, "the option starts off")

        def loop(n: int) -> None:
            for _ in repeat(None, n):
                sock.getsockopt(level, option)

        yield loop


def pton_loop(socket: ModuleType, family_name: str, text: str) -> Iterator[Loop]:
    inet_pton, family = socket.inet_pton, getattr(socket, family_name)
    expect(len(inet_pton(family, text)) in (4, 16), "inet_pton packs the address")

    def loop(n: int) -> None:
        for _ in repeat(None, n):
            inet_pton(family, text)

    yield loop


def ntop_loop(socket: ModuleType, family_name: str, text: str) -> Iterator[Loop]:
    inet_ntop, family = socket.inet_ntop, getattr(socket, family_name)
    packed = socket.inet_pton(family, text)
    expect(inet_ntop(family, packed) == text, "inet_ntop undoes inet_pton")

    def loop(n: int) -> None:
        for _ in repeat(None, n):
            inet_ntop(family, packed)

    yield loop


@operation("inet_pton_v4", f"inet_pton(AF_INET, '{V4_TEXT}')", callgrind_iterations=1000)
def inet_pton_v4(socket: ModuleType) -> Iterator[Loop]:
    yield from pton_loop(socket, "AF_INET", V4_TEXT)


@operation("inet_ntop_v4", "inet_ntop(AF_INET, 4 bytes)", callgrind_iterations=1000)
def inet_ntop_v4(socket: ModuleType) -> Iterator[Loop]:
    yield from ntop_loop(socket, "AF_INET", V4_TEXT)


@operation("inet_pton_v6", f"inet_pton(AF_INET6, '{V6_TEXT}')", callgrind_iterations=1000)
def inet_pton_v6(socket: ModuleType) -> Iterator[Loop]:
    yield from pton_loop(socket, "AF_INET6", V6_TEXT)


@operation("inet_ntop_v6", "inet_ntop(AF_INET6, 16 bytes)", callgrind_iterations=1000)
def inet_ntop_v6(socket: ModuleType) -> Iterator[Loop]:
    yield from ntop_loop(socket, "AF_INET6", V6_TEXT)


@operation("getaddrinfo_numeric", "getaddrinfo('127.0.0.1', 8080, numeric)")
def getaddrinfo_numeric(socket: ModuleType) -> Iterator[Loop]:
    getaddrinfo = socket.getaddrinfo
    family, kind = socket.AF_INET, socket.SOCK_STREAM
    flags = socket.AI_NUMERICHOST | socket.AI_NUMERICSERV
    answer = getaddrinfo(LOOPBACK, 8080, family, kind, 0, flags)
    expect(answer[0][4] == (LOOPBACK, 8080), "the address comes back as given")

    def loop(n: int) -> None:
        for _ in repeat(None, n):
            getaddrinfo(LOOPBACK, 8080, family, kind, 0, flags)

    yield loop


@operation("makefile_readline", "makefile('rb').readline(), 32 B lines", callgrind_iterations=1280)
def makefile_readline(socket: ModuleType) -> Iterator[Loop]:
    # One op is one line; the writer's sendall of a block of lines is
    # shared among them, as in floor.c.
    block = LINE * LINES_PER_BLOCK
    a, b = socket.socketpair()
    with a, b, b.makefile("rb") as reader:
        a.sendall(block)
        expect(reader.readline() == LINE, "readline returns one line")
        readline = reader.readline

        def loop(n: int) -> None:
            for i in range(n):
                if not i % LINES_PER_BLOCK:
                    a.sendall(block)
                readline()

        yield loop


@operation("can_raw_roundtrip", f"CAN_RAW 8 B frame send+recv on {CAN_INTERFACE}", vm=True)
def can_raw_roundtrip(socket: ModuleType) -> Iterator[Loop]:
    # Two sockets on one vcan: the interface echoes every frame to the
    # other sockets bound to it, as a bus would deliver it to another node.
    sender = socket.socket(socket.AF_CAN, socket.SOCK_RAW, socket.CAN_RAW)
    receiver = socket.socket(socket.AF_CAN, socket.SOCK_RAW, socket.CAN_RAW)
    with sender, receiver:
        sender.bind((CAN_INTERFACE,))
        receiver.bind((CAN_INTERFACE,))
        sender.send(CAN_FRAME)
        expect(receiver.recv(CAN_MTU) == CAN_FRAME, "the other socket receives the frame")

        def loop(n: int) -> None:
            for _ in repeat(None, n):
                sender.send(CAN_FRAME)
                receiver.recv(CAN_MTU)

        yield loop


@operation("af_alg_sha256", "AF_ALG sha256 of 64 B (send+recv of the digest)", vm=True)
def af_alg_sha256(socket: ModuleType) -> Iterator[Loop]:
    transform = socket.socket(socket.AF_ALG, socket.SOCK_SEQPACKET)
    with transform:
        transform.bind(("hash", "sha256"))
        request, _ = transform.accept()
        with request:
            request.send(PING)
            expect(
                request.recv(SHA256_SIZE) == hashlib.sha256(PING).digest(), "the kernel's digest"
            )

            def loop(n: int) -> None:
                for _ in repeat(None, n):
                    request.send(PING)
                    request.recv(SHA256_SIZE)

            yield loop


def empty_loop(n: int) -> None:
    """The loop with nothing in it: what callgrind subtracts."""
    for _ in repeat(None, n):
        pass
