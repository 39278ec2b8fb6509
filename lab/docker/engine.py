"""The Docker engine the lab talks to: the user's, or one the lab starts.

The user's engine (`DOCKER_HOST`, or the default socket when it answers) is
used as it is and never stopped.  Where none answers, the lab starts
Debian's `dockerd` itself: no default bridge (`--bridge=none`) and no
iptables rules, so it creates no network outside the lab's address plan; a
socket, exec root and pid file of its own under `/run/socklab/slab<pid>-dockerd/`
(the run's name, so `lab clean` knows a dead run's daemon); and a data root
in the lab's cache, so the images it builds survive between runs (while
another run's daemon holds it, a scratch one on a tmpfs, filled from the
cached image archives).  `stop()` ends exactly that daemon, by the pid it
wrote.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import importlib.util
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lab import naming
from lab.capabilities import missing

RUN_DIR = Path("/run/socklab")
DEFAULT_SOCKET = Path("/var/run/docker.sock")
DAEMON_SUFFIX = "-dockerd"
START_TIMEOUT = 60.0
STOP_TIMEOUT = 20.0
MNT_DETACH = 2
INSTALL_REMEDY = "run `socklab setup docker` (Debian's docker.io) and `pip install 'socklab[docker]'`"

# Every option that would reach outside the lab is switched off: the daemon
# makes no bridge, writes no firewall rule, and forwards nothing.
PRIVATE_DAEMON_OPTIONS = (
    "--bridge=none",
    "--iptables=false",
    "--ip-forward=false",
    "--ip-masq=false",
    "--userland-proxy=false",
    "--log-level=warn",
)


class EngineUnavailable(RuntimeError):
    """No engine answers and none can be started; the message says why and
    what to do (fixtures turn it into a skip)."""


def cache_dir() -> Path:
    """The lab's cache: `$SOCKLAB_CACHE`, else `$XDG_CACHE_HOME/socklab`,
    else `~/.cache/socklab`."""
    chosen = os.environ.get("SOCKLAB_CACHE")
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "socklab"


def default_data_root() -> Path:
    """Where a lab-started daemon keeps images and containers:
    `$SOCKLAB_DOCKER_DATA_ROOT`, else the cache, so that built images
    survive between runs."""
    chosen = os.environ.get("SOCKLAB_DOCKER_DATA_ROOT")
    return Path(chosen) if chosen else cache_dir() / "docker-data"


def missing_tools() -> str | None:
    """Why the lab cannot use Docker at all here, or None."""

    if importlib.util.find_spec("docker") is None:
        return "the `docker` Python package is not installed: " + INSTALL_REMEDY
    if answering_user_engine() is None and shutil.which("dockerd") is None:
        return "no Docker engine answers and `dockerd` is not installed: " + INSTALL_REMEDY
    return None


def _client(base_url: str) -> Any:
    # lazy: the docker package, only when a test or command uses Docker
    import docker

    return docker.DockerClient(base_url=base_url, version="auto", timeout=120)


def answers(base_url: str) -> bool:
    try:
        client = _client(base_url)
    except Exception:  # noqa: BLE001 - any failure means "does not answer"
        return False
    try:
        return bool(client.ping())
    except Exception:  # noqa: BLE001
        return False
    finally:
        client.close()


def answering_user_engine() -> str | None:
    """The base URL of an engine the user runs, if one answers."""
    configured = os.environ.get("DOCKER_HOST")
    if configured:
        return configured if answers(configured) else None
    if DEFAULT_SOCKET.exists() and answers(f"unix://{DEFAULT_SOCKET}"):
        return f"unix://{DEFAULT_SOCKET}"
    return None


@dataclass
class DaemonPaths:
    """Where one lab-started daemon keeps its socket, pid file and state."""

    root: Path

    @classmethod
    def for_run(cls, tag: str) -> DaemonPaths:
        return cls(RUN_DIR / f"{tag}{DAEMON_SUFFIX}")

    @property
    def socket(self) -> Path:
        return self.root / "docker.sock"

    @property
    def pidfile(self) -> Path:
        return self.root / "dockerd.pid"

    @property
    def exec_root(self) -> Path:
        return self.root / "exec"

    @property
    def log(self) -> Path:
        return self.root / "dockerd.log"

    @property
    def config(self) -> Path:
        return self.root / "daemon.json"

    @property
    def scratch_marker(self) -> Path:
        """Names the scratch data root, when the daemon has one."""
        return self.root / "scratch-data-root"

    @property
    def data_root_marker(self) -> Path:
        """Names the data root the daemon was given, so that what a killed
        daemon left mounted there can be found after it is gone."""
        return self.root / "data-root"

    @property
    def base_url(self) -> str:
        return f"unix://{self.socket}"

    def recorded_data_root(self) -> Path | None:
        try:
            return Path(self.data_root_marker.read_text().strip())
        except OSError:
            return None

    def daemon_pid(self) -> int | None:
        try:
            return int(self.pidfile.read_text().strip())
        except (OSError, ValueError):
            return None


def lab_daemons() -> list[DaemonPaths]:
    """Every daemon directory a lab run made, live or stale."""
    if not RUN_DIR.is_dir():
        return []
    return [
        DaemonPaths(entry) for entry in sorted(RUN_DIR.iterdir())
        if entry.name.endswith(DAEMON_SUFFIX) and naming.owner_pid(entry.name) is not None
    ]


def is_our_dockerd(pid: int, paths: DaemonPaths) -> bool:
    """Whether `pid` is the dockerd serving `paths` (a recycled pid is not)."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return bool(cmdline) and cmdline[0].endswith(b"dockerd") and str(paths.pidfile).encode() in b" ".join(cmdline)


