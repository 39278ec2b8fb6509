"""One side of a conformance run: an interpreter's test_socket under one
socket module, started again past any test that hangs or crashes it."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

CHILD = Path(__file__).with_name("suite_child.py")
REPO = CHILD.parent.parent
# A side is started again after a hang or crash at most this often.
MAX_STARTS = 20
# Per-child network namespace with only loopback up: the sides cannot see
# each other's listeners, and no test reaches beyond the machine.
ISOLATED = ["unshare", "--net", "--", "sh", "-c", 'ip link set lo up && exec "$@"', "isolated"]


@dataclass
class Outcome:
    """How one test ended: ok, fail, error, skip, xfail, xpass, or hang and
    crash (recorded by the runner for the test a side died in)."""

    outcome: str
    detail: str = ""

    @property
    def passed(self) -> bool:
        return self.outcome in ("ok", "xfail")


@dataclass
class SideRun:
    python: str
    version: str  # "3.11", for file names and the report
    side: str
    out_dir: Path
    test_timeout: float
    isolate: bool
    classes: str | None = None  # a regular expression: only these test classes
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    starts: int = 0
    seconds: float = 0.0

    def path(self, suffix: str) -> Path:
        return self.out_dir / f"{self.version}-{self.side}{suffix}"

    def run(self) -> SideRun:
        """Run the suite to its end, however many starts that takes."""
        results, skip_list, log = self.path(".jsonl"), self.path(".skip"), self.path(".log")
        for path in (results, skip_list, log):
            path.unlink(missing_ok=True)
        started = time.monotonic()
        finished = False
        while not finished and self.starts < MAX_STARTS:
            self.starts += 1
            skip_list.write_text("".join(f"{test}\n" for test in self.outcomes))
            status = self._start(results, skip_list, log)
            finished, dying = self._read(results)
            if not finished:
                self._record_death(dying, status, log)
        self.seconds = time.monotonic() - started
        return self

    def _start(self, results: Path, skip_list: Path, log: Path) -> int:
        argv = [
            self.python,
            str(CHILD),
            self.side,
            str(results),
            str(self.test_timeout),
            str(skip_list),
            *([self.classes] if self.classes else []),
        ]
        if self.isolate:
            argv = ISOLATED + argv
        env = dict(os.environ)
        # A sockimpl built for this interpreter elsewhere (the lab's oracle
        # python's, in SOCKIMPL_BUILD_DIR) comes before the checkout's own.
        env["PYTHONPATH"] = os.pathsep.join(
            filter(None, [env.get("SOCKIMPL_BUILD_DIR"), str(REPO), env.get("PYTHONPATH")])
        )
        # The suite makes its files (AF_UNIX socket files among them) in
        # its working directory: a fresh one under /tmp, as the lab VM's
        # shared directory cannot hold socket files.
        with log.open("a") as stderr, tempfile.TemporaryDirectory(prefix="conformance-") as cwd:
            return subprocess.run(
                argv,
                stdout=stderr,
                stderr=subprocess.STDOUT,
                env=env,
                check=False,
                cwd=cwd,
            ).returncode

    def _read(self, results: Path) -> tuple[bool, str | None]:
        """Take in the outcomes written so far: (finished, the test that was
        running when the side died)."""
        running: str | None = None
        finished = False
        if not results.exists():
            return False, None
        for line in results.read_text().splitlines():
            record = json.loads(line)
            if "start" in record:
                running = record["start"]
            elif "test" in record:
                self.outcomes[record["test"]] = Outcome(record["outcome"], record["detail"])
                running = None
            elif record.get("finished"):
                finished = True
        return finished, running

    def _record_death(self, dying: str | None, status: int, log: Path) -> None:
        if dying is None:
            # Died outside any test (at import, in a module fixture): there
            # is nothing to skip past, so starting again would only repeat it.
            self.outcomes["<side died outside a test>"] = Outcome(
                "crash", f"exit status {status}, see {log}"
            )
            self.starts = MAX_STARTS
            return
        hang = status == 1 and "Timeout (" in log.read_text(errors="replace")
        kind = "hang" if hang else "crash"
        detail = f"no end after {self.test_timeout:g} s" if hang else f"exit status {status}"
        self.outcomes[dying] = Outcome(kind, f"{detail}, see {log}")
