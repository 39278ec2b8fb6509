"""Sockets of the implementation under test, opened on the hosts of a veth
pair, and the small exchanges the wire checks are built from.

`left` always acts (the client, the sender); `right` answers.  Every
socket is opened inside its host's namespace and closed by the caller's
`with` block or `ExitStack`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

from lab.kernel.links import Endpoint

PORT = 5001
Configure = Callable[[Any], None]


def family_of(impl: ModuleType, version: int) -> int:
    return impl.AF_INET if version == 4 else impl.AF_INET6


def address_of(end: Endpoint, version: int) -> str:
    return end.address4 if version == 4 else end.address6


def open_on(end: Endpoint, impl: ModuleType, family: int, kind: int, proto: int = 0) -> Any:
    with end.host.inside():
        return impl.socket(family, kind, proto)


@contextlib.contextmanager
def tcp_connection(
    impl: ModuleType, client_end: Endpoint, server_end: Endpoint, version: int,
    configure: Configure = lambda sock: None,
) -> Iterator[tuple[Any, Any]]:
    """(client, accepted server side) of a TCP connection; `configure` runs
    on the client socket before it connects."""
    family = family_of(impl, version)
    with contextlib.ExitStack() as stack:
        listener = stack.enter_context(open_on(server_end, impl, family, impl.SOCK_STREAM))
        listener.bind((address_of(server_end, version), PORT))
        listener.listen(1)
        client = stack.enter_context(open_on(client_end, impl, family, impl.SOCK_STREAM))
        configure(client)
        client.settimeout(5)
        client.connect((address_of(server_end, version), PORT))
        server, _ = listener.accept()
        stack.enter_context(server)
        server.settimeout(5)
        yield client, server


def udp_send(
    impl: ModuleType, sender_end: Endpoint, receiver_end: Endpoint, version: int,
    payload: bytes, configure: Configure = lambda sock: None,
) -> bytes:
    """Send one datagram left to right; returns what the receiver got."""
    family = family_of(impl, version)
    destination = address_of(receiver_end, version)
    with open_on(receiver_end, impl, family, impl.SOCK_DGRAM) as receiver, \
            open_on(sender_end, impl, family, impl.SOCK_DGRAM) as sender:
        receiver.bind((destination, PORT))
        receiver.settimeout(5)
        configure(sender)
        sender.sendto(payload, (destination, PORT))
        return receiver.recv(2048)


def tcp_send(
    impl: ModuleType, client_end: Endpoint, server_end: Endpoint, version: int,
    payload: bytes, configure: Configure = lambda sock: None,
) -> bytes:
    """Connect, send `payload`, close; returns what the server read."""
    with tcp_connection(impl, client_end, server_end, version, configure) as (client, server):
        client.sendall(payload)
        client.shutdown(impl.SHUT_WR)
        return receive_all(server)


def receive_all(sock: Any) -> bytes:
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def transport_send(
    transport: str, impl: ModuleType, left: Endpoint, right: Endpoint, version: int,
    payload: bytes, configure: Configure,
) -> bytes:
    send = udp_send if transport == "udp" else tcp_send
    return send(impl, left, right, version, payload, configure)