def stop_daemon(paths: DaemonPaths, holds_data_root: bool = False) -> None:
    """Stop the daemon of `paths` by its own pid, then remove what it leaves
    and its directory.  SIGTERM lets it stop its containers and its
    containerd first; a daemon that was killed outright could not, so its
    containerd, shims and their containers are killed and its mounts undone
    here.  `holds_data_root`: the caller holds the data root's lock, so no
    other daemon uses it (else its mounts are left to the daemon holding it)."""
    pid = paths.daemon_pid()
    if pid is not None and is_our_dockerd(pid, paths):
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT
        while naming.is_alive(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        if naming.is_alive(pid):
            os.kill(pid, signal.SIGKILL)
    _kill_orphaned_runtime(paths)
    unmount_everything_under(paths.root)
    data_root = paths.recorded_data_root()
    if paths.scratch_marker.exists():
        remove_scratch(Path(paths.scratch_marker.read_text().strip()))
    elif data_root is not None and holds_data_root:
        unmount_everything_under(data_root)
    elif data_root is not None:
        with data_root_if_free(data_root) as free:
            if free:
                unmount_everything_under(data_root)
    shutil.rmtree(paths.root, ignore_errors=True)


def _process_table() -> dict[int, tuple[int, bytes]]:
    """pid -> (parent pid, command line) of every process."""
    table = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as stat:
                parent = int(stat.read().rsplit(b")", 1)[1].split()[1])
            with open(f"/proc/{entry}/cmdline", "rb") as cmdline:
                table[int(entry)] = (parent, cmdline.read())
        except (OSError, IndexError, ValueError):
            continue
    return table


def runtime_processes(paths: DaemonPaths) -> list[int]:
    """The daemon's containerd and shims (their command lines name its exec
    root) and every process below them: the containers' own processes."""
    table = _process_table()
    marker = str(paths.root).encode() + b"/"
    found = {pid for pid, (_, cmdline) in table.items() if marker in cmdline and pid != os.getpid()}
    grew = True
    while grew:
        below = {pid for pid, (parent, _) in table.items() if parent in found} - found
        found |= below
        grew = bool(below)
    return sorted(found)


def _kill_orphaned_runtime(paths: DaemonPaths) -> None:
    # A shim outlives containerd by design (containers survive a daemon
    # restart); with the daemon dead for good, nothing else would end it.
    pids = runtime_processes(paths)
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + STOP_TIMEOUT
    while any(naming.is_alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)


def mount_points_under(directory: Path) -> list[str]:
    """Mount points at or below `directory`, deepest first."""
    top = str(directory).rstrip("/")
    points = []
    with open("/proc/self/mountinfo", encoding="utf-8", errors="replace") as mountinfo:
        for line in mountinfo:
            # The kernel escapes space, tab, newline and backslash as octal.
            point = re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), line.split()[4])
            # "At": dockerd bind-mounts its data root onto itself.
            if point == top or point.startswith(top + "/"):
                points.append(point)
    return sorted(set(points), key=lambda p: p.count("/"), reverse=True)


