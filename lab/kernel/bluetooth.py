"""Virtual Bluetooth controllers: BlueZ's `btvirt` over /dev/vhci, powered
up, connectable and discoverable, and stopped by its own pid."""

from __future__ import annotations

import contextlib
import re
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

BT_SYSFS = Path("/sys/class/bluetooth")
BT_READY_SECONDS = 20.0
TOOLS = ("btvirt", "hciconfig")


@dataclass(frozen=True)
class BluetoothController:
    device: str  # "hci0"
    index: int
    address: str  # "AA:BB:CC:DD:EE:FF", as the stdlib spells it


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
    btvirt = subprocess.Popen(["btvirt", f"-l{count}"], stdout=subprocess.DEVNULL,
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
