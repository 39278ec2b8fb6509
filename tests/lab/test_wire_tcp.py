"""TCP socket options and calls, proved by the segments on the wire between
two namespaces, with each implementation."""

from __future__ import annotations

import select
import struct
import time

import pytest
from peers import PORT, receive_all, tcp_connection
from scapy.layers.inet import TCP

WRITES = 8
WRITE = b"0123456789"


def from_client(packet) -> bool:
    return packet.haslayer(TCP) and packet[TCP].dport == PORT


def data_segments(packets) -> list:
    return [p for p in packets if len(p[TCP].payload) > 0]


@pytest.fixture
def no_autocork(veth_pair):
    """Linux holds back small writes while an earlier one is still queued
    (tcp_autocorking), which would hide what TCP_NODELAY does."""
    veth_pair.left.host.sysctl("net.ipv4.tcp_autocorking", 0)


@pytest.mark.parametrize("version", [4, 6])
def test_tcp_nodelay_sends_each_small_write_as_its_own_segment(
    impl, veth_pair, wire_capture, no_autocork, version
):
    def nodelay(sock):
        sock.setsockopt(impl.IPPROTO_TCP, impl.TCP_NODELAY, 1)

    capture = wire_capture(veth_pair.left)
    with tcp_connection(impl, veth_pair.left, veth_pair.right, version, nodelay) as (client, _):
        for _ in range(WRITES):
            client.send(WRITE)
    segments = data_segments(capture.packets(from_client))
    assert [bytes(p[TCP].payload) for p in segments] == [WRITE] * WRITES


def test_nagle_holds_small_writes_while_one_is_unacknowledged(impl, veth_pair, wire_capture):
    # Across a veth the ACK comes back within the send call itself; shaping
    # the receiver's side to a trickle keeps the first segment unacknowledged
    # while the others are written, which is when Nagle's algorithm acts.
    veth_pair.right.limit_rate("16kbit", burst=200)
    capture = wire_capture(veth_pair.left)
    with tcp_connection(impl, veth_pair.left, veth_pair.right, 4) as (client, server):
        for _ in range(WRITES):
            client.send(WRITE)
        client.shutdown(impl.SHUT_WR)
        received = receive_all(server)
    assert received == WRITE * WRITES
    segments = data_segments(capture.packets(from_client))
    assert len(segments) < WRITES


def test_msg_oob_sets_the_urgent_flag_and_pointer(impl, veth_pair, wire_capture):
    capture = wire_capture(veth_pair.right)
    with tcp_connection(impl, veth_pair.left, veth_pair.right, 4) as (client, server):
        client.send(b"!", impl.MSG_OOB)
        # Urgent data is an exceptional condition, not readable data: wait
        # for that, then read it blocking (a timeout would wait for readable).
        assert select.select([], [], [server], 5)[2]
        server.settimeout(None)
        assert server.recv(1, impl.MSG_OOB) == b"!"
    urgent = [p for p in capture.packets(from_client) if p[TCP].flags.U]
    assert len(urgent) == 1
    # Linux points the urgent pointer just past the urgent byte (RFC 793's reading).
    assert urgent[0][TCP].urgptr == len(urgent[0][TCP].payload) == 1


def test_so_keepalive_sends_probes_after_the_idle_time(impl, veth_pair, wire_capture):
    def keepalive(sock):
        sock.setsockopt(impl.SOL_SOCKET, impl.SO_KEEPALIVE, 1)
        sock.setsockopt(impl.IPPROTO_TCP, impl.TCP_KEEPIDLE, 1)
        sock.setsockopt(impl.IPPROTO_TCP, impl.TCP_KEEPINTVL, 1)

    capture = wire_capture(veth_pair.right)
    with tcp_connection(impl, veth_pair.left, veth_pair.right, 4, keepalive):
        time.sleep(2.3)
    client_segments = capture.packets(from_client)
    next_seq = client_segments[0][TCP].seq + 1  # after the SYN
    # A keepalive probe re-sends the last acknowledged sequence number: a bare
    # ACK one before what the peer expects.
    probes = [
        p for p in client_segments
        if p[TCP].flags == "A" and p[TCP].seq == next_seq - 1 and not len(p[TCP].payload)
    ]
    assert len(probes) >= 2


def test_so_linger_zero_resets_instead_of_closing(impl, veth_pair, wire_capture):
    capture = wire_capture(veth_pair.right)
    with tcp_connection(impl, veth_pair.left, veth_pair.right, 4) as (client, _):
        client.setsockopt(impl.SOL_SOCKET, impl.SO_LINGER, struct.pack("ii", 1, 0))
        client.close()
    flags = [p[TCP].flags for p in capture.packets(from_client)]
    assert any(f.R for f in flags)
    assert not any(f.F for f in flags)


def test_shutdown_shut_wr_sends_fin_and_the_peer_reads_end_of_file(impl, veth_pair, wire_capture):
    capture = wire_capture(veth_pair.right)
    with tcp_connection(impl, veth_pair.left, veth_pair.right, 6) as (client, server):
        client.shutdown(impl.SHUT_WR)
        assert server.recv(1) == b""
        fins = [p for p in capture.packets(from_client) if p[TCP].flags.F]
    assert len(fins) == 1
