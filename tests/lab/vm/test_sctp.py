"""SCTP on a namespace's loopback, against both implementations:
one-to-one (SOCK_STREAM) and one-to-many (SOCK_SEQPACKET) styles."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.family("sctp")]


def test_one_to_one_association_carries_bytes_both_ways(impl, sctp):
    with sctp.inside():
        server = impl.socket(impl.AF_INET, impl.SOCK_STREAM, impl.IPPROTO_SCTP)
        client = impl.socket(impl.AF_INET, impl.SOCK_STREAM, impl.IPPROTO_SCTP)
    with server, client:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        server.settimeout(5)
        client.settimeout(5)
        client.connect(server.getsockname())
        conn, address = server.accept()
        with conn:
            client.sendall(b"over sctp")
            assert conn.recv(100) == b"over sctp"
            conn.sendall(b"and back")
            assert client.recv(100) == b"and back"
            assert address == client.getsockname() == conn.getpeername()


def test_one_to_many_socket_receives_each_message_with_its_sender(impl, sctp):
    with sctp.inside():
        server = impl.socket(impl.AF_INET, impl.SOCK_SEQPACKET, impl.IPPROTO_SCTP)
        first = impl.socket(impl.AF_INET, impl.SOCK_SEQPACKET, impl.IPPROTO_SCTP)
        second = impl.socket(impl.AF_INET, impl.SOCK_SEQPACKET, impl.IPPROTO_SCTP)
    with server, first, second:
        server.bind(("127.0.0.1", 0))
        server.listen(5)
        server.settimeout(5)
        for client in (first, second):
            client.bind(("127.0.0.1", 0))
        first.sendto(b"from the first", server.getsockname())
        one = server.recvfrom(100)
        second.sendto(b"from the second", server.getsockname())
        two = server.recvfrom(100)
        assert one == (b"from the first", first.getsockname())
        assert two == (b"from the second", second.getsockname())
