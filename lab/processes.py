"""Killing a process group and knowing it is gone; the CPU time a child used.

`killpg(SIGKILL)` returns before its targets have exited: for a moment each
still runs, with its command line, and a check right after (ours, or a
user's `pgrep`) sees it.  `kill_group` waits until every member has exited
(a zombie has: it holds no memory, no fd and no command line).
"""

from __future__ import annotations

import os
import resource
import signal
import time
from collections.abc import Iterator

GONE_WITHIN_S = 5.0
POLL_S = 0.01


def _group_and_state(pid: str) -> tuple[int, str] | None:
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read()
    except OSError:
        return None
    # "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses.
    fields = stat[stat.rindex(b")") + 2:].split()
    return int(fields[2]), fields[0].decode()


def live_members(pgid: int) -> list[int]:
    """Pids of the group's members that have not exited yet."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        member = _group_and_state(entry)
        if member is not None and member[0] == pgid and member[1] not in ("Z", "X"):
            found.append(int(entry))
    return found


def kill_group(pgid: int, gone_within_s: float = GONE_WITHIN_S) -> list[int]:
    """SIGKILL every process of group `pgid`, then wait until they have all
    exited; returns the pids still alive after `gone_within_s` (a process
    stuck in the kernel in uninterruptible sleep), empty when all are gone."""
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        return []
    deadline = time.monotonic() + gone_within_s
    while (left := live_members(pgid)) and time.monotonic() < deadline:
        time.sleep(POLL_S)
    return left


def command_lines() -> Iterator[tuple[int, list[bytes]]]:
    """(pid, argv) of every live process but this one (an exited one, a
    zombie, has no command line)."""
    for entry in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                cmdline = f.read()
        except OSError:
            continue
        if cmdline and int(entry) != os.getpid():
            yield int(entry), cmdline.rstrip(b"\0").split(b"\0")


def with_command_line(text: str) -> list[int]:
    """Pids of the processes whose command line (its arguments joined by
    spaces) holds `text`."""
    return [pid for pid, argv in command_lines() if text.encode() in b" ".join(argv)]


def with_argv(*argv: str) -> list[int]:
    """Pids of the processes run as exactly `argv`."""
    wanted = [a.encode() for a in argv]
    return [pid for pid, found in command_lines() if found == wanted]


def cpu_seconds_at_exit(pid: int) -> float | None:
    """Wait for child `pid` to exit, without reaping it, and return the CPU
    time (user and system) it and the descendants it reaped used; None where
    the kernel cannot say (already reaped).  Its `wait()` reaps it after."""
    try:
        os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)
        stat = open(f"/proc/{pid}/stat").read()  # noqa: SIM115 - one read of a proc file
    except (ChildProcessError, OSError):
        return None
    # After the command's parenthesised name: state, ..., utime (14), stime,
    # cutime, cstime (17), counted from the pid's field as 1.
    fields = stat[stat.rindex(")") + 2:].split()
    ticks = sum(int(fields[index]) for index in range(11, 15))
    return round(ticks / os.sysconf("SC_CLK_TCK"), 1)


def own_cpu_seconds() -> float:
    """CPU time of this process and of every descendant reaped so far."""
    mine, reaped = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return mine.ru_utime + mine.ru_stime + reaped.ru_utime + reaped.ru_stime
