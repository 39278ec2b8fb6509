"""`lab.processes.kill_group`: when it returns, the group has exited."""

from __future__ import annotations

import subprocess
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
