"""Datagram features that only the wire shows: the IPv6 flow label from a
destination's flowinfo, the source address IP_PKTINFO picks, UDP-Lite's
checksum coverage, and AF_PACKET frames -- with each implementation."""

from __future__ import annotations

import ipaddress
import struct

import pytest
from peers import PORT, open_on
from scapy.fields import ShortField, XShortField
from scapy.layers.inet import IP, UDP
from scapy.layers.inet6 import IPv6
from scapy.layers.l2 import Ether
from scapy.packet import Packet, bind_layers

PAYLOAD = b"socklab datagram"

# <linux/in6.h>: flow label leases and sending the flowinfo of a destination.
# The socket module exports neither, so both implementations get the numbers.
IPV6_FLOWLABEL_MGR = 32
IPV6_FLOWINFO_SEND = 33
IPV6_FL_A_GET = 0
IPV6_FL_S_EXCL = 1
IPV6_FL_F_CREATE = 1

IP_PKTINFO = 8  # <linux/in.h>; the stdlib exports it only from 3.13
IPPROTO_UDPLITE = 136
ETH_P_LAB = 0x88B5  # IEEE 802 "local experimental" EtherType


class UDPLite(Packet):
    """RFC 3828 header: the length field of UDP carries checksum coverage."""

    name = "UDP-Lite"
    fields_desc = [  # noqa: RUF012 - scapy's own declaration style
        ShortField("sport", 0),
        ShortField("dport", 0),
        ShortField("cscov", 0),
        XShortField("chksum", 0),
    ]


bind_layers(IP, UDPLite, proto=IPPROTO_UDPLITE)


def flow_label_lease(destination: str, label: int) -> bytes:
    """struct in6_flowlabel_req asking for an exclusive new label."""
    return (
        ipaddress.IPv6Address(destination).packed
        + struct.pack("!I", label)
        + struct.pack("=BBHHHI", IPV6_FL_A_GET, IPV6_FL_S_EXCL, IPV6_FL_F_CREATE, 0, 0, 0)
    )


def test_flowinfo_of_the_destination_becomes_the_ipv6_flow_label(impl, veth_pair, wire_capture):
    label = 0x5AB01
    destination = veth_pair.right.address6
    capture = wire_capture(veth_pair.right)
    with open_on(veth_pair.left, impl, impl.AF_INET6, impl.SOCK_DGRAM) as sender:
        sender.setsockopt(impl.IPPROTO_IPV6, IPV6_FLOWLABEL_MGR, flow_label_lease(destination, label))
        sender.setsockopt(impl.IPPROTO_IPV6, IPV6_FLOWINFO_SEND, 1)
        sender.sendto(PAYLOAD, (destination, PORT, label, 0))
    sent = capture.packets(lambda p: p[UDP].dport == PORT)
    assert [p[IPv6].fl for p in sent] == [label]


def test_sendmsg_ip_pktinfo_chooses_the_source_address(impl, veth_pair, wire_capture):
    chosen = veth_pair.left.ipv4.network[11]
    veth_pair.left.add_address(ipaddress.IPv4Interface(f"{chosen}/24"))
    pktinfo = struct.pack("@i4s4s", 0, impl.inet_aton(str(chosen)), bytes(4))
    capture = wire_capture(veth_pair.right)
    with open_on(veth_pair.right, impl, impl.AF_INET, impl.SOCK_DGRAM) as receiver, \
            open_on(veth_pair.left, impl, impl.AF_INET, impl.SOCK_DGRAM) as sender:
        receiver.bind((veth_pair.right.address4, PORT))
        receiver.settimeout(5)
        sender.sendmsg(
            [PAYLOAD], [(impl.IPPROTO_IP, IP_PKTINFO, pktinfo)],
            0, (veth_pair.right.address4, PORT),
        )
        data, (source, _) = receiver.recvfrom(2048)
    assert (data, source) == (PAYLOAD, str(chosen))
    assert [p[IP].src for p in capture.packets(lambda p: p[UDP].dport == PORT)] == [str(chosen)]


@pytest.mark.needs("udplite")
def test_udplite_send_cscov_sets_the_checksum_coverage(impl, veth_pair, wire_capture):
    coverage = 12  # the 8-byte header and the first 4 bytes of data
    capture = wire_capture(veth_pair.right)
    with open_on(veth_pair.right, impl, impl.AF_INET, impl.SOCK_DGRAM, IPPROTO_UDPLITE) as receiver, \
            open_on(veth_pair.left, impl, impl.AF_INET, impl.SOCK_DGRAM, IPPROTO_UDPLITE) as sender:
        receiver.bind((veth_pair.right.address4, PORT))
        receiver.settimeout(5)
        sender.setsockopt(IPPROTO_UDPLITE, impl.UDPLITE_SEND_CSCOV, coverage)
        sender.sendto(PAYLOAD, (veth_pair.right.address4, PORT))
        assert receiver.recv(2048) == PAYLOAD
    sent = capture.packets(lambda p: p[UDPLite].dport == PORT)
    assert [p[UDPLite].cscov for p in sent] == [coverage]


def test_af_packet_frames_cross_the_link_both_ways(impl, veth_pair, wire_capture, differential):
    left, right = veth_pair.left, veth_pair.right
    frame = bytes(Ether(src=left.mac, dst=right.mac, type=ETH_P_LAB) / PAYLOAD.ljust(46, b"."))
    capture = wire_capture(right)
    proto = impl.htons(ETH_P_LAB)
    with open_on(right, impl, impl.AF_PACKET, impl.SOCK_RAW, proto) as receiver, \
            open_on(left, impl, impl.AF_PACKET, impl.SOCK_RAW, proto) as sender:
        receiver.bind((right.ifname, ETH_P_LAB))
        receiver.settimeout(5)
        sender.bind((left.ifname, ETH_P_LAB))
        sender.send(frame)
        data, address = receiver.recvfrom(2048)
    assert data == frame
    assert address[0] == right.ifname
    differential.observe("address without interface name", address[1:4])
    seen = capture.packets(lambda p: p[Ether].type == ETH_P_LAB)
    assert [bytes(p) for p in seen] == [frame]
