"""The lab's micro-VM: a distribution kernel that has every family the host
lacks, booted once per run over a read-only view of this machine's own root
(so the guest runs the repo, the venv and the built sockimpl as they are
here).  Two ways to boot (`LAB_VM_BOOT`): "direct", QEMU started here with
the lab's own initramfs and init (`lab.vm.initramfs`, `init.sh`), and
"vng", virtme-ng's general-purpose boot (also what `lab vm shell` uses).

What this module owns, and nothing else:

- which kernel boots (see `lab.vm.kernels`),
- whether KVM works (a bounded probe, remembered per kernel and QEMU) or
  QEMU's TCG must do,
- starting the VM with one command, streaming its output, and making sure
  nothing of it outlives the run: the VM is named `slab<pid>-vm` so that
  `lab clean` finds what a killed run left, and both ends of the chain die
  with the lab process even on `kill -9`: vng through a parent-death signal,
  QEMU through a watcher (see `_qemu_wrapper`); a direct boot's QEMU is the
  lab's own child and has the parent-death signal itself.
"""

from __future__ import annotations

import codecs
import itertools
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from lab import naming, processes
from lab.paths import CACHE_DIR, CHECKOUT, IMPORT_ROOT
from lab.vm import initramfs, kernels
from lab.vm.control import ControlFolder

QEMU = "qemu-system-x86_64"
VM_SUFFIX = "-vm"
KVM_PROBE_SECONDS = 12
INSTALL_HINT = "run `socklab setup vm` (QEMU and a kernel that has every family; virtme-ng comes with socklab)"
BOOTS = ("direct", "vng")
AUTO_BOOT = "auto"  # direct when this machine can build the initramfs, else vng
DEFAULT_BOOT = AUTO_BOOT
# The guest's status when it never wrote one (QEMU or the guest died).
NO_STATUS = 255
# 9p's "loose" cache: the guest keeps what it read (files, attributes,
# directory entries) instead of asking the host again on every open and
# stat, which under TCG is most of the cost of starting Python.  The host's
# root is read-only for the guest and does not change under a run.
ROOT_CACHE = "cache=loose"
# The writable folders: "none" by default, so that what the guest writes
# reaches the host at once (the VM share's progress file says which test
# ran when QEMU died); "loose" where a run's folder holds what the guest
# imports (a venv in `lab run`'s folder), at the price that the guest's
# writes reach the host when it syncs (before power-off, or on fsync).
WRITABLE_CACHES = ("cache=none", "cache=loose")


def boot_method(kernel: Path | None) -> str:
    """How the VM boots `kernel`: `LAB_VM_BOOT` (direct, vng or auto), else
    the default; auto boots directly when the lab can build its initramfs
    for this kernel (a static busybox, the kernel's modules) and through
    vng otherwise."""
    chosen = os.environ.get("LAB_VM_BOOT", DEFAULT_BOOT)
    if chosen not in (*BOOTS, AUTO_BOOT):
        raise ValueError(f"LAB_VM_BOOT={chosen!r}: expected one of {', '.join(BOOTS)}, {AUTO_BOOT}")
    if chosen != AUTO_BOOT:
        return chosen
    if kernel is not None and initramfs.why_unavailable(kernels.release(kernel)) is None:
        return "direct"
    return "vng"


def default_kernel() -> Path | None:
    """The kernel the VM boots: see `lab.vm.kernels`."""
    return kernels.default()


def kernel_release(kernel: Path) -> str:
    return kernels.release(kernel)


def vng_path() -> str | None:
    """virtme-ng's `vng`: beside this interpreter, on PATH, or in any of the
    repo's venvs (so a run under 3.13 boots with the lab venv's vng)."""
    beside = Path(sys.executable).parent / "vng"
    if beside.exists():
        return str(beside)
    venvs = sorted(CHECKOUT.glob(".venv/*/bin/vng")) if CHECKOUT else []
    found = shutil.which("vng") or next(iter(venvs), None)
    return str(found) if found else None


