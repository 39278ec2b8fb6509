"""python -m bench: time every operation (stdlib, sockimpl, C floor,
interleaved), then count instructions and watch memory, then report."""

from __future__ import annotations

import argparse
import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from bench import chart, instructions, labspeed, memory, report, vm
from bench.floor import DEFAULT_PATH, FloorProgram
from bench.implementations import NAMES, load
from bench.operations import Operation, by_name
from bench.timing import Contender, FloorContender, PythonContender, measure

HERE = Path(__file__).resolve().parent


def environment_default(name: str, default: float) -> float:
    return type(default)(os.environ.get(name, default))


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("operations", nargs="*", help="operations to run (default: all)")
    parser.add_argument(
        "--rounds",
        type=int,
        default=environment_default("BENCH_ROUNDS", 15),
        help="interleaved rounds; the median is reported (BENCH_ROUNDS, default 15)",
    )
    parser.add_argument(
        "--sample-ms",
        type=float,
        default=environment_default("BENCH_SAMPLE_MS", 60.0),
        help="target length of one timed sample (BENCH_SAMPLE_MS, default 60)",
    )
    parser.add_argument(
        "--rss-pingpongs",
        type=int,
        default=environment_default("BENCH_RSS_PINGPONGS", 10_000_000),
        help="ping-pongs of the RSS growth check (BENCH_RSS_PINGPONGS, default the issue's "
        "10000000); 0 skips it",
    )
    parser.add_argument(
        "--rss-seconds",
        type=float,
        default=environment_default("BENCH_RSS_SECONDS", 150.0),
        help="stop the RSS check after this long, reporting the ping-pongs done "
        "(BENCH_RSS_SECONDS, default 150: keeps `make bench` under 10 minutes on a busy machine)",
    )
    parser.add_argument(
        "--callgrind-scale",
        type=float,
        default=environment_default("BENCH_CALLGRIND_SCALE", 1.0),
        help="multiplies each operation's callgrind iterations (BENCH_CALLGRIND_SCALE); 0 skips",
    )
    parser.add_argument("--no-lab", action="store_true", help="skip the lab fixture timings")
    parser.add_argument(
        "--no-vm",
        action="store_true",
        help="do not boot the lab VM for the operations the host kernel cannot run (CAN, ALG)",
    )
    parser.add_argument(
        "--in-vm", action="store_true", help=argparse.SUPPRESS
    )  # the guest's half of bench/vm.py
    parser.add_argument(
        "--floor", type=Path, default=DEFAULT_PATH, help="the built C floor program"
    )
    parser.add_argument(
        "--output-dir", type=Path, default=HERE, help="where results.json and the PNG go"
    )
    return parser.parse_args()


def contenders(floor: Path) -> list[Contender]:
    pythons: list[Contender] = [PythonContender(name, *load(name)) for name in NAMES]
    return [*pythons, FloorContender(FloorProgram(floor))]


def count_instructions(ops: list[Operation], scale: float) -> dict[str, dict[str, Any]]:
    if scale <= 0:
        return {
            name: dict.fromkeys((op.name for op in ops), "skipped (--callgrind-scale 0)")
            for name in NAMES
        }
    return instructions.count_all(NAMES, ops, scale)


def rss_growth(pingpongs: int, budget_s: float) -> dict[str, Any]:
    if pingpongs <= 0:
        return dict.fromkeys(NAMES, "n/a: skipped (--rss-pingpongs 0)")
    print(f"  RSS over {pingpongs:,} ping-pongs per implementation (at most {budget_s:g} s)")
    return memory.rss_growth(NAMES, pingpongs, budget_s)


def measured_rows(arguments: argparse.Namespace, ops: list[Operation]) -> list[report.Row]:
    """Time and count `ops` here: what the guest does for bench/vm.py."""
    measurements = measure(ops, contenders(arguments.floor), arguments.rounds, arguments.sample_ms)
    return report.make_rows(measurements, count_instructions(ops, arguments.callgrind_scale))


def forwarded_to_vm(arguments: argparse.Namespace) -> list[str]:
    return [
        f"--rounds={min(arguments.rounds, vm.ROUNDS)}",
        f"--sample-ms={arguments.sample_ms}",
        f"--callgrind-scale={arguments.callgrind_scale}",
        f"--floor={arguments.floor}",
    ]


