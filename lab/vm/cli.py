"""The VM's part of the `lab` command: `lab test --backend host|vm|auto
[--kernel PATH]`, `lab vm shell` and `lab vm run -- CMD`."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from lab.paths import ARTIFACTS
from lab.vm import runner as vm_runner
from lab.vm.plugin import FILES_FOR_VM, LEFT_FOR_VM

BACKENDS = ("auto", "host", "vm")


def add_test_arguments(run: argparse.ArgumentParser) -> None:
    run.add_argument(
        "--backend", choices=BACKENDS, default="auto",
        help="where tests run: `auto` (default) runs each test on the host when the host "
        "kernel has what it needs and in the lab VM otherwise; `host` or `vm` run all there",
    )
    run.add_argument(
        "--kernel", metavar="PATH", default=None,
        help="the kernel the lab VM boots (default: $LAB_KERNEL, else the newest /boot/vmlinuz-*)",
    )


def add_vm_command(commands: argparse._SubParsersAction) -> None:
    top = commands.add_parser("vm", help="the lab VM by hand: an interactive guest, or one command")
    top.add_argument("--kernel", metavar="PATH", default=None, help="the kernel to boot")
    actions = top.add_subparsers(dest="vm_command", required=True)
    actions.add_parser("shell", help="a shell in the guest, the families' modules loaded, in the repo")
    run = actions.add_parser("run", help="run CMD in a fresh guest and return its exit status")
    run.add_argument("argv", nargs=argparse.REMAINDER, metavar="-- CMD")


def _without_host_report(args: list[str]) -> list[str]:
    return [a for a in args if not a.startswith("--junitxml=")]


def test(
    options: argparse.Namespace, args: list[str], run_host: Callable[[list[str]], int],
    status: Callable[[str], None],
) -> int:
    """Run `args` (pytest's, the host's JUnit path among them) on the
    backend(s) chosen; the worst exit status of the shares."""
    if options.backend == "host":
        return run_host(args)
    try:
        kernel = vm_runner.resolve_kernel(options.kernel)
    except RuntimeError as exc:
        if options.backend == "vm":
            status(f"the lab VM cannot boot: {exc}")
            return 4
        status(f"the lab VM cannot boot ({exc}): running everything on the host")
        return run_host(args)
    guest_args = ["-p", "lab.vm.plugin", *_without_host_report(args)]
    if options.backend == "vm":
        return vm_runner.run_vm_share(guest_args, ARTIFACTS, kernel, status)
    lacks = ",".join(vm_runner.host_lacks())
    status(f"the host lacks {lacks or 'nothing'}: the tests needing it run in the lab VM")
    split = [f"--lab-host-lacks={lacks}"]
    host_status = run_host(["-p", "lab.vm.plugin", "--lab-share=host", *split, *args])
    if not LEFT_FOR_VM:
        status("no test needs the lab VM: not booting it")
        return host_status
    status(f"{len(LEFT_FOR_VM)} test(s) need the lab VM")
    vm_status = vm_runner.run_vm_share(
        [*_only_files(FILES_FOR_VM, guest_args), "--lab-share=vm", *split], ARTIFACTS, kernel, status
    )
    return _combined(host_status, vm_status)


def _is_path(arg: str) -> bool:
    return not arg.startswith("-") and Path(arg.split("::")[0]).exists()


def _only_files(files: list[str], args: list[str]) -> list[str]:
    """`args` with its test paths replaced by `files`: the guest then
    imports only the test modules it runs (seconds each under TCG).  Node
    ids a user named (`file::test`) are kept as they are."""
    if any(_is_path(a) and "::" in a for a in args):
        return args
    return [a for a in args if not _is_path(a)] + files


def _combined(*statuses: int) -> int:
    """pytest's statuses: 5 (nothing collected) only when every share had nothing."""
    real = [s for s in statuses if s != 5]
    return max(real) if real else 5


def run(options: argparse.Namespace) -> int:
    try:
        kernel = vm_runner.resolve_kernel(options.kernel)
    except RuntimeError as exc:
        print(f"lab: the lab VM cannot boot: {exc}")
        return 4
    if options.vm_command == "shell":
        return vm_runner.shell(kernel, ARTIFACTS)
    argv = [a for a in options.argv if a != "--"] if options.argv[:1] == ["--"] else options.argv
    if not argv:
        print("lab: `lab vm run -- CMD` needs a command")
        return 2
    return vm_runner.run_command(kernel, ARTIFACTS, argv)
