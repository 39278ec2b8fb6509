"""Runs steps on one implementation inside one world, and says what each
observably did.

A step is a plain tuple, `(op, *args)`, whose arguments are literals and
handle numbers (the n-th socket this sequence made, in order).  `Executor.run`
returns an observation: the step's outcome (its value made comparable, or
its exception's type, errno and message), and the state of every socket
afterwards (timeout, blocking, open or closed, its own and its peer's
address, and each option the sequence set, read back in the form it was set).

A step that would block forever is cut short by an alarm and observed as
"blocked": both implementations must block, or neither.  A peer acting
while a receive sleeps (`recv_during`) waits until the receiver is asleep
in the kernel, instead of sleeping for a while and hoping.
"""

from __future__ import annotations

import array
import gc
import os
import select
import signal
import struct
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import Any

from lab.engine.families import Family, Option, constant
from lab.engine.symbols import Symbols

Step = tuple
BLOCK_BUDGET = 0.2  # seconds a call may take before it counts as blocked
# How long a finaliser's socket may wait for what is on its way to it (a
# loopback datagram the kernel delivers in a softirq, which a busy machine
# defers to ksoftirqd): the finaliser's receive does not wait, and the two
# worlds run it at different moments of the call.
IN_FLIGHT_S = 0.05
# The whole step's budget: the engine's own work around a call (a garbage
# collection, thousands of held tuples) must not count as the call blocking
# on a machine that is busy.
STEP_BUDGET = 3.0
SYS_FUTEX = 202
# CPython keeps up to 80 freed lists and 2000 freed tuples of each small size.
FREE_LISTS, FREE_TUPLES = 100, 2100


class Blocked(Exception):
    """The step was still waiting when its budget ran out."""


class NoSuchHandle(Exception):
    """The step names a socket the sequence has not made: it does nothing."""


class WorldSetupError(BaseException):
    """The world lacks what the step's family needs (a BaseException, so that
    no step catches it as an outcome: the world fails, and the run)."""


# Address placeholders naming the world's own Bluetooth controller.
OWN_CONTROLLER = ("own_address", "own_address_str", "own_address_bytes", "own_index", "own_index_int")


def _alarm(signum: int, frame: Any) -> None:
    raise Blocked


