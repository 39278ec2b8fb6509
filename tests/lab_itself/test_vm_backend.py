"""The VM backend's own promises, checked without booting: which kernel
boots, how KVM is chosen, what vng is asked for, how a run splits between
host and VM, and that `lab clean` finds the VM processes of a dead run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from lab import naming
from lab.junit import Counts
from lab.vm import kernels
from lab.vm import machine as vm
from lab.vm.cli import SUMMARY_FILE, VM_MISSING, Share, _gate, _only_files
from lab.vm.guest import oracle_pass_arguments
from lab.vm.plugin import belongs_to_vm


def test_lab_kernel_names_the_kernel_to_boot(monkeypatch):
    monkeypatch.setenv("LAB_KERNEL", "/boot/vmlinuz-9.9.9-lab")
    assert vm.default_kernel() == Path("/boot/vmlinuz-9.9.9-lab")


def test_the_newest_kernel_in_boot_sorts_last_by_version():
    names = ["vmlinuz-6.12.57+deb13-amd64", "vmlinuz-6.1.0-56-amd64", "vmlinuz-6.2.0-1-amd64"]
    ordered = sorted((Path(n) for n in names), key=kernels.version_key)
    assert ordered[-1].name == "vmlinuz-6.12.57+deb13-amd64"


def test_a_missing_kernel_is_a_reason_not_to_boot(tmp_path):
    reason = vm.why_unavailable(tmp_path / "vmlinuz-none")
    assert reason is not None and "does not exist" in reason


def test_lab_accel_forces_the_accelerator(monkeypatch):
    monkeypatch.setenv("LAB_ACCEL", "tcg")
    assert vm.accelerator(Path("/nonexistent")) == vm.Accelerator("tcg", "LAB_ACCEL=tcg")


def test_tcg_runs_disable_kvm_share_artifacts_and_avoid_virtiofsd(tmp_path):
    spec = vm.VmSpec(kernel=Path("/boot/vmlinuz-x"), accel=vm.Accelerator("tcg", "probe"),
                     writable=(tmp_path,))
    command = spec.vng_command("slab1-vm", "true")
    assert "--disable-kvm" in command
    assert command[command.index("--rwdir") + 1] == str(tmp_path)
    assert "--force-9p" in command
    assert command[command.index("--name") + 1] == "slab1-vm"
    assert command[command.index("--exec") + 1] == "true"


def test_the_vm_is_named_after_the_lab_process():
    assert naming.owner_pid(vm.vm_name(4242)) == 4242
    assert vm._vm_owner(["qemu-system-x86_64", "-name", "slab4242-vm", "-m", "1G"]) == 4242
    assert vm._vm_owner(["vng", "--name", "slab77-vm"]) == 77
    assert vm._vm_owner(["qemu-system-x86_64", "-name", "someone-else"]) is None


# One process whose arguments look like a lab VM's (no child to outlive it).
SLEEPER = (sys.executable, "-c", "import time; time.sleep(60)")


def _dead_pid() -> int:
    pid = 4_000_000
    while naming.is_alive(pid):
        pid -= 1
    return pid


def test_lab_clean_kills_the_vm_processes_of_a_dead_run():
    owner = _dead_pid()
    leftover = subprocess.Popen([*SLEEPER, "-name", f"slab{owner}-vm"])
    try:
        deadline = time.monotonic() + 5
        while leftover.pid not in vm.vm_processes() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert vm.kill_stale_vms(lambda _: None) >= 1
        assert leftover.wait(timeout=5) != 0
    finally:
        leftover.kill()
        leftover.wait()


def test_vm_processes_of_a_live_run_are_left_alone():
    live = subprocess.Popen([*SLEEPER, "-name", vm.vm_name()])
    try:
        time.sleep(0.1)
        assert live.pid not in vm.vm_processes()
    finally:
        live.kill()
        live.wait()


def _item(*marks: tuple[str, tuple[str, ...]]) -> SimpleNamespace:
    def iter_markers(name: str):
        return [SimpleNamespace(args=args) for mark, args in marks if mark == name]

    return SimpleNamespace(iter_markers=iter_markers)


@pytest.mark.parametrize(("marks", "in_vm"), [
    ((("family", ("can",)),), True),
    ((("needs", ("veth", "vhci")),), True),
    ((("family", ("inet",)), ("needs", ("veth",))), False),
    ((), False),
])
def test_a_test_goes_to_the_vm_when_it_needs_something_the_host_lacks(marks, in_vm):
    assert belongs_to_vm(_item(*marks), {"can", "vhci", "vsock"}) is in_vm


def test_the_vm_collects_only_the_files_of_its_share(tmp_path):
    args = ["-p", "lab.plugin", "-q", str(tmp_path), "--lab-artifacts=x"]
    assert _only_files(["/a/test_x.py"], args) == ["-p", "lab.plugin", "-q", "--lab-artifacts=x", "/a/test_x.py"]


def test_a_node_id_the_user_named_is_passed_to_the_vm_as_it_is(tmp_path):
    args = ["-q", f"{tmp_path}::test_one"]
    assert _only_files(["/a/test_x.py"], args) == args


ONE_FOR_EACH_SHARE = '''
import pytest

def test_on_the_host():
    pass

@pytest.mark.family("can")
def test_needs_what_the_host_lacks():
    pass
'''


def lab_test(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    """`lab test ARGS` in `tmp_path` (its artifacts stay there)."""
    return subprocess.run(
        [sys.executable, "-m", "lab", "test", *args, str(tmp_path / "test_shares.py")],
        cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )


# With pytest-xdist's workers too: they collect, not the process `lab test`
# runs pytest in, and the VM share must count all the same.
@pytest.mark.parametrize("workers", [(), ("-n", "2"), ("--host-workers", "2")],
                         ids=["one process", "xdist", "host-workers"])
def test_lab_test_fails_when_the_vm_share_cannot_boot_and_says_what_ran_where(tmp_path, workers):
    (tmp_path / "test_shares.py").write_text(ONE_FOR_EACH_SHARE)
    done = lab_test(tmp_path, *workers, "--kernel", str(tmp_path / "vmlinuz-none"))
    assert done.returncode == VM_MISSING, done.stderr
    summary = [line for line in done.stderr.splitlines() if line.startswith("lab: summary: ")][-1]
    assert summary.startswith("lab: summary: host share: 1 passed, 0 failed, 0 errors, 0 skipped (exit status 0); "
                              "VM share: did not run (the lab VM cannot boot: ")
    assert "its 1 test(s) never ran" in summary
    record = json.loads((tmp_path / "lab-artifacts" / SUMMARY_FILE).read_text())
    assert [(share["share"], share["status"]) for share in record] == [("host share", 0), ("VM share", None)]


def test_lab_test_backend_host_runs_everything_on_the_host_and_counts_the_skips(tmp_path):
    (tmp_path / "test_shares.py").write_text(ONE_FOR_EACH_SHARE)
    done = lab_test(tmp_path, "--backend", "host", "--kernel", str(tmp_path / "vmlinuz-none"))
    assert done.returncode == 0, done.stderr
    assert ("lab: summary: host share (every test, --backend host): 1 passed, 0 failed, 0 errors, 1 skipped"
            in done.stderr)


def test_a_vm_share_whose_tests_all_skipped_fails_the_gate():
    all_skipped = Share("VM share", 0, Counts(passed=0, failed=0, errors=0, skipped=7))
    some_ran = Share("VM share", 0, Counts(passed=3, failed=0, errors=0, skipped=7))
    assert _gate([some_ran]) == 0
    assert _gate([all_skipped]) == VM_MISSING
    assert _gate([some_ran, Share("VM share again", why_not="no interpreter")]) == VM_MISSING
    # The first pass skipping what the oracle pass then runs is no hole.
    assert _gate([all_skipped, Share("VM share again", 0, Counts(passed=5, failed=0, errors=0, skipped=2))]) == 0
    assert _gate([Share("VM share", 1, Counts(passed=3, failed=1, errors=0, skipped=0))]) == 1


def test_the_oracle_pass_runs_only_its_files_with_its_own_report(tmp_path):
    kept = tmp_path / "test_kept.py"
    kept.write_text("")
    other = tmp_path / "test_other.py"
    other.write_text("")
    args = ["-q", "--junitxml=/a/junit.xml", "--lab-share=vm", str(kept), str(other)]
    assert oracle_pass_arguments(args, [str(kept)], Path("/a/junit-oracle.xml")) == [
        "-q", "--lab-share=vm", "--junitxml=/a/junit-oracle.xml", str(kept)]
    named = [*args[:3], f"{kept}::test_one"]
    assert oracle_pass_arguments(named, [str(kept)], Path("/j.xml"))[-1] == f"{kept}::test_one"


def test_the_guest_reads_its_arguments_from_a_plan_whatever_their_length(tmp_path, monkeypatch):
    from lab.vm import guest

    seen = []
    monkeypatch.setattr(guest.pytest, "main", lambda args: seen.append(args) or 0)
    monkeypatch.setattr(guest, "start_loading_modules", lambda: None)
    monkeypatch.setattr(guest, "record_capabilities", lambda path: None)
    long_args = [f"/a/very/long/path/to/tests/test_{n:04}.py" for n in range(100)]
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(["--artifacts", str(tmp_path), "--", "-q", *long_args]))
    assert guest.main(["--plan", str(plan)]) == 0
    assert seen == [["-q", *long_args]]


def test_the_vms_docker_data_root_is_named_for_the_peer_images_and_dockerd(monkeypatch):
    from lab.docker import data_disk, images

    before = data_disk.digest()
    monkeypatch.setattr(images, "reference", lambda peer: f"socklab/{peer}:changed")
    after_recipe = data_disk.digest()
    monkeypatch.setattr(data_disk, "_dockerd_version", lambda: "Docker version 99")

    assert len({before, after_recipe, data_disk.digest()}) == 3


def test_a_direct_boot_attaches_the_prepared_docker_data_root_and_vng_does_not(tmp_path, monkeypatch):
    from lab.docker import data_disk
    from lab.vm import runner

    monkeypatch.setattr(data_disk, "disk_folder", lambda: tmp_path)
    said: list[str] = []
    monkeypatch.setenv("LAB_VM_BOOT", "direct")
    monkeypatch.setattr(data_disk, "why_unavailable", lambda: None)
    assert runner.prepared_docker_disk(Path("/boot/vmlinuz-x"), said.append) == ()
    assert "`socklab images build` makes it" in said[0]  # not made yet: the guest loads the images

    data_disk.disk_path().write_bytes(b"")
    attached = runner.prepared_docker_disk(Path("/boot/vmlinuz-x"), said.append)
    assert attached == (vm.GuestDisk(data_disk.disk_path(), data_disk.GUEST_MOUNT),)
    assert data_disk.GUEST_DATA_ROOT.is_relative_to(data_disk.GUEST_MOUNT)

    monkeypatch.setenv("LAB_VM_BOOT", "vng")
    assert runner.prepared_docker_disk(Path("/boot/vmlinuz-x"), said.append) == ()


def test_backend_vm_still_runs_the_oracle_pass_over_what_this_interpreter_cannot_judge(tmp_path, monkeypatch):
    """`--backend vm` gives the VM every test; the files whose family this
    interpreter's stdlib lacks (Bluetooth, under pyenv's) still get their
    second pass under an interpreter that has it (it had none before)."""
    from lab import oracle
    from lab.vm import cli

    bluetooth = str(Path(__file__).resolve().parents[1] / "lab" / "vm" / "test_bluetooth.py")
    asked = {}

    def vm_share(guest_args, kernel, status, oracle_files, oracle_constants):
        asked.update(files=oracle_files, constants=oracle_constants)
        return [Share("VM share", 0, Counts(passed=1, failed=0, errors=0, skipped=0))]

    monkeypatch.setattr(cli, "_vm_share", vm_share)
    monkeypatch.setattr(cli.vm_runner, "resolve_kernel", lambda chosen: tmp_path / "vmlinuz")
    options = SimpleNamespace(backend="vm", kernel=None)
    cli._shares(options, ["-q", bluetooth], lambda args: 0, lambda line: None)
    constant = oracle.lacks_family("bluetooth")
    assert asked == ({"files": [bluetooth], "constants": [constant]} if constant else {"files": [], "constants": []})
