"""Where sockimpl's core deliberately differs from the stdlib.

Each test states the scenario, shows what the stdlib does (so the test
notices if a future CPython changes), and asserts sockimpl's behaviour.
The reasons are the project's standards: no silent truncation, no
uninitialised memory, a timeout socket behaving as a blocking one would
within its time."""

from __future__ import annotations

import os
import socket as stdlib_socket
import tempfile

import pytest

import sockimpl


def datagram_then_truncating_recv(m, call):
    a, b = m.socketpair(m.AF_UNIX, m.SOCK_DGRAM)
    with a, b:
        a.send(b"0123456789")
        return call(b, m)


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda s, m: s.recv(4, m.MSG_TRUNC), id="recv"),
        pytest.param(lambda s, m: s.recvfrom(4, m.MSG_TRUNC)[0], id="recvfrom"),
        pytest.param(lambda s, m: s.recvmsg(4, 0, m.MSG_TRUNC)[0], id="recvmsg"),
    ],
)
def test_msg_trunc_returns_only_the_bytes_received(call) -> None:
    """With MSG_TRUNC the kernel reports the datagram's full length (10)
    although only 4 bytes fitted.  The stdlib's recv/recvfrom then return 10
    bytes, 6 of them uninitialised memory; sockimpl returns the 4 received."""
    stdlib_data = datagram_then_truncating_recv(stdlib_socket, call)
    assert stdlib_data[:4] == b"0123"
    assert datagram_then_truncating_recv(sockimpl, call) == b"0123"


def test_msg_trunc_into_a_buffer_reports_the_full_length_in_both() -> None:
    """The *_into forms return the kernel's count, as documented for
    MSG_TRUNC, in both implementations: no difference here."""

    def call(s, m):
        buf = bytearray(4)
        return s.recv_into(buf, 0, m.MSG_TRUNC), bytes(buf)

    expected = datagram_then_truncating_recv(stdlib_socket, call)
    assert datagram_then_truncating_recv(sockimpl, call) == expected == (10, b"0123")


def test_unix_path_with_a_nul_byte_is_refused() -> None:
    """The kernel stops at the NUL, so the stdlib binds a different path than
    the one asked for without a word; sockimpl raises ValueError."""
    with tempfile.TemporaryDirectory() as d:
        asked = os.path.join(d, "a\0b")
        with stdlib_socket.socket(stdlib_socket.AF_UNIX, stdlib_socket.SOCK_DGRAM) as s:
            s.bind(asked)
            assert s.getsockname() == os.path.join(d, "a")
        with (
            sockimpl.socket(sockimpl.AF_UNIX, sockimpl.SOCK_DGRAM) as s,
            pytest.raises(ValueError, match="null byte"),
        ):
            s.bind(asked)
        assert os.listdir(d) == ["a"]


def test_ipv6_scope_id_past_32_bits_is_refused() -> None:
    """The stdlib masks scope_id to 32 bits (2**32 becomes 0) and binds;
    sockimpl raises OverflowError."""
    with stdlib_socket.socket(stdlib_socket.AF_INET6, stdlib_socket.SOCK_DGRAM) as s:
        s.bind(("::1", 0, 0, 2**32))
        assert s.getsockname()[3] == 0
    with (
        sockimpl.socket(sockimpl.AF_INET6, sockimpl.SOCK_DGRAM) as s,
        pytest.raises(OverflowError, match="scope_id"),
    ):
        s.bind(("::1", 0, 0, 2**32))


def connect_errno(m, address) -> int | None:
    with m.socket(m.AF_INET6, m.SOCK_DGRAM) as s:
        try:
            s.connect(address)
        except OSError as exc:
            return exc.errno
        return None


def test_ipv6_zone_in_the_host_is_honoured() -> None:
    """'fe80::1%lo' names a link-local address on lo.  The stdlib drops the
    zone when the tuple gives no scope_id, so the kernel sees a link-local
    address without a scope and refuses it (EINVAL).  sockimpl keeps the
    zone: the call behaves exactly as the stdlib's with scope_id given."""
    lo = stdlib_socket.if_nametoindex("lo")
    assert connect_errno(stdlib_socket, ("fe80::1%lo", 9)) == 22
    assert connect_errno(sockimpl, ("fe80::1%lo", 9)) == connect_errno(
        stdlib_socket, ("fe80::1", 9, 0, lo)
    )
    # An explicit scope_id still wins over the zone, as in the stdlib.
    assert connect_errno(sockimpl, ("fe80::1%lo", 9, 0, 0)) == 22


@pytest.mark.parametrize("size", [1, 100_000])
def test_oob_byte_on_a_timeout_socket_is_returned_like_on_a_blocking_one(size: int) -> None:
    """Urgent data does not make a socket readable for poll(POLLIN).  The
    stdlib waits for readability before every recv of a timeout socket, so
    recv(1, MSG_OOB) times out although the urgent byte is there, where a
    blocking socket returns it at once.  sockimpl tries the call first
    (with MSG_DONTWAIT, whatever the size) and waits only when the kernel
    has nothing, so both modes agree."""

    def oob_with_timeout(m):
        with (
            m.create_server(("127.0.0.1", 0)) as srv,
            m.create_connection(srv.getsockname(), timeout=5) as c,
        ):
            conn, _ = srv.accept()
            with conn:
                c.send(b"!", m.MSG_OOB)
                conn.settimeout(None)
                blocking = conn.recv(size, m.MSG_OOB)
                c.send(b"?", m.MSG_OOB)
                conn.settimeout(0.2)
                try:
                    timed = conn.recv(size, m.MSG_OOB)
                except TimeoutError:
                    timed = "timed out"
                return blocking, timed

    assert oob_with_timeout(stdlib_socket) == (b"!", "timed out")
    assert oob_with_timeout(sockimpl) == (b"!", b"?")


def test_setsockopt_null_option_length_past_32_bits_is_refused() -> None:
    """setsockopt(level, opt, None, optlen): the stdlib masks optlen to 32
    bits, so 2**40 reaches the kernel as 0 (and the kernel's EINVAL names a
    length the caller never gave); sockimpl raises OverflowError."""
    with stdlib_socket.socket() as s:
        with pytest.raises(OSError) as raised:
            s.setsockopt(stdlib_socket.SOL_SOCKET, stdlib_socket.SO_KEEPALIVE, None, 2**40)
        assert raised.value.errno == 22
    with sockimpl.socket() as s, pytest.raises(OverflowError, match="optlen"):
        s.setsockopt(sockimpl.SOL_SOCKET, sockimpl.SO_KEEPALIVE, None, 2**40)


def test_packet_dgram_sendto_with_a_short_address_sends_to_all_zeros_not_stack_bytes() -> None:
    """The stdlib leaves sll_addr unset for a 2-tuple address, and the kernel
    reads six bytes of it as a SOCK_DGRAM frame's destination: six bytes of
    the interpreter's C stack go on the wire (found by the differential
    engine).  sockimpl sends the frame to 00:00:00:00:00:00."""
    import sockimpl

    ethertype = 0x88B5
    receiver = sockimpl.socket(sockimpl.AF_PACKET, sockimpl.SOCK_RAW, sockimpl.htons(ethertype))
    sender = sockimpl.socket(sockimpl.AF_PACKET, sockimpl.SOCK_DGRAM, sockimpl.htons(ethertype))
    with receiver, sender:
        receiver.settimeout(5)
        sender.sendto(b"payload", ("lo", ethertype))
        frame = receiver.recv(64)
    assert frame[:6] == bytes(6) and frame[12:14] == ethertype.to_bytes(2, "big") and frame[14:] == b"payload"
