"""How fast the lab gets a test its interfaces.  What can be measured on this
machine today (a netns + veth pair, through the lab's own fixture code) is;
the rest says why not and which issue brings it."""

from __future__ import annotations

import statistics
import time
from typing import Any

NETNS_VETH_REPEATS = 5

NO_IMAGES_YET = "not measured yet: the lab does not build its container images yet"
NOT_MEASURED_YET = {
    "vm_boot_to_first_test_s": "not measured yet: the lab VM backend is issue 5",
    "vcan_setup_ms": "not measured yet: the host kernel has no CAN; vcan needs the lab VM "
    "(issue 5)",
    "two_bluetooth_controllers_setup_ms": "not measured yet: the host kernel has no Bluetooth; "
    "btvirt needs the lab VM (issue 5)",
    "image_build_cold_s": NO_IMAGES_YET,
    "image_build_cached_s": NO_IMAGES_YET,
    "make_lab_test_wall_s": "not measured yet: the whole lab suite inside `make bench` would "
    "break its 10-minute budget; time `make lab-test` on its own",
}


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
    return {"netns_veth_pair": netns_veth_pair(), **NOT_MEASURED_YET}