def unmount_everything_under(directory: Path) -> None:
    for point in mount_points_under(directory):
        unmount(point)


def unmount(point: str) -> None:
    """Detach the mount at `point` (lazily: a process may still use it)."""
    ctypes.CDLL(None, use_errno=True).umount2(point.encode(), MNT_DETACH)


@contextlib.contextmanager
def data_root_if_free(data_root: Path) -> Iterator[bool]:
    """Whether no daemon holds `data_root`; while the block runs, none can
    start on it (its lock is held)."""
    try:
        lock = os.open(data_root.parent / f"{data_root.name}.lock", os.O_RDWR)
    except OSError:
        yield False
        return
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(lock)
        yield False
        return
    try:
        yield True
    finally:
        os.close(lock)


class Engine:
    """A connected engine: `client` is a `docker.DockerClient`; `started`
    says whether this process started the daemon (and so must stop it)."""

    def __init__(self, base_url: str, started: DaemonPaths | None = None,
                 process: subprocess.Popen | None = None, data_root_lock: int | None = None) -> None:
        self.base_url = base_url
        self.started = started
        self._process = process
        self._data_root_lock = data_root_lock
        self.client = _client(base_url)

    def __repr__(self) -> str:
        owner = "started by the lab" if self.started else "not the lab's"
        return f"Engine({self.base_url!r}, {owner})"

    @property
    def environment(self) -> dict[str, str]:
        """Environment for a `docker` CLI talking to this engine."""
        return {**os.environ, "DOCKER_HOST": self.base_url}

    @property
    def daemon_pid(self) -> int | None:
        """The pid of the dockerd the lab started, else None."""
        return self._process.pid if self._process is not None else None

    def stopped_reason(self) -> str | None:
        """Why this engine can serve nothing any more, or None while it answers."""
        pid = self.daemon_pid
        if pid is not None and not naming.is_alive(pid):
            return f"docker engine stopped: the lab's dockerd (pid {pid}, {self.base_url}) is gone"
        if not answers(self.base_url):
            return f"docker engine stopped answering at {self.base_url}"
        return None

    def stop(self) -> None:
        """Close the connection; stop the daemon only if we started it."""
        self.client.close()
        if self.started is None:
            return
        stop_daemon(self.started, holds_data_root=self._data_root_lock is not None)
        if self._process is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._process.wait(timeout=1)
        if self._data_root_lock is not None:
            os.close(self._data_root_lock)  # only once the daemon has let go of it
            self._data_root_lock = None
        self.started = None


