"""UNIX-socket exchanges with socat in the `inet-peer` container, through
a directory bind-mounted into it: the path on this side and the path in
the container name the same socket.  Each scenario runs against the stdlib
and then sockimpl; addresses the kernel reports are compared between them."""

from __future__ import annotations

import pytest
from peers import receive_all

PAYLOAD = b"socklab unix exchange"
SHARED = "/shared"  # where the test's directory appears inside the container

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def unix_peer(container_peer, tmp_path):
    tmp_path.chmod(0o777)
    return container_peer("inet-peer", link=None, mounts={str(tmp_path): SHARED})


def test_stream_client_gets_its_bytes_back_from_a_socat_echo_server(impl, unix_peer, tmp_path):
    unix_peer.spawn("socat", f"UNIX-LISTEN:{SHARED}/peer.sock", "EXEC:cat")
    unix_peer.wait_listening("unix", path=f"{SHARED}/peer.sock")
    with impl.socket(impl.AF_UNIX, impl.SOCK_STREAM) as client:
        client.settimeout(5)
        client.connect(str(tmp_path / "peer.sock"))
        client.sendall(PAYLOAD)
        client.shutdown(impl.SHUT_WR)
        echoed = receive_all(client)
    assert echoed == PAYLOAD


def test_stream_server_accepts_a_socat_client_from_the_container(impl, unix_peer, tmp_path, differential):
    with impl.socket(impl.AF_UNIX, impl.SOCK_STREAM) as listener:
        listener.bind(str(tmp_path / "lab.sock"))
        listener.listen(1)
        listener.settimeout(5)
        unix_peer.spawn("sh", "-c", f"printf '%s' '{PAYLOAD.decode()}' | socat -u - UNIX-CONNECT:{SHARED}/lab.sock")
        server, client_address = listener.accept()
        with server:
            server.settimeout(5)
            received = receive_all(server)
    assert received == PAYLOAD
    differential.observe("address of an unbound client", client_address)


def test_datagram_from_socat_arrives_at_a_bound_socket(impl, unix_peer, tmp_path, differential):
    with impl.socket(impl.AF_UNIX, impl.SOCK_DGRAM) as receiver:
        receiver.bind(str(tmp_path / "lab.sock"))
        receiver.settimeout(5)
        unix_peer.shell(f"printf '%s' '{PAYLOAD.decode()}' | socat -u - UNIX-SENDTO:{SHARED}/lab.sock")
        data, sender = receiver.recvfrom(2048)
    assert data == PAYLOAD
    differential.observe("address of an unbound sender", sender)
