"""A world: one implementation, alone in a child process with a network
namespace and a working directory of its own (and a vcan bus, where the
family needs one).  Each step's observation is its outcome, the state of
every socket after it, and the frames it put on the family's wire.

Two worlds run the same steps side by side.  Being separate processes, they
share no descriptors (a step on a stale descriptor in one world cannot reach
the other's sockets), no garbage collector, no signal handlers, and each
namespace goes away with its process, so nothing is left to clean up.
AF_UNIX paths are relative, so both worlds bind the same names, each in
its own directory; abstract names live in the namespace.
"""

from __future__ import annotations

import ctypes
import fcntl
import gc
import multiprocessing
import os
import shutil
import signal
import socket as stdlib_socket
import struct
import tempfile
import time
import traceback
from multiprocessing.connection import Connection
from typing import Any

from lab.engine.executor import Executor, Step
from lab.engine.families import Family
from lab.engine.target import load
from lab.engine.wire import Capture, seen
from lab.kernel.can import add_vcan
from lab.wire.can import CANFD_MTU

CLONE_NEWNET = 0x40000000
SIOCSIFFLAGS = 0x8914
IFF_UP = 0x1
ANSWER_LIMIT = 15.0  # seconds a world may take for one step before it counts as stuck
VCAN = "vcan0"
# Bluetooth is not per namespace: each world gets a controller of its own.
CONTROLLERS_ENV = "SOCKLAB_ENGINE_CONTROLLERS"
# "off": no frames captured or compared (to measure what the wire adds).
WIRE_ENV = "SOCKLAB_ENGINE_WIRE"


class WorldError(RuntimeError):
    """A world failed for the engine's own reasons, not the implementation's."""


def _unshare_network() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(CLONE_NEWNET) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"unshare(CLONE_NEWNET): {os.strerror(err)}")


def _loopback_up() -> None:
    with stdlib_socket.socket(stdlib_socket.AF_INET, stdlib_socket.SOCK_DGRAM) as control:
        fcntl.ioctl(control, SIOCSIFFLAGS, struct.pack("16sH14x", b"lo", IFF_UP))


def _furnish(family: Family) -> None:
    if "vcan" in family.world:
        add_vcan(None, VCAN, CANFD_MTU)


def controller_of(seat: int) -> tuple[int, str] | None:
    """The Bluetooth controller of the world in `seat` (0 the oracle's, 1 the
    target's), from CONTROLLERS_ENV ("0=AA:..,1=BB:.."), if set."""
    listed = [item.partition("=") for item in os.environ.get(CONTROLLERS_ENV, "").split(",") if item]
    if seat >= len(listed):
        return None
    index, _, address = listed[seat]
    return int(index), address


def _serve(connection: Connection, impl_name: str, family: Family, seat: int) -> None:
    gc.callbacks.clear()  # the parent's (hypothesis times its collections)
    if family.own_namespace:
        _unshare_network()
        _loopback_up()
    _furnish(family)
    home = tempfile.mkdtemp(prefix="socklab-engine-")
    os.chdir(home)
    capture = Capture(family.wire) if family.wire and os.environ.get(WIRE_ENV) != "off" else None
    executor = Executor(load(impl_name), family, controller_of(seat))
    try:
        connection.send(("ready",))
        while True:
            step = connection.recv()
            if step is None:
                break
            outcome, state = executor.run(step)
            frames = seen(capture.take(), family.normalise, executor.symbols) if capture else ()
            connection.send((outcome, state, frames))
    finally:
        executor.close_all()
        if capture:
            capture.close()
        os.chdir("/")
        shutil.rmtree(home, ignore_errors=True)


def _child(connection: Connection, impl_name: str, family: Family, seat: int) -> None:
    status = 0
    try:
        _serve(connection, impl_name, family, seat)
    except BaseException:  # noqa: BLE001 - reported to the parent, then gone
        status = 1
        try:
            connection.send(("world-error", traceback.format_exc()))
        except Exception:  # noqa: BLE001, S110
            pass
    os._exit(status)


class World:
    """The parent's handle on one world."""

    def __init__(self, impl_name: str, family: Family, seat: int = 0) -> None:
        self.impl_name = impl_name
        parent_end, child_end = multiprocessing.Pipe()
        pid = os.fork()
        if pid == 0:
            parent_end.close()
            _child(child_end, impl_name, family, seat)
        child_end.close()
        self._pid = pid
        self._connection = parent_end
        self.answer()  # ready

    def ask(self, step: Step) -> None:
        self._connection.send(step)

    def answer(self) -> Any:
        if not self._connection.poll(ANSWER_LIMIT):
            raise WorldError(f"the {self.impl_name} world did not answer within {ANSWER_LIMIT} s")
        reply = self._connection.recv()
        if isinstance(reply, tuple) and reply and reply[0] == "world-error":
            raise WorldError(f"the {self.impl_name} world failed:\n{reply[1]}")
        return reply

    def end(self) -> None:
        try:
            self._connection.send(None)
        except OSError:
            pass
        self._connection.close()
        status = self._reap()
        if status and os.WIFSIGNALED(status):
            raise WorldError(f"the {self.impl_name} world died of signal {os.WTERMSIG(status)}")

    def _reap(self) -> int:
        """Wait for the world to end; one that does not (stuck in a step) is
        killed, by its own pid."""
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            pid, status = os.waitpid(self._pid, os.WNOHANG)
            if pid:
                return status
            time.sleep(0.01)
        os.kill(self._pid, signal.SIGKILL)
        os.waitpid(self._pid, 0)
        return 0
