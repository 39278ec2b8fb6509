"""RDS datagrams over the rds_tcp transport between two addresses of one
namespace, against both implementations."""

from __future__ import annotations

import ipaddress

import pytest

pytestmark = [pytest.mark.family("rds")]

# Two lab-plan addresses on the namespace's loopback: distinct local
# addresses make RDS pick its TCP transport, where one address alone would
# take the in-kernel loopback shortcut.
LEFT, RIGHT = "198.19.255.1", "198.19.255.2"
SO_RDS_TRANSPORT = 8  # linux/rds.h; no socket module names it
RDS_TRANS_TCP = 2


@pytest.fixture
def rds_addresses(rds_loopback) -> tuple[str, str]:
    with rds_loopback.host.netlink() as ipr:
        lo = ipr.link_lookup(ifname="lo")[0]
        for address in (LEFT, RIGHT):
            ipr.addr("add", index=lo, address=address, prefixlen=32)
    assert all(ipaddress.ip_address(a) in ipaddress.ip_network("198.18.0.0/15") for a in (LEFT, RIGHT))
    return LEFT, RIGHT


def rds_socket(impl, host, address: str, port: int):
    with host.inside():
        sock = impl.socket(impl.AF_RDS, impl.SOCK_SEQPACKET, 0)
    sock.setsockopt(impl.SOL_RDS, SO_RDS_TRANSPORT, RDS_TRANS_TCP)
    sock.bind((address, port))
    sock.settimeout(10)
    return sock


def test_rds_datagram_arrives_whole_with_the_senders_address(impl, rds_loopback, rds_addresses):
    left, right = rds_addresses
    sender = rds_socket(impl, rds_loopback.host, left, 4001)
    receiver = rds_socket(impl, rds_loopback.host, right, 4002)
    with sender, receiver:
        sender.sendto(b"reliable datagram" * 10, (right, 4002))
        data, source = receiver.recvfrom(4096)
    assert data == b"reliable datagram" * 10
    assert source == (left, 4001)


def test_rds_socket_reports_the_tcp_transport_it_was_given(impl, rds_loopback, rds_addresses):
    sock = rds_socket(impl, rds_loopback.host, rds_addresses[0], 4003)
    with sock:
        assert sock.getsockopt(impl.SOL_RDS, SO_RDS_TRANSPORT) == RDS_TRANS_TCP
        assert sock.getsockname() == (rds_addresses[0], 4003)
