"""What the host kernel offers the lab, probed for real, with the reason and
the remedy when something is missing.  One table serves both the `needs`
marker (a skip names what is missing and how to get it) and `lab doctor`.
"""

from __future__ import annotations

import errno
import functools
import gzip
import importlib.util
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass

from lab.naming import RunNames

LINUX_FAMILIES = {
    "AF_RDS": 21, "AF_CAN": 29, "AF_TIPC": 30, "AF_BLUETOOTH": 31,
    "AF_ALG": 38, "AF_VSOCK": 40, "AF_QIPCRTR": 42,
}
VM_REMEDY = "run in the lab VM (`socklab test` and `socklab run` go there by themselves) or on a kernel with {what}"


@dataclass(frozen=True)
class Capability:
    name: str
    kind: str  # "family", "interface", "qdisc", "tool"
    describe: str
    probe: Callable[[], str | None]  # None when present, else why not


@functools.cache
def kernel_config() -> dict[str, str]:
    """CONFIG_* values of the running kernel, {} when it does not say."""
    try:
        with gzip.open("/proc/config.gz", "rt") as config:
            lines = config.read().splitlines()
    except OSError:
        return {}
    options = {}
    for line in lines:
        if line.startswith("CONFIG_") and "=" in line:
            key, value = line.split("=", 1)
            options[key] = value
    return options


def _config_probe(option: str, what: str) -> Callable[[], str | None]:
    def probe() -> str | None:
        config = kernel_config()
        if not config:
            return None  # nothing to go by: let the test find out
        if config.get(option) in ("y", "m"):
            if config[option] == "m" and not os.path.isdir("/lib/modules"):
                return f"{option} is a module and this host loads none; " + VM_REMEDY.format(what=what)
            return None
        return f"the host kernel has no {option}; " + VM_REMEDY.format(what=what)
    return probe


def _family_probe(
    family_name: str, sock_type: int, proto: int, option: str, what: str
) -> Callable[[], str | None]:
    def probe() -> str | None:
        # An interpreter built without a family's headers lacks the constant;
        # the kernel's number still answers whether the kernel has it.
        family = getattr(socket, family_name, LINUX_FAMILIES.get(family_name))
        try:
            socket.socket(family, sock_type, proto).close()
        except OSError as exc:
            if exc.errno in (errno.EAFNOSUPPORT, errno.EPROTONOSUPPORT, errno.ESOCKTNOSUPPORT):
                return f"the host kernel has no {option}; " + VM_REMEDY.format(what=what)
            if exc.errno not in (errno.EPERM, errno.EACCES):
                return f"{family_name} socket failed: {exc}"
        return None
    return probe


def _link_probe(kind: str, option: str, **extra: object) -> Callable[[], str | None]:
    """Create a `kind` link in a scratch namespace: the only sure test."""
    def probe() -> str | None:
        # Lazy: pyroute2 is what `lab doctor` must be able to report missing.
        from lab.kernel.netns import NetnsHost

        names = RunNames()
        try:
            host = NetnsHost.create(names.namespace("probe"))
        except Exception as exc:  # noqa: BLE001 - any failure is the answer
            return f"cannot create a network namespace: {exc}"
        try:
            with host.netlink() as ipr:
                ipr.link("add", ifname=names.interface("p"), kind=kind, **extra)
        except Exception as exc:  # noqa: BLE001
            return f"the host kernel cannot make {kind} links ({option}): {exc}; " + VM_REMEDY.format(what=kind)
        finally:
            host.remove()
        return None
    return probe


def _tool_probe(module: str, remedy: str) -> Callable[[], str | None]:
    def probe() -> str | None:
        return None if importlib.util.find_spec(module) else f"{module} is not installed: {remedy}"
    return probe


def _device_probe(path: str, option: str, what: str) -> Callable[[], str | None]:
    def probe() -> str | None:
        if os.path.exists(path):
            return None
        return _config_probe(option, what)() or f"{path} is absent; " + VM_REMEDY.format(what=what)
    return probe


IPPROTO_UDPLITE = getattr(socket, "IPPROTO_UDPLITE", 136)
IPPROTO_MPTCP = getattr(socket, "IPPROTO_MPTCP", 262)
IPPROTO_SCTP = getattr(socket, "IPPROTO_SCTP", 132)

