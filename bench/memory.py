"""Memory: what a socket object costs, what a small recv() allocates, and
whether resident memory grows over many ping-pongs.

The RSS run happens in a fresh process per implementation (this module's
command line), so one implementation's heap never counts against the other.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from types import ModuleType
from typing import Any

from bench.implementations import load
from bench.operations import PING, RECV_BUFSIZE, by_name

RSS_WARM_UP = 100_000
RSS_CHUNK = 100_000
REPOSITORY = Path(__file__).resolve().parent.parent


def socket_object_size(module: ModuleType) -> int:
    """sys.getsizeof of a fresh TCP socket object (the object, not the kernel's)."""
    with module.socket(module.AF_INET, module.SOCK_STREAM) as sock:
        return sys.getsizeof(sock)


def small_recv_peak_allocation(module: ModuleType) -> int:
    """Peak bytes allocated by recv(65536) that returns 64 bytes: about
    65536 when the call allocates the whole bufsize and shrinks it after."""
    a, b = module.socketpair()
    with a, b:
        a.send(PING)
        b.recv(RECV_BUFSIZE)  # anything lazily made on first use, made now
        a.send(PING)
        tracemalloc.start()
        try:
            tracemalloc.reset_peak()
            b.recv(RECV_BUFSIZE)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()


def resident_kib() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS in /proc/self/status")


def rss_over_pingpongs(module: ModuleType, wanted: int, budget_s: float) -> dict[str, Any]:
    """RSS before and after `wanted` ping-pongs, or as many as fit in
    `budget_s` seconds: a loaded machine must not stretch `make bench`."""
    pingpong = by_name(["pingpong_recv"])[0]
    assert pingpong.prepare is not None
    pingpongs = 0
    with pingpong.prepare(module) as loop:
        loop(RSS_WARM_UP)
        before = resident_kib()
        start = time.perf_counter()
        while pingpongs < wanted and time.perf_counter() - start < budget_s:
            chunk = min(RSS_CHUNK, wanted - pingpongs)
            loop(chunk)
            pingpongs += chunk
        seconds = time.perf_counter() - start
        after = resident_kib()
    return {
        "wanted": wanted,
        "stopped_by_time_budget": pingpongs < wanted,
        "budget_s": budget_s,
        "pingpongs": pingpongs,
        "rss_before_kib": before,
        "rss_after_kib": after,
        "growth_kib": after - before,
        "seconds": round(seconds, 1),
    }


def start_rss_run(implementation: str, pingpongs: int, budget_s: float) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "bench.memory", implementation, str(pingpongs), str(budget_s)]
    return subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPOSITORY
    )


def finish_rss_run(run: subprocess.Popen[str]) -> dict[str, Any] | str:
    stdout, stderr = run.communicate()
    if run.returncode != 0:
        return f"n/a: {(stderr.strip().splitlines() or ['exit ' + str(run.returncode)])[-1]}"
    return json.loads(stdout)


def rss_growth(
    implementations: list[str], pingpongs: int, budget_s: float
) -> dict[str, dict[str, Any] | str]:
    """Both runs side by side: they only count memory, so they may share the CPUs."""
    runs = {name: start_rss_run(name, pingpongs, budget_s) for name in implementations}
    return {name: finish_rss_run(run) for name, run in runs.items()}


def object_costs(implementations: list[str]) -> dict[str, dict[str, Any]]:
    costs: dict[str, dict[str, Any]] = {}
    for name in implementations:
        module, why_missing = load(name)
        if module is None:
            costs[name] = {
                "socket_object_bytes": f"n/a: {why_missing}",
                "small_recv_peak_bytes": f"n/a: {why_missing}",
            }
            continue
        costs[name] = {
            "socket_object_bytes": measured_or_reason(socket_object_size, module),
            "small_recv_peak_bytes": measured_or_reason(small_recv_peak_allocation, module),
        }
    return costs


def measured_or_reason(measure: Any, module: ModuleType) -> int | str:
    try:
        return int(measure(module))
    except Exception as error:  # noqa: BLE001 - reported as n/a
        return f"n/a: {type(error).__name__}: {error}"


def main(argv: list[str]) -> None:
    implementation, pingpongs, budget_s = argv
    module, why_missing = load(implementation)
    if module is None:
        raise SystemExit(why_missing)
    print(json.dumps(rss_over_pingpongs(module, int(pingpongs), float(budget_s))))


if __name__ == "__main__":
    main(sys.argv[1:])
