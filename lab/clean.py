"""`lab clean`: remove what dead lab runs left behind.

A lab object is recognised by its name (`slab<pid>...`, see `naming`); it is
stale when that pid is gone.  Objects of live runs (a parallel `pytest -n 2`,
another terminal) are never touched.  What is removed: processes still
running inside a stale namespace, the namespace itself (its interfaces go
with it), and lab-named links left in this machine's own namespace, the
Docker side (see `docker_clean`), and scratch directories a killed run left
in the temporary directory (its VM's, its engine's data root).

Each removal is also appended to `CLEANED_LOG`, whoever removes it (`lab
clean`, or a lab run's own clean at its start): with runs side by side,
the one that removes a dead run's objects is not always the one that asks.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pyroute2 import IPRoute, netns

from lab import naming
from lab.docker import clean as docker_clean
from lab.docker.engine import RUN_DIR, remove_scratch
from lab.vm.machine import kill_stale_vms


CLEANED_LOG = RUN_DIR / "cleaned.log"


@dataclass(frozen=True)
class LabObject:
    kind: str  # "namespace", "link", "process", "container", "dockerd", "mount" or "scratch"
    name: str

    def __str__(self) -> str:
        return f"{self.kind} {self.name}"


def lab_namespaces() -> list[str]:
    return sorted(n for n in netns.listnetns() if naming.owner_pid(n) is not None)


def lab_root_links() -> list[str]:
    with IPRoute() as ipr:
        names = [link.get("IFLA_IFNAME") for link in ipr.get_links()]
    return sorted(n for n in names if n and naming.owner_pid(n) is not None)


def stale_objects() -> list[LabObject]:
    """Everything a dead run left, processes first (they pin namespaces)."""
    namespaces = [n for n in lab_namespaces() if naming.is_stale(n)]
    processes = [
        LabObject("process", str(pid))
        for name, pids in netns.ns_pids().items()
        if name in namespaces
        for pid in pids
    ]
    return (
        processes
        + [LabObject("namespace", n) for n in namespaces]
        + [LabObject("link", n) for n in lab_root_links() if naming.is_stale(n)]
        + [LabObject(kind, name) for kind, name in docker_clean.stale_objects()]
        + [LabObject("scratch", path) for path in stale_scratch()]
    )


def stale_scratch() -> list[str]:
    """Directories named for a dead run in the temporary directory: a VM's
    (`slab<pid>-vm-*`, where QEMU's wrapper lives) and an engine's scratch
    data root (`slab<pid>-dockerd-data-*`), which a `kill -9` leaves."""
    top = Path(tempfile.gettempdir())
    return sorted(str(entry) for entry in top.iterdir()
                  if naming.is_stale(entry.name) and entry.is_dir() and not entry.is_symlink())


def _remove(obj: LabObject) -> None:
    if obj.kind == "process":
        os.kill(int(obj.name), signal.SIGKILL)
    elif obj.kind == "namespace":
        netns.remove(obj.name)
    elif obj.kind in (docker_clean.CONTAINER, docker_clean.DAEMON, docker_clean.ORPHAN_MOUNT):
        docker_clean.remove(obj.kind, obj.name)
    elif obj.kind == "scratch":
        remove_scratch(Path(obj.name))
    else:
        with IPRoute() as ipr:
            found = ipr.link_lookup(ifname=obj.name)
            if found:
                ipr.link("del", index=found[0])


def clean(report: Callable[[str], None] = print) -> int:
    """Remove every stale lab object, reporting each; returns how many."""
    removed = 0
    for obj in stale_objects():
        try:
            _remove(obj)
        except (OSError, ProcessLookupError) as exc:
            report(f"could not remove {obj}: {exc}")
            continue
        report(f"removed {obj}")
        _log_removed(obj)
        removed += 1
    return removed


def _log_removed(obj: LabObject) -> None:
    """One line per removal: when (epoch seconds), by which process, what."""
    try:
        CLEANED_LOG.parent.mkdir(parents=True, exist_ok=True)
        with CLEANED_LOG.open("a", encoding="utf-8") as log:  # one short write: lines never interleave
            log.write(f"{time.time():.3f} {os.getpid()} removed {obj}\n")
    except OSError:
        pass  # the record is for the lab's own tests; a clean does not fail for it


def removed_since(started: float) -> list[str]:
    """`removed OBJECT` for each removal logged since `started` (epoch seconds)."""
    try:
        lines = CLEANED_LOG.read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    return [line.split(" ", 2)[2] for line in lines
            if line.count(" ") >= 2 and float(line.split(" ", 1)[0]) >= started]


def remove_everything_stale(report: Callable[[str], None]) -> int:
    """Kernel objects, Docker's and the VMs' processes of dead runs."""
    removed = clean(report) + kill_stale_vms(report)
    report(f"clean: {removed} stale object(s) removed")
    return removed


def add_command(commands: argparse._SubParsersAction) -> None:
    commands.add_parser(
        "clean",
        help="remove what dead lab runs left (namespaces, links, processes, containers, "
        "daemons, mounts, scratch directories)",
    )


def main(_: argparse.Namespace) -> int:
    remove_everything_stale(lambda message: print(f"lab: {message}", file=sys.stderr, flush=True))
    return 0
