"""What `lab clean` removes on the Docker side: containers of dead runs (in
the user's engine and in any lab-started engine that still answers), then
lab-started daemons whose run died, each stopped by its own pid.  A daemon
or container of a live run is never touched."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator

from lab import naming
from lab.docker_engine import (
    RUN_DIR,
    DaemonPaths,
    Engine,
    answering_user_engine,
    answers,
    lab_daemons,
    stop_daemon,
)

CONTAINER = "container"
DAEMON = "dockerd"


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
    from lab.docker_peers import lab_containers

    found: list[tuple[str, str]] = []
    for engine in _engines():
        found += [(CONTAINER, c.name) for c in lab_containers(engine) if naming.is_stale(c.name)]
    found += [(DAEMON, d.root.name) for d in lab_daemons() if naming.is_stale(d.root.name)]
    return list(dict.fromkeys(found))


def _remove_container(name: str) -> None:
    import docker.errors

    for engine in _engines():
        try:
            engine.client.containers.get(name).remove(force=True)
        except docker.errors.NotFound:
            continue
        except docker.errors.APIError as exc:
            raise OSError(f"{engine.base_url} would not remove it: {exc}") from None


def remove(kind: str, name: str) -> None:
    if kind == CONTAINER:
        _remove_container(name)
    elif kind == DAEMON:
        stop_daemon(DaemonPaths(RUN_DIR / name))
    else:
        raise ValueError(f"not a Docker object kind: {kind!r}")
