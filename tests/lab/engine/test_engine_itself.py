"""The engine's own guarantees: the oracle is the stdlib, worlds are apart,
world-specific numbers are named and chosen ones kept."""

from __future__ import annotations

import socket
import struct

import pytest

from lab.engine import lockstep
from lab.engine.families import INET, PACKET, UNIX
from lab.engine.oracle import OracleError, verify_oracle
from lab.engine.symbols import FIXED_PORTS, Symbols


def test_the_oracle_is_this_interpreters_own_socket_module() -> None:
    assert socket.__file__ in verify_oracle()


def test_a_monkey_patched_socket_is_refused_as_oracle(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket.socket, "recv", lambda self, *args: b"")
    with pytest.raises(OracleError, match="recv"):
        verify_oracle()


def test_each_world_binds_the_same_fixed_port_in_a_namespace_of_its_own() -> None:
    steps = [("socket", 0), ("bind", 0, ("127.0.0.1", FIXED_PORTS[0])), ("listen", 0, 1), ("getsockname", 0)]
    assert lockstep.run(INET, "sockimpl", steps) is None


def test_each_world_has_a_directory_of_its_own_for_unix_paths() -> None:
    steps = [("socket", 1), ("bind", 0, "p0"), ("getsockname", 0)]
    assert lockstep.run(UNIX, "sockimpl", steps) is None


def test_a_divergence_names_its_step_and_both_outcomes() -> None:
    steps = [("socket", 0), ("recv", 0, 0, "")]  # planted_socket answers recv(0) wrongly
    divergence = lockstep.run(UNIX, "planted_socket", steps, skip_known=())
    assert divergence is not None and divergence.steps == tuple(steps)
    assert divergence.oracle[0] == ("value", b"")
    assert divergence.observed[0] == ("value", b"planted")


def test_a_divergence_loses_every_step_it_diverges_without() -> None:
    from lab.engine.explore import without_needless_steps

    steps = [("socket", 1), ("socket", 0), ("settimeout", 1, 0.0), ("getsockname", 0), ("recv", 1, 0, "")]
    divergence = lockstep.run(UNIX, "planted_socket", steps, skip_known=())
    assert divergence is not None
    assert without_needless_steps(UNIX, "planted_socket", divergence, skip_known=()).steps == (
        ("socket", 1), ("socket", 0), ("recv", 1, 0, ""))  # the first socket makes the handle 1


def test_kernel_chosen_numbers_are_named_in_order_and_chosen_ones_kept() -> None:
    symbols = Symbols(pid=4242)
    assert [symbols.port(p) for p in (51000, FIXED_PORTS[0], 0, 52000, 51000)] == \
        ["port#0", FIXED_PORTS[0], 0, "port#1", "port#0"]
    assert (symbols.pid(4242), symbols.pid(7)) == ("pid:self", "pid#0")


def test_a_raw_ipv4_header_is_compared_without_its_per_world_id_and_checksum_even_cut_short() -> None:
    from lab.engine.families import _normalise_inet

    header = bytes.fromhex("4500001530204000 40fd1234 7f000001 7f000001")
    other_world = header[:4] + b"\x13\x09" + header[6:10] + b"\xab\xcd" + header[12:]
    for size in (20, 10, 5):
        assert _normalise_inet("raw4", header[:size], Symbols(pid=1)) == \
            _normalise_inet("raw4", other_world[:size], Symbols(pid=1))
    assert _normalise_inet("raw4", header, Symbols(pid=1)) != _normalise_inet("raw4", b"F" + header[1:], Symbols(pid=1))


