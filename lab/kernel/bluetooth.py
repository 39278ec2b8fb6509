"""Virtual Bluetooth controllers: BlueZ's `btvirt` over /dev/vhci, powered
up, connectable and discoverable, and stopped by its own pid.

Which btvirt: $LAB_BTVIRT, else the one `make btvirt` built in the checkout,
else the distribution's on PATH.  They differ in what the emulated
controllers carry: Debian 12's (BlueZ 5.66) reports no SCO buffers, so the
kernel refuses every SCO link, and it never asks the listening controller;
BlueZ 5.86 and newer carry an SCO link and its data both ways."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lab.paths import IMPORT_ROOT

BT_SYSFS = Path("/sys/class/bluetooth")
BT_READY_SECONDS = 20.0
BTVIRT_VARIABLE = "LAB_BTVIRT"
BUILT_BTVIRT = IMPORT_ROOT / "build" / "btvirt" / "btvirt"  # `make btvirt`


@dataclass(frozen=True)
class BluetoothController:
    device: str  # "hci0"
    index: int
    address: str  # "AA:BB:CC:DD:EE:FF", as the stdlib spells it


def btvirt_program() -> str:
    """The btvirt the lab starts (see the module doc)."""
    chosen = os.environ.get(BTVIRT_VARIABLE)
    if chosen:
        return chosen
    return str(BUILT_BTVIRT) if BUILT_BTVIRT.is_file() else "btvirt"


def btvirt_environment() -> dict[str, str]:
    """$LAB_BTVIRT naming the btvirt chosen here, for a process that may
    import another copy of the lab (the guest's oracle interpreter imports the
    one built for it, which finds no `make btvirt` beside itself)."""
    program = btvirt_program()
    return {} if program == "btvirt" else {BTVIRT_VARIABLE: program}


def missing_tools() -> list[str]:
    """The programs of BlueZ the controllers need that are not there."""
    return [tool for tool in (btvirt_program(), "hciconfig") if shutil.which(tool) is None]


def btvirt_version() -> str:
    """BlueZ's version of the btvirt the lab starts, as it prints it ("5.66")."""
    done = subprocess.run([btvirt_program(), "--version"], capture_output=True, text=True, timeout=10, check=False)
    return done.stdout.strip() or "of unknown version"


def _controllers() -> set[str]:
    return {p.name for p in BT_SYSFS.glob("hci*")} if BT_SYSFS.exists() else set()


def _address(device: str) -> str:
    out = subprocess.run(["hciconfig", device], capture_output=True, text=True, check=True).stdout
    match = re.search(r"BD Address: ([0-9A-F:]{17})", out)
    if not match or match.group(1) == "00:00:00:00:00:00":
        raise RuntimeError(f"{device} has no address yet: {out}")
    return match.group(1)


def _wait_for_controllers(before: set[str], count: int, btvirt: subprocess.Popen) -> list[str]:
    deadline = time.monotonic() + BT_READY_SECONDS
    while time.monotonic() < deadline:
        new = sorted(_controllers() - before, key=lambda n: int(n[3:]))
        if len(new) >= count:
            return new[:count]
        if btvirt.poll() is not None:
            raise RuntimeError(f"btvirt exited with status {btvirt.returncode}")
        time.sleep(0.1)
    raise RuntimeError(f"btvirt made no {count} controllers in {BT_READY_SECONDS} s")


def _power_up(device: str) -> None:
    for action in ("up", "piscan"):
        subprocess.run(["hciconfig", device, action], check=True, capture_output=True, timeout=20)


def start_btvirt(count: int, detached: bool = False) -> tuple[subprocess.Popen, list[BluetoothController]]:
    """`count` controllers from one btvirt, powered up.  `detached`: btvirt
    outlives this process (in the guest, until power-off)."""
    before = _controllers()
    btvirt = subprocess.Popen([btvirt_program(), f"-l{count}"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=detached)
    try:
        devices = _wait_for_controllers(before, count, btvirt)
        for device in devices:
            _power_up(device)
        return btvirt, [BluetoothController(d, int(d[3:]), _address(d)) for d in devices]
    except BaseException:
        stop(btvirt)
        raise


def stop(btvirt: subprocess.Popen) -> None:
    btvirt.terminate()
    try:
        btvirt.wait(timeout=10)
    except subprocess.TimeoutExpired:
        btvirt.kill()
        btvirt.wait()


@contextlib.contextmanager
def running_btvirt(count: int) -> Iterator[list[BluetoothController]]:
    """`count` controllers for the block; btvirt stopped after (the bench
    times this)."""
    btvirt, controllers = start_btvirt(count)
    try:
        yield controllers
    finally:
        stop(btvirt)
