"""`lab.processes.kill_group`: when it returns, the group has exited;
`cpu_seconds_at_exit`: what a child and its reaped descendants used."""

from __future__ import annotations

import subprocess
import sys
import time

from lab import processes


def test_a_killed_group_has_exited_when_kill_group_returns():
    leader = subprocess.Popen(["sh", "-c", "sleep 1000 & sleep 1000 & wait"], start_new_session=True)
    deadline = time.monotonic() + 10
    while len(processes.live_members(leader.pid)) < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(processes.live_members(leader.pid)) == 3

    assert processes.kill_group(leader.pid) == []

    assert processes.live_members(leader.pid) == []
    assert leader.wait(1) == -9


def test_a_group_that_is_gone_already_is_no_error():
    leader = subprocess.Popen(["true"], start_new_session=True)
    leader.wait()
    assert processes.kill_group(leader.pid) == []


BUSY = "import time\nend = time.process_time() + {seconds}\nwhile time.process_time() < end: pass\n"


def test_cpu_seconds_at_exit_counts_the_child_and_what_it_reaped_and_leaves_it_to_be_reaped():
    # The child spins 0.3 s itself and reaps a grandchild that spins 0.3 s.
    grandchild = BUSY.format(seconds=0.3)
    script = (BUSY.format(seconds=0.3) + "import subprocess, sys\n"
              f"subprocess.run([sys.executable, '-c', {grandchild!r}])\nsys.exit(3)\n")
    child = subprocess.Popen([sys.executable, "-c", script])

    used = processes.cpu_seconds_at_exit(child.pid)

    assert used is not None and 0.6 <= used < 5
    assert child.wait(1) == 3  # still the caller's to reap
    assert processes.cpu_seconds_at_exit(child.pid) is None  # reaped: nothing to say
