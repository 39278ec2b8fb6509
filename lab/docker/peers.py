"""Peers in containers: a test's counterpart runs in a container of its own,
at the far end of a link that pyroute2 wires into the container's network
namespace.

A container starts with `--network none` (loopback only).  Its namespace
(`docker inspect` -> the pid -> `/proc/<pid>/ns/net`) is given a lab name
(`slab<pid>-peer<n>`, a bind mount under /var/run/netns like `ip netns
attach`), so it is a `NetnsHost` like any other: `create_veth_pair` wires
it, `wire_capture` can watch it, and `lab clean` recognises it after a
crash.  The link's other end sits in one of the lab's own namespaces, never
in this machine's.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyroute2 import netns

from lab import naming
from lab.docker.engine import Engine
from lab.kernel.addressing import LinkSubnets
from lab.kernel.links import Endpoint, VethPair, create_veth_pair
from lab.kernel.netns import NetnsHost

RUN_LABEL = "org.socklab.run"
EXEC_TIMEOUT = 10
READY_TIMEOUT = 20.0  # generous for the lab VM under TCG; a ready peer returns at once
# A command killed by a signal can come back before the engine has seen its
# container die (`docker kill`): how long its state may take to settle.
SETTLE_S = 3.0
SPAWNED_OUTPUT = "/tmp/lab-spawned.out"

# A fresh namespace from Docker: make its IPv6 usable at once, as the lab's
# own hosts are (no duplicate address detection to wait for).
PEER_SYSCTLS = {
    "net.ipv6.conf.all.disable_ipv6": "0",
    "net.ipv6.conf.default.disable_ipv6": "0",
    "net.ipv6.conf.all.accept_dad": "0",
    "net.ipv6.conf.default.accept_dad": "0",
}

# /proc/net/* socket tables: the hex state of a listening TCP socket.
TCP_LISTEN = "0A"
# A container's exit code is 128 + the signal that ended its first process.
EXIT_BY_SIGKILL = 128 + signal.SIGKILL


class PeerCommandFailed(AssertionError):
    """A command in the peer's container failed; the message has its output."""


class PeerUnavailable(RuntimeError):
    """The peer cannot be reached any more: its container stopped (killed,
    crashed) or the engine behind it did.  The message says which."""


@dataclass(frozen=True)
class ExecResult:
    exit_code: int
    stdout: bytes
    stderr: bytes

    @property
    def output(self) -> str:
        return self.stdout.decode(errors="replace")


@dataclass(frozen=True)
class CanLink:
    """A vxcan pair: `lab_ifname` in `lab_host`, `peer_ifname` in the container."""

    lab_host: NetnsHost
    lab_ifname: str
    peer_ifname: str


