"""How fast the lab gets a test its interfaces: a netns + veth pair timed
here with the lab's own fixture code, vcan and two Bluetooth controllers
timed in the lab VM (bench/vm.py), and what the lab recorded of its own
runs (VM boot and share, image builds, `make lab-test`)."""

from __future__ import annotations

import json
import statistics
import subprocess
import time
from pathlib import Path
from typing import Any

NETNS_VETH_REPEATS = 5

ARTIFACTS = Path(__file__).resolve().parent.parent / "lab-artifacts"

VCAN_REPEATS = 5
BLUETOOTH_REPEATS = 3
# Timed in the lab VM by the guest half of bench/vm.py; without the VM run
# these say why they are missing.
MEASURED_IN_VM = ("vcan_setup_ms", "two_bluetooth_controllers_setup_ms")


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
    from lab.kernel.addressing import AddressPlan
    from lab.kernel.links import create_veth_pair
    from lab.kernel.netns import NetnsHost
    from lab.naming import RunNames

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


# `make test` records its own wall time, and each of its parts its own
# (tests/make-test.sh runs the package test beside the unit suites and
# CPython's test_socket, so the parts add up to more than the whole);
# issue 18's targets are in seconds.
MAKE_TEST_PARTS = ("make-unit-test", "make-conformance", "make-package-test", "make-lab-test")
TARGETS_S = {"make-lab-test": 5 * 60, "make-test": 12 * 60}


def make_lab_test() -> dict[str, Any] | str:
    """The wall time of the last `make lab-test`, as the Makefile recorded it."""
    from lab.timings import TIMINGS, recorded

    run = recorded().get("make-lab-test")
    if run is None:
        return f"not measured yet: run `make lab-test` first (it writes {TIMINGS})"
    scope = "the full suite" if not run["arguments"] else f"a partial run ({run['arguments']})"
    return {**run, "scope": scope, "source": str(TIMINGS), "target_s": TARGETS_S["make-lab-test"]}


def make_test() -> dict[str, Any] | str:
    """`make test`'s wall time, builds included, and its parts' (each with
    its own date: parts from other runs than the whole say so)."""
    from lab.timings import TIMINGS, recorded

    runs = recorded()
    whole = runs.get("make-test")
    if whole is None:
        return f"not measured yet: run `make test` (it writes {TIMINGS})"
    parts = {part: runs[part] for part in MAKE_TEST_PARTS if part in runs}
    return {
        "wall_s": whole["wall_s"],
        "when": whole["when"],
        "target_s": TARGETS_S["make-test"],
        "all_passed": whole["exit_status"] == 0,
        "full_suites": not whole["arguments"],
        "parts": parts,
        "source": str(TIMINGS),
    }


def lab_speed() -> dict[str, Any]:
    return {
        "netns_veth_pair": netns_veth_pair(),
        "vm": vm_timings(),
        "images": image_timings(),
        "make_lab_test": make_lab_test(),
        "make_test": make_test(),
    }


def vcan_once() -> float:
    """Seconds to make a namespace with a vcan link in it, up, as the
    `vcan_bus` fixture does."""
    from lab.fixtures.guest import add_vcan
    from lab.kernel.netns import NetnsHost
    from lab.naming import RunNames

    names = RunNames()
    start = time.perf_counter()
    host = NetnsHost.create(names.namespace("benchc"))
    try:
        add_vcan(host, names.interface("c"))
        return time.perf_counter() - start
    finally:
        host.remove()


def two_bluetooth_controllers_once() -> float:
    """Seconds from starting btvirt to two controllers up and scanning, as
    the `bt_controllers` fixture does."""
    from lab.kernel.bluetooth import running_btvirt

    start = time.perf_counter()
    with running_btvirt(2):
        return time.perf_counter() - start


def _median_ms(once: Any, repeats: int) -> dict[str, Any] | str:
    try:
        timings = [once() for _ in range(repeats)]
    except Exception as error:  # noqa: BLE001 - reported as n/a
        return f"n/a: {type(error).__name__}: {error}"
    return {"setup_ms_median": round(statistics.median(timings) * 1e3, 1), "repeats": repeats}


def guest_lab_speed() -> dict[str, Any]:
    """The fixtures that exist only in the lab VM, timed there."""
    subprocess.run(["modprobe", "-a", "vcan", "can-raw", "bluetooth", "hci_vhci"], check=False)
    return {
        "vcan_setup_ms": _median_ms(vcan_once, VCAN_REPEATS),
        "two_bluetooth_controllers_setup_ms": _median_ms(
            two_bluetooth_controllers_once, BLUETOOTH_REPEATS
        ),
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


def phases(recorded: Any) -> Any:
    """A VM run's boot, phase by phase ("phase took_s" in order)."""
    if not isinstance(recorded, dict) or not recorded.get("phases"):
        return recorded if not isinstance(recorded, dict) else "no phases recorded"
    return ", ".join(f"{p['phase']} {p['took_s']:g}" for p in recorded["phases"])


def lines(lab: dict[str, Any]) -> list[tuple[str, Any]]:
    """The lab's speed as label/value lines for the terminal."""
    return [
        ("netns + veth pair (here)", lab.get("netns_veth_pair")),
        ("vcan in a namespace (lab VM)", lab.get("vcan_setup_ms")),
        ("two Bluetooth controllers (lab VM)", lab.get("two_bluetooth_controllers_setup_ms")),
        ("VM boot to first command (this run)", lab.get("vm_boot_to_first_command_s")),
        (
            "run --needs vcan -- true (this run, medians)",
            summary(lab.get("vm_run_vcan_true"), ("wall_s", "target_wall_s", "guest_ready_s", "target_ready_s",
                                                   "boots", "walls_s", "boot", "clock")),
        ),
        ("  its phases, s", phases(lab.get("vm_run_vcan_true"))),
        (
            "run --clock host --needs vcan -- true",
            summary(lab.get("vm_run_vcan_true_clock_host"), ("wall_s", "guest_ready_s", "boots", "walls_s", "boot")),
        ),
        ("  its phases, s", phases(lab.get("vm_run_vcan_true_clock_host"))),
        (
            "VM boot to first test, VM share (lab test)",
            summary(lab.get("vm"), ("boot_to_first_test_s", "vm_share_total_s", "boot")),
        ),
        ("  its phases, s", phases(lab.get("vm"))),
        (
            "images cold, cached (make image-timings)",
            summary(lab.get("images"), ("cold", "cached")),
        ),
        ("make lab-test wall (recorded)", summary(lab.get("make_lab_test"), ("wall_s", "target_s", "scope"))),
        ("make test wall (recorded)",
         summary(lab.get("make_test"), ("wall_s", "target_s", "when", "all_passed", "full_suites"))),
        ("  its parts, s", make_test_parts(lab.get("make_test"))),
    ]


def make_test_parts(recorded: Any) -> Any:
    if not isinstance(recorded, dict):
        return "-"
    return ", ".join(f"{name.removeprefix('make-')} {run['wall_s']:g} ({run['when']})"
                     for name, run in recorded["parts"].items())