def why_unavailable(kernel: Path | None) -> str | None:
    """What stops the VM from booting here, with the remedy; None when it can."""
    if shutil.which(QEMU) is None:
        return f"{QEMU} is not installed; {INSTALL_HINT}"
    if boot_method(kernel) == "vng" and vng_path() is None:
        return f"virtme-ng is not installed; {INSTALL_HINT}"
    if kernel is None:
        return f"no kernel in /boot and LAB_KERNEL is unset; {INSTALL_HINT}"
    if not kernel.is_file():
        return f"kernel {kernel} does not exist (LAB_KERNEL or --kernel)"
    if not os.access(kernel, os.R_OK):
        return f"kernel {kernel} is not readable"
    if boot_method(kernel) == "direct":
        return initramfs.why_unavailable(kernels.release(kernel))
    return None


@dataclass(frozen=True)
class Accelerator:
    """How QEMU runs the guest: "kvm" or "tcg", and why."""

    name: str
    reason: str


def _qemu_version() -> str:
    try:
        out = subprocess.run([QEMU, "--version"], capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    return out.stdout.splitlines()[0] if out.stdout else "unknown"


def _probe_kvm(kernel: Path) -> Accelerator:
    """Boot `kernel` under KVM with no root and no init, bounded in time: a
    working KVM reaches the kernel's "no init" panic in a second or two.
    Opening /dev/kvm is not enough: some hosts offer a paravirtual KVM
    under which QEMU aborts on an MSR or a stock kernel hangs silently."""
    command = [
        QEMU, "-accel", "kvm", "-cpu", "host", "-m", "256", "-nodefaults", "-nographic",
        "-no-reboot", "-serial", "stdio", "-kernel", str(kernel),
        "-append", "console=ttyS0 panic=-1 init=/lab-kvm-probe-has-no-init",
    ]
    try:
        out = subprocess.run(
            command, capture_output=True, text=True, timeout=KVM_PROBE_SECONDS,
            stdin=subprocess.DEVNULL, errors="replace", check=False,
        )
    except subprocess.TimeoutExpired:
        return Accelerator("tcg", f"KVM probe: {kernel.name} did not boot under KVM "
                           f"within {KVM_PROBE_SECONDS} s (a stock kernel hangs on this host's KVM)")
    if "Kernel panic" in out.stdout or "lab-kvm-probe" in out.stdout:
        return Accelerator("kvm", "KVM probe booted the kernel")
    last = (out.stderr.strip().splitlines() or ["no output"])[-1]
    return Accelerator("tcg", f"KVM probe: QEMU failed under KVM ({last})")


def accelerator(kernel: Path, refresh: bool = False) -> Accelerator:
    """KVM when it boots `kernel`, else TCG; the probe's verdict is cached
    per kernel and QEMU version (a probe costs seconds). `LAB_ACCEL=tcg|kvm`
    overrides."""
    forced = os.environ.get("LAB_ACCEL")
    if forced in ("kvm", "tcg"):
        return Accelerator(forced, f"LAB_ACCEL={forced}")
    if not os.access("/dev/kvm", os.R_OK | os.W_OK):
        return Accelerator("tcg", "/dev/kvm is absent or not accessible")
    key = f"{kernel}:{kernel.stat().st_mtime_ns}:{_qemu_version()}"
    cache = CACHE_DIR / "kvm-probe.json"
    try:
        known = json.loads(cache.read_text())
    except (OSError, ValueError):
        known = {}
    if not refresh and key in known:
        return Accelerator(**known[key])
    verdict = _probe_kvm(kernel)
    known[key] = asdict(verdict)
    try:
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        cache.write_text(json.dumps(known, indent=1))
    except OSError:
        pass  # an unwritable cache only costs the probe next time
    return verdict


def _qemu_wrapper(directory: Path, owner: int) -> None:
    """A `qemu-system-x86_64` first on PATH that becomes the real one and
    dies with the lab process: vng starts QEMU through a shell and
    virtme-run, none of which dies with its parent, so a `kill -9` of the
    lab would orphan QEMU.  A watcher beside it kills it (the shell's pid is
    QEMU's after exec) once the lab is gone, and ends with QEMU."""
    real = shutil.which(QEMU)
    wrapper = directory / QEMU
    wrapper.write_text(
        "#!/bin/sh\n"
        f"( while kill -0 {owner} 2>/dev/null && kill -0 $$ 2>/dev/null; do sleep 1; done;"
        " kill -9 $$ 2>/dev/null ) </dev/null >/dev/null 2>&1 &\n"
        f'exec setpriv --pdeathsig KILL -- {real} "$@"\n'
    )
    wrapper.chmod(0o755)


# How the guest's clock advances.  "host": QEMU's default, guest time is
# the host's time, so under TCG every millisecond the vCPU thread spends
# descheduled on a busy host (or translating code) is a late timer or a
# stretched computation in the guest.  "icount": while the guest runs, its
# time advances four nanoseconds per executed instruction, so its timers fire
# and its packets are stamped on schedule whatever the host's load; while it
# idles, time follows the host's (sleep=on: with sleep=off idle time jumps to
# the next timer, and a guest waiting on the host's 9p server sees its own
# `timeout` expire).  TCG only: under KVM the guest runs natively, uncounted.
# Four (shift=2), not one: a guest CPU of 250 million instructions a second
# is about what TCG gives on the machines the lab has run on, so guest time
# keeps close to the host's, where at one nanosecond it ran at a third of
# it and every wait that spins on the clock (the kernel's delay loops and
# device polls) spun four times the instructions: `lab run --needs vcan`
# had its interfaces after 10.3-11.2 s, now 7.8-7.9 s (docs/run.md).
CLOCKS = ("host", "icount")
ICOUNT_QEMU_OPTS = "-icount shift=2,sleep=on"


@dataclass(frozen=True)
class GuestDisk:
    """A raw disk image the guest mounts at `mount_point` (ext4; direct boot
    only).  QEMU's snapshot mode: the guest may write to it, the image stays
    as it is (the writes go to a scratch file beside the control folder,
    gone with the run)."""

    image: Path
    mount_point: Path


@dataclass
class VmSpec:
    """What to boot and what the guest may write."""

    kernel: Path
    accel: Accelerator
    writable: tuple[Path, ...] = ()
    memory: str = "1G"
    cpus: int = 1
    cwd: Path | None = None
    clock: str = "host"
    writable_cache: str = WRITABLE_CACHES[0]  # direct boot only (vng mounts its own way)
    disks: tuple[GuestDisk, ...] = ()  # direct boot only
    favoured: bool = False  # QEMU gets a larger share of the CPU than the run's other work (`favour`)

    def __post_init__(self) -> None:
        if self.clock not in CLOCKS:
            raise ValueError(f"clock {self.clock!r}: expected one of {', '.join(CLOCKS)}")
        if self.clock == "icount" and self.accel.name != "tcg":
            raise ValueError("clock icount needs QEMU's TCG; KVM cannot count instructions (LAB_ACCEL=tcg)")
        if self.writable_cache not in WRITABLE_CACHES:
            raise ValueError(f"writable_cache {self.writable_cache!r}: expected one of {', '.join(WRITABLE_CACHES)}")

    def vng_command(self, name: str, command: str | None) -> list[str]:
        args = [
            # vng dies with the lab process, even on kill -9 (see _qemu_wrapper for QEMU).
            "setpriv", "--pdeathsig", "KILL", "--",
            str(vng_path()), "--run", str(self.kernel), "--name", name,
            "--memory", self.memory, "--cpus", str(self.cpus),
            # 9p, not virtiofs: no virtiofsd process to outlive the run.
            "--force-9p",
        ]
        if self.accel.name == "tcg":
            args.append("--disable-kvm")
        if self.clock == "icount":
            args.append(f"--qemu-opts={ICOUNT_QEMU_OPTS}")
        if self.cwd is not None:
            args += ["--cwd", str(self.cwd)]
        for path in self.writable:
            args += ["--rwdir", str(path)]
        if command is not None:
            args += ["--exec", command]
        return args

    def qemu_command(self, name: str, kernel: Path, initrd: Path, control: Path) -> list[str]:
        """QEMU for a direct boot: the host's root read-only, the writable
        folders and the control folder over virtio-9p, the guest's output on
        a virtio console (our stdout), the kernel's on the serial port (a
        file in the control folder's parent, read when the boot fails)."""
        real = shutil.which(QEMU) or QEMU
        if self.accel.name == "kvm":
            machine = ["-accel", "kvm", "-cpu", "host"]
        else:
            # "max": the host's interpreters may use any instruction the host has.
            machine = ["-accel", "tcg", "-cpu", "max"]
        args = [
            "setpriv", "--pdeathsig", "KILL", "--", real, "-name", name,
            "-machine", "q35", *machine, "-m", self.memory, "-smp", str(self.cpus),
            "-nodefaults", "-no-user-config", "-display", "none", "-vga", "none", "-no-reboot",
            "-kernel", str(kernel), "-initrd", str(initrd), "-append", KERNEL_ARGUMENTS,
            "-serial", f"file:{control.parent / CONSOLE_LOG}",
            "-chardev", "stdio,id=out", "-device", "virtio-serial-pci", "-device", "virtconsole,chardev=out",
        ]
        shares = [("root", Path("/"), True), ("labctl", control, False)]
        shares += [(f"rw{index}", path, False) for index, path in enumerate(self.writable)]
        for tag, path, readonly in shares:
            args += [
                "-fsdev", f"local,id={tag},path={path},security_model=none,multidevs=remap"
                + (",readonly=on" if readonly else ""),
                "-device", f"virtio-9p-pci,fsdev={tag},mount_tag={tag}",
            ]
        for disk in self.disks:
            # In the order of ctl/disks: the guest's /dev/vda, /dev/vdb, ...
            # Its writes are thrown away at power-off: no flush need reach the host's disk.
            args += ["-drive", f"file={_drive_path(disk.image)},format=raw,if=virtio,snapshot=on,cache=unsafe"]
        if self.clock == "icount":
            args += ICOUNT_QEMU_OPTS.split()
        return args


# QEMU runs in a session of its own, and Linux's autogroup scheduling shares
# the CPU between sessions by their groups' nice values, whatever the
# processes' own: a favoured VM's group gets this one (a weight of 3121
# against the default group's 1024).
FAVOURED_NICE = -5


def favour(pid: int) -> bool:
    """Give `pid`'s session (its autogroup) and the process itself a larger
    share of the CPU; False where the kernel or our rights refuse (the VM
    then runs at the default share, only later)."""
    favoured = False
    try:
        Path(f"/proc/{pid}/autogroup").write_text(f"{FAVOURED_NICE}\n")
        favoured = True
    except OSError:
        pass  # no autogroup scheduling (CONFIG_SCHED_AUTOGROUP off), or not allowed
    try:
        os.setpriority(os.PRIO_PROCESS, pid, FAVOURED_NICE)
        favoured = True
    except OSError:
        pass  # not allowed (CAP_SYS_NICE): the default share
    return favoured


def _drive_path(image: Path) -> str:
    # -drive splits its value at commas; a doubled one is a literal comma.
    return str(image).replace(",", ",,")


# The kernel's own messages go to the serial port (a log file), quietly;
# the lab's init runs from the initramfs; a panic ends QEMU at once.
KERNEL_ARGUMENTS = "console=ttyS0 quiet panic=-1 rdinit=/init"
CONSOLE_LOG = "console.log"


# What the direct boot's init mounts a tmpfs on (lab/vm/init.sh), as vng does.
GUEST_TMPFS = ("/tmp", "/run", "/var/tmp", "/var/log", "/var/cache")


def hidden_by_guest_tmpfs(spec: VmSpec) -> tuple[Path, ...]:
    """The host's folders the guest needs that a tmpfs of its own would hide:
    a checkout (the lab, its venvs and builds) or the command's directory
    under /tmp, the interpreter's prefix.  The init keeps them visible."""
    wanted = [spec.cwd, IMPORT_ROOT, CHECKOUT, Path(sys.prefix), Path(sys.base_prefix)]
    found = []
    for path in wanted:
        if path is None:
            continue
        path = path.resolve()
        if any(path.is_relative_to(top) for top in GUEST_TMPFS) and path.is_dir():
            found.append(path)
    # The outermost of nested ones is enough: its bind shows what is inside.
    outer = [p for p in found if not any(p != q and p.is_relative_to(q) for q in found)]
    return tuple(dict.fromkeys(outer))


class _Running:
    """The VMs this process has running, so that a run being stopped can
    stop them (`stop_running`) instead of waiting for their command."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.groups: set[int] = set()
        self.stopping = False

    def add(self, process: subprocess.Popen) -> None:
        with self.lock:
            self.groups.add(process.pid)
            stopping = self.stopping
        if stopping:  # started as the run was being stopped
            processes.kill_group(process.pid)

    def discard(self, process: subprocess.Popen) -> None:
        with self.lock:
            self.groups.discard(process.pid)


_RUNNING = _Running()


def stop_running() -> None:
    """Kill every VM this process runs, and any it starts from now on: their
    runs return as a VM that gave no status.  For a run that is stopping."""
    with _RUNNING.lock:
        _RUNNING.stopping = True
        groups = list(_RUNNING.groups)
    for group in groups:
        processes.kill_group(group)


def vm_name(pid: int | None = None) -> str:
    return f"{naming.PREFIX}{pid if pid is not None else os.getpid()}{VM_SUFFIX}"


class VirtualMachine:
    """One boot of the lab VM running one command (or a shell)."""

    def __init__(self, spec: VmSpec) -> None:
        self.spec = spec
        self.name = vm_name()
        self.boot = boot_method(spec.kernel)
        self.boot_started = 0.0
        # A direct boot's phases: (seconds since the kernel started, phase ended).
        self.timeline: list[tuple[float, str]] = []
        self.dmesg = ""
        self.cpu_seconds: float | None = None  # QEMU's (or vng's, with its QEMU), once it has ended

    def _environment(self, bin_dir: Path) -> dict[str, str]:
        env = dict(os.environ)
        # vng runs `virtme-run` by name: the directory vng lives in comes first.
        vng_dir = str(Path(vng_path() or sys.executable).parent)
        env["PATH"] = os.pathsep.join([str(bin_dir), vng_dir, env.get("PATH", "")])
        return env

    def run(
        self, command: str, on_line: Callable[[str], None], echo: Callable[[str], None] | None = None,
    ) -> int:
        """Boot, run `command` in the guest, hand each output line to
        `on_line` as it completes and, when given, every piece of output to
        `echo` as soon as it comes (pytest's dots are not lines); power off;
        the command's exit status."""
        if self.boot == "direct":
            return self._run_direct(command, on_line, echo)
        with tempfile.TemporaryDirectory(prefix=f"{self.name}-") as scratch:
            bin_dir = Path(scratch)
            _qemu_wrapper(bin_dir, os.getpid())
            self.boot_started = time.monotonic()
            process = subprocess.Popen(
                self.spec.vng_command(self.name, command), env=self._environment(bin_dir),
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            self._started(process)
            try:
                _pump(process, on_line, echo)
                self.cpu_seconds = processes.cpu_seconds_at_exit(process.pid)
                return process.wait()
            finally:
                _RUNNING.discard(process)
                _stop(process)

    def _started(self, process: subprocess.Popen) -> None:
        """QEMU (or vng) has started: a stopping run can stop it (`stop_running`); favoured when asked."""
        _RUNNING.add(process)
        if self.spec.favoured:
            favour(process.pid)

    def _run_direct(
        self, command: str, on_line: Callable[[str], None], echo: Callable[[str], None] | None,
    ) -> int:
        image = initramfs.build(kernels.release(self.spec.kernel))
        with tempfile.TemporaryDirectory(prefix=f"{self.name}-") as scratch:
            control = ControlFolder(Path(scratch) / "ctl")
            control.write(command, self.spec.writable, self.name, ROOT_CACHE, self.spec.writable_cache,
                          visible=hidden_by_guest_tmpfs(self.spec),
                          disks=tuple(disk.mount_point for disk in self.spec.disks))
            self.boot_started = time.monotonic()
            process = subprocess.Popen(
                self.spec.qemu_command(self.name, initramfs.uncompressed_kernel(self.spec.kernel),
                                       image.path, control.path),
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                start_new_session=True,
                # A snapshot disk's scratch file goes here, so it goes with
                # the folder (and `lab clean` finds what a killed run left).
                env={**os.environ, "TMPDIR": scratch},
            )
            self._started(process)
            try:
                _pump(process, on_line, echo)
                self.cpu_seconds = processes.cpu_seconds_at_exit(process.pid)
                process.wait()
            finally:
                _RUNNING.discard(process)
                _stop(process)
            self.timeline = control.timeline()
            self.dmesg = control.dmesg()
            status = control.status()
            if status is None:
                for line in _tail(Path(scratch) / CONSOLE_LOG):
                    on_line(f"lab VM console: {line}")
                    if echo is not None:
                        echo(f"lab VM console: {line}\n")
                return NO_STATUS
            return status

    def interactive(self, command: str | None = None) -> int:
        """Boot with the terminal attached (a shell when `command` is None)."""
        with tempfile.TemporaryDirectory(prefix=f"{self.name}-") as scratch:
            bin_dir = Path(scratch)
            _qemu_wrapper(bin_dir, os.getpid())
            process = subprocess.Popen(
                self.spec.vng_command(self.name, command), env=self._environment(bin_dir),
            )
            try:
                while True:
                    try:
                        return process.wait()
                    except KeyboardInterrupt:
                        continue  # Ctrl-C belongs to the guest's shell
            finally:
                _stop(process)


def _pump(process: subprocess.Popen, on_line: Callable[[str], None],
          echo: Callable[[str], None] | None) -> None:
    """The VM's output, to `echo` as it comes and to `on_line` line by line."""
    for piece, lines in _pieces(process):
        if echo is not None:
            echo(piece)
        for line in lines:
            on_line(line)


def _pieces(process: subprocess.Popen) -> Iterator[tuple[str, list[str]]]:
    """The output as it arrives, with the lines each piece completes."""
    assert process.stdout is not None
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    pending = ""
    while True:
        chunk = os.read(process.stdout.fileno(), 65536)
        piece = decoder.decode(chunk, final=not chunk)
        pending += piece
        *lines, pending = pending.split("\n")
        if not chunk:
            yield piece, [*lines, pending] if pending else lines
            return
        yield piece, [line.rstrip("\r") for line in lines]


def _tail(path: Path, count: int = 20) -> list[str]:
    try:
        return path.read_text(errors="replace").splitlines()[-count:]
    except OSError:
        return []


def _stop(process: subprocess.Popen) -> None:
    """Kill what is left of one VM: vng's whole session, QEMU included."""
    processes.kill_group(process.pid)
    process.wait()
    for pid in vm_processes(process_name_pid=os.getpid()):
        _kill(pid)


def _vm_owner(arguments: list[str]) -> int | None:
    """The lab pid named by a `-name`/`--name slab<pid>-vm` argument."""
    for flag, value in itertools.pairwise(arguments):
        if flag in ("-name", "--name") and value.endswith(VM_SUFFIX):
            return naming.owner_pid(value)
    return None


def vm_processes(process_name_pid: int | None = None) -> list[int]:
    """Pids of lab VM processes (vng, QEMU): those of one lab process when
    `process_name_pid` is given, else those whose owning lab process is dead."""
    found = []
    for pid, argv in processes.command_lines():
        owner = _vm_owner([part.decode(errors="replace") for part in argv])
        if owner is None:
            continue
        if process_name_pid is not None:
            if owner == process_name_pid:
                found.append(pid)
        elif not naming.is_alive(owner):
            found.append(pid)
    return sorted(found)


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def kill_stale_vms(report: Callable[[str], None] = print) -> int:
    """`lab clean`: kill the VM processes (vng, QEMU) of dead lab runs."""
    pids = vm_processes()
    for pid in pids:
        _kill(pid)
        report(f"removed VM process {pid}")
    return len(pids)
