"""TIPC inside one node (a fresh namespace), against both implementations:
RDM datagrams to a service name and stream connections, with NAMESEQ
binds and NAME destinations."""

from __future__ import annotations

import itertools
import threading

import pytest

pytestmark = [pytest.mark.family("tipc")]

_service_types = itertools.count(18888)


def test_rdm_datagram_reaches_the_socket_bound_to_the_name_sequence(impl, tipc_node):
    service = next(_service_types)
    with tipc_node.inside():
        server = impl.socket(impl.AF_TIPC, impl.SOCK_RDM)
        client = impl.socket(impl.AF_TIPC, impl.SOCK_RDM)
    with server, client:
        server.bind((impl.TIPC_ADDR_NAMESEQ, service, 0, 99))
        server.settimeout(5)
        client.sendto(b"to instance 42", (impl.TIPC_ADDR_NAME, service, 42, 0))
        data, source = server.recvfrom(100)
        assert data == b"to instance 42"
        assert source == client.getsockname()
    assert source[0] == impl.TIPC_ADDR_ID


def test_rdm_datagram_to_an_instance_outside_the_sequence_is_not_delivered(impl, tipc_node, differential):
    service = next(_service_types)
    with tipc_node.inside():
        server = impl.socket(impl.AF_TIPC, impl.SOCK_RDM)
        client = impl.socket(impl.AF_TIPC, impl.SOCK_RDM)
    with server, client:
        server.bind((impl.TIPC_ADDR_NAMESEQ, service, 0, 9))
        server.settimeout(0.5)
        # Sent, or refused at once: either way both implementations must
        # say the same, and nothing may arrive.
        try:
            sent = ("sent", client.sendto(b"nobody", (impl.TIPC_ADDR_NAME, service, 10, 0)))
        except OSError as exc:
            sent = (type(exc).__name__, exc.errno)
        differential.observe("sendto", sent)
        with pytest.raises(TimeoutError):
            server.recv(100)


def test_stream_connects_by_name_and_carries_bytes_both_ways(impl, tipc_node):
    service = next(_service_types)
    with tipc_node.inside():
        server = impl.socket(impl.AF_TIPC, impl.SOCK_STREAM)
        client = impl.socket(impl.AF_TIPC, impl.SOCK_STREAM)
    with server, client:
        server.bind((impl.TIPC_ADDR_NAMESEQ, service, 1, 1))
        server.listen(1)
        server.settimeout(5)
        client.settimeout(5)
        # TIPC answers a connect only when the server accepts: connect from a thread.
        connecting = threading.Thread(target=client.connect, args=((impl.TIPC_ADDR_NAME, service, 1, 0),))
        connecting.start()
        conn, address = server.accept()
        connecting.join()
        with conn:
            client.sendall(b"ping")
            assert conn.recv(4) == b"ping"
            conn.sendall(b"pong")
            assert client.recv(4) == b"pong"
            assert address == client.getsockname() == conn.getpeername()
