"""Wall times of whole lab runs, kept for the bench's report.

    python -m lab.timings record NAME SECONDS EXIT_STATUS [ARGS]
    python -m lab.timings show [--since EPOCH_SECONDS] NAME...

The Makefile records `make test` and its parts this way (the bench cannot run the
whole lab inside its own 10-minute budget); `make bench` reads the file
and says whether the recorded run was the full suite.  `show` prints the
named parts' wall times on one line, as `make test` ends with."""

from __future__ import annotations

import calendar
import fcntl
import json
import sys
import time
from typing import Any

from lab.paths import ARTIFACTS

TIMINGS = ARTIFACTS / "lab-timings.json"


def recorded() -> dict[str, Any]:
    try:
        return json.loads(TIMINGS.read_text())
    except (OSError, ValueError):
        return {}


def record(name: str, seconds: float, exit_status: int, arguments: str) -> None:
    TIMINGS.parent.mkdir(exist_ok=True)
    # `make test` runs two parts at once, and each records when it ends.
    with open(TIMINGS.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        timings = recorded()
        timings[name] = {
            "wall_s": seconds,
            "exit_status": exit_status,
            "arguments": arguments.strip(),
            "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        TIMINGS.write_text(json.dumps(timings, indent=1) + "\n")


def shown(names: list[str], since: float = 0.0) -> str:
    """`unit-test 176 s, conformance 59 s, ...` for the recorded `names`
    (`make-` dropped), a failed part with its exit status; a part recorded
    before `since` (seconds since the epoch) belongs to an earlier run and
    is shown as not run."""
    timings = recorded()
    parts = []
    for name in names:
        entry = timings.get(name)
        label = name.removeprefix("make-")
        if entry is None or calendar.timegm(time.strptime(entry["when"], "%Y-%m-%dT%H:%M:%SZ")) < int(since):
            parts.append(f"{label} not run")
            continue
        failed = f" (exit status {entry['exit_status']})" if entry["exit_status"] else ""
        parts.append(f"{label} {entry['wall_s']:.0f} s{failed}")
    return ", ".join(parts)


def main(argv: list[str]) -> int:
    names, since = argv[1:], 0.0
    if names[:1] == ["--since"] and len(names) > 1:
        names, since = names[2:], float(names[1])
    if argv[:1] == ["show"] and names:
        print(shown(names, since))
        return 0
    if len(argv) not in (4, 5) or argv[0] != "record":
        print("\n".join(line.strip() for line in __doc__.splitlines()[2:4]), file=sys.stderr)
        return 2
    record(argv[1], float(argv[2]), int(argv[3]), argv[4] if len(argv) == 5 else "")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