def vm_results(arguments: argparse.Namespace, ops: list[Operation]) -> vm.VmResults:
    if not ops:
        return vm.VmResults(
            [],
            dict.fromkeys(
                labspeed.MEASURED_IN_VM, "n/a: the host ran every operation, no VM was booted"
            ),
        )
    if arguments.no_vm:
        return vm.VmResults(
            [vm.unmeasured_row(op, "needs the lab VM (skipped: --no-vm)") for op in ops],
            dict.fromkeys(labspeed.MEASURED_IN_VM, "n/a: skipped (--no-vm)"),
        )
    return vm.measure_in_vm(ops, forwarded_to_vm(arguments))


def main() -> None:
    arguments = parse_arguments()
    ops = by_name(arguments.operations)
    if arguments.in_vm:
        print(vm.GUEST_STARTED, flush=True)
        vm.write_results(measured_rows(arguments, ops), labspeed.guest_lab_speed())
        return
    started = time.perf_counter()
    in_vm = [op for op in ops if op.vm and vm.host_lacks(op)]
    ops = [op for op in ops if op not in in_vm]
    rounds, sample_ms = arguments.rounds, arguments.sample_ms
    print(f"timing {len(ops)} operations: {rounds} interleaved rounds of ~{sample_ms:g} ms samples")
    measurements = measure(ops, contenders(arguments.floor), rounds, sample_ms)
    # Fixture set-up is timed too, so it runs before anything else starts.
    print("timing the lab's fixtures")
    lab = {"skipped": "--no-lab"} if arguments.no_lab else labspeed.lab_speed()
    in_guest = vm_results(arguments, in_vm)
    guest_rows = in_guest.rows
    lab.update(in_guest.lab)

    # Instruction counts and memory do not depend on a quiet machine, so
    # they run side by side.
    print("counting instructions and watching memory")
    with ThreadPoolExecutor(max_workers=2) as pool:
        counting = pool.submit(count_instructions, ops, arguments.callgrind_scale)
        growing = pool.submit(rss_growth, arguments.rss_pingpongs, arguments.rss_seconds)
        costs = memory.object_costs(NAMES)
        counts, rss = counting.result(), growing.result()

    rows = report.make_rows(measurements, counts) + guest_rows
    checked = report.targets(rows, costs, rss)
    environment = report.machine()
    print()
    print(report.terminal_table(rows))
    print()
    for note in report.unavailable_notes(rows):
        print(f"  {note}")
    measured_in_vm = [row.name for row in guest_rows if row.ratio is not None]
    if measured_in_vm:
        print(
            f"  {', '.join(measured_in_vm)}: measured in the lab VM (QEMU TCG, the host kernel "
            "lacks the family): compare the contenders within the row, not with host rows"
        )
    print("\nmemory:", {name: {**costs[name], "rss": rss.get(name)} for name in NAMES})
    print("\nlab speed:")
    for label, value in labspeed.lines(lab):
        print(f"  {label:<44} {value}")
    print("\ntargets:")
    print(report.targets_text(checked))

    output = arguments.output_dir
    output.mkdir(parents=True, exist_ok=True)
    chart_path = output / "ratios.png"
    subtitle = (
        f"Python {environment['python']}, Linux {environment['kernel']}, "
        f"{environment['cpus']} CPUs, {environment['date']}, median of {arguments.rounds}"
    )
    chart_problem = chart.draw(rows, chart_path, subtitle)
    document = {
        "machine": environment,
        "config": {
            "rounds": arguments.rounds,
            "sample_ms": arguments.sample_ms,
            "rss_pingpongs": arguments.rss_pingpongs,
            "rss_seconds": arguments.rss_seconds,
            "callgrind_scale": arguments.callgrind_scale,
        },
        "operations": [row.as_json() for row in rows],
        "memory": {"objects": costs, "rss_growth": rss},
        "targets": [target.as_json() for target in checked],
        "lab_speed": lab,
        "chart": chart_problem or str(chart_path.name),
        "wall_seconds": round(time.perf_counter() - started, 1),
    }
    report.write_json(output / "results.json", document)
    (output / "results.md").write_text(report.markdown_table(rows) + "\n")
    print(
        f"\nwrote {output / 'results.json'}, {output / 'results.md'}, "
        + (chart_problem or str(chart_path))
        + f" in {document['wall_seconds']} s"
    )


if __name__ == "__main__":
    main()
