"""Names for everything the lab creates, so that a run's objects are found
again: by the run itself on teardown, and by `lab clean` after a crash.

A name is `slab<pid>` followed by the object's own part.  The pid is the
process that created the object, so a name tells whether its owner is still
alive: a parallel run's objects (another pid, alive) are left alone.
Interface names stay within the kernel's 15 characters: `slab` + at most 7
pid digits + a one-letter kind + at most 3 digits.
"""

from __future__ import annotations

import itertools
import os
import re
import threading

PREFIX = "slab"
IFNAMSIZ = 15

_OWNED = re.compile(rf"^{PREFIX}(\d+)(?=[a-z-])")


def owner_pid(name: str) -> int | None:
    """The pid recorded in a lab name, or None for a name that is not the lab's."""
    match = _OWNED.match(name)
    return int(match.group(1)) if match else None


def is_alive(pid: int) -> bool:
    """Whether a process with this pid exists (zombies count as dead)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            state = stat.read().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    return state != "Z"


def is_stale(name: str) -> bool:
    """A lab object whose owning process is gone: `lab clean` may remove it."""
    pid = owner_pid(name)
    return pid is not None and not is_alive(pid)


class RunNames:
    """Hands out unique names for one process's lab objects."""

    def __init__(self, pid: int | None = None) -> None:
        self.tag = f"{PREFIX}{pid if pid is not None else os.getpid()}"
        self._counter = itertools.count()
        self._lock = threading.Lock()

    def _next(self) -> int:
        with self._lock:
            return next(self._counter)

    def namespace(self, role: str) -> str:
        """A namespace name: `slab<pid>-<role><n>` (no length limit applies)."""
        return f"{self.tag}-{role}{self._next()}"

    def interface(self, kind: str = "v") -> str:
        """An interface name of at most 15 characters: `slab<pid><kind><n>`."""
        name = f"{self.tag}{kind[:1]}{self._next() % 1000}"
        if len(name) > IFNAMSIZ:
            raise ValueError(f"interface name {name!r} is longer than {IFNAMSIZ} characters")
        return name
