"""Exchanges with peers that are not Python: socat and busybox in the
`inet-peer` container, across a veth pair into its namespace, with the
wire watched on the lab's end.  Each scenario runs against the stdlib and
then sockimpl; what the peer sends back is what the test sent (or what the
test told the peer to send), so no expected value comes from sockimpl."""

from __future__ import annotations

import pytest
from peers import PORT, open_on, receive_all
from scapy.layers.igmp import IGMPv3_MR
from scapy.layers.inet import IP, TCP, UDP
from scapy.layers.inet6 import IPv6

PAYLOAD = b"socklab peer exchange"
MULTICAST_GROUP = "239.255.90.2"  # administratively scoped: stays on the lab's link
MULTICAST_PORT = 5002

pytestmark = [pytest.mark.needs("veth"), pytest.mark.timeout(60)]


@pytest.fixture
def inet_peer(container_peer):
    # One container for the module: each test gets a fresh veth pair into it.
    return container_peer("inet-peer", shared=True)


def tcp_payload(packets, source: str) -> bytes:
    return b"".join(
        bytes(p[TCP].payload) for p in packets
        if p.haslayer(TCP) and (p[IP].src if p.haslayer(IP) else p[IPv6].src) == source
    )


def test_tcp_client_gets_its_bytes_back_from_a_socat_echo_server(impl, inet_peer, wire_capture):
    inet_peer.spawn("socat", f"TCP4-LISTEN:{PORT},reuseaddr", "EXEC:cat")
    inet_peer.wait_listening("tcp", PORT)
    capture = wire_capture(inet_peer.lab_end)
    with open_on(inet_peer.lab_end, impl, impl.AF_INET, impl.SOCK_STREAM) as client:
        client.settimeout(5)
        client.connect((inet_peer.address4, PORT))
        client.sendall(PAYLOAD)
        client.shutdown(impl.SHUT_WR)
        echoed = receive_all(client)
    assert echoed == PAYLOAD
    packets = capture.packets(lambda p: p.haslayer(TCP) and PORT in (p[TCP].sport, p[TCP].dport))
    assert tcp_payload(packets, inet_peer.lab_end.address4) == PAYLOAD
    assert tcp_payload(packets, inet_peer.address4) == PAYLOAD


def test_tcp_server_accepts_a_busybox_nc_client(impl, inet_peer):
    with open_on(inet_peer.lab_end, impl, impl.AF_INET, impl.SOCK_STREAM) as listener:
        listener.bind((inet_peer.lab_end.address4, PORT))
        listener.listen(1)
        listener.settimeout(5)
        inet_peer.spawn("sh", "-c", f"printf '%s' '{PAYLOAD.decode()}' | busybox nc {inet_peer.lab_end.address4} {PORT}")
        server, (client_address, _) = listener.accept()
        with server:
            server.settimeout(5)
            received = b""
            while len(received) < len(PAYLOAD):
                received += server.recv(len(PAYLOAD) - len(received))
            local = server.getsockname()
    assert received == PAYLOAD
    assert (client_address, local) == (inet_peer.address4, (inet_peer.lab_end.address4, PORT))


def test_udp_datagram_is_echoed_by_socat_from_the_port_it_was_sent_to(impl, inet_peer, wire_capture):
    inet_peer.spawn("socat", f"UDP4-RECVFROM:{PORT}", "EXEC:cat")
    inet_peer.wait_listening("udp", PORT)
    capture = wire_capture(inet_peer.lab_end)
    with open_on(inet_peer.lab_end, impl, impl.AF_INET, impl.SOCK_DGRAM) as sock:
        sock.settimeout(5)
        sock.sendto(PAYLOAD, (inet_peer.address4, PORT))
        echoed, source = sock.recvfrom(2048)
    assert (echoed, source) == (PAYLOAD, (inet_peer.address4, PORT))
    datagrams = capture.packets(lambda p: p.haslayer(UDP) and PORT in (p[UDP].sport, p[UDP].dport))
    assert [(d[IP].src, bytes(d[UDP].payload)) for d in datagrams] == [
        (inet_peer.lab_end.address4, PAYLOAD), (inet_peer.address4, PAYLOAD)
    ]