def test_a_family_the_oracle_lacks_is_refused_not_searched(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the stdlib has no AF_BLUETOOTH every step would fail alike in
    both worlds: that is no agreement, and the search must not report one."""
    from lab.engine.explore import OracleLacksFamily, explore
    from lab.engine.families import BLUETOOTH

    monkeypatch.delattr(socket, "AF_BLUETOOTH", raising=False)
    with pytest.raises(OracleLacksFamily, match="AF_BLUETOOTH"):
        explore(BLUETOOTH, "sockimpl", 1)


def test_a_family_no_socket_of_which_could_be_made_fails_rather_than_agrees() -> None:
    """QIPCRTR and Bluetooth sockets exist only in the kernel's first
    namespace: in a world of its own, every step failed alike, and the
    search had reported agreement over nothing."""
    import dataclasses

    from lab.engine.explore import OracleLacksFamily, explore

    unmakeable = dataclasses.replace(UNIX, name="unix-unmakeable", kinds=(("AF_UNIX", "SOCK_STREAM", 99),))
    with pytest.raises(OracleLacksFamily, match="made no socket"):
        explore(unmakeable, "sockimpl", 3)


SENDTO_FIXED_PORT = [("socket", 1), ("sendto", 0, b"x", "", ("127.0.0.1", FIXED_PORTS[0]))]


def test_a_difference_only_the_wire_shows_is_a_divergence_with_both_frames() -> None:
    divergence = lockstep.run(INET, "wire_planted_socket", SENDTO_FIXED_PORT, skip_known=())
    assert divergence is not None and divergence.steps == tuple(SENDTO_FIXED_PORT)
    assert divergence.oracle[:2] == divergence.observed[:2]  # same count returned, same state
    (_, oracle_header, datagram), *_ = divergence.oracle[2]
    (_, planted_header, planted_datagram), *_ = divergence.observed[2]
    assert (oracle_header[8], planted_header[8]) == (64, 2)  # the TTL, and nothing else
    assert datagram == planted_datagram == ("udp", "port#0", FIXED_PORTS[0], b"\x00\x09", b"x")
    assert "wire" in str(divergence)


def test_with_the_wire_off_that_difference_goes_unseen(monkeypatch: pytest.MonkeyPatch) -> None:
    from lab.engine.world import WIRE_ENV

    monkeypatch.setenv(WIRE_ENV, "off")
    assert lockstep.run(INET, "wire_planted_socket", SENDTO_FIXED_PORT, skip_known=()) is None


def test_a_frame_one_world_sends_a_step_later_agrees_and_one_never_matched_diverges() -> None:
    ledger = lockstep.Ledger()
    ledger.ahead = ledger.after(["syn", "data"], ["syn"])  # the target's data is corked a while
    assert not lockstep.Ledger.disagree(ledger.ahead)
    ledger.ahead = ledger.after([], ["data"])  # and sent during the next step
    assert ledger.ahead == lockstep.Ledger().ahead
    assert lockstep.Ledger.disagree(ledger.after(["data"], ["other data"]))


def test_a_frame_the_target_never_sends_diverges_after_a_wait_for_it() -> None:
    divergence = lockstep.run(INET, "silent_planted_socket", SENDTO_FIXED_PORT, skip_known=())
    assert divergence is not None and divergence.steps == (*SENDTO_FIXED_PORT, lockstep.WAIT_FOR_FRAMES)
    assert divergence.observed[2] == ()
    assert divergence.oracle[2][0][2] == ("udp", "port#0", FIXED_PORTS[0], b"\x00\x09", b"x")


def test_frames_are_compared_without_the_numbers_each_kernel_draws() -> None:
    from lab.engine.wire import ip_frame

    def tcp_frame(identification: int, sequence: int, port: int, timestamp: int, ttl: int = 64) -> bytes:
        options = b"\x01\x01\x08\x0a" + struct.pack("!II", timestamp, 0)
        tcp = struct.pack("!HHIIBBHHH", port, 40001, sequence, 0, (20 + len(options)) << 2, 0x18, 512, 0xBEEF, 0)
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp) + len(options) + 2, identification, 0x4000,
                         ttl, 6, 0xCAFE, bytes([127, 0, 0, 1]), bytes([127, 0, 0, 1]))
        return bytes(12) + b"\x08\x00" + ip + tcp + options + b"hi"

    one = ip_frame(tcp_frame(0x1111, 12345, 51000, 999), Symbols(pid=1))
    assert one == ip_frame(tcp_frame(0x2222, 67890, 52000, 4242), Symbols(pid=1))
    assert one != ip_frame(tcp_frame(0x1111, 12345, 51000, 999, ttl=3), Symbols(pid=1))
    assert one[2][-1] == b"hi"


def test_what_the_kernel_sends_on_its_own_clock_is_left_out() -> None:
    from lab.engine.wire import ip_frame

    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 40, 0, 0, 64, 6, 0, bytes(4), bytes(4))
    pure_ack = struct.pack("!HHIIBBHHH", 1, 2, 3, 4, 5 << 4, 0x10, 512, 0, 0)
    igmp = struct.pack("!BBHHHBBH4s4s", 0x46, 0, 32, 0, 0, 1, 2, 0, bytes(4), bytes(4)) + bytes(12)
    assert ip_frame(bytes(12) + b"\x08\x00" + ip + pure_ack, Symbols(pid=1)) is None
    assert ip_frame(bytes(12) + b"\x08\x00" + igmp, Symbols(pid=1)) is None


def test_a_netlink_reply_cut_across_recvmsg_into_buffers_is_compared_whole() -> None:
    from lab.engine.families import NETLINK

    # A route dump request, its reply received into buffers of 1, 1 and 100
    # bytes: cut there, no header parses, and the port ids each world's
    # kernel chose would show as they are (a false divergence, seen in CI).
    request = struct.pack("=IHHII", 32, 18, 0x301, 1, 0) + bytes(16)
    steps = [("socket", 0), ("socket", 0), ("exchange", 0, request, ("recvmsg_into", 0, (1, 1, 100), 0, ""))]
    assert lockstep.run(NETLINK, "sockimpl", steps) is None


def test_what_a_finaliser_received_is_normalised_as_any_receive() -> None:
    # Two raw IPv4 sockets hear one datagram; the finaliser's copy keeps the
    # IP id and checksum of its world unless normalised (seen in CI).
    steps = [("socket", 2), ("socket", 2), ("sendto", 0, b"1", "", ("127.0.0.1", 0)),
             ("gc_during", ("recvfrom", 1, 100, ""), 0, ("recv", 100))]
    divergence = lockstep.run(INET, "sockimpl", steps)
    assert divergence is None, str(divergence)


def test_stack_bytes_as_a_destination_excuse_the_packet_type_they_gave_and_nothing_else() -> None:
    from lab.engine.exclusions import deliberate

    step = ("recvfrom", 0, 10, "")
    address = ("lo", 34997, 0, 772, bytes(6))
    sockimpl = (("value", (bytes(10), address)), (), ())
    multicast = (("value", (b"\xbb\x7f\x00\x00\x80\xae" + bytes(4), ("lo", 34997, 2, 772, bytes(6)))), (), ())
    assert deliberate(step, multicast, sockimpl, "packet") is not None
    # The same packet type difference with the same bytes is a bug (the PACKET_PKTTYPE mutant's).
    same_bytes = (("value", (bytes(10), ("lo", 34997, 2, 772, bytes(6)))), (), ())
    assert deliberate(step, same_bytes, sockimpl, "packet") is None
    other_port = (("value", (b"\xbb" + bytes(9), ("lo", 1, 2, 772, bytes(6)))), (), ())
    assert deliberate(step, other_port, sockimpl, "packet") is None
    # Another drop-in over the stdlib's _socket sends its own stack's bytes:
    # any six, not zeros; the rest of the frame must still agree.
    its_stack = (("value", (b"\x92\x7f\x00\x00Pb" + bytes(4), ("lo", 34997, 3, 772, bytes(6)))), (), ())
    assert deliberate(step, multicast, its_stack, "packet", "gevent.socket") is not None
    assert deliberate(step, multicast, its_stack, "packet") is None  # sockimpl must send zeros
    assert deliberate(step, multicast, (("value", (b"\x92" + bytes(8) + b"!", address)), (), ()), "packet",
                      "gevent.socket") is None


def test_the_packet_type_alone_is_excused_only_after_the_stack_bytes_that_gave_it() -> None:
    """On a SOCK_DGRAM packet socket the received data holds no destination:
    the stdlib's stack bytes show only as the packet type (seen in a lab
    run, seed 2933611098).  Excused for data received from the very frame
    the stack bytes were excused in, earlier in the same sequence; any other
    packet type alone that differs is the PACKET_PKTTYPE mutant's bug."""
    from lab.engine.exclusions import STACK_BYTES, STACK_BYTES_PER_PROCESS, deliberate

    payload = b"\xff" * 6 + b"\x02\x00\x00\x00\x00\x01\x88\xb5payload"
    sent_to_zeros = bytes(6) + bytes(6) + b"\x88\xb5" + payload  # sockimpl's frame on lo
    step = ("recvfrom", 0, 10, "")
    sockimpl = (("value", (payload[:10], ("lo", 34997, 0, 772, bytes(6)))), (), ())
    stdlib = (("value", (payload[:10], ("lo", 34997, 3, 772, bytes(6)))), (), ())
    assert deliberate(step, stdlib, sockimpl, "packet") is None
    assert deliberate(step, stdlib, sockimpl, "packet", met={STACK_BYTES: [sent_to_zeros]}) is not None
    # Another frame's packet type: not the stack bytes' doing.
    other = bytes(6) + bytes(6) + b"\x88\xb5" + b"another frame"
    assert deliberate(step, stdlib, sockimpl, "packet", met={STACK_BYTES: [other]}) is None
    # sockimpl's frame went to zeros: on loopback, this host's; any other type is a bug.
    elsewhere = (("value", (payload[:10], ("lo", 34997, 1, 772, bytes(6)))), (), ())
    assert deliberate(step, stdlib, elsewhere, "packet", met={STACK_BYTES: [sent_to_zeros]}) is None
    # Another drop-in's own stack bytes: whatever type they gave.
    assert deliberate(step, stdlib, elsewhere, "packet", "gevent.socket",
                      met={STACK_BYTES_PER_PROCESS: [sent_to_zeros]}) is not None
    # The seen sequence, replayed (it agrees outright when the stack happens to hold zeros).
    steps = [("socket", 1), ("sendto", 0, payload, "", ("lo", 34997)), ("recvfrom", 0, 10, "")]
    divergence = lockstep.run(PACKET, "sockimpl", steps)
    assert divergence is None, str(divergence)


