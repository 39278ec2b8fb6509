"""`lab doctor`'s VM column: what the lab VM's kernel offers, without
booting it when possible.

A capability is read, in order of trust, from what the guest itself saw in
the last VM run with the same kernel (`lab-artifacts/vm/vm-capabilities.json`,
written by every VM run), else from the kernel's own build configuration
(`/boot/config-<release>`) and the modules installed beside it.  When the VM
cannot boot here at all, every cell says why.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

from lab.capabilities import missing
from lab.vm import machine as vm

SEEN = Path("lab-artifacts") / "vm" / "vm-capabilities.json"

# The kernel option behind each capability the guest kernel must supply;
# the tools (pyroute2, scapy) come from the same venv as on the host.
KERNEL_OPTIONS = {
    "unix": "CONFIG_UNIX", "inet": "CONFIG_INET", "inet6": "CONFIG_IPV6",
    "udplite": "CONFIG_INET", "mptcp": "CONFIG_MPTCP", "sctp": "CONFIG_IP_SCTP",
    "packet": "CONFIG_PACKET", "netlink": "CONFIG_NET", "can": "CONFIG_CAN_RAW",
    "bluetooth": "CONFIG_BT", "vsock": "CONFIG_VSOCKETS_LOOPBACK",
    "alg": "CONFIG_CRYPTO_USER_API_HASH", "tipc": "CONFIG_TIPC", "rds": "CONFIG_RDS_TCP",
    "qipcrtr": "CONFIG_QRTR", "netns": "CONFIG_NET_NS", "veth": "CONFIG_VETH",
    "vcan": "CONFIG_CAN_VCAN", "vxcan": "CONFIG_CAN_VXCAN", "vhci": "CONFIG_BT_HCIVHCI",
    "tbf": "CONFIG_NET_SCH_TBF", "htb": "CONFIG_NET_SCH_HTB", "netem": "CONFIG_NET_SCH_NETEM",
}


@functools.cache
def _kernel() -> Path | None:
    return vm.default_kernel()


@functools.cache
def why_no_vm() -> str | None:
    return vm.why_unavailable(_kernel())


@functools.cache
def _config(release: str) -> dict[str, str]:
    try:
        lines = Path(f"/boot/config-{release}").read_text().splitlines()
    except OSError:
        return {}
    return dict(line.split("=", 1) for line in lines if line.startswith("CONFIG_") and "=" in line)


@functools.cache
def _seen(release: str) -> dict[str, str | None] | None:
    try:
        record = json.loads(SEEN.read_text())
    except (OSError, ValueError):
        return None
    return record["missing"] if record.get("kernel") == release else None


def probe_vm(capability: str) -> tuple[bool, str]:
    """(available in the VM, why not / where the answer comes from)."""
    reason = why_no_vm()
    if reason:
        return False, f"the lab VM cannot boot: {reason}"
    kernel = _kernel()
    assert kernel is not None
    release = vm.kernel_release(kernel)
    seen = _seen(release)
    if seen is not None and capability in seen:
        why = seen[capability]
        return why is None, why or f"seen in the last VM run on {release}"
    option = KERNEL_OPTIONS.get(capability)
    if option is None:
        why = missing(capability)  # a tool: the guest shares the host's venv
        return why is None, why or ""
    config = _config(release)
    if not config:
        return False, f"/boot/config-{release} is absent: cannot tell without booting (`make lab-test`)"
    value = config.get(option)
    if value in ("y", "m"):
        return True, f"{option}={value} in {release}"
    return False, f"{release} has no {option}; pick another kernel with LAB_KERNEL"


def summary() -> str:
    """One line for the bottom of the doctor's table: kernel and accelerator."""
    reason = why_no_vm()
    if reason:
        return f"vm: cannot boot: {reason}"
    kernel = _kernel()
    assert kernel is not None
    accel = vm.accelerator(kernel)
    return f"vm: {kernel} under {accel.name.upper()} ({accel.reason})"
