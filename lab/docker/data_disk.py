"""The lab VM's Docker data root, prepared on the host: an ext4 disk image
holding a data root into which the peer images are already loaded.

The guest cannot keep a data root between boots (it sees the host's files
read-only), so without this its engine starts empty and `docker load`s the
cached archive on the first Docker test: about a minute under TCG, most of
it untarring and hashing the base layer.  Here the host does that once, on
a private engine of its own, and `mkfs.ext4 -d` writes the resulting data
root into a disk image.  The VM attaches the image in QEMU's snapshot mode
(the guest may write, the image never changes: the writes go to a scratch
file of the run), its init mounts it (`GUEST_MOUNT`), and the guest's engine
starts on `GUEST_DATA_ROOT` with the images in place.

The image's name carries a digest of what went into it: the peer images'
references (themselves digests of their recipes), `dockerd`'s version and
`FORMAT`; a change to any of them names a new image, which `build` makes
(`lab images build`, so `make lab-images`).  A guest given a stale image or
none finds the images missing and loads them, as before: slower, not wrong.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tempfile
from pathlib import Path

from lab import naming
from lab.docker import images
from lab.docker.engine import Engine, cache_dir, start_private_engine, unmount_everything_under

# Bump when the image's layout changes, so that cached ones are rebuilt.
FORMAT = 1
LABEL = "socklab-docker"
# Where the guest's init mounts the disk, and the data root on it: its own
# folder, so the lock file the engine keeps beside a data root is on the disk.
GUEST_MOUNT = Path("/run/socklab-docker-disk")
DATA_ROOT_FOLDER = "data-root"
GUEST_DATA_ROOT = GUEST_MOUNT / DATA_ROOT_FOLDER
# Room for what the guest's containers write, beyond the images (the file
# is sparse: free space costs the host nothing).
HEADROOM_BYTES = 512 * 1024 * 1024


def _dockerd_version() -> str:
    try:
        done = subprocess.run(["dockerd", "--version"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    return done.stdout.strip() or "unknown"


def digest(peers: tuple[str, ...] = images.PEERS) -> str:
    """What the image holds, as a short hash: the peers' references,
    dockerd's version and this module's format."""
    parts = [f"format {FORMAT}", _dockerd_version(), *(images.reference(peer) for peer in peers)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:images.HASH_LENGTH]


def disk_folder() -> Path:
    return cache_dir() / "vm-docker"


def disk_path(peers: tuple[str, ...] = images.PEERS) -> Path:
    return disk_folder() / f"data-root-{digest(peers)}.ext4"


def current(peers: tuple[str, ...] = images.PEERS) -> Path | None:
    """The disk image for the current recipes, when it has been made."""
    path = disk_path(peers)
    return path if path.is_file() else None


def forget() -> None:
    """Remove the prepared disk images (for a build from scratch)."""
    for old in disk_folder().glob("data-root-*"):
        old.unlink()


def why_unavailable() -> str | None:
    """What stops `build` here, or None."""
    if shutil.which("mkfs.ext4") is None:
        return "mkfs.ext4 is not installed (Debian's e2fsprogs)"
    if shutil.which("dockerd") is None:
        return "dockerd is not installed"
    missing = [peer for peer in images.PEERS if not images.archive_path(peer).exists()]
    if missing:
        return f"no cached archive of {', '.join(missing)} yet (`lab images build` makes them first)"
    return None


def _used_bytes(folder: Path) -> int:
    total = 0
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            total += path.lstat().st_size
    return total


def _fill(data_root: Path, peers: tuple[str, ...], tag: str) -> None:
    """Load every peer's cached archive into a private engine on `data_root`."""
    engine: Engine = start_private_engine(data_root=data_root, tag=tag)
    try:
        timings = images.Timings()
        for peer in peers:
            images.ensure_peer(engine, peer, timings)
    finally:
        engine.stop()
        # The engine undoes its own mounts when it stops; a killed one's stay.
        unmount_everything_under(data_root)


def build(peers: tuple[str, ...] = images.PEERS, report: images.Report = lambda _: None) -> Path:
    """The disk image for the current recipes: made when missing, from the
    peers' cached archives (built first by `images.build_all`)."""
    target = disk_path(peers)
    if target.is_file():
        return target
    reason = why_unavailable()
    if reason:
        raise RuntimeError(f"cannot prepare the lab VM's Docker data root: {reason}")
    target.parent.mkdir(parents=True, exist_ok=True)
    report(f"preparing the lab VM's Docker data root ({target.name})")
    # Its own engine (the caller's may run beside it), and a data root named
    # for this run in the temporary directory, which `lab clean` removes
    # when a killed build left it.
    tag = f"{naming.RunNames().tag}-vmdata"
    with tempfile.TemporaryDirectory(prefix=f"{tag}-") as scratch:
        top = Path(scratch) / "top"
        data_root = top / DATA_ROOT_FOLDER
        data_root.mkdir(parents=True)
        try:
            _fill(data_root, peers, tag)
            size = _used_bytes(top) + HEADROOM_BYTES
            partial = target.with_name(target.name + ".partial")
            made = subprocess.run(
                ["mkfs.ext4", "-q", "-F", "-L", LABEL, "-E", "root_owner=0:0", "-d", str(top),
                 str(partial), f"{size // 1024}k"],
                capture_output=True, text=True, check=False,
            )
            if made.returncode != 0:
                partial.unlink(missing_ok=True)
                raise RuntimeError(f"mkfs.ext4 -d {top} failed: {made.stderr.strip()}")
            partial.rename(target)  # a killed build never leaves a half image under the name
        finally:
            unmount_everything_under(Path(scratch))
    for old in disk_folder().glob("data-root-*"):
        if old != target:
            old.unlink()
    return target
