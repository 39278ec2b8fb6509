"""Which kernels the lab VM can boot: the distribution's packages that have
every family as a module, and the image each installed.

A machine's /boot may hold kernels that lack the families (a cloud
runner's own, built for its hypervisor), so the VM boots, in this order:
`LAB_KERNEL` (a path), the image of the distribution's family kernel
package when it is installed, else the newest /boot/vmlinuz-*.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

# Kernels with vcan, vxcan, the CAN protocols, Bluetooth with hci_vhci,
# vsock loopback, ALG, TIPC, RDS, QRTR and SCTP as modules.  Ubuntu's
# generic image carries vcan and hci_vhci in its modules-extra package,
# which the generic metapackage pulls in.
FAMILY_KERNEL_PACKAGES = {"debian": "linux-image-amd64", "ubuntu": "linux-image-generic"}
BOOT = Path("/boot")


def version_key(path: Path) -> tuple[object, ...]:
    parts = re.split(r"[.-]", path.name.removeprefix("vmlinuz-"))
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts)


def release(kernel: Path) -> str:
    return kernel.name.removeprefix("vmlinuz-")


def _dpkg_lines(*args: str) -> list[str]:
    if shutil.which("dpkg-query") is None:
        return []
    done = subprocess.run(["dpkg-query", *args], capture_output=True, text=True, check=False)
    return done.stdout.splitlines() if done.returncode == 0 else []


def image_of(package: str) -> Path | None:
    """The /boot/vmlinuz-* that `package` installed, or that the image it
    depends on installed (a metapackage such as linux-image-amd64)."""
    depends = "".join(_dpkg_lines("-W", "-f=${Depends}", package))
    candidates = [package] + [d.split()[0] for d in depends.split(",") if d.strip()]
    for name in candidates:
        for line in _dpkg_lines("-L", name):
            if line.startswith(str(BOOT / "vmlinuz-")) and Path(line).is_file():
                return Path(line)
    return None


def installed() -> list[Path]:
    """Every kernel image in /boot, oldest first."""
    return sorted(BOOT.glob("vmlinuz-*"), key=version_key)


def default() -> Path | None:
    """The kernel the VM boots unless told otherwise (see the module doc)."""
    chosen = os.environ.get("LAB_KERNEL")
    if chosen:
        return Path(chosen)
    for package in FAMILY_KERNEL_PACKAGES.values():
        image = image_of(package)
        if image is not None:
            return image
    found = installed()
    return found[-1] if found else None
