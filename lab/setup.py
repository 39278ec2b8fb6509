"""`socklab setup`: the system packages the lab needs, by what they are
for, named for Debian and Ubuntu, with the one command that installs them.

Python packages come with socklab itself (its dependencies); these are the
programs and kernels pip cannot bring.  `socklab setup` prints what is
missing and the `apt-get` line, asks before running it on a terminal, and
runs it with `--yes` (the Makefile and the GitHub Action do so).
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass

from lab.vm.kernels import FAMILY_KERNEL_PACKAGES, image_of

# What each part of the lab needs.  The VM's kernel comes apart (see
# `lab.vm.kernels`): it must have every family as a module, which a cloud
# runner's own kernel does not.
PARTS: dict[str, dict[str, tuple[str, ...]]] = {
    "host": {
        "debian": ("iproute2", "tshark"),
        "ubuntu": ("iproute2", "tshark"),
    },
    # busybox-static and zstd: the lab's own fast boot (lab/vm/initramfs.py)
    # builds its initramfs from the one and unpacks zstd kernels with the other.
    "vm": {
        "debian": ("qemu-system-x86", "bluez", "bluez-test-tools", "can-utils", "kmod", "busybox-static", "zstd"),
        "ubuntu": ("qemu-system-x86", "bluez", "bluez-tests", "can-utils", "kmod", "busybox-static", "zstd"),
    },
    "docker": {
        "debian": ("docker.io", "debootstrap", "busybox-static", "socat"),
        "ubuntu": ("docker.io", "debootstrap", "busybox-static", "socat"),
    },
}
# The second kernel line `lab repro --kernel` compares against the first:
# Debian 12 packages 6.12 beside 6.1 (from its security archive, or
# bookworm-backports).  Installed only where the archive offers it.
SECOND_KERNEL_PACKAGES: dict[str, tuple[str, ...]] = {
    "debian": ("linux-image-6.12-amd64",),
    "ubuntu": (),
}
# Packages that Debian's QEMU recommends but the VM never uses (a desktop's worth).
NO_RECOMMENDS = ("qemu-system-x86",)


@dataclass(frozen=True)
class Plan:
    distribution: str
    missing: tuple[str, ...]
    # Wanted only where the archive offers them, and asked of it again after
    # `apt-get update`: a new machine's package lists are empty until then.
    if_offered: tuple[str, ...] = ()

    @property
    def command(self) -> list[str]:
        return ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *self.missing]

    def after_update(self) -> Plan:
        """The plan with what the fresh package lists now offer."""
        offered_now = tuple(p for p in self.if_offered if p not in self.missing and offered(p))
        return Plan(self.distribution, self.missing + offered_now)


def distribution() -> str:
    """"debian" or "ubuntu" (their package names differ), from os-release."""
    try:
        with open("/etc/os-release", encoding="utf-8") as release:
            fields = dict(line.rstrip("\n").split("=", 1) for line in release if "=" in line)
    except OSError:
        return "debian"
    names = f"{fields.get('ID', '')} {fields.get('ID_LIKE', '')}".replace('"', "")
    return "ubuntu" if "ubuntu" in names.split() else "debian"


def installed(package: str) -> bool:
    if shutil.which("dpkg-query") is None:
        return False
    done = subprocess.run(["dpkg-query", "-W", "-f=${Status}", package],
                          capture_output=True, text=True, check=False)
    return done.stdout.endswith("installed") and "not-installed" not in done.stdout


def offered(package: str) -> bool:
    """Whether the configured archives have a candidate for `package`."""
    if shutil.which("apt-cache") is None:
        return False
    done = subprocess.run(["apt-cache", "policy", package], capture_output=True, text=True, check=False)
    candidate = next((line.split(":", 1)[1].strip() for line in done.stdout.splitlines()
                      if line.strip().startswith("Candidate:")), "(none)")
    return candidate != "(none)"


def wanted(parts: list[str], kernel: bool, distro: str) -> list[str]:
    packages = [name for part in parts for name in PARTS[part][distro]]
    if kernel:
        packages.append(FAMILY_KERNEL_PACKAGES[distro])
    return list(dict.fromkeys(packages))


def plan(parts: list[str], kernel: bool = True, distro: str | None = None) -> Plan:
    distro = distro or distribution()
    missing = [p for p in wanted(parts, kernel, distro) if not installed(p)]
    if_offered: list[str] = []
    if kernel:
        # Asked of the archive only when absent, so a machine that has them
        # pays one dpkg-query each.
        if_offered = [p for p in SECOND_KERNEL_PACKAGES[distro] if not installed(p)]
        missing += [p for p in if_offered if offered(p)]
    return Plan(distro, tuple(missing), tuple(if_offered))


def install(the_plan: Plan, quiet: bool) -> int:
    """apt-get update, then the install; the status of the first that fails."""
    output = subprocess.DEVNULL if quiet else None
    return _apt(["apt-get", "update", "-qq"], output) or _apt(the_plan.after_update().command, output)


def _apt(command: list[str], output: int | None) -> int:
    done = subprocess.run(command, env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"}, stdout=output,
                          check=False)
    if done.returncode != 0:
        print(f"socklab setup: `{shlex.join(command)}` failed with status {done.returncode}", file=sys.stderr)
    return done.returncode


def doctor_summary() -> str:
    """`lab doctor`'s last lines: what is missing and the command that installs it."""
    the_plan = plan(list(PARTS))
    if not the_plan.missing:
        return f"system packages ({the_plan.distribution}): everything the lab uses is installed"
    return (f"system packages ({the_plan.distribution}) missing: {' '.join(the_plan.missing)}\n"
            f"  install them with `socklab setup` (it runs: {shlex.join(the_plan.command)})")


