"""The lab's container images, made from local material only.

- The base: a root file system built by `containers/base/rootfs.sh`
  (`debootstrap` from Debian's packages), kept as a tarball in the cache
  and `docker import`ed as `socklab/base:<recipe hash>`.
- A peer: `containers/<peer>/Dockerfile`, built on that base by the `BASE`
  build argument, tagged `socklab/<peer>:<hash of its directory and of the
  base recipe>`, and saved as an archive in the cache so that an engine
  with an empty data root (the lab VM's) `docker load`s it instead of
  building.

A tag names its recipe, so an image whose tag exists is up to date: a
rebuild with nothing changed only asks the engine which tags it has.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lab.docker.engine import Engine, cache_dir
from lab.paths import CONTAINERS

BASE_RECIPE = CONTAINERS / "base" / "rootfs.sh"
REPOSITORY = "socklab"
HASH_LENGTH = 12
PEERS = ("inet-peer", "can-peer")

Report = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


def _digest(paths: list[Path], extra: str = "") -> str:
    """A hash of the files' names and contents (and `extra`)."""
    digest = hashlib.sha256(extra.encode())
    for path in sorted(paths):
        digest.update(str(path.relative_to(CONTAINERS)).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:HASH_LENGTH]


def base_tag() -> str:
    return _digest([BASE_RECIPE])


def base_reference() -> str:
    return f"{REPOSITORY}/base:{base_tag()}"


def peer_directory(peer: str) -> Path:
    directory = CONTAINERS / peer
    if not (directory / "Dockerfile").is_file():
        known = ", ".join(PEERS)
        raise LookupError(f"no image recipe containers/{peer}/Dockerfile (known: {known})")
    return directory


def peer_tag(peer: str) -> str:
    files = [p for p in peer_directory(peer).rglob("*") if p.is_file()]
    return _digest(files, extra=base_tag())


def reference(peer: str) -> str:
    """The image of `peer` for the current recipes: `socklab/<peer>:<hash>`."""
    return f"{REPOSITORY}/{peer}:{peer_tag(peer)}"


def archive_path(peer: str) -> Path:
    return cache_dir() / "images" / f"{peer}-{peer_tag(peer)}.tar"


def base_tarball() -> Path:
    return cache_dir() / "base" / f"rootfs-{base_tag()}.tar"


@dataclass
class Timings:
    """How long each step of one `build_all` took, and what it found cached."""

    steps: dict[str, float] = field(default_factory=dict)
    cached: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)

    def measure(self, step: str, action: Callable[[], Any]) -> Any:
        began = time.monotonic()
        result = action()
        self.steps[step] = round(time.monotonic() - began, 3)
        return result

    @property
    def total(self) -> float:
        return round(time.monotonic() - self.started, 3)

    @property
    def kind(self) -> str:
        if not self.steps:
            return "cached"
        return "cold" if "base rootfs (debootstrap)" in self.steps else "partial"


def has_image(engine: Engine, ref: str) -> bool:
    # lazy: the docker package, only when a test or command uses Docker
    import docker.errors

    try:
        engine.client.images.get(ref)
    except docker.errors.ImageNotFound:
        return False
    return True


def _make_base_tarball(report: Report) -> Path:
    tarball = base_tarball()
    tarball.parent.mkdir(parents=True, exist_ok=True)
    report(f"building the base root file system ({BASE_RECIPE.relative_to(CONTAINERS)}, ~30 s)")
    with tempfile.TemporaryDirectory(prefix="socklab-rootfs-") as scratch:
        root = Path(scratch) / "root"
        subprocess.run(["sh", str(BASE_RECIPE), str(root)], check=True)
        partial = tarball.with_suffix(".partial")
        subprocess.run(["tar", "-C", str(root), "--numeric-owner", "-cf", str(partial), "."], check=True)
        partial.rename(tarball)  # a killed build never leaves a half tarball behind
    for old in tarball.parent.glob("rootfs-*.tar"):
        if old != tarball:
            old.unlink()
    return tarball