def test_a_bluetooth_address_in_cpython_3_14s_forms_is_excused_as_deliberate_in_bluetooth_only() -> None:
    from lab.engine.exclusions import deliberate

    step = ("sendto", 1, b"hello", "MSG_DONTWAIT", ("own_index_int",))
    stdlib = (("raised", "OSError", None, "sendto(): wrong format"), (), ())
    sockimpl = (("raised", "OSError", 22, "[Errno 22] Invalid argument"), (), ())
    found = deliberate(step, stdlib, sockimpl, "bluetooth")
    assert found is not None and found.name == "a Bluetooth address in CPython 3.14's forms is taken"
    # An SCO socket's own name, a str bdaddr (seed 4089405964).
    own_name = ("sendto", 0, b"1", "", ("name_of", 0))
    assert deliberate(own_name, stdlib, (("raised", "OSError", 107, "x"), (), ()), "bluetooth") is found
    in_sendmsg = ("sendmsg", 0, (), (), "", ("name_of", 0))
    assert deliberate(in_sendmsg, stdlib, (("raised", "OSError", 107, "x"), (), ()), "bluetooth") is found
    # An HCI address with its channel (seed 691356465); the 1-tuple both take.
    with_channel = ("sendto", 0, b"1", "", ("own_index", 0))
    assert deliberate(with_channel, stdlib, sockimpl, "bluetooth") is found
    assert deliberate(with_channel[:4] + (("own_index",),), stdlib, sockimpl, "bluetooth") is None
    assert deliberate(own_name[:4] + ("00:00:00:00:00:00",), stdlib, sockimpl, "bluetooth") is None
    assert deliberate(step, stdlib, sockimpl, "can") is None
    assert deliberate(step, stdlib, stdlib, "bluetooth") is None  # agreeing is no divergence
    assert deliberate(step[:4] + (("own_address", 1),), stdlib, sockimpl, "bluetooth") is None
    assert deliberate(step, (("raised", "OSError", 22, "x"), (), ()), sockimpl, "bluetooth") is None


