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


def installed(boot: Path = BOOT) -> list[Path]:
    """Every kernel image in /boot, oldest first."""
    return sorted(boot.glob("vmlinuz-*"), key=version_key)


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


class KernelNotFound(LookupError):
    """A kernel named on the command line that is not installed here; the
    message lists what is."""


def _release_matches(found: str, wanted: str) -> bool:
    # "6.1" names 6.1.0-57-amd64 but not 6.12.117: the prefix must end
    # where one of the release's own parts ends.
    return found == wanted or (found.startswith(wanted) and found[len(wanted)] in ".-+_~")


def resolve(spec: str, boot: Path = BOOT) -> Path:
    """The image `spec` names: a path, or a release or release prefix
    ("6.1", "6.12.117+deb12-amd64") of an image in /boot, the newest when
    several match.  `KernelNotFound` says what is installed instead."""
    if "/" in spec:
        return Path(spec)
    matches = [image for image in installed(boot) if _release_matches(release(image), spec)]
    if matches:
        return matches[-1]
    present = ", ".join(release(image) for image in installed(boot)) or "none"
    raise KernelNotFound(f"no kernel {spec!r} in {boot} (installed: {present}); "
                         "`socklab setup vm` installs the lab's kernels")


def module_names(kernel_release: str, root: Path = Path("/lib/modules")) -> set[str] | None:
    """The modules a kernel's package installed, loadable or built in,
    with `-` spelled `_` (as modprobe treats them); None when the kernel's
    modules folder is absent."""
    folder = root / kernel_release
    names: set[str] = set()
    for listing in ("modules.dep", "modules.builtin"):
        try:
            lines = (folder / listing).read_text().splitlines()
        except OSError:
            continue
        for line in lines:
            path = line.split(":", 1)[0].strip()
            if path:
                names.add(Path(path).name.split(".ko")[0].replace("-", "_"))
    return names if names else None


def lacking_modules(kernel_release: str, wanted: tuple[str, ...], root: Path = Path("/lib/modules")) -> list[str] | None:
    """The modules of `wanted` this kernel does not have; None when its
    modules folder cannot be read (nothing can be said without booting)."""
    names = module_names(kernel_release, root)
    if names is None:
        return None
    return [module for module in wanted if module.replace("-", "_") not in names]
