"""Where each test runs: on the host when the host kernel has what it needs,
in the lab VM otherwise.  `lab test` runs pytest twice with the same paths,
once on the host (`--lab-share=host`) and once in the VM (`--lab-share=vm`),
both told which capabilities the host lacks; a test's `needs`/`family`
marks put it in exactly one share.  Without `--lab-share`, nothing changes.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from lab import oracle
from lab.vm.guest import MARK, wait_for_modules

SHARES = ("host", "vm")
# What the guest tells the host in PROGRESS_FILE (see `lab.vm.runner.GuestProgress`).
PROGRESS_FILE = "progress.txt"
RUNNING = "running"
FINISHED = "tests finished, exit status"

# What the host share left to the VM, for `lab test` in the same process:
# with nothing left, no VM boots.
LEFT_FOR_VM: list[str] = []
FILES_FOR_VM: list[str] = []  # their test files, absolute
# Of those, the files of tests whose family this interpreter's stdlib lacks
# (no oracle here): the VM runs them again under an interpreter that has it.
NO_ORACLE_FILES: list[str] = []
NO_ORACLE_CONSTANTS: list[str] = []
# Set where this process ran the host share as pytest-xdist's controller:
# its workers collected, so the lists above stay empty here, and `lab test`
# takes the plan's, collected from the same arguments.
COLLECTED_BY_WORKERS: list[bool] = []


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("lab")
    group.addoption(
        "--lab-share", choices=SHARES, default=None,
        help="run only the tests of this backend's share: `host` deselects the tests "
        "needing something in --lab-host-lacks, `vm` keeps only those",
    )
    group.addoption(
        "--lab-host-lacks", metavar="CAPS", default="",
        help="comma-separated lab capabilities the host kernel lacks (see `lab doctor`)",
    )
    group.addoption(
        "--lab-plan-out", metavar="PATH", default=None,
        help="with --lab-share=host: write what is left for the VM as JSON to PATH "
        "(`lab test` collects first, so the VM boots while the host's share runs)",
    )


def required(item: pytest.Item) -> set[str]:
    wanted = {name for mark in item.iter_markers("needs") for name in mark.args}
    wanted |= {mark.args[0] for mark in item.iter_markers("family") if mark.args}
    return wanted


def belongs_to_vm(item: pytest.Item, host_lacks: set[str]) -> bool:
    return bool(required(item) & host_lacks)


def _oracle_lacks(item: pytest.Item) -> set[str]:
    families = (mark.args[0] for mark in item.iter_markers("family") if mark.args)
    return {constant for constant in map(oracle.lacks_family, families) if constant}


# The guest runs no container engine: its root is the host's, read-only,
# and an engine under TCG would take minutes to answer.
# Fixtures the guest cannot provide.  (None today: the Docker engine runs in
# the guest on a scratch data root loaded from the cached image archives.)
NOT_IN_VM: dict[str, str] = {}


def _skip_what_the_vm_cannot_host(items: list[pytest.Item]) -> None:
    for item in items:
        for fixture, reason in NOT_IN_VM.items():
            if fixture in getattr(item, "fixturenames", ()):
                item.add_marker(pytest.mark.skip(reason=reason))


def pytest_configure(config: pytest.Config) -> None:
    workers = getattr(config.option, "numprocesses", None)  # pytest-xdist's -n, where it is installed
    if config.getoption("--lab-share") == "host" and workers and not hasattr(config, "workerinput"):
        COLLECTED_BY_WORKERS[:] = [True]


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("LAB_IN_VM") == "1":
        _skip_what_the_vm_cannot_host(items)
    share = config.getoption("--lab-share")
    if share is None:
        return
    lacks = {name for name in config.getoption("--lab-host-lacks").split(",") if name}
    keep_vm = share == "vm"
    selected = [item for item in items if belongs_to_vm(item, lacks) == keep_vm]
    deselected = [item for item in items if belongs_to_vm(item, lacks) != keep_vm]
    if share == "host":
        LEFT_FOR_VM[:] = [item.nodeid for item in deselected]
        FILES_FOR_VM[:] = sorted({str(item.path) for item in deselected})
        lacking = {item: _oracle_lacks(item) for item in deselected}
        NO_ORACLE_FILES[:] = sorted({str(item.path) for item, constants in lacking.items() if constants})
        NO_ORACLE_CONSTANTS[:] = sorted(set().union(*lacking.values()))
        plan_out = config.getoption("--lab-plan-out")
        if plan_out:
            Path(plan_out).write_text(json.dumps({
                "left_for_vm": LEFT_FOR_VM, "files_for_vm": FILES_FOR_VM,
                "no_oracle_files": NO_ORACLE_FILES, "no_oracle_constants": NO_ORACLE_CONSTANTS}))
    if deselected:
        config.hook.pytest_deselected(items=deselected)
    items[:] = selected


_announced: list[bool] = []
_progress: list = []  # the open progress file, in the guest


def pytest_collection_finish(session: pytest.Session) -> None:
    """In the VM, the families' modules are loaded before the first test."""
    if os.environ.get("LAB_IN_VM") == "1":
        wait_for_modules()


def pytest_sessionstart(session: pytest.Session) -> None:
    """In the VM, keep a progress file in the shared artifacts directory:
    the host reads it when the VM dies, even mid-test.  A file, not the
    output: a line per test would break pytest's rows of dots."""
    chosen = session.config.getoption("--lab-artifacts", None)
    if os.environ.get("LAB_IN_VM") == "1" and chosen:
        _progress.append(open(Path(chosen) / PROGRESS_FILE, "w", buffering=1))  # noqa: SIM115


def pytest_runtest_logstart(nodeid: str, location: tuple) -> None:
    """In the VM, tell the host when the first test starts (boot timing)
    and which test runs (named if the VM dies under it)."""
    if os.environ.get("LAB_IN_VM") != "1":
        return
    if not _announced:
        _announced.append(True)
        os.write(1, f"\n{MARK} first test starts\n".encode())
    for progress in _progress:
        progress.write(f"{RUNNING} {nodeid}\n")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """In the VM, tell the host the tests ended: a VM share that ends
    without saying so died (QEMU killed, guest kernel panic)."""
    while _progress:
        progress = _progress.pop()
        progress.write(f"{FINISHED} {int(exitstatus)}\n")
        progress.close()