def test_udp_multicast_from_socat_reaches_a_member_that_joined(impl, inet_peer, wire_capture):
    capture = wire_capture(inet_peer.lab_end)
    membership = impl.inet_aton(MULTICAST_GROUP) + impl.inet_aton(inet_peer.lab_end.address4)
    with open_on(inet_peer.lab_end, impl, impl.AF_INET, impl.SOCK_DGRAM) as member:
        member.bind(("", MULTICAST_PORT))
        member.setsockopt(impl.IPPROTO_IP, impl.IP_ADD_MEMBERSHIP, membership)
        member.settimeout(5)
        inet_peer.shell(
            f"printf '%s' '{PAYLOAD.decode()}' | socat -u - "
            f"UDP4-DATAGRAM:{MULTICAST_GROUP}:{MULTICAST_PORT},ip-multicast-if={inet_peer.address4}"
        )
        data, (source, _) = member.recvfrom(2048)
    assert (data, source) == (PAYLOAD, inet_peer.address4)
    reports = capture.packets(lambda p: p.haslayer(IGMPv3_MR))
    assert MULTICAST_GROUP in {r.maddr for report in reports for r in report[IGMPv3_MR].records}
    sent = capture.packets(lambda p: p.haslayer(UDP) and p[UDP].dport == MULTICAST_PORT)
    assert [(p[IP].src, p[IP].dst, p[IP].ttl) for p in sent] == [(inet_peer.address4, MULTICAST_GROUP, 1)]


def test_udp_multicast_sent_by_the_implementation_reaches_socat_member(impl, inet_peer, wire_capture):
    inet_peer.spawn(
        "socat", "-u",
        f"UDP4-RECV:{MULTICAST_PORT},ip-add-membership={MULTICAST_GROUP}:{inet_peer.address4}",
        "STDOUT",
    )
    inet_peer.wait_listening("udp", MULTICAST_PORT)
    capture = wire_capture(inet_peer.lab_end)
    with open_on(inet_peer.lab_end, impl, impl.AF_INET, impl.SOCK_DGRAM) as sender:
        sender.setsockopt(impl.IPPROTO_IP, impl.IP_MULTICAST_IF, impl.inet_aton(inet_peer.lab_end.address4))
        sender.setsockopt(impl.IPPROTO_IP, impl.IP_MULTICAST_TTL, 3)
        sender.sendto(PAYLOAD, (MULTICAST_GROUP, MULTICAST_PORT))
    assert inet_peer.wait_for_output(PAYLOAD.decode()) == PAYLOAD.decode()
    sent = capture.packets(lambda p: p.haslayer(UDP) and p[UDP].dport == MULTICAST_PORT)
    assert [(p[IP].dst, p[IP].ttl) for p in sent] == [(MULTICAST_GROUP, 3)]


def test_tcp_over_ipv6_gets_its_bytes_back_from_a_socat_echo_server(impl, inet_peer, wire_capture):
    inet_peer.spawn("socat", f"TCP6-LISTEN:{PORT},reuseaddr", "EXEC:cat")
    inet_peer.wait_listening("tcp6", PORT)
    capture = wire_capture(inet_peer.lab_end)
    with open_on(inet_peer.lab_end, impl, impl.AF_INET6, impl.SOCK_STREAM) as client:
        client.settimeout(5)
        client.connect((inet_peer.address6, PORT))
        client.sendall(PAYLOAD)
        client.shutdown(impl.SHUT_WR)
        echoed = receive_all(client)
    assert echoed == PAYLOAD
    packets = capture.packets(lambda p: p.haslayer(IPv6) and p.haslayer(TCP))
    assert tcp_payload(packets, inet_peer.lab_end.address6) == PAYLOAD
    assert tcp_payload(packets, inet_peer.address6) == PAYLOAD


def test_udp_over_ipv6_is_echoed_by_socat(impl, inet_peer, wire_capture):
    inet_peer.spawn("socat", f"UDP6-RECVFROM:{PORT}", "EXEC:cat")
    inet_peer.wait_listening("udp6", PORT)
    capture = wire_capture(inet_peer.lab_end)
    with open_on(inet_peer.lab_end, impl, impl.AF_INET6, impl.SOCK_DGRAM) as sock:
        sock.settimeout(5)
        sock.sendto(PAYLOAD, (inet_peer.address6, PORT))
        echoed, source = sock.recvfrom(2048)
    assert (echoed, source[:2]) == (PAYLOAD, (inet_peer.address6, PORT))
    datagrams = capture.packets(lambda p: p.haslayer(IPv6) and p.haslayer(UDP))
    assert [(d[IPv6].src, bytes(d[UDP].payload)) for d in datagrams] == [
        (inet_peer.lab_end.address6, PAYLOAD), (inet_peer.address6, PAYLOAD)
    ]
