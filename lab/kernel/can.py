"""The one maker of CAN interfaces: vcan buses and vxcan cables, up, with
the MTU the caller asks for (`lab.wire.can.CANFD_MTU` lets them carry CAN
FD frames), in a lab namespace or in this process's own (`host=None`, as in
the lab VM's guest).

pyroute2 is imported only by the makers that use it: under the lab VM's
emulated CPU its import alone takes seconds, which `lab run`'s guest, making
its interfaces before CMD starts, spares by using `ip` (`add_vcan_by_ip`)."""

from __future__ import annotations

import subprocess
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyroute2 import IPRoute

    from lab.kernel.netns import NetnsHost


def _netlink(host: NetnsHost | None) -> IPRoute:
    if host is not None:
        return host.netlink()
    from pyroute2 import IPRoute  # lazy: see the module's docstring

    return IPRoute()


def _ip(host: NetnsHost | None, *args: str) -> None:
    subprocess.run(["ip", *(["-n", host.name] if host else []), *args], check=True, capture_output=True)


def set_up(host: NetnsHost | None, ifname: str, mtu: int) -> None:
    with _netlink(host) as ipr:
        index = ipr.link_lookup(ifname=ifname)[0]
        ipr.link("set", index=index, mtu=mtu, state="up")


def add_vcan(host: NetnsHost | None, ifname: str, mtu: int) -> None:
    """A vcan bus `ifname` in `host`, up."""
    with _netlink(host) as ipr:
        ipr.link("add", ifname=ifname, kind="vcan")
    set_up(host, ifname, mtu)


def add_vcan_by_ip(ifname: str, mtu: int) -> None:
    """`add_vcan(None, ifname, mtu)`, made by `ip`: for a process that has not
    imported pyroute2 and need not (the module's docstring)."""
    _ip(None, "link", "add", ifname, "type", "vcan")
    _ip(None, "link", "set", ifname, "mtu", str(mtu), "up")


def add_vxcan(
    near: NetnsHost | None, near_name: str, far: NetnsHost | None, far_name: str, mtu: int,
) -> None:
    """A vxcan cable: `near_name` in `near`, `far_name` in `far`, both up.
    Made by `ip`: pyroute2 cannot describe a vxcan peer."""
    _ip(near, "link", "add", near_name, "type", "vxcan", "peer", "name", far_name,
        *(["netns", far.name] if far else []))
    for host, name in ((near, near_name), (far, far_name)):
        _ip(host, "link", "set", name, "mtu", str(mtu), "up")