def _print_kernel_path() -> int:
    package = FAMILY_KERNEL_PACKAGES[distribution()]
    image = image_of(package)
    if image is None:
        print(f"socklab setup: {package} is not installed: `socklab setup vm`", file=sys.stderr)
        return 1
    print(image)
    return 0


def add_command(commands: argparse._SubParsersAction) -> None:
    command = commands.add_parser(
        "setup", help="install the system packages the lab needs (asks first; --yes to just do it)",
    )
    command.add_argument("parts", nargs="*", metavar="PART",
                         help=f"what to install for: {', '.join(PARTS)} (default: all)")
    command.add_argument("--yes", action="store_true", help="install without asking")
    command.add_argument("--print", action="store_true", dest="only_print",
                         help="only print the command that would install what is missing")
    command.add_argument("--no-kernel", action="store_true", help="leave the VM's kernel out")
    command.add_argument("--quiet", action="store_true", help="no output when nothing is missing")
    command.add_argument("--kernel-path", action="store_true",
                         help="print the image of the installed family kernel (what the VM boots) and exit")


def main(options: argparse.Namespace) -> int:
    if options.kernel_path:
        return _print_kernel_path()
    parts = options.parts or list(PARTS)
    unknown = [part for part in parts if part not in PARTS]
    if unknown:
        print(f"socklab setup: unknown part {', '.join(unknown)}: choose from {', '.join(PARTS)}",
              file=sys.stderr)
        return 2
    the_plan = plan(parts, kernel="vm" in parts and not options.no_kernel)
    if not the_plan.missing:
        if not options.quiet:
            print(f"socklab setup: {', '.join(parts)}: nothing to install")
        return 0
    line = shlex.join(the_plan.command)
    print(f"socklab setup: missing {' '.join(the_plan.missing)}", file=sys.stderr)
    if options.only_print:
        print(line)
        return 0
    if not options.yes:
        if not sys.stdin.isatty():
            print(f"socklab setup: run `{line}` as root, or `socklab setup --yes`", file=sys.stderr)
            return 1
        if input(f"run `apt-get update && {line}`? [y/N] ").strip().lower() not in ("y", "yes"):
            return 1
    if os.geteuid() != 0:
        print(f"socklab setup: apt-get needs root: `sudo {line}`", file=sys.stderr)
        return 1
    return install(the_plan, quiet=options.quiet)