CAPABILITIES: dict[str, Capability] = {
    cap.name: cap
    for cap in [
        Capability("pyroute2", "tool", "netlink library", _tool_probe("pyroute2", "`pip install socklab` brings it")),
        Capability("scapy", "tool", "packet decoding", _tool_probe("scapy", "`pip install socklab` brings it")),
        Capability("unix", "family", "AF_UNIX", _family_probe("AF_UNIX", socket.SOCK_STREAM, 0, "CONFIG_UNIX", "AF_UNIX")),
        Capability("inet", "family", "AF_INET", _family_probe("AF_INET", socket.SOCK_STREAM, 0, "CONFIG_INET", "IPv4")),
        Capability("inet6", "family", "AF_INET6", _family_probe("AF_INET6", socket.SOCK_STREAM, 0, "CONFIG_IPV6", "IPv6")),
        Capability("udplite", "family", "UDP-Lite", _family_probe("AF_INET", socket.SOCK_DGRAM, IPPROTO_UDPLITE, "UDP-Lite", "UDP-Lite")),
        Capability("mptcp", "family", "MPTCP", _family_probe("AF_INET", socket.SOCK_STREAM, IPPROTO_MPTCP, "CONFIG_MPTCP", "MPTCP")),
        Capability("sctp", "family", "SCTP", _family_probe("AF_INET", socket.SOCK_STREAM, IPPROTO_SCTP, "CONFIG_IP_SCTP", "sctp")),
        Capability("packet", "family", "AF_PACKET", _family_probe("AF_PACKET", socket.SOCK_RAW, 0, "CONFIG_PACKET", "AF_PACKET")),
        Capability("netlink", "family", "AF_NETLINK", _family_probe("AF_NETLINK", socket.SOCK_RAW, 0, "CONFIG_NETLINK", "AF_NETLINK")),
        Capability("can", "family", "AF_CAN", _family_probe("AF_CAN", socket.SOCK_RAW, 1, "CONFIG_CAN", "can-raw")),
        Capability("bluetooth", "family", "AF_BLUETOOTH", _family_probe("AF_BLUETOOTH", socket.SOCK_RAW, 1, "CONFIG_BT", "bluetooth")),
        Capability("vsock", "family", "AF_VSOCK (loopback)", _config_probe("CONFIG_VSOCKETS_LOOPBACK", "vsock_loopback")),
        Capability("alg", "family", "AF_ALG", _family_probe("AF_ALG", socket.SOCK_SEQPACKET, 0, "CONFIG_CRYPTO_USER_API", "af_alg")),
        Capability("tipc", "family", "AF_TIPC", _family_probe("AF_TIPC", socket.SOCK_RDM, 0, "CONFIG_TIPC", "tipc")),
        Capability("rds", "family", "AF_RDS", _family_probe("AF_RDS", socket.SOCK_SEQPACKET, 0, "CONFIG_RDS", "rds")),
        Capability("qipcrtr", "family", "AF_QIPCRTR", _family_probe("AF_QIPCRTR", socket.SOCK_DGRAM, 0, "CONFIG_QRTR", "qrtr")),
        Capability("netns", "interface", "network namespaces", _config_probe("CONFIG_NET_NS", "network namespaces")),
        Capability("veth", "interface", "veth pairs", _link_probe("veth", "CONFIG_VETH")),
        Capability("vcan", "interface", "virtual CAN", _link_probe("vcan", "CONFIG_CAN_VCAN")),
        Capability("vxcan", "interface", "virtual CAN tunnel", _link_probe("vxcan", "CONFIG_CAN_VXCAN")),
        Capability("vhci", "interface", "virtual Bluetooth HCI", _device_probe("/dev/vhci", "CONFIG_BT_HCIVHCI", "hci_vhci")),
        Capability("tbf", "qdisc", "token bucket rate limit", _config_probe("CONFIG_NET_SCH_TBF", "sch_tbf")),
        Capability("htb", "qdisc", "hierarchical rate limit", _config_probe("CONFIG_NET_SCH_HTB", "sch_htb")),
        Capability("netem", "qdisc", "delay and loss", _config_probe("CONFIG_NET_SCH_NETEM", "sch_netem")),
    ]
}


@functools.cache
def missing(name: str) -> str | None:
    """Why `name` is unavailable on this host (and what to do), or None."""
    capability = CAPABILITIES.get(name)
    if capability is None:
        known = ", ".join(sorted(CAPABILITIES))
        raise KeyError(f"unknown lab capability {name!r}; known: {known}")
    return capability.probe()
