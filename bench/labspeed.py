"""How fast the lab gets a test its interfaces.  What can be measured on this
machine today (a netns + veth pair, through the lab's own fixture code) is;
the rest says why not and which issue brings it."""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path
from typing import Any

NETNS_VETH_REPEATS = 5

ARTIFACTS = Path(__file__).resolve().parent.parent / "lab-artifacts"

NOT_MEASURED_YET = {
    "vcan_setup_ms": "not measured by the bench: vcan exists only in the lab VM; its set-up is "
    "part of the VM share timed below",
    "two_bluetooth_controllers_setup_ms": "not measured by the bench: btvirt runs only in the lab "
    "VM; its set-up is part of the VM share timed below",
    "make_lab_test_wall_s": "not measured yet: the whole lab suite inside `make bench` would "
    "break its 10-minute budget; time `make lab-test` on its own",
}


def _recorded(name: str, how: str) -> dict[str, Any] | str:
    """Timings the lab wrote during its own runs (the VM share of `make
    lab-test`, `make image-timings`): booting a VM or building images
    inside the bench would break its time budget."""
    path = ARTIFACTS / name
    try:
        return {"source": str(path), **json.loads(path.read_text())}
    except (OSError, ValueError):
        return f"not measured yet: run `{how}` first (it writes {path})"


def vm_timings() -> dict[str, Any] | str:
    return _recorded("vm-timings.json", "make vm-bench")


def image_timings() -> dict[str, Any] | str:
    return _recorded("image-timings.json", "make image-timings")


def netns_veth_pair_once() -> tuple[float, float]:
    """Seconds to set up two namespaces joined by an addressed veth pair,
    and to tear them down, with the lab's own code and naming (so that
    `make lab-clean` finds anything a killed run leaves)."""
    from lab.addressing import AddressPlan
    from lab.links import create_veth_pair
    from lab.naming import RunNames
    from lab.netns import NetnsHost

    names = RunNames()
    start = time.perf_counter()
    left = NetnsHost.create(names.namespace("benchl"))
    try:
        right = NetnsHost.create(names.namespace("benchr"))
        try:
            create_veth_pair(
                left, right, (names.interface(), names.interface()), AddressPlan().next_link()
            )
            set_up = time.perf_counter() - start
            start = time.perf_counter()
        finally:
            right.remove()
    finally:
        left.remove()
    return set_up, time.perf_counter() - start


def netns_veth_pair() -> dict[str, Any] | str:
    try:
        timings = [netns_veth_pair_once() for _ in range(NETNS_VETH_REPEATS)]
    except Exception as error:  # noqa: BLE001 - reported as n/a
        return f"n/a: {type(error).__name__}: {error}"
    return {
        "setup_ms_median": round(statistics.median(t[0] for t in timings) * 1e3, 1),
        "teardown_ms_median": round(statistics.median(t[1] for t in timings) * 1e3, 1),
        "repeats": NETNS_VETH_REPEATS,
        "what": "two namespaces (lo up, lab sysctls) + veth pair, addressed v4+v6, offloads off",
    }


def lab_speed() -> dict[str, Any]:
    return {
        "netns_veth_pair": netns_veth_pair(),
        "vm": vm_timings(),
        "images": image_timings(),
        **NOT_MEASURED_YET,
    }


def summary(recorded: Any, keys: tuple[str, ...]) -> Any:
    """The few figures of a recorded timing worth a line in the terminal."""
    if not isinstance(recorded, dict):
        return recorded
    picked = {}
    for key in keys:
        value = recorded.get(key)
        if isinstance(value, dict) and "total_seconds" in value:
            value = value["total_seconds"]
        picked[key] = value
    return picked

