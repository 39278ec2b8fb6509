"""Multicast and broadcast, proved on the wire between two namespaces: a
join announces itself (IGMP, MLD), a multicast TTL is what leaves, and a
broadcast reaches the whole link -- with each implementation."""

from __future__ import annotations

import struct

from peers import PORT, open_on
from scapy.layers.igmp import IGMPv3_MR
from scapy.layers.inet import IP, UDP
from scapy.layers.inet6 import ICMPv6MLReport2
from scapy.layers.l2 import Ether

IPV4_GROUP = "239.255.90.1"  # administratively scoped: stays on the lab's link
IPV6_GROUP = "ff12::5ab:1"  # transient, link-local scope
PAYLOAD = b"socklab multicast"


def test_ip_add_membership_sends_an_igmp_report(impl, veth_pair, wire_capture):
    capture = wire_capture(veth_pair.right)
    membership = impl.inet_aton(IPV4_GROUP) + impl.inet_aton(veth_pair.right.address4)
    with open_on(veth_pair.right, impl, impl.AF_INET, impl.SOCK_DGRAM) as member:
        member.bind(("", PORT))
        member.setsockopt(impl.IPPROTO_IP, impl.IP_ADD_MEMBERSHIP, membership)
        reports = capture.packets(lambda p: p.haslayer(IGMPv3_MR))
    joined = {record.maddr for report in reports for record in report[IGMPv3_MR].records}
    assert IPV4_GROUP in joined
    assert {r[IP].src for r in reports} == {veth_pair.right.address4}


def test_ipv6_join_group_sends_an_mld_report(impl, veth_pair, wire_capture):
    capture = wire_capture(veth_pair.right)
    with veth_pair.right.host.inside():
        index = impl.if_nametoindex(veth_pair.right.ifname)
    membership = impl.inet_pton(impl.AF_INET6, IPV6_GROUP) + struct.pack("@I", index)
    with open_on(veth_pair.right, impl, impl.AF_INET6, impl.SOCK_DGRAM) as member:
        member.bind(("", PORT))
        member.setsockopt(impl.IPPROTO_IPV6, impl.IPV6_JOIN_GROUP, membership)
        reports = capture.packets(lambda p: p.haslayer(ICMPv6MLReport2))
    joined = {record.dst for report in reports for record in report[ICMPv6MLReport2].records}
    assert IPV6_GROUP in joined


def test_ip_multicast_ttl_sets_the_ttl_of_multicast_datagrams(impl, veth_pair, wire_capture):
    capture = wire_capture(veth_pair.right)
    with open_on(veth_pair.left, impl, impl.AF_INET, impl.SOCK_DGRAM) as sender:
        # No default route in a lab host: name the interface by its address.
        sender.setsockopt(
            impl.IPPROTO_IP, impl.IP_MULTICAST_IF, impl.inet_aton(veth_pair.left.address4)
        )
        sender.setsockopt(impl.IPPROTO_IP, impl.IP_MULTICAST_TTL, 5)
        sender.sendto(PAYLOAD, (IPV4_GROUP, PORT))
    sent = capture.packets(lambda p: p[UDP].dport == PORT)
    assert [(p[IP].dst, p[IP].ttl) for p in sent] == [(IPV4_GROUP, 5)]


def test_so_broadcast_sends_to_the_whole_link(impl, veth_pair, wire_capture):
    broadcast = str(veth_pair.right.ipv4.network.broadcast_address)
    capture = wire_capture(veth_pair.right)
    with open_on(veth_pair.right, impl, impl.AF_INET, impl.SOCK_DGRAM) as receiver, \
            open_on(veth_pair.left, impl, impl.AF_INET, impl.SOCK_DGRAM) as sender:
        receiver.bind(("", PORT))
        receiver.settimeout(5)
        sender.setsockopt(impl.SOL_SOCKET, impl.SO_BROADCAST, 1)
        sender.sendto(PAYLOAD, (broadcast, PORT))
        data, (source, _) = receiver.recvfrom(2048)
    assert (data, source) == (PAYLOAD, veth_pair.left.address4)
    frames = capture.packets(lambda p: p[UDP].dport == PORT)
    assert [(f[Ether].dst, f[IP].dst) for f in frames] == [("ff:ff:ff:ff:ff:ff", broadcast)]
