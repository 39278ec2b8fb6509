"""The one maker of CAN interfaces: vcan buses and vxcan cables, up, with
the MTU the caller asks for (`lab.wire.can.CANFD_MTU` lets them carry CAN
FD frames), in a lab namespace or in this process's own (`host=None`, as in
the lab VM's guest)."""

from __future__ import annotations

import subprocess
from typing import TYPE_CHECKING

from pyroute2 import IPRoute

if TYPE_CHECKING:
    from lab.kernel.netns import NetnsHost


def _netlink(host: NetnsHost | None) -> IPRoute:
    return host.netlink() if host is not None else IPRoute()


def set_up(host: NetnsHost | None, ifname: str, mtu: int) -> None:
    with _netlink(host) as ipr:
        index = ipr.link_lookup(ifname=ifname)[0]
        ipr.link("set", index=index, mtu=mtu, state="up")


def add_vcan(host: NetnsHost | None, ifname: str, mtu: int) -> None:
    """A vcan bus `ifname` in `host`, up."""
    with _netlink(host) as ipr:
        ipr.link("add", ifname=ifname, kind="vcan")
    set_up(host, ifname, mtu)


def add_vxcan(
    near: NetnsHost | None, near_name: str, far: NetnsHost | None, far_name: str, mtu: int,
) -> None:
    """A vxcan cable: `near_name` in `near`, `far_name` in `far`, both up.
    Made by `ip`: pyroute2 cannot describe a vxcan peer."""
    command = ["ip", *(["-n", near.name] if near else []), "link", "add", near_name, "type", "vxcan",
               "peer", "name", far_name, *(["netns", far.name] if far else [])]
    subprocess.run(command, check=True, capture_output=True)
    set_up(near, near_name, mtu)
    set_up(far, far_name, mtu)