@dataclass
class ContainerPeer:
    """A running peer container: `exec` runs a program in it and waits,
    `spawn` starts one in the background (see `spawned_output()`),
    `host` is its network namespace, `link` the wire to the lab."""

    name: str
    container: Any
    host: NetnsHost
    link: VethPair | None = None
    can_link: CanLink | None = None
    mounts: dict[str, str] = field(default_factory=dict)
    engine: Engine | None = field(default=None, repr=False)

    def __repr__(self) -> str:
        return f"ContainerPeer({self.name!r}, image={self.container.image.tags})"

    @property
    def pid(self) -> int:
        """The container's first process, seen from here."""
        return int(self.container.attrs["State"]["Pid"])

    @property
    def lab_end(self) -> Endpoint:
        """The link's end in the lab's namespace (the side the test drives)."""
        return self._link().left

    @property
    def peer_end(self) -> Endpoint:
        """The link's end inside the container."""
        return self._link().right

    @property
    def address4(self) -> str:
        return self.peer_end.address4

    @property
    def address6(self) -> str:
        return self.peer_end.address6

    def _link(self) -> VethPair:
        if self.link is None:
            raise RuntimeError(f"{self!r} has no veth link: start it with link='veth'")
        return self.link

    def exec(self, *command: str, check: bool = True, timeout: int = EXEC_TIMEOUT) -> ExecResult:
        """Run `command` in the container and wait (at most `timeout` s)."""
        with self._reachable():
            code, (stdout, stderr) = self.container.exec_run(
                ["timeout", str(timeout), *command], demux=True
            )
        result = ExecResult(code, stdout or b"", stderr or b"")
        if code != 0:
            # A container killed while the command ran ends it too: say so
            # rather than blame the command.
            stopped = self._trouble_after(code)
            if stopped:
                raise PeerUnavailable(stopped)
        if check and code != 0:
            raise PeerCommandFailed(
                f"{' '.join(command)!r} in {self.name} exited {code}:\n"
                f"{result.output}{result.stderr.decode(errors='replace')}"
            )
        return result

    def shell(self, script: str, check: bool = True, timeout: int = EXEC_TIMEOUT) -> ExecResult:
        return self.exec("sh", "-c", script, check=check, timeout=timeout)

    def spawn(self, *command: str) -> None:
        """Start `command` in the background; what it prints (both streams)
        is appended to `spawned_output()`."""
        quoted = " ".join(_shell_quote(part) for part in command)
        with self._reachable():
            self.container.exec_run(["sh", "-c", f"exec {quoted} >>{SPAWNED_OUTPUT} 2>&1"], detach=True)

    def trouble(self) -> str | None:
        """Why this peer can no longer serve a test (its container or the
        engine stopped), or None while it runs."""
        # lazy: the docker package, only when a test or command uses Docker
        import docker.errors
        import requests.exceptions

        gone = self.engine.stopped_reason() if self.engine is not None else None
        if gone:
            return f"{gone}; peer container {self.name} went with it"
        try:
            self.container.reload()
        except docker.errors.NotFound:
            return f"peer container {self.name} was removed during the test"
        except (docker.errors.DockerException, requests.exceptions.RequestException) as exc:
            return f"peer container {self.name}: its engine does not answer ({type(exc).__name__}: {exc})"
        state = self.container.attrs["State"]
        if state.get("Running"):
            return None
        return f"peer container {self.name} stopped during the test: {_describe_end(state)}"

    def _trouble_after(self, code: int) -> str | None:
        """`trouble()` once a command has ended with `code`: a command
        killed by a signal (128 + N) is asked about again for a moment, as
        the engine may still show its container running."""
        deadline = time.monotonic() + (SETTLE_S if code > 128 else 0.0)
        while True:
            stopped = self.trouble()
            if stopped or time.monotonic() >= deadline:
                return stopped
            time.sleep(0.1)

    @contextlib.contextmanager
    def _reachable(self) -> Iterator[None]:
        """Turn an engine's refusal, deep in docker-py and requests, into one
        line that names what went wrong with the peer."""
        # lazy: the docker package, only when a test or command uses Docker
        import docker.errors
        import requests.exceptions

        try:
            yield
        except (docker.errors.DockerException, requests.exceptions.RequestException) as exc:
            reason = self.trouble() or f"peer container {self.name}: {type(exc).__name__}: {exc}"
            raise PeerUnavailable(reason) from None

    def spawned_output(self) -> str:
        # Read through the container's root from here: no round trip to the
        # engine, and nothing waits for a line to end as Docker's log does.
        try:
            return Path(f"/proc/{self.pid}/root{SPAWNED_OUTPUT}").read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def logs(self) -> str:
        """The container's own log, then what spawned programs printed."""
        return self.container.logs().decode(errors="replace") + self.spawned_output()

    def wait_for_output(self, text: str, timeout: float = READY_TIMEOUT) -> str:
        """What spawned programs printed, once it contains `text`."""
        return _poll(lambda: text in self.spawned_output(), timeout,
                     f"{text!r} in the output of {self.name}", self.spawned_output)

    def wait_listening(self, table: str, port: int | None = None, path: str | None = None,
                       timeout: float = READY_TIMEOUT) -> None:
        """Wait until a socket of the container is bound: `table` names a
        /proc/net table ("tcp", "tcp6", "udp", "udp6", "unix"); TCP counts
        only listening sockets."""
        sockets = Path(f"/proc/{self.pid}/net/{table}")

        def bound() -> bool:
            return any(_row_matches(table, row, port, path) for row in sockets.read_text().splitlines()[1:])

        _poll(bound, timeout, f"a {table} socket on {port or path} in {self.name}", self.logs)

    def reset(self) -> None:
        """Ready for another test (a shared peer): every process of the
        container but its first killed, whatever a test spawned or left
        running, their output emptied, and its links forgotten (each went
        with its test's lab host)."""
        first = self.pid
        ours = os.readlink(f"/proc/{first}/ns/pid")
        killed = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit() or int(entry.name) == first:
                continue
            with contextlib.suppress(OSError):
                if os.readlink(entry / "ns" / "pid") == ours:
                    os.kill(int(entry.name), signal.SIGKILL)
                    killed.append(entry)
        deadline = time.monotonic() + SETTLE_S
        while any(naming.is_alive(int(entry.name)) for entry in killed) and time.monotonic() < deadline:
            time.sleep(0.01)
        with contextlib.suppress(FileNotFoundError):
            Path(f"/proc/{first}/root{SPAWNED_OUTPUT}").write_text("")
        self.link = self.can_link = None

    def remove(self) -> None:
        """Remove the container (killed at once) and its namespace name.  An
        engine that died cannot remove it: stopping that engine kills what
        it ran (see `docker_engine.stop_daemon`), so only the name goes."""
        # lazy: the docker package, only when a test or command uses Docker
        import docker.errors
        import requests.exceptions

        try:
            self.container.remove(force=True)
        except docker.errors.NotFound:
            pass
        except (docker.errors.DockerException, requests.exceptions.RequestException):
            if self.engine is None or self.engine.stopped_reason() is None:
                raise
        finally:
            with contextlib.suppress(OSError):
                self.host.remove()


