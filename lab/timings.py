"""Wall times of whole lab runs, kept for the bench's report.

    python -m lab.timings record NAME SECONDS EXIT_STATUS [ARGS]

The Makefile records `make test` and its parts this way (the bench cannot run the
whole lab inside its own 10-minute budget); `make bench` reads the file
and says whether the recorded run was the full suite."""

from __future__ import annotations

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


def main(argv: list[str]) -> int:
    if len(argv) not in (4, 5) or argv[0] != "record":
        print(__doc__.splitlines()[2].strip(), file=sys.stderr)
        return 2
    record(argv[1], float(argv[2]), int(argv[3]), argv[4] if len(argv) == 5 else "")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