@contextmanager
def budget(seconds: float = BLOCK_BUDGET) -> Iterator[None]:
    previous = signal.signal(signal.SIGALRM, _alarm)
    # Repeating: an alarm that lands in a finaliser is swallowed there
    # ("Exception ignored"), and the step must still end.
    signal.setitimer(signal.ITIMER_REAL, seconds, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def error(exc: BaseException) -> tuple:
    if isinstance(exc, Blocked):
        return ("blocked",)
    return ("raised", type(exc).__name__, getattr(exc, "errno", None), str(exc))


def asleep_in_kernel(tid: int) -> bool:
    """The thread sleeps in a system call other than a lock wait."""
    try:
        with open(f"/proc/self/task/{tid}/syscall") as status:
            fields = status.read().split()
    except OSError:
        return False
    return bool(fields) and fields[0] not in ("running", "-1", str(SYS_FUTEX))


def context_switches(tid: int) -> int:
    """How often the thread has gone to sleep of its own accord."""
    try:
        with open(f"/proc/self/task/{tid}/status") as status:
            for line in status:
                if line.startswith("voluntary_ctxt_switches:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return -1


def hold_free_lists() -> list:
    """The interpreter reuses freed lists and small tuples without the
    collector's notice: hold enough of them that the next container made is
    a fresh allocation, which the collector counts.  Tuples first: making
    them frees lists."""
    held: list = [tuple([n] * size) for size in range(1, 5) for n in range(FREE_TUPLES)]
    held.append([[] for _ in range(FREE_LISTS)])
    return held


class Executor:
    def __init__(self, module: ModuleType, family: Family, controller: tuple[int, str] | None = None) -> None:
        self.module = module
        self.family = family
        self.handles: list[Any] = []
        self.kinds: list[int] = []  # each handle's kind index (-1: accepted, dup'ed ...)
        self.options_set: list[dict[tuple[str, str], str]] = []
        self.symbols = Symbols(os.getpid(), controller)
        self._armed_finaliser = False
        self._held: list = []

    # -- the interface -------------------------------------------------------
    def run(self, step: Step) -> tuple:
        op, *args = step
        try:
            with budget(STEP_BUDGET):
                outcome = ("value", getattr(self, "op_" + op)(*args))
        except NoSuchHandle:
            outcome = ("nothing",)
        except Exception as exc:  # noqa: BLE001 - the exception is the observation
            outcome = error(exc)
        finally:
            gc.enable()
        return (outcome, self.state())

    def state(self) -> tuple:
        return tuple(self._state_of(index) for index in range(len(self.handles)))

    def close_all(self) -> None:
        for sock in self.handles:
            try:
                sock.close()
            except Exception:  # noqa: BLE001, S110 - tearing down
                pass

    # -- helpers -------------------------------------------------------------
    def _state_of(self, index: int) -> tuple:
        sock = self.handles[index]
        options = []
        for (level, name), form in sorted(self.options_set[index].items()):
            try:
                if form == "int":
                    options.append((name, sock.getsockopt(constant(level), constant(name))))
                else:
                    buflen = self._option(level, name).buflen
                    value = sock.getsockopt(constant(level), constant(name), buflen)
                    options.append((name, self.seen_option(level, name, value)))
            except Exception as exc:  # noqa: BLE001
                options.append((name, error(exc)))
        return (sock.gettimeout(), sock.getblocking(), sock.fileno() >= 0, self._name_of(sock.getsockname),
                self._name_of(sock.getpeername), tuple(options), (int(sock.family), int(sock.type), sock.proto))

    def _name_of(self, ask: Any) -> Any:
        try:
            return self.seen_address(ask())
        except Exception as exc:  # noqa: BLE001
            return error(exc)

    def _option(self, level: str, name: str) -> Option:
        return next(o for o in self.family.options if (o.level, o.name) == (level, name))

    def sock(self, handle: int) -> Any:
        if not 0 <= handle < len(self.handles):
            raise NoSuchHandle
        return self.handles[handle]

    def adopt(self, sock: Any, kind: int = -1) -> int:
        self.handles.append(sock)
        self.kinds.append(kind)
        self.options_set.append({})
        return len(self.handles) - 1

    def address(self, spec: Any) -> Any:
        if isinstance(spec, tuple) and spec and spec[0] == "name_of":
            return self.sock(spec[1]).getsockname()
        if isinstance(spec, tuple) and spec and spec[0] in OWN_CONTROLLER:
            # The world's own Bluetooth controller: its address (as a str,
            # or as bytes: SCO's form before 3.14) or its index.
            if self.symbols.controller is None:
                raise WorldSetupError(f"{spec[0]}: the world has no Bluetooth controller")
            index, address = self.symbols.controller
            return {"own_address": (address, *spec[1:]), "own_address_str": address,
                    "own_address_bytes": address.encode(), "own_index": (index, *spec[1:]),
                    "own_index_int": index}[spec[0]]
        return spec

    def seen_option(self, level: str, name: str, value: bytes) -> Any:
        """An option's bytes as far as the kernel wrote them, and their length."""
        written = self._option(level, name).written
        return value if written is None else (value[:written], len(value))

    def seen_address(self, address: Any) -> Any:
        return self.family.normalise("address", address, self.symbols)

    def seen_data(self, handle: int, data: Any) -> Any:
        kind = self.kinds[handle]
        raw4 = kind >= 0 and self.family.kinds[kind][:2] == ("AF_INET", "SOCK_RAW")
        return self.family.normalise("raw4" if raw4 else "data", data, self.symbols)

    def seen_ancillary(self, items: list) -> tuple:
        seen = []
        for level, kind, data in items:
            if (level, kind) == (constant("SOL_SOCKET"), constant("SCM_RIGHTS")):
                fds = array.array("i")
                fds.frombytes(data[: len(data) - len(data) % fds.itemsize])
                for fd in fds:
                    os.close(fd)
                seen.append((level, kind, ("fds", len(fds), len(data))))
            elif (level, kind) == (constant("SOL_SOCKET"), constant("SCM_CREDENTIALS")) and len(data) >= 12:
                pid, uid, gid = struct.unpack_from("3i", data)
                seen.append((level, kind, (self.symbols.pid(pid), uid, gid, len(data))))
            else:
                seen.append((level, kind, data))
        return tuple(seen)

    def call(self, method: Any, *args: Any) -> Any:
        """Call `method`; an armed finaliser runs at its first allocation of a
        container object (the garbage collector's next pass)."""
        if self._armed_finaliser:
            self._armed_finaliser = False
            self._held.append(hold_free_lists())  # (replacing a list would free one)
            signal.setitimer(signal.ITIMER_REAL, BLOCK_BUDGET, BLOCK_BUDGET)
            gc.enable()
        else:
            signal.setitimer(signal.ITIMER_REAL, BLOCK_BUDGET, BLOCK_BUDGET)
        try:
            return method(*args)
        finally:
            signal.setitimer(signal.ITIMER_REAL, STEP_BUDGET, STEP_BUDGET)

    # -- making sockets ------------------------------------------------------
    def op_socket(self, kind: int) -> int:
        family = self.family
        return self.adopt(self.module.socket(*family.kind(kind)), kind % len(family.kinds))

    def op_socketpair(self, kind: int) -> tuple:
        family = self.family
        left, right = self.module.socketpair(*family.kind(kind))
        index = kind % len(family.kinds)
        return (self.adopt(left, index), self.adopt(right, index))

    def op_dup(self, handle: int) -> int:
        return self.adopt(self.sock(handle).dup(), self.kinds[handle])

    def op_fromfd(self, handle: int) -> int:
        sock = self.sock(handle)
        return self.adopt(self.module.fromfd(sock.fileno(), sock.family, sock.type), self.kinds[handle])

    def op_alias(self, handle: int) -> int:
        """A second socket object on the very same descriptor (`fileno=`)."""
        return self.adopt(self.module.socket(fileno=self.sock(handle).fileno()), self.kinds[handle])

    def op_connected_pair(self, kind: int) -> tuple:
        """A connected pair on the family's loopback, in one step: for a
        stream, (listener, client, accepted); otherwise two sockets bound
        and connected to each other."""
        first = self.op_socket(kind)
        self.handles[first].bind((self.family.loopback, self.family.pair_port))
        second = self.op_socket(kind)
        if self.handles[first].type == self.module.SOCK_STREAM:
            self.handles[first].listen(1)
            self.handles[second].connect(self.handles[first].getsockname())
            return (first, second, self.adopt(self.handles[first].accept()[0], self.kinds[first]))
        self.handles[second].bind((self.family.loopback, self.family.pair_port))
        self.handles[first].connect(self.handles[second].getsockname())
        self.handles[second].connect(self.handles[first].getsockname())
        return (first, second)

    def op_bound_pair(self, kind: int) -> tuple:
        """Two sockets of a kind that pairs by binding alone (CAN's raw
        sockets on one bus, an ISO-TP pair with facing ids), in one step."""
        first_address, second_address = next((a, b) for k, a, b in self.family.bound_pairs if k == kind)
        first = self.op_socket(kind)
        self.handles[first].bind(first_address)
        second = self.op_socket(kind)
        self.handles[second].bind(second_address)
        return (first, second)

    def op_accept(self, handle: int) -> tuple:
        conn, address = self.call(self.sock(handle).accept)
        return (self.adopt(conn, self.kinds[handle]), self.seen_address(address))

    # -- configuring ---------------------------------------------------------
    def op_setsockopt(self, handle: int, level: str, name: str, value: Any) -> Any:
        sock = self.sock(handle)
        if isinstance(value, tuple):  # ("none", optlen)
            result = sock.setsockopt(constant(level), constant(name), None, value[1])
        else:
            result = sock.setsockopt(constant(level), constant(name), value)
        self.options_set[handle][(level, name)] = "int" if isinstance(value, int) else "bytes"
        return result

    def op_getsockopt(self, handle: int, level: str, name: str, buflen: Any) -> Any:
        sock = self.sock(handle)
        if buflen is None:
            value = sock.getsockopt(constant(level), constant(name))
            return self.symbols.pid(value) if name == "SO_PEERCRED" else value
        value = sock.getsockopt(constant(level), constant(name), buflen)
        if name == "SO_PEERCRED" and len(value) == 12:
            pid, uid, gid = struct.unpack("3i", value)
            return (self.symbols.pid(pid), uid, gid)
        return self.seen_option(level, name, value)

    def op_settimeout(self, handle: int, timeout: Any) -> Any:
        return self.sock(handle).settimeout(timeout)

    def op_setblocking(self, handle: int, flag: bool) -> Any:
        return self.sock(handle).setblocking(flag)

    # -- addresses -----------------------------------------------------------
    def op_bind(self, handle: int, address: Any) -> Any:
        return self.sock(handle).bind(self.address(address))

    def op_connect(self, handle: int, address: Any) -> Any:
        return self.call(self.sock(handle).connect, self.address(address))

    def op_connect_ex(self, handle: int, address: Any) -> Any:
        return self.call(self.sock(handle).connect_ex, self.address(address))

    def op_listen(self, handle: int, backlog: int) -> Any:
        return self.sock(handle).listen(backlog)

    def op_getsockname(self, handle: int) -> Any:
        return self.seen_address(self.sock(handle).getsockname())

    def op_getpeername(self, handle: int) -> Any:
        return self.seen_address(self.sock(handle).getpeername())

    # -- sending -------------------------------------------------------------
    def op_send(self, handle: int, data: bytes, flags: str) -> Any:
        return self.call(self.sock(handle).send, data, self.flags(flags))

    def op_sendall(self, handle: int, data: bytes, flags: str) -> Any:
        return self.call(self.sock(handle).sendall, data, self.flags(flags))

    def op_sendto(self, handle: int, data: bytes, flags: str, address: Any) -> Any:
        return self.call(self.sock(handle).sendto, data, self.flags(flags), self.address(address))

    def op_sendmsg(self, handle: int, parts: tuple, ancillary: tuple, flags: str, address: Any) -> Any:
        items = [(constant(level), constant(kind), self.ancillary_payload(payload))
                 for level, kind, payload in ancillary]
        args = [list(parts), items, self.flags(flags)]
        if address is not None:
            args.append(self.address(address))
        return self.call(self.sock(handle).sendmsg, *args)

    def ancillary_payload(self, payload: Any) -> bytes:
        if isinstance(payload, bytes):
            return payload
        if payload[0] == "fds":
            return array.array("i", [self.sock(payload[1]).fileno()]).tobytes()
        return struct.pack("3i", os.getpid(), os.getuid(), os.getgid())  # ("creds",)

    def flags(self, names: str) -> int:
        value = 0
        for name in filter(None, names.split("|")):
            value |= constant(name)
        return value

    # -- receiving -----------------------------------------------------------
    def op_recv(self, handle: int, size: int, flags: str) -> Any:
        return self.seen_data(handle, self.call(self.sock(handle).recv, size, self.flags(flags)))

    def op_recvfrom(self, handle: int, size: int, flags: str) -> Any:
        data, address = self.call(self.sock(handle).recvfrom, size, self.flags(flags))
        return (self.seen_data(handle, data), self.seen_address(address))

    def op_recv_into(self, handle: int, size: int, flags: str) -> Any:
        buffer = bytearray(b"\xee" * size)
        count = self.call(self.sock(handle).recv_into, buffer, size, self.flags(flags))
        return (count, self.seen_data(handle, bytes(buffer)))

    def op_recvfrom_into(self, handle: int, size: int, flags: str) -> Any:
        buffer = bytearray(b"\xee" * size)
        count, address = self.call(self.sock(handle).recvfrom_into, buffer, size, self.flags(flags))
        return (count, self.seen_data(handle, bytes(buffer)), self.seen_address(address))

    def op_recvmsg(self, handle: int, size: int, ancbufsize: int, flags: str) -> Any:
        data, ancillary, msg_flags, address = self.call(
            self.sock(handle).recvmsg, size, ancbufsize, self.flags(flags))
        return (self.seen_data(handle, data), self.seen_ancillary(ancillary), msg_flags,
                self.seen_address(address))

    def op_recvmsg_into(self, handle: int, sizes: tuple, ancbufsize: int, flags: str) -> Any:
        buffers = [bytearray(b"\xee" * size) for size in sizes]
        count, ancillary, msg_flags, address = self.call(
            self.sock(handle).recvmsg_into, buffers, ancbufsize, self.flags(flags))
        # Normalised as one message (a raw IP header or a netlink message
        # may span the buffers), then cut back into the buffers; a message
        # the family parses (netlink's) is compared whole: the buffers are
        # filled in order, so the count and the whole say how it was cut.
        whole = self.seen_data(handle, b"".join(bytes(b) for b in buffers))
        if isinstance(whole, bytes) and len(whole) == sum(sizes):
            cuts = [sum(sizes[:i]) for i in range(len(sizes) + 1)]
            filled: Any = tuple(whole[cuts[i]:cuts[i + 1]] for i in range(len(sizes)))
        else:
            filled = ("whole", whole)
        return (count, filled, self.seen_ancillary(ancillary), msg_flags, self.seen_address(address))

    # -- ending --------------------------------------------------------------
    def op_shutdown(self, handle: int, how: int) -> Any:
        return self.sock(handle).shutdown(how)

    def op_close(self, handle: int) -> Any:
        return self.sock(handle).close()

    def op_close_in_thread(self, handle: int) -> Any:
        sock = self.sock(handle)
        outcome: list = []
        worker = threading.Thread(target=lambda: outcome.append(sock.close()))
        worker.start()
        worker.join()
        return outcome

    def op_detach(self, handle: int) -> Any:
        fd = self.sock(handle).detach()
        if fd >= 0:
            os.close(fd)
        return fd >= 0

    # -- file objects --------------------------------------------------------
    def op_makefile_write(self, handle: int, data: bytes) -> Any:
        with self.sock(handle).makefile("wb") as stream:
            written = self.call(stream.write, data)
            self.call(stream.flush)
        return written

    def op_makefile_read(self, handle: int, size: int) -> Any:
        with self.sock(handle).makefile("rb", buffering=0) as stream:
            return self.seen_data(handle, self.call(stream.read, size))

    def op_wait(self, seconds: float) -> None:
        """Nothing for a while, in which the kernel acts on its own clock
        (a cork's timer sends the data it held)."""
        time.sleep(seconds)

    # -- steps around other steps -------------------------------------------
    def op_exchange(self, sender: int, data: bytes, receive: Step) -> Any:
        """A send of `data` on `sender`, then the receive step `receive`: the
        commonest conversation, drawn as one step (as two, a send and then a
        receive on its peer seldom meet)."""
        self.sock(sender)
        self.sock(receive[1])
        outcomes = []
        for action in (lambda: self.op_send(sender, data, ""), lambda: getattr(self, "op_" + receive[0])(*receive[1:])):
            try:  # both handles exist (checked above): no NoSuchHandle here
                outcomes.append(("value", action()))
            except Exception as exc:  # noqa: BLE001 - the exception is the observation
                outcomes.append(error(exc))
        return tuple(outcomes)

    def op_recv_during(self, handle: int, receive: Step, peer: int, actions: tuple) -> Any:
        """Run the receive step `receive` while another thread performs
        `actions` one by one, each once the receiver sleeps in the kernel:
        ("send", data) on socket `peer`, ("shutdown",) of `peer`, or
        ("close_receiver",), a close of `handle` from that thread (when the
        receiver wakes relative to the next action is the kernel's business,
        so only the receive's outcome is observed)."""
        receiver, peer_sock = self.sock(handle), self.sock(peer)
        tid = threading.get_native_id()
        finished = threading.Event()
        done: list = []

        def wait_until(condition: Any, limit: float = BLOCK_BUDGET) -> bool:
            """False when the receive finished first (or `limit` passed)."""
            waited = 0.0
            while not condition():
                if finished.wait(0.0005) or waited > limit:
                    return False
                waited += 0.0005
            return True

        def act() -> None:
            for action in actions:
                if not wait_until(lambda: asleep_in_kernel(tid)):
                    return
                before = context_switches(tid)
                try:
                    if action[0] == "send":
                        peer_sock.send(action[1])
                    elif action[0] == "shutdown":
                        peer_sock.shutdown(self.module.SHUT_WR)
                    else:
                        receiver.close()
                    done.append(action[0])
                except Exception as exc:  # noqa: BLE001
                    done.append(error(exc))
                # Let the receiver take what came: it returns, or wakes and
                # sleeps again.  The kernel may not wake it at all (TCP
                # holds the wake-up until SO_RCVLOWAT bytes are queued), so
                # this wait is bounded.
                wait_until(lambda then=before: context_switches(tid) > then and asleep_in_kernel(tid), limit=0.02)

        worker = threading.Thread(target=act)
        worker.start()
        try:
            op, *args = receive
            result: Any = ("value", getattr(self, "op_" + op)(*args))
        except Blocked:
            result = ("blocked",)
        except Exception as exc:  # noqa: BLE001
            result = error(exc)
        finally:
            finished.set()
            worker.join()
        return result

    def op_gc_during(self, receive: Step, other: int, finaliser: tuple) -> Any:
        """Run `receive` while a finaliser, run by the garbage collector at
        the first container the call allocates, receives on socket `other`:
        `finaliser` is ("recv", size) or ("recvmsg", size)."""
        if receive[1] == other:
            raise NoSuchHandle  # a finaliser on the very socket the call uses: no defined outcome
        other_sock = self.sock(other)
        method = getattr(other_sock, finaliser[0])
        size = finaliser[1]
        record: list = []
        try:
            select.select([other_sock], [], [], IN_FLIGHT_S)
        except (OSError, ValueError):
            pass  # a closed socket: the finaliser meets that as it is

        class Garbage:
            def __del__(self) -> None:
                try:
                    record.append(method(size, constant("MSG_DONTWAIT")) if finaliser[0] == "recv"
                                  else method(size, 0, constant("MSG_DONTWAIT"))[0])
                except Exception as exc:  # noqa: BLE001
                    record.append(error(exc))

        gc.disable()
        garbage = Garbage()
        garbage.cycle = garbage  # type: ignore[attr-defined]
        del garbage
        threshold = gc.get_threshold()
        gc.set_threshold(1)
        self._armed_finaliser = True
        op, *args = receive
        try:
            result: Any = ("value", getattr(self, "op_" + op)(*args))
        except Exception as exc:  # noqa: BLE001
            result = error(exc)
        finally:
            reached = not self._armed_finaliser
            self._armed_finaliser = False
            gc.set_threshold(*threshold)
            gc.enable()
            self._held.clear()
            gc.collect()
        # A call never made (no such socket, a bad argument) ran no finaliser
        # in it; when the collector got to it after is nobody's business.
        # What the finaliser received is normalised as any receive is (a raw
        # IPv4 header's id and checksum are the world's own).
        seen = tuple(self.seen_data(other, got) if isinstance(got, bytes) else got for got in record)
        return (result, seen if reached else "call not made")
