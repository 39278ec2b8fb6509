"""Kernel modules the families need: the one list, and loading it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

LOADED = Path("/sys/module")

# Every family's module (and the qdiscs the lab shapes links with), as the
# lab VM's distribution kernel names them.
FAMILY_MODULES = (
    "vcan", "vxcan", "can-raw", "can-bcm", "can-isotp", "can-j1939", "can-gw",
    "bluetooth", "hci_vhci", "rfcomm", "vsock_loopback", "af_alg", "algif_hash",
    "algif_skcipher", "algif_aead", "tipc", "rds", "rds_tcp", "qrtr", "sctp",
    "veth", "sch_netem", "sch_tbf", "sch_htb",
)


class ModuleUnavailable(RuntimeError):
    """A module this kernel cannot load; the message says which and why."""


def loaded(module: str) -> bool:
    """Whether `module` is in the kernel already (loaded, or built in with parameters)."""
    return (LOADED / module.replace("-", "_")).is_dir()


def _not_in_yet(modules: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(module for module in modules if not loaded(module))


def load(*modules: str) -> list[str]:
    """Load `modules`; the ones this kernel lacks, by name.  No modprobe
    runs when all are in already (the lab VM's init loaded them; modprobe
    under TCG costs a third of a second even then)."""
    modules = _not_in_yet(modules)
    if not modules:
        return []
    if shutil.which("modprobe") is None:
        return list(modules)
    # One modprobe for all: each process start costs a lot under TCG.
    if subprocess.run(["modprobe", "-q", "-a", *modules], capture_output=True, check=False).returncode == 0:
        return []
    return [module for module in modules
            if subprocess.run(["modprobe", "-q", module], capture_output=True, check=False).returncode != 0]


def require(*modules: str) -> None:
    """Load `modules` or raise `ModuleUnavailable` naming the first lacking one."""
    if shutil.which("modprobe") is None:
        raise ModuleUnavailable("needs modprobe (kmod) to load " + ", ".join(modules))
    for module in modules:
        done = subprocess.run(["modprobe", "-q", module], capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise ModuleUnavailable(f"this kernel cannot load {module}: "
                                    f"{done.stderr.strip() or 'modprobe failed'}")


def start_loading(modules: tuple[str, ...] = FAMILY_MODULES) -> subprocess.Popen | None:
    """Load `modules` in the background (see `load` for the lacking ones);
    None when the kernel has them all in already."""
    modules = _not_in_yet(modules)
    if not modules:
        return None
    return subprocess.Popen(["modprobe", "-q", "-a", *modules],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