def _describe_end(state: dict[str, Any]) -> str:
    code = state.get("ExitCode")
    how = f"{state.get('Status', 'not running')}, exit code {code}"
    if state.get("OOMKilled"):
        return how + " (killed: out of memory)"
    if code == EXIT_BY_SIGKILL:
        return how + " (killed by SIGKILL)"
    return how


def _shell_quote(part: str) -> str:
    return "'" + part.replace("'", "'\\''") + "'"


def _row_matches(table: str, row: str, port: int | None, path: str | None) -> bool:
    fields = row.split()
    if table == "unix":
        return path is not None and fields[-1] == path
    local_port = int(fields[1].rsplit(":", 1)[1], 16)
    listening = fields[3] == TCP_LISTEN or not table.startswith("tcp")
    return local_port == port and listening


def _poll(ready: Any, timeout: float, what: str, context: Any) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ready():
            return context()
        time.sleep(0.02)
    raise TimeoutError(f"no {what} within {timeout} s; container log:\n{context()}")


def start_peer(
    engine: Engine,
    image: str,
    names: naming.RunNames,
    mounts: dict[str, str] | None = None,
    capabilities: Iterable[str] = ("NET_ADMIN", "NET_RAW"),
) -> ContainerPeer:
    """Start `image` as a lab peer: named for the run, no network but
    loopback, its namespace attached under a lab name."""
    name = names.namespace("peer")
    volumes = {source: {"bind": target, "mode": "rw"} for source, target in (mounts or {}).items()}
    container = engine.client.containers.run(
        image, name=name, detach=True, network_mode="none", volumes=volumes,
        labels={RUN_LABEL: names.tag}, cap_add=list(capabilities),
    )
    try:
        container.reload()
        netns.attach(name, int(container.attrs["State"]["Pid"]))
        host = NetnsHost(name)
        peer = ContainerPeer(name, container, host, mounts=dict(mounts or {}), engine=engine)
        for key, value in PEER_SYSCTLS.items():
            host.sysctl(key, value)
        with host.netlink() as ipr:
            ipr.link("set", index=ipr.link_lookup(ifname="lo")[0], state="up")
    except BaseException:
        container.remove(force=True)
        with contextlib.suppress(OSError):
            netns.remove(name)
        raise
    return peer


def wire_veth(peer: ContainerPeer, lab_host: NetnsHost, names: naming.RunNames,
              subnets: LinkSubnets) -> VethPair:
    """A veth pair from `lab_host` (.1, ::1) into the peer's container (.2, ::2)."""
    peer.link = create_veth_pair(
        lab_host, peer.host, (names.interface("d"), names.interface("c")), subnets
    )
    return peer.link


def wire_vxcan(peer: ContainerPeer, lab_host: NetnsHost, names: naming.RunNames) -> CanLink:
    """A vxcan pair from `lab_host` into the peer's container, both ends up."""
    lab_name, peer_name = names.interface("x"), names.interface("y")
    with lab_host.netlink() as ipr:
        before = _link_indexes(ipr)
        # pyroute2 has no vxcan peer attribute: the kernel then makes the peer
        # in this namespace under a name of its own, which we rename and move.
        ipr.link("add", ifname=lab_name, kind="vxcan")
        ours = ipr.link_lookup(ifname=lab_name)[0]
        created = sorted(_link_indexes(ipr) - before - {ours})
        if len(created) != 1:
            raise RuntimeError(f"cannot find the peer of vxcan {lab_name}: {created}")
        ipr.link("set", index=created[0], ifname=peer_name)
        ipr.link("set", index=created[0], net_ns_fd=peer.host.name)
        ipr.link("set", index=ours, state="up")
    with peer.host.netlink() as ipr:
        ipr.link("set", index=ipr.link_lookup(ifname=peer_name)[0], state="up")
    peer.can_link = CanLink(lab_host, lab_name, peer_name)
    return peer.can_link


def _link_indexes(ipr: Any) -> set[int]:
    return {link["index"] for link in ipr.get_links()}


def lab_containers(engine: Engine) -> list[Any]:
    """Every container a lab run made, in any state."""
    return [c for c in engine.client.containers.list(all=True, filters={"label": RUN_LABEL})
            if naming.owner_pid(c.name) is not None]


def sweep_containers(engine: Engine, tag: str | None = None) -> list[str]:
    """Remove the containers of dead runs (and, with `tag`, of this run);
    returns their names."""
    removed = []
    for container in lab_containers(engine):
        if naming.is_stale(container.name) or (tag and container.name.startswith(tag + "-")):
            container.remove(force=True)
            removed.append(container.name)
    return removed
