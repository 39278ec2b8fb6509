"""`lab test --repro ARGS`: a `lab repro ARGS` run inside a lab run, in the
boots it makes anyway (`make lab-test`: the catalogue, sockimpl expected
fixed).

The scenarios whose family the host kernel lacks run in the VM share's
own boot, once its tests are done (`lab.vm.guest --repro-plan`): one boot
for every VM need of the run.  The rest run here once the host's share is
done, while the VM's goes on.  When both have ended, the matrix is
printed and saved as `lab repro` would, and `--expect-fixed` is judged.
"""

from __future__ import annotations

from pathlib import Path

from lab.paths import ARTIFACTS
from lab.repro import cli
from lab.repro import run as repro
from lab.repro import vm as repro_vm


class InVmShare:
    """One `lab repro` command line, split between the host's share and the
    VM share's boot of `kernel` (a `lab.vm.cli.Rider`)."""

    def __init__(self, request: cli.Request, kernel: Path) -> None:
        self.request = request
        self.kernel = kernel
        self.runs, self.host, self.guest = repro.split(request.scenarios, request.rows, request.run_options)

    @classmethod
    def embeddable(cls, argv: list[str], kernel: Path) -> InVmShare | str:
        """The split, or why this command line runs on its own instead (a
        kernel axis boots kernels of its own; a backend puts every
        scenario in one place)."""
        try:
            options = cli.parse(["repro", *argv])
        except SystemExit as refused:  # argparse has said why on stderr
            return f"its command line was refused (exit {refused.code})"
        if options.kernel or options.kernels or options.backend != "auto" or options.list:
            return "it names kernels, a backend or --list"
        if not options.artifacts.resolve().is_relative_to(ARTIFACTS.resolve()):
            return f"its artifacts are outside {ARTIFACTS}/, which the VM share's guest may not write"
        request = cli.resolve(options)
        if isinstance(request, int):
            return f"its command line was refused (exit {request})"
        return cls(request, kernel)

    def guest_options(self) -> list[str]:
        """What the VM share's guest needs to run this share's VM cells."""
        if not self.guest.runs:
            return []
        plan = repro_vm.prepare_guest(self.guest.runs, self.request.rows, self.request.run_options, self.kernel)
        return ["--repro-plan", str(plan)]

    def run_host_part(self) -> None:
        repro.run_host_share(self.host, self.request.rows, self.request.run_options)

    def finish(self, vm_status: int | None) -> int:
        """The matrix, once the VM share's boot has ended with `vm_status`
        (None: it never came); `lab repro`'s exit status."""
        if self.guest.runs:
            repro_vm.fill_from_boot(self.guest.runs, self.request.run_options, self.kernel, vm_status)
        return cli.conclude(self.request, self.runs)