def _claim_cached_data_root() -> tuple[Path, int] | None:
    """The cached data root and a lock on it, or None when another run's
    daemon holds it or it cannot be written (the lab VM sees the host's
    files read-only).  Two daemons must never share a data root."""
    chosen = default_data_root()
    try:
        chosen.mkdir(parents=True, exist_ok=True)
        lock = os.open(chosen.parent / f"{chosen.name}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        return None
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(lock)
        return None
    return chosen, lock


def recorded_containers(data_root: Path) -> list[str]:
    """The names of the containers a data root keeps, read from its files:
    what a daemon that was killed left there, seen without starting one."""
    names = []
    for config in sorted((data_root / "containers").glob("*/config.v2.json")):
        try:
            name = json.loads(config.read_text()).get("Name", "")
        except (OSError, ValueError):
            continue
        names.append(name.lstrip("/"))
    return names


def remove_recorded_containers(wanted: Callable[[str], bool]) -> list[str]:
    """Remove the containers of the cached data root that `wanted` picks by
    name, through a daemon started on it for the purpose: only a daemon may
    change its data root.  Returns their names; [] when another run's daemon
    holds the data root (that daemon can remove them itself)."""
    if shutil.which("dockerd") is None:
        raise EngineUnavailable("`dockerd` is not installed: " + INSTALL_REMEDY)
    claimed = _claim_cached_data_root()
    if claimed is None:
        return []
    if not any(wanted(name) for name in recorded_containers(claimed[0])):
        os.close(claimed[1])
        return []
    engine = start_private_engine(claimed=claimed)
    removed = []
    try:
        for container in engine.client.containers.list(all=True):
            if wanted(container.name):
                container.remove(force=True)
                removed.append(container.name)
    finally:
        engine.stop()
    return removed


def _scratch_data_root(paths: DaemonPaths) -> Path:
    """A data root of this daemon's own, removed by `stop_daemon`; the
    images are then loaded from the cached archives."""
    scratch = Path(tempfile.mkdtemp(prefix=f"{paths.root.name}-data-"))
    paths.scratch_marker.write_text(str(scratch))
    # overlay2 cannot stack on the lab VM's /tmp (itself an overlay on 9p):
    # a tmpfs of its own is a file system it can use anywhere.
    _mount_tmpfs(scratch)
    return scratch


def _mount_tmpfs(target: Path) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.mount(b"tmpfs", str(target).encode(), b"tmpfs", 0, b"mode=0711") != 0:
        err = ctypes.get_errno()
        raise EngineUnavailable(f"cannot mount a tmpfs for a scratch data root at {target}: {os.strerror(err)}")


def remove_scratch(target: Path) -> None:
    """Remove a scratch directory, first undoing any mount in or on it."""
    unmount_everything_under(target)
    if os.path.ismount(target):
        unmount(str(target))
    shutil.rmtree(target, ignore_errors=True)


def start_private_engine(
    data_root: Path | None = None, tag: str | None = None, claimed: tuple[Path, int] | None = None,
) -> Engine:
    """Start a dockerd of the lab's own and wait until it answers;
    `claimed` is a data root whose lock the caller took (and hands over)."""
    if shutil.which("dockerd") is None:
        raise EngineUnavailable("`dockerd` is not installed: " + INSTALL_REMEDY)
    # A daemon whose run died may still hold the cached data root.
    for stale in lab_daemons():
        if naming.is_stale(stale.root.name):
            stop_daemon(stale)
    paths = DaemonPaths.for_run(tag or naming.RunNames().tag)
    paths.exec_root.mkdir(parents=True, exist_ok=True)
    lock = None
    if claimed is None and data_root is None:
        claimed = _claim_cached_data_root()
    if claimed is not None:
        data_root, lock = claimed
    elif data_root is None:
        data_root = _scratch_data_root(paths)
    paths.data_root_marker.write_text(str(data_root))
    # An empty configuration file: a user's /etc/docker/daemon.json must not
    # turn a bridge or a registry mirror back on.
    paths.config.write_text("{}\n")
    command = [
        "dockerd", *PRIVATE_DAEMON_OPTIONS,
        f"--config-file={paths.config}", f"--data-root={data_root}",
        f"--exec-root={paths.exec_root}", f"--pidfile={paths.pidfile}",
        f"--host={paths.base_url}",
    ]
    with open(paths.log, "ab") as log:
        # A session of its own: a Ctrl-C in the terminal reaches pytest, which
        # then stops the daemon in order, instead of killing it mid-request.
        process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True
        )
    try:
        _wait_until_answering(paths, process)
    except BaseException:
        if lock is not None:
            os.close(lock)
        raise
    return Engine(paths.base_url, started=paths, process=process, data_root_lock=lock)


def _wait_until_answering(paths: DaemonPaths, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = paths.log.read_text(errors="replace")[-2000:]
            shutil.rmtree(paths.root, ignore_errors=True)
            raise EngineUnavailable(f"dockerd exited with status {process.returncode}:\n{tail}")
        if paths.socket.exists() and answers(paths.base_url):
            return
        time.sleep(0.1)
    stop_daemon(paths)
    raise EngineUnavailable(f"dockerd did not answer within {START_TIMEOUT:.0f} s (log: {paths.log})")


def connect(data_root: Path | None = None) -> Engine:
    """The user's engine if one answers, else a new one the lab starts
    (the caller stops it with `Engine.stop`).  Each run starts its own: a
    daemon shared with another run could stop under it."""
    reason = missing_tools()
    if reason:
        raise EngineUnavailable(reason)
    user = answering_user_engine()
    if user is not None:
        return Engine(user)
    return start_private_engine(data_root)


@contextlib.contextmanager
def engine(data_root: Path | None = None) -> Iterator[Engine]:
    """`with engine() as e:` a connected engine, stopped afterwards if the
    lab started it."""
    connected = connect(data_root)
    try:
        yield connected
    finally:
        connected.stop()


def doctor_reason(capability: str) -> str | None:
    """`lab doctor`'s Docker cell: a container shares the host's kernel, so
    it has what the host has, once an engine answers or can be started."""
    return missing_tools() or missing(capability)
