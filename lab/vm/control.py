"""The folder the host shares with the lab's init (`init.sh`) under the 9p
tag "labctl" in a direct boot: what to run going in, the exit status and
the boot's timeline coming back (the file names are those `init.sh` says).

The command travels in a file, not on the kernel's command line, so it
may be as long as it likes; the status comes back in a file, so the
guest's output needs no in-band marker.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path

TAG = "labctl"


@dataclass(frozen=True)
class ControlFolder:
    path: Path

    def write(self, command: str, writable: tuple[Path, ...], hostname: str,
              root_options: str, writable_options: str, visible: tuple[Path, ...] = (),
              disks: tuple[Path, ...] = ()) -> None:
        """`visible`: the host's folders under the guest's tmpfs mounts (/tmp,
        /run, /var/tmp, ...) that must stay visible there, read-only;
        `disks`: where the guest mounts its disks, in the order QEMU attaches them."""
        self.path.mkdir(parents=True, exist_ok=True)
        settings = {"ROOT_OPTIONS": root_options, "WRITABLE_OPTIONS": writable_options,
                    "GUEST_HOSTNAME": hostname}
        (self.path / "settings").write_text("".join(f"{k}={shlex.quote(v)}\n" for k, v in settings.items()))
        (self.path / "writable").write_text("".join(f"{p}\n" for p in writable))
        (self.path / "visible").write_text("".join(f"{p}\n" for p in visible))
        (self.path / "disks").write_text("".join(f"{p}\n" for p in disks))
        (self.path / "command").write_text(command + "\n")

    def _read(self, name: str) -> str | None:
        try:
            return (self.path / name).read_text(errors="replace")
        except OSError:
            return None

    def status(self) -> int | None:
        """The command's exit status; None when the guest never wrote one."""
        text = self._read("status")
        try:
            return int(text) if text is not None else None
        except ValueError:
            return None

    def timeline(self) -> list[tuple[float, str]]:
        """(seconds since the kernel started, phase that ended) in order."""
        marks = []
        for line in (self._read("timeline") or "").splitlines():
            seconds, _, phase = line.partition(" ")
            try:
                marks.append((float(seconds), phase))
            except ValueError:
                continue
        return marks

    def dmesg(self) -> str:
        return self._read("dmesg") or ""

    def modules_not_loaded(self) -> list[str]:
        return (self._read("modules") or "").split()
