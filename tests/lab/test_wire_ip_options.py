"""IP-level socket options, proved on the wire between two namespaces:
what the option sets is what the decoded packet carries, for UDP and TCP,
over IPv4 and IPv6, with each implementation."""

from __future__ import annotations

import pytest
from peers import PORT, transport_send
from scapy.layers.inet import IP, TCP, UDP
from scapy.layers.inet6 import IPv6

PAYLOAD = b"socklab wire check"

# <linux/in.h>; the stdlib's socket module does not export these (nor, as a
# drop-in, need sockimpl), so a test passes the kernel's numbers to both.
IP_MTU_DISCOVER = 10
IP_PMTUDISC_DONT = 0
IP_PMTUDISC_DO = 2
TRANSPORTS = ["udp", "tcp"]


def carrying_payload(packet) -> bool:
    """A packet from left to right with the test's data in it."""
    layer = packet[UDP] if packet.haslayer(UDP) else packet[TCP]
    return layer.dport == PORT and bytes(layer.payload).startswith(PAYLOAD)


def send_and_capture(impl, veth_pair, wire_capture, transport, version, configure):
    capture = wire_capture(veth_pair.right)
    received = transport_send(
        transport, impl, veth_pair.left, veth_pair.right, version, PAYLOAD, configure
    )
    assert received == PAYLOAD
    packets = capture.packets(carrying_payload)
    assert packets, "the data never crossed the wire"
    return packets


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_ip_tos_sets_the_ipv4_type_of_service(impl, veth_pair, wire_capture, transport):
    def configure(sock):
        sock.setsockopt(impl.IPPROTO_IP, impl.IP_TOS, 0x28)

    packets = send_and_capture(impl, veth_pair, wire_capture, transport, 4, configure)
    assert {p[IP].tos for p in packets} == {0x28}


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_ip_ttl_sets_the_ipv4_time_to_live(impl, veth_pair, wire_capture, transport):
    def configure(sock):
        sock.setsockopt(impl.IPPROTO_IP, impl.IP_TTL, 7)

    packets = send_and_capture(impl, veth_pair, wire_capture, transport, 4, configure)
    assert {p[IP].ttl for p in packets} == {7}


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_ipv6_tclass_sets_the_traffic_class(impl, veth_pair, wire_capture, transport):
    def configure(sock):
        sock.setsockopt(impl.IPPROTO_IPV6, impl.IPV6_TCLASS, 0xB8)

    packets = send_and_capture(impl, veth_pair, wire_capture, transport, 6, configure)
    assert {p[IPv6].tc for p in packets} == {0xB8}


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_ipv6_unicast_hops_sets_the_hop_limit(impl, veth_pair, wire_capture, transport):
    def configure(sock):
        sock.setsockopt(impl.IPPROTO_IPV6, impl.IPV6_UNICAST_HOPS, 9)

    packets = send_and_capture(impl, veth_pair, wire_capture, transport, 6, configure)
    assert {p[IPv6].hlim for p in packets} == {9}


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_ip_mtu_discover_do_sets_dont_fragment(impl, veth_pair, wire_capture, transport):
    def configure(sock):
        sock.setsockopt(impl.IPPROTO_IP, IP_MTU_DISCOVER, IP_PMTUDISC_DO)

    packets = send_and_capture(impl, veth_pair, wire_capture, transport, 4, configure)
    assert all(p[IP].flags.DF for p in packets)


def test_ip_mtu_discover_dont_clears_dont_fragment(impl, veth_pair, wire_capture):
    def configure(sock):
        sock.setsockopt(impl.IPPROTO_IP, IP_MTU_DISCOVER, IP_PMTUDISC_DONT)

    packets = send_and_capture(impl, veth_pair, wire_capture, "udp", 4, configure)
    assert not any(p[IP].flags.DF for p in packets)
