"""What `lab clean` removes on the Docker side: containers of dead runs (in
the user's engine, in any lab-started engine that still answers, and those
a killed engine left recorded in the cached data root), then lab-started
daemons whose run died, each stopped by its own pid with what it left
running or mounted.  A daemon or container of a live run is never touched."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator

from lab import naming
from lab.docker.engine import (
    RUN_DIR,
    DaemonPaths,
    Engine,
    EngineUnavailable,
    answering_user_engine,
    answers,
    data_root_if_free,
    default_data_root,
    lab_daemons,
    mount_points_under,
    recorded_containers,
    remove_recorded_containers,
    stop_daemon,
    unmount,
)
from lab.docker.peers import lab_containers

CONTAINER = "container"
DAEMON = "dockerd"
ORPHAN_MOUNT = "mount"


def _engines() -> Iterator[Engine]:
    """Every engine that answers and may hold lab containers (not ours to stop)."""
    if importlib.util.find_spec("docker") is None:
        return
    urls = [answering_user_engine()] + [d.base_url for d in lab_daemons() if answers(d.base_url)]
    for url in dict.fromkeys(u for u in urls if u):
        engine = Engine(url)
        try:
            yield engine
        finally:
            engine.client.close()


def stale_objects() -> list[tuple[str, str]]:
    """(kind, name) of each stale Docker object, containers first."""
    found: list[tuple[str, str]] = []
    for engine in _engines():
        found += [(CONTAINER, c.name) for c in lab_containers(engine) if naming.is_stale(c.name)]
    found += [(CONTAINER, name) for name in _stale_records()]
    found += [(DAEMON, d.root.name) for d in lab_daemons() if naming.is_stale(d.root.name)]
    found += [(ORPHAN_MOUNT, point) for point in _orphan_mounts()]
    return list(dict.fromkeys(found))


def _orphan_mounts() -> list[str]:
    """Mounts under the cached data root while no daemon holds it: a daemon
    killed before the lab could undo them (or by a lab older than that) left
    them, and nothing else would ever remove them."""
    with data_root_if_free(default_data_root()) as free:
        return mount_points_under(default_data_root()) if free else []


def _stale_records() -> list[str]:
    """Containers of dead runs that no engine serves: a daemon killed with
    its run left them in the cached data root."""
    with data_root_if_free(default_data_root()) as free:
        if not free:
            return []  # the daemon holding it lists them itself
        return [name for name in recorded_containers(default_data_root()) if naming.is_stale(name)]


def _remove_container(name: str) -> None:
    # lazy: the docker package, only when a test or command uses Docker
    import docker.errors

    for engine in _engines():
        try:
            engine.client.containers.get(name).remove(force=True)
        except docker.errors.NotFound:
            continue
        except docker.errors.APIError as exc:
            raise OSError(f"{engine.base_url} would not remove it: {exc}") from None
        return
    if name in recorded_containers(default_data_root()):
        # One daemon start removes every dead run's record at once.
        try:
            remove_recorded_containers(naming.is_stale)
        except EngineUnavailable as exc:
            raise OSError(f"no engine could be started to remove it: {exc}") from None
        if name in recorded_containers(default_data_root()):
            raise OSError("it is recorded in the cached data root, which a live run's engine now holds")


def remove(kind: str, name: str) -> None:
    if kind == CONTAINER:
        _remove_container(name)
    elif kind == DAEMON:
        stop_daemon(DaemonPaths(RUN_DIR / name))
    elif kind == ORPHAN_MOUNT:
        with data_root_if_free(default_data_root()) as free:
            if not free:
                raise OSError("a daemon started on the data root meanwhile: it is its mount now")
            unmount(name)
    else:
        raise ValueError(f"not a Docker object kind: {kind!r}")
