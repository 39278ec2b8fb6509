"""The lab VM's direct boot, without booting: the initramfs it builds, the
QEMU command it runs, the control folder its init answers through, and the
boot timeline the host reports."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from lab.kernel import modules as kernel_modules
from lab.vm import initramfs
from lab.vm import machine as vm
from lab.vm.control import ControlFolder
from lab.vm.runner import Timings, phases_text

RELEASE = "6.1.0-test"


def _modules_tree(root: Path) -> Path:
    folder = root / RELEASE
    (folder / "kernel").mkdir(parents=True)
    (folder / "modules.dep").write_text(
        "kernel/net/can/can-raw.ko: kernel/net/can/can.ko\n"
        "kernel/net/can/can.ko:\n"
        "kernel/net/sctp/sctp.ko: kernel/lib/libcrc32c.ko\n"
        "kernel/lib/libcrc32c.ko:\n"
        "kernel/crypto/crc32c_generic.ko:\n"
    )
    (folder / "modules.softdep").write_text("# comment\nsoftdep libcrc32c pre: crc32c\n")
    (folder / "modules.alias").write_text("alias crc32c crc32c_generic\n")
    (folder / "modules.builtin").write_text("kernel/net/unix/unix.ko\n")
    return root


def test_modules_load_after_what_they_depend_on_softdeps_included(tmp_path):
    modules = initramfs.KernelModules.read(RELEASE, _modules_tree(tmp_path))

    order, lacking = modules.load_order(["can-raw", "sctp", "unix", "no-such-module"])

    assert order.index("can") < order.index("can_raw")
    assert order.index("crc32c_generic") < order.index("libcrc32c") < order.index("sctp")
    assert "unix" not in order  # built in
    assert lacking == ["no-such-module"]


def test_modules_already_loaded_earlier_are_not_loaded_twice(tmp_path):
    modules = initramfs.KernelModules.read(RELEASE, _modules_tree(tmp_path))

    order, _ = modules.load_order(["can-raw"], skip=["can"])

    assert order == ["can_raw"]


def test_the_images_modules_are_the_distributions_objects_without_their_signatures():
    path = next(iter(sorted(Path("/lib/modules").glob("*/kernel/net/can/can.ko"))), None)
    if path is None:
        pytest.skip("no uncompressed guest kernel module under /lib/modules: `make lab-deps` installs Debian's")
    signed = path.read_bytes()
    assert signed.endswith(initramfs.SIGNATURE_MARKER)

    module = initramfs.KernelModules.read(path.parents[3].name).content("can")

    assert module.startswith(b"\x7fELF") and signed.startswith(module)
    # What was cut is the signature (PKCS#7, a DER sequence), its trailer and the marker.
    assert signed[len(module):len(module) + 2] == b"\x30\x82"
    assert len(signed) - len(module) < 4096
    assert initramfs.unsigned(module) == module


def test_a_signature_trailer_longer_than_the_module_is_refused():
    bogus = b"\x7fELF" + (10**6).to_bytes(12, "big") + initramfs.SIGNATURE_MARKER

    with pytest.raises(initramfs.InitramfsUnavailable, match="signature"):
        initramfs.unsigned(bogus)


@pytest.mark.skipif(shutil.which("busybox") is None, reason="needs busybox's cpio to read the archive back")
def test_the_archive_is_a_cpio_the_kernel_and_cpio_read(tmp_path):
    archive = initramfs.Cpio()
    archive.directory("bin")
    archive.file("bin/hello", b"hello\n", 0o755)
    archive.symlink("bin/sh", "busybox")
    archive.char_device("console", 5, 1)
    (tmp_path / "image.cpio").write_bytes(archive.bytes())

    listed = subprocess.run(["busybox", "cpio", "-t"], input=(tmp_path / "image.cpio").read_bytes(),
                            capture_output=True, check=True)

    assert listed.stdout.decode().split() == ["bin", "bin/hello", "bin/sh", "console"]


def test_a_direct_boot_shares_the_root_read_only_dies_with_the_lab_and_keeps_the_vm_name(tmp_path):
    spec = vm.VmSpec(kernel=Path("/boot/vmlinuz-x"), accel=vm.Accelerator("tcg", "probe"),
                     writable=(tmp_path / "artifacts",), clock="icount")

    command = spec.qemu_command("slab1-vm", Path("/cache/vmlinux"), Path("/cache/initrd"), tmp_path / "ctl")

    assert command[:4] == ["setpriv", "--pdeathsig", "KILL", "--"]
    assert command[command.index("-name") + 1] == "slab1-vm"
    assert vm._vm_owner(command) == 1  # what `socklab clean` looks for
    fsdevs = [command[i + 1] for i, arg in enumerate(command) if arg == "-fsdev"]
    assert any(f.startswith("local,id=root,path=/,") and f.endswith(",readonly=on") for f in fsdevs)
    assert any(f"path={tmp_path / 'artifacts'}," in f and "readonly" not in f for f in fsdevs)
    assert "-icount" in command and "tcg" in command


def test_a_disk_is_attached_in_snapshot_mode_and_its_mount_point_goes_to_the_init(tmp_path):
    image = tmp_path / "data,root.ext4"
    spec = vm.VmSpec(kernel=Path("/boot/vmlinuz-x"), accel=vm.Accelerator("tcg", "probe"),
                     disks=(vm.GuestDisk(image, Path("/run/disk")),))

    command = spec.qemu_command("slab1-vm", Path("/cache/vmlinux"), Path("/cache/initrd"), tmp_path / "ctl")
    control = ControlFolder(tmp_path / "ctl")
    control.write("true", (), "slab1-vm", "cache=loose", "cache=none",
                  disks=tuple(disk.mount_point for disk in spec.disks))

    drives = [command[i + 1] for i, arg in enumerate(command) if arg == "-drive"]
    # The comma in the path is doubled; the guest's writes never reach the image.
    assert drives == [f"file={tmp_path}/data,,root.ext4,format=raw,if=virtio,snapshot=on,cache=unsafe"]
    assert (control.path / "disks").read_text() == "/run/disk\n"


def test_lab_vm_boot_chooses_the_boot_and_refuses_a_typo(monkeypatch):
    monkeypatch.setenv("LAB_VM_BOOT", "vng")
    assert vm.boot_method(Path("/boot/vmlinuz-x")) == "vng"
    monkeypatch.setenv("LAB_VM_BOOT", "direct")
    assert vm.boot_method(Path("/boot/vmlinuz-x")) == "direct"
    monkeypatch.setenv("LAB_VM_BOOT", "fast")
    with pytest.raises(ValueError, match="LAB_VM_BOOT"):
        vm.boot_method(None)


def test_the_control_folder_carries_the_command_in_and_the_status_and_phases_out(tmp_path):
    control = ControlFolder(tmp_path / "ctl")
    control.write("cd /x && exec true", (Path("/a b"),), "slab1-vm", "cache=loose", "cache=none")
    assert (control.path / "command").read_text() == "cd /x && exec true\n"
    assert (control.path / "writable").read_text() == "/a b\n"
    assert control.status() is None  # the guest never answered

    (control.path / "status").write_text("3\n")
    (control.path / "timeline").write_text("1.5 init started\n2.25 host root mounted\n")

    assert control.status() == 3
    assert control.timeline() == [(1.5, "init started"), (2.25, "host root mounted")]


class _Booted:
    timeline = ((1.0, "init started"), (2.0, "command starts"))


def test_the_boot_timeline_puts_the_guests_phases_on_the_hosts_clock():
    timings = Timings()
    timings.started = 100.0
    timings.marks = {"guest up": 7.0, "first test starts": 9.0}
    timings.guest = {"guest up": 3.0}  # the kernel started 4 s after QEMU
    timings.ended = 120.0

    phases = timings.phases(_Booted(), "host")

    assert [(p["phase"], p["took_s"]) for p in phases] == [
        ("QEMU start to kernel start", 4.0), ("init started", 1.0), ("command starts", 1.0),
        ("guest up", 1.0), ("first test starts", 2.0), ("powered off", 11.0),
    ]
    assert phases_text({"phases": phases}).startswith("QEMU start to kernel start 4 s, init started 1 s")


def test_modules_the_kernel_has_in_already_are_not_handed_to_modprobe(monkeypatch, tmp_path):
    """The guest's `lab run` set-up after the init loaded every family's
    module: no modprobe at all.  Without modprobe on PATH, any module handed
    to it would come back as lacking."""
    present = next((entry.name for entry in sorted(kernel_modules.LOADED.iterdir()) if entry.is_dir()), None)
    if present is None:
        pytest.skip("/sys/module lists nothing: no sysfs here")
    monkeypatch.setenv("PATH", str(tmp_path))

    assert kernel_modules.load(present) == []
    assert kernel_modules.load(present, "no_such_module_here") == ["no_such_module_here"]


def test_a_favoured_vm_gets_its_session_a_larger_cpu_share():
    """The VM share's QEMU, in a session of its own: with autogroup
    scheduling the session's nice value is what the CPU is shared by."""
    process = subprocess.Popen(["sleep", "30"], start_new_session=True)
    try:
        assert vm.favour(process.pid) == (os.geteuid() == 0)
        if os.geteuid() != 0:
            return
        assert os.getpriority(os.PRIO_PROCESS, process.pid) == vm.FAVOURED_NICE
        autogroup = Path(f"/proc/{process.pid}/autogroup")
        if autogroup.exists():
            assert autogroup.read_text().split()[-1] == str(vm.FAVOURED_NICE)  # "/autogroup-N nice -5"
    finally:
        process.kill()
        process.wait()
