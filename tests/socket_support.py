"""Building blocks shared by the `test_socket_*` differential suites.

This file holds no tests (its name keeps it next to the suites that use it).
Everything here takes the socket module under test as `m`, so one scenario
builds the same fixtures out of the stdlib and out of sockimpl.  Results
that would differ from run to run (ephemeral ports, fd numbers, temporary
paths) are normalised here so scenarios can return them.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import uuid
from collections.abc import Iterator
from typing import Any

LOOPBACK = {"AF_INET": "127.0.0.1", "AF_INET6": "::1"}
INET_FAMILIES = sorted(LOOPBACK)
ALL_FAMILIES = ["AF_UNIX", *INET_FAMILIES]

# sun_path is 108 bytes on Linux: a filesystem path needs its terminating NUL
# inside it, an abstract name (leading NUL) may use all 108.
SUN_PATH_SIZE = 108


@contextlib.contextmanager
def fresh_dir() -> Iterator[str]:
    """A new empty directory under /tmp, short enough for AF_UNIX paths."""
    with tempfile.TemporaryDirectory(prefix="sk", dir="/tmp") as path:
        yield path


def abstract_name(tag: str = "") -> bytes:
    """A Linux abstract-namespace name no other test uses."""
    return b"\0socklab-" + tag.encode() + uuid.uuid4().hex.encode()


def port_hidden(address: Any) -> Any:
    """An INET/INET6 address with the port replaced by whether it is an int."""
    if isinstance(address, tuple) and len(address) >= 2:
        return (address[0], type(address[1]).__name__, *address[2:])
    return address


@contextlib.contextmanager
def listener(m: Any, family: str, kind: str = "SOCK_STREAM") -> Iterator[Any]:
    """A socket bound to a fresh loopback address (listening if a stream)."""
    sock = m.socket(getattr(m, family), getattr(m, kind))
    with sock, fresh_dir() as directory:
        if family == "AF_UNIX":
            sock.bind(os.path.join(directory, "listener"))
        else:
            sock.bind((LOOPBACK[family], 0))
        if kind != "SOCK_DGRAM":
            sock.listen()
        yield sock


@contextlib.contextmanager
def connected_pair(m: Any, family: str) -> Iterator[tuple[Any, Any]]:
    """(client, server side) of an established stream connection."""
    with listener(m, family) as server:
        client = m.socket(getattr(m, family), m.SOCK_STREAM)
        with client:
            client.connect(server.getsockname())
            accepted, _ = server.accept()
            with accepted:
                yield client, accepted


@contextlib.contextmanager
def datagram_pair(m: Any, family: str) -> Iterator[tuple[Any, Any]]:
    """Two datagram sockets bound on loopback, each connected to the other."""
    with listener(m, family, "SOCK_DGRAM") as first, listener(m, family, "SOCK_DGRAM") as second:
        first.connect(second.getsockname())
        second.connect(first.getsockname())
        yield first, second


@contextlib.contextmanager
def unix_pair(m: Any, kind: str = "SOCK_STREAM") -> Iterator[tuple[Any, Any]]:
    """Both ends of an AF_UNIX socketpair of the given type."""
    first, second = m.socketpair(m.AF_UNIX, getattr(m, kind))
    with first, second:
        yield first, second


def fill_send_buffer(sock: Any) -> int:
    """Write into a non-blocking `sock` until the kernel refuses more."""
    previous = sock.gettimeout()
    sock.setblocking(False)
    written = 0
    try:
        while True:
            written += sock.send(b"x" * 65536)
    except BlockingIOError:
        return written
    finally:
        sock.settimeout(previous)


def same_file(first_fd: int, second_fd: int) -> bool:
    """Whether two descriptors refer to the same open file's inode."""
    one, other = os.fstat(first_fd), os.fstat(second_fd)
    return (one.st_dev, one.st_ino) == (other.st_dev, other.st_ino)
