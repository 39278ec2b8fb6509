"""AF_VSOCK over the loopback transport (CID 1), against both
implementations: stream and seqpacket exchanges, the addresses each side
sees, the SO_VM_SOCKETS_* buffer options and the local CID ioctl."""

from __future__ import annotations

import array
import errno
import fcntl
import itertools

import pytest
from kernel_abi import constant

from lab.oracle import stdlib_socket

pytestmark = [pytest.mark.family("vsock")]

_ports = itertools.count(52000)


def listening(impl, kind: int):
    server = impl.socket(impl.AF_VSOCK, kind)
    server.settimeout(5)
    port = next(_ports)
    server.bind((impl.VMADDR_CID_ANY, port))
    server.listen()
    return server, port


def connected(impl, kind: int):
    server, port = listening(impl, kind)
    client = impl.socket(impl.AF_VSOCK, kind)
    client.settimeout(5)
    client.connect((constant(impl, "VMADDR_CID_LOCAL"), port))
    conn, address = server.accept()
    return server, client, conn, address, port


def test_stream_carries_bytes_both_ways_over_cid_1(impl, vsock_loopback):
    server, client, conn, _, _ = connected(impl, impl.SOCK_STREAM)
    with server, client, conn:
        client.sendall(b"ping" * 1000)
        received = b""
        while len(received) < 4000:
            received += conn.recv(4096)
        conn.sendall(b"pong")
        assert client.recv(4) == b"pong"
    assert received == b"ping" * 1000


def test_accept_returns_the_clients_cid_and_port(impl, vsock_loopback):
    server, client, conn, address, port = connected(impl, impl.SOCK_STREAM)
    with server, client, conn:
        assert address == (1, client.getsockname()[1])
        assert conn.getpeername() == address
        assert client.getpeername() == (1, port)
        assert conn.getsockname() == (1, port)


def test_connected_client_reports_the_any_cid_as_its_own(impl, vsock_loopback):
    server, client, conn, _, _ = connected(impl, impl.SOCK_STREAM)
    with server, client, conn:
        assert client.getsockname()[0] == impl.VMADDR_CID_ANY


def kernel_has_vsock_seqpacket() -> str | None:
    """Why this kernel's vsock loopback has no SOCK_SEQPACKET, asked of the
    stdlib (the oracle), or None when it has it."""
    std = stdlib_socket()
    try:
        with std.socket(std.AF_VSOCK, std.SOCK_SEQPACKET) as probe:
            probe.bind((std.VMADDR_CID_ANY, next(_ports)))
            probe.listen()
    except OSError as exc:
        if exc.errno in (errno.ESOCKTNOSUPPORT, errno.EPROTONOSUPPORT, errno.EOPNOTSUPP):
            return f"the stdlib's SOCK_SEQPACKET vsock socket was refused by the kernel: {exc}"
        raise
    return None


def test_seqpacket_keeps_message_boundaries(impl, vsock_loopback, differential):
    lacking = kernel_has_vsock_seqpacket()
    if lacking:
        pytest.skip(lacking)
    server, client, conn, _, _ = connected(impl, impl.SOCK_SEQPACKET)
    with server, client, conn:
        client.send(b"one")
        client.send(b"two, longer")
        first, second = conn.recv(100), conn.recv(100)
        differential.observe("socket type", (client.type, conn.type))
    assert (first, second) == (b"one", b"two, longer")


def test_buffer_size_options_take_and_give_64_bit_integers(impl, vsock_loopback):
    sock = impl.socket(impl.AF_VSOCK, impl.SOCK_STREAM)
    with sock:
        sock.setsockopt(impl.AF_VSOCK, impl.SO_VM_SOCKETS_BUFFER_MAX_SIZE, 1 << 33)
        sock.setsockopt(impl.AF_VSOCK, impl.SO_VM_SOCKETS_BUFFER_SIZE, 1 << 32)
        size = sock.getsockopt(impl.AF_VSOCK, impl.SO_VM_SOCKETS_BUFFER_SIZE)
        maximum = sock.getsockopt(impl.AF_VSOCK, impl.SO_VM_SOCKETS_BUFFER_MAX_SIZE)
    assert (size, maximum) == (1 << 32, 1 << 33)  # beyond 32 bits: the stdlib passes a u64


def test_buffer_min_size_reads_back_as_set(impl, vsock_loopback):
    sock = impl.socket(impl.AF_VSOCK, impl.SOCK_STREAM)
    with sock:
        sock.setsockopt(impl.AF_VSOCK, impl.SO_VM_SOCKETS_BUFFER_MIN_SIZE, 4096)
        assert sock.getsockopt(impl.AF_VSOCK, impl.SO_VM_SOCKETS_BUFFER_MIN_SIZE) == 4096


def test_local_cid_ioctl_answers_the_same_for_both(impl, vsock_loopback, differential):
    try:
        device = open("/dev/vsock", "rb")  # noqa: SIM115 - closed below
    except OSError as exc:
        pytest.skip(f"/dev/vsock is absent: {exc}")
    cid = array.array("I", [0])
    with device:
        fcntl.ioctl(device, impl.IOCTL_VM_SOCKETS_GET_LOCAL_CID, cid, True)
    differential.observe("local cid", cid[0])
    assert impl.IOCTL_VM_SOCKETS_GET_LOCAL_CID == 0x7B9
