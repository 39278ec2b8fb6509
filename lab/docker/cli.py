"""`lab images build | load | list`: the peer images, from local material.

- `build` makes every image (from cache after the first time), then the lab
  VM's Docker data root with them loaded (`lab.docker.data_disk`), and
  records how long it took in lab-artifacts/image-timings.json;
  `--from-scratch` drops the cached base and images first, to time a cold build.
- `load` only loads the cached archives into an engine (the lab VM's
  scratch data root): no debootstrap, no build.
- `list` prints each image's reference, whether the engine has it, and its archive.

An engine is connected as for the tests: the user's if one answers, else
one the lab starts and stops again when the command ends.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lab.docker import data_disk, images
from lab.docker.engine import EngineUnavailable, engine

TIMINGS = Path("lab-artifacts") / "image-timings.json"


def _status(message: str) -> None:
    print(f"lab images: {message}", file=sys.stderr, flush=True)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=("build", "load", "list"), help="what to do with the peer images")
    parser.add_argument("--from-scratch", action="store_true",
                        help="build: drop the cached base and images first (times a cold build)")
    parser.add_argument("--timings", type=Path, default=TIMINGS,
                        help=f"build: where the timings go (default: {TIMINGS})")


def build(options: argparse.Namespace) -> int:
    with engine() as connected:
        if options.from_scratch:
            images.forget_cache(connected, _status)
            data_disk.forget()
        timings = images.build_all(connected, report=_status)
    if not data_disk.current():
        reason = data_disk.why_unavailable()
        if reason:
            _status(f"no Docker data root for the lab VM ({reason}): its engine will load the images")
        else:
            timings.measure("VM data root", lambda: data_disk.build(report=_status))
    images.record_timings(timings, options.timings)
    _status(f"{timings.kind} build of {len(images.PEERS)} image(s) in {timings.total:.1f} s "
            f"(timings in {options.timings})")
    return 0


def load(_: argparse.Namespace) -> int:
    with engine() as connected:
        for peer in images.PEERS:
            archive = images.archive_path(peer)
            if not archive.exists():
                _status(f"no cached archive {archive}: run `lab images build` where Debian's mirror answers")
                return 1
            timings = images.Timings()
            images.ensure_peer(connected, peer, timings, _status)
    return 0


def list_images(_: argparse.Namespace) -> int:
    with engine() as connected:
        for peer in images.PEERS:
            ref = images.reference(peer)
            present = "present" if images.has_image(connected, ref) else "absent"
            archived = images.archive_path(peer) if images.archive_path(peer).exists() else "no archive"
            print(f"{ref:<32} {present:<8} {archived}")
    return 0


def run(options: argparse.Namespace) -> int:
    action = {"build": build, "load": load, "list": list_images}[options.action]
    try:
        return action(options)
    except EngineUnavailable as exc:
        _status(str(exc))
        return 1