def test_a_timed_send_taken_at_once_is_excused_only_where_the_stdlib_timed_out() -> None:
    from lab.engine.exclusions import deliberate

    step = ("sendto", 3, b"1", "", ("127.0.0.1", 0))
    stdlib = (("raised", "TimeoutError", None, "timed out"), (), ())
    sockimpl = (("value", 1), (), ())
    found = deliberate(step, stdlib, sockimpl, "sctp")
    assert found is not None and found.name == "a timed send the kernel takes at once is made"
    assert found.ends_sequence
    # Not a receive, not an error in sockimpl, not a timeout of sockimpl's own.
    assert deliberate(("recv", 3, 10, ""), stdlib, (("value", b"1"), (), ()), "sctp") is None
    assert deliberate(step, stdlib, (("raised", "OSError", 111, "refused"), (), ()), "sctp") is None
    assert deliberate(step, sockimpl, stdlib, "sctp") is None



def test_a_psm_the_kernel_chose_on_bdaddr_any_is_named_per_world() -> None:
    from lab.engine.families import BLUETOOTH

    def seen(*addresses: object) -> list[object]:
        symbols = Symbols(1, (0, "AA:BB:CC:DD:EE:01"))
        return [BLUETOOTH.normalise("address", a, symbols) for a in addresses]

    # Both worlds bind on BDADDR_ANY; the kernel gives them different PSMs (seed 691356465).
    assert seen(("00:00:00:00:00:00", 4097)) == seen(("00:00:00:00:00:00", 4099))
    # The same PSM met again keeps its name; a second one gets another.
    twice = seen(("00:00:00:00:00:00", 4097), ("00:00:00:00:00:00", 4099), ("00:00:00:00:00:00", 4097))
    assert twice[0] == twice[2] != twice[1]
    # A PSM on the world's own controller, and a fixed one, stay as they are.
    assert seen(("AA:BB:CC:DD:EE:01", 4097)) == [("bdaddr:own", 4097)]
    assert seen(("00:00:00:00:00:00", 3)) == [("00:00:00:00:00:00", 3)]
