"""Links between lab hosts: veth pairs, addressed from the plan, with MTU,
offloads and rate limits settable.  Created with pyroute2 in the hosts'
namespaces directly (never in this machine's own namespace), so a link dies
with its namespace even when nobody gets to remove it."""

from __future__ import annotations

import errno
import ipaddress
import itertools
from dataclasses import dataclass

from pyroute2.ethtool import Ethtool
from pyroute2.netlink.exceptions import NetlinkError

from lab.kernel.addressing import LinkSubnets
from lab.kernel.netns import NetnsHost

IFA_F_NODAD = 0x02

# Segmentation and receive offloads hide what the wire carries: with them on,
# a capture shows one 64 KiB "segment" where the wire has forty-five.
WIRE_TRUE_OFFLOADS = {
    "tx-tcp-segmentation": False,
    "tx-tcp6-segmentation": False,
    "tx-generic-segmentation": False,
    "rx-gro": False,
}


# Distinct interface indexes for the two ends.  The kernel applies a link's
# carrier change at once only for a stacked device, which it recognises by an
# ifindex different from its peer's; two fresh namespaces would give both
# ends index 2, and the link would then wait a whole second to pass traffic.
_INDEXES = itertools.count(1000, 2)


class Unavailable(RuntimeError):
    """The host kernel lacks what was asked for; the message says what and
    how to get it (fixtures turn this into a skip)."""


@dataclass
class Endpoint:
    """One end of a link: its host, interface and addresses."""

    host: NetnsHost
    ifname: str
    ipv4: ipaddress.IPv4Interface
    ipv6: ipaddress.IPv6Interface

    @property
    def address4(self) -> str:
        return str(self.ipv4.ip)

    @property
    def address6(self) -> str:
        return str(self.ipv6.ip)

    @property
    def index(self) -> int:
        return self.host.interface_index(self.ifname)

    @property
    def mac(self) -> str:
        with self.host.netlink() as ipr:
            return ipr.get_links(self.index)[0].get("IFLA_ADDRESS")

    def add_address(self, address: ipaddress.IPv4Interface | ipaddress.IPv6Interface) -> None:
        with self.host.netlink() as ipr:
            ipr.addr(
                "add",
                index=ipr.link_lookup(ifname=self.ifname)[0],
                address=str(address.ip),
                prefixlen=address.network.prefixlen,
                flags=IFA_F_NODAD if address.version == 6 else 0,
            )

    def set_mtu(self, mtu: int) -> None:
        with self.host.netlink() as ipr:
            ipr.link("set", index=ipr.link_lookup(ifname=self.ifname)[0], mtu=mtu)

    def set_offloads(self, features: dict[str, bool]) -> None:
        """Switch ethtool features (`ethtool -K` names) on or off."""
        with self.host.inside():
            ethtool = Ethtool()
            try:
                current = ethtool.get_features(self.ifname)
                for name, enable in features.items():
                    if name in current.features:
                        current.features[name].enable = enable
                ethtool.set_features(self.ifname, current)
            finally:
                ethtool.close()

    def limit_rate(self, rate: str, burst: int = 1600, latency: str = "200ms") -> None:
        """Shape what this end sends with a token bucket (`tc qdisc ... tbf`)."""
        with self.host.netlink() as ipr:
            ipr.tc(
                "add", "tbf", index=ipr.link_lookup(ifname=self.ifname)[0],
                handle="1:", rate=rate, burst=burst, latency=latency,
            )

    def impair(self, delay_ms: float = 0, loss_percent: float = 0) -> None:
        """Delay or drop what this end sends (`tc qdisc ... netem`), where the
        kernel has netem; `Unavailable` names it where it has not."""
        with self.host.netlink() as ipr:
            try:
                ipr.tc(
                    "add", "netem", index=ipr.link_lookup(ifname=self.ifname)[0],
                    handle="1:", delay=int(delay_ms * 1000), loss=loss_percent,
                )
            except NetlinkError as error:
                if error.code not in (errno.ENOENT, errno.EOPNOTSUPP):
                    raise
                raise Unavailable(f"this kernel has no netem qdisc (CONFIG_NET_SCH_NETEM): {error}; "
                                  "impair links in the lab VM (`socklab test --backend vm`)") from error


@dataclass
class VethPair:
    """Two hosts joined by a veth pair: `left` and `right`."""

    left: Endpoint
    right: Endpoint

    @property
    def ends(self) -> tuple[Endpoint, Endpoint]:
        return (self.left, self.right)

    def set_mtu(self, mtu: int) -> None:
        for end in self.ends:
            end.set_mtu(mtu)

    def set_offloads(self, features: dict[str, bool]) -> None:
        for end in self.ends:
            end.set_offloads(features)


def create_veth_pair(
    left_host: NetnsHost,
    right_host: NetnsHost,
    names: tuple[str, str],
    subnets: LinkSubnets,
    mtu: int = 1500,
    offloads: dict[str, bool] | None = None,
) -> VethPair:
    """A veth pair from `left_host` to `right_host`, up, addressed .1/::1 on
    the left and .2/::2 on the right, offloads off unless `offloads` says."""
    left_name, right_name = names
    left_index = next(_INDEXES)
    with left_host.netlink() as ipr:
        ipr.link(
            "add", ifname=left_name, kind="veth", index=left_index,
            peer={"ifname": right_name, "net_ns_fd": right_host.name, "index": left_index + 1},
        )
    pair = VethPair(
        Endpoint(left_host, left_name, subnets.ipv4_host(1), subnets.ipv6_host(1)),
        Endpoint(right_host, right_name, subnets.ipv4_host(2), subnets.ipv6_host(2)),
    )
    for end in pair.ends:
        _bring_up(end, mtu)
    pair.set_offloads(WIRE_TRUE_OFFLOADS if offloads is None else offloads)
    return pair


def _bring_up(end: Endpoint, mtu: int) -> None:
    end.add_address(end.ipv4)
    end.add_address(end.ipv6)
    with end.host.netlink() as ipr:
        ipr.link("set", index=ipr.link_lookup(ifname=end.ifname)[0], mtu=mtu, state="up")