def ensure_base(engine: Engine, timings: Timings, report: Report = _quiet) -> str:
    """`socklab/base:<hash>` in the engine: imported from the cached tarball,
    which is built first when the recipe changed."""
    ref = base_reference()
    if has_image(engine, ref):
        timings.cached.append(ref)
        return ref
    if not base_tarball().exists():
        timings.measure("base rootfs (debootstrap)", lambda: _make_base_tarball(report))
    report(f"importing {ref}")
    timings.measure("base import", lambda: engine.client.api.import_image_from_file(
        str(base_tarball()), repository=f"{REPOSITORY}/base", tag=base_tag()))
    _forget_older_tags(engine, f"{REPOSITORY}/base", ref)
    return ref


def _build_peer(engine: Engine, peer: str, base: str) -> None:
    # lazy: the docker package, only when a test or command uses Docker
    import docker.errors

    try:
        engine.client.images.build(
            path=str(peer_directory(peer)), tag=reference(peer), rm=True, forcerm=True,
            buildargs={"BASE": base},
            # The lab's base carries the tools: the build needs no network.
            network_mode="none",
        )
    except docker.errors.BuildError as exc:
        log = "".join(str(entry.get("stream", entry.get("error", ""))) for entry in exc.build_log)
        raise RuntimeError(f"building {reference(peer)} failed:\n{log[-3000:]}") from None


def _save_archive(engine: Engine, peer: str) -> None:
    target = archive_path(peer)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    with open(partial, "wb") as archive:
        archive.writelines(engine.client.images.get(reference(peer)).save(named=True))
    partial.rename(target)
    for old in target.parent.glob(f"{peer}-*.tar"):
        if old != target:
            old.unlink()


def _load_archive(engine: Engine, peer: str) -> None:
    with open(archive_path(peer), "rb") as archive:
        engine.client.images.load(archive)


def ensure_peer(engine: Engine, peer: str, timings: Timings, report: Report = _quiet) -> str:
    """`socklab/<peer>:<hash>` in the engine: already there, loaded from its
    cached archive, or built (and then archived)."""
    ref = reference(peer)
    if has_image(engine, ref):
        timings.cached.append(ref)
        return ref
    if archive_path(peer).exists():
        report(f"loading {ref} from {archive_path(peer)}")
        timings.measure(f"{peer} load", lambda: _load_archive(engine, peer))
        return ref
    base = ensure_base(engine, timings, report)
    report(f"building {ref}")
    timings.measure(f"{peer} build", lambda: _build_peer(engine, peer, base))
    timings.measure(f"{peer} archive", lambda: _save_archive(engine, peer))
    _forget_older_tags(engine, f"{REPOSITORY}/{peer}", ref)
    return ref


def _forget_older_tags(engine: Engine, repository: str, keep: str) -> None:
    """Untag the images an older recipe made, so only current ones stay."""
    # lazy: the docker package, only when a test or command uses Docker
    import docker.errors

    for image in engine.client.images.list(name=repository):
        for tag in image.tags:
            if tag != keep:
                try:
                    engine.client.images.remove(tag, noprune=False)
                except docker.errors.APIError:
                    pass  # still used by a container; the next build retries


def build_all(engine: Engine, peers: tuple[str, ...] = PEERS, report: Report = _quiet) -> Timings:
    """Make every peer image available, from cache where it can."""
    timings = Timings()
    for peer in peers:
        ensure_peer(engine, peer, timings, report)
    return timings


def forget_cache(engine: Engine, report: Report = _quiet) -> None:
    """Remove the lab's images and cached material, for a build from scratch."""
    # lazy: the docker package, only when a test or command uses Docker
    import docker.errors

    for repository in [f"{REPOSITORY}/{peer}" for peer in PEERS] + [f"{REPOSITORY}/base"]:
        for image in engine.client.images.list(name=repository):
            for tag in image.tags:
                report(f"removing {tag}")
                try:
                    engine.client.images.remove(tag, force=True)
                except docker.errors.APIError as exc:
                    report(f"could not remove {tag}: {exc}")
    for directory in ("base", "images"):
        for path in (cache_dir() / directory).glob("*.tar"):
            path.unlink()


def record_timings(timings: Timings, path: Path) -> dict[str, Any]:
    """Add this build's timings to `path` (JSON, one entry per kind:
    cold, partial, cached), for `make bench`."""
    try:
        recorded = json.loads(path.read_text())
    except (OSError, ValueError):
        recorded = {}
    recorded[timings.kind] = {
        "total_seconds": timings.total,
        "steps_seconds": timings.steps,
        "cached": timings.cached,
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(recorded, indent=2) + "\n")
    return recorded
