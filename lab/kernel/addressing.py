"""The lab's address plan: 198.18.0.0/15 (RFC 2544, set aside for network
testing) and the unique-local fd00::/8, nothing else.

Each link gets its own /24 and /64.  Parallel runs may reuse a subnet: each
run's links live in namespaces of its own, so the addresses never meet.
"""

from __future__ import annotations

import ipaddress
import threading
from dataclasses import dataclass

IPV4_PLAN = ipaddress.IPv4Network("198.18.0.0/15")
IPV6_PLAN = ipaddress.IPv6Network("fd00::/8")
IPV6_LAB = ipaddress.IPv6Network("fd00:5ab::/32")


@dataclass(frozen=True)
class LinkSubnets:
    ipv4: ipaddress.IPv4Network
    ipv6: ipaddress.IPv6Network

    def ipv4_host(self, n: int) -> ipaddress.IPv4Interface:
        return ipaddress.IPv4Interface(f"{self.ipv4[n]}/{self.ipv4.prefixlen}")

    def ipv6_host(self, n: int) -> ipaddress.IPv6Interface:
        return ipaddress.IPv6Interface(f"{self.ipv6[n]}/{self.ipv6.prefixlen}")


class AddressPlan:
    """Hands out one subnet pair per link, in order, within the plan."""

    def __init__(self) -> None:
        self._ipv4 = IPV4_PLAN.subnets(new_prefix=24)
        self._ipv6 = IPV6_LAB.subnets(new_prefix=64)
        self._lock = threading.Lock()

    def next_link(self) -> LinkSubnets:
        with self._lock:
            return LinkSubnets(next(self._ipv4), next(self._ipv6))


def check_in_plan(address: str) -> None:
    """Refuse an address outside loopback and the plan: the lab never
    addresses anything it did not create."""
    ip = ipaddress.ip_address(address.split("%")[0])
    allowed = ip.is_loopback or ip.is_multicast or ip in IPV4_PLAN or ip in IPV6_PLAN
    if not allowed:
        raise ValueError(f"{address} is outside the lab's address plan ({IPV4_PLAN}, {IPV6_PLAN})")
