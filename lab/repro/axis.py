"""The kernel axis of `lab repro`: which kernels a run covers.

`--kernel SPEC` (repeatable) names a kernel by release prefix ("6.1"), full
release, path, or `host` (the running kernel); `--kernels all` is the
running kernel plus every image in /boot the lab VM can boot.  Each becomes
a `KernelTarget`; one that cannot run keeps the reason, so that its cells
say why instead of vanishing from the matrix.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from lab.vm import kernels
from lab.vm import machine as vm

HOST = "host"
ALL = "all"


@dataclass(frozen=True)
class KernelTarget:
    spec: str  # as the command line gave it
    release: str  # "6.1.0-57-amd64"; the spec itself when nothing matched
    image: Path | None = None  # None: the host's running kernel
    unavailable: str | None = None  # why it cannot run here, with the remedy
    # From `--kernels all`: scenarios the host lacks the family for leave
    # the host's kernel out instead of failing on it.
    host_if_able: bool = False

    @property
    def is_host(self) -> bool:
        return self.image is None and self.unavailable is None

    @property
    def label(self) -> str:
        return f"host {self.release}" if self.is_host else self.release


def host_target(if_able: bool = False) -> KernelTarget:
    return KernelTarget(HOST, os.uname().release, None, None, if_able)


def target(spec: str) -> KernelTarget:
    """What `spec` names, and whether the lab can boot it."""
    if spec == HOST:
        return host_target()
    try:
        image = kernels.resolve(spec)
    except kernels.KernelNotFound as exc:
        return KernelTarget(spec, spec, None, str(exc))
    release = kernels.release(image)
    if release == os.uname().release:
        return host_target()
    return KernelTarget(spec, release, image, vm.why_unavailable(image))


def every_kernel() -> list[KernelTarget]:
    """The running kernel, then each /boot image the lab VM can boot."""
    found = [host_target(if_able=True)]
    for image in kernels.installed():
        candidate = target(str(image))
        if candidate.unavailable is None and candidate.release not in {t.release for t in found}:
            found.append(candidate)
    return found


def targets(specs: list[str]) -> list[KernelTarget]:
    """The kernels `specs` name, in order, each once (`all` expands)."""
    chosen: list[KernelTarget] = []
    for spec in specs:
        for candidate in every_kernel() if spec == ALL else [target(spec)]:
            if all(candidate.release != t.release for t in chosen):
                chosen.append(candidate)
    return chosen
