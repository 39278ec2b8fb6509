"""CAN_RAW on a virtual bus, against both implementations: classic and FD
frames, filters (plain, inverted, joined), error frames, loopback and
own-message reception, SO_TIMESTAMP.  Every frame a test sends is also
checked on the bus by a neutral monitor (scapy's CAN layers)."""

from __future__ import annotations

import struct
import time

import pytest
from can_wire import CanMonitor, classic_frame, fd_frame, parse_classic, parse_fd
from kernel_abi import constant

from lab.wire.can import CAN_EFF_FLAG, CAN_ERR_CRTL

pytestmark = [pytest.mark.family("can"), pytest.mark.needs("vcan")]



def raw_socket(impl, ifname: str, timeout: float = 2.0):
    sock = impl.socket(impl.AF_CAN, impl.SOCK_RAW, impl.CAN_RAW)
    sock.bind((ifname,))
    sock.settimeout(timeout)
    return sock


def test_classic_frame_reaches_another_socket_and_the_bus(impl, vcan_bus):
    with vcan_bus.inside():
        monitor = CanMonitor(vcan_bus.ifname)
        sender, receiver = raw_socket(impl, vcan_bus.ifname), raw_socket(impl, vcan_bus.ifname)
    with sender, receiver:
        assert sender.send(classic_frame(0x123, b"\x01\x02\x03")) == 16
        frame, address = receiver.recvfrom(16)
    seen = monitor.next_frame()
    monitor.close()
    assert parse_classic(frame) == (0x123, b"\x01\x02\x03")
    assert address[0] == vcan_bus.ifname
    assert (seen.identifier, seen.length, bytes(seen.data)) == (0x123, 3, b"\x01\x02\x03")


def test_extended_id_frame_keeps_its_29_bit_identifier(impl, vcan_bus):
    with vcan_bus.inside():
        monitor = CanMonitor(vcan_bus.ifname)
        sender, receiver = raw_socket(impl, vcan_bus.ifname), raw_socket(impl, vcan_bus.ifname)
    with sender, receiver:
        sender.send(classic_frame(0x1ABCDE12 | CAN_EFF_FLAG, b"ext"))
        can_id, data = parse_classic(receiver.recv(16))
    seen = monitor.next_frame()
    monitor.close()
    assert (can_id, data) == (0x1ABCDE12 | CAN_EFF_FLAG, b"ext")
    assert (seen.flags.extended, seen.identifier) == (True, 0x1ABCDE12)


def test_fd_frame_of_64_bytes_needs_and_gets_can_raw_fd_frames(impl, vcan_bus):
    payload = bytes(range(64))
    with vcan_bus.inside():
        monitor = CanMonitor(vcan_bus.ifname)
        sender, receiver = raw_socket(impl, vcan_bus.ifname), raw_socket(impl, vcan_bus.ifname)
    with sender, receiver:
        for sock in (sender, receiver):
            sock.setsockopt(impl.SOL_CAN_RAW, impl.CAN_RAW_FD_FRAMES, 1)
        assert sender.send(fd_frame(0x321, payload)) == 72
        frame = receiver.recv(72)
    seen = monitor.next_frame()
    monitor.close()
    assert len(frame) == 72
    assert parse_fd(frame) == (0x321, payload)
    assert (seen.identifier, bytes(seen.data)) == (0x321, payload)


def test_fd_frame_without_can_raw_fd_frames_is_rejected(impl, vcan_bus):
    with vcan_bus.inside():
        sender = raw_socket(impl, vcan_bus.ifname)
    with sender, pytest.raises(OSError) as raised:
        sender.send(fd_frame(0x321, b"x" * 12))
    assert raised.value.errno == 22  # EINVAL: a 72-byte write on a classic-only socket


def test_filter_drops_frames_with_other_ids(impl, vcan_bus):
    with vcan_bus.inside():
        sender, receiver = raw_socket(impl, vcan_bus.ifname), raw_socket(impl, vcan_bus.ifname, 0.5)
    with sender, receiver:
        receiver.setsockopt(impl.SOL_CAN_RAW, impl.CAN_RAW_FILTER, struct.pack("=II", 0x100, 0x7FF))
        sender.send(classic_frame(0x200, b"drop"))
        sender.send(classic_frame(0x100, b"keep"))
        assert parse_classic(receiver.recv(16)) == (0x100, b"keep")
        with pytest.raises(TimeoutError):
            receiver.recv(16)


def test_inverted_filter_passes_every_id_but_the_one_named(impl, vcan_bus):
    inverted = constant(impl, "CAN_INV_FILTER")
    with vcan_bus.inside():
        sender, receiver = raw_socket(impl, vcan_bus.ifname), raw_socket(impl, vcan_bus.ifname, 0.5)
    with sender, receiver:
        receiver.setsockopt(impl.SOL_CAN_RAW, impl.CAN_RAW_FILTER, struct.pack("=II", 0x100 | inverted, 0x7FF))
        sender.send(classic_frame(0x100, b"drop"))
        sender.send(classic_frame(0x101, b"keep"))
        assert parse_classic(receiver.recv(16)) == (0x101, b"keep")
        with pytest.raises(TimeoutError):
            receiver.recv(16)


def test_joined_filters_pass_only_frames_matching_all_of_them(impl, vcan_bus):
    filters = struct.pack("=IIII", 0x100, 0x700, 0x010, 0x0F0)  # 0x1?? and 0x?1?
    with vcan_bus.inside():
        sender, receiver = raw_socket(impl, vcan_bus.ifname), raw_socket(impl, vcan_bus.ifname, 0.5)
    with sender, receiver:
        receiver.setsockopt(impl.SOL_CAN_RAW, impl.CAN_RAW_FILTER, filters)
        receiver.setsockopt(impl.SOL_CAN_RAW, impl.CAN_RAW_JOIN_FILTERS, 1)
        sender.send(classic_frame(0x120, b"one"))  # matches the first only
        sender.send(classic_frame(0x110, b"both"))
        assert parse_classic(receiver.recv(16)) == (0x110, b"both")
        with pytest.raises(TimeoutError):
            receiver.recv(16)


def test_error_filter_reads_back_as_it_was_set(impl, vcan_bus):
    option = constant(impl, "CAN_RAW_ERR_FILTER")
    with vcan_bus.inside():
        sock = raw_socket(impl, vcan_bus.ifname)
    with sock:
        sock.setsockopt(impl.SOL_CAN_RAW, option, struct.pack("=I", constant(impl, "CAN_ERR_MASK")))
        mask = struct.unpack("=I", sock.getsockopt(impl.SOL_CAN_RAW, option, 4))[0]
    assert mask == 0x1FFFFFFF


def test_error_frames_sent_on_the_bus_reach_only_sockets_with_an_error_filter(impl, vcan_bus):
    error_frame = classic_frame(constant(impl, "CAN_ERR_FLAG") | CAN_ERR_CRTL, b"\0\x04")
    option = constant(impl, "CAN_RAW_ERR_FILTER")
    with vcan_bus.inside():
        sender = raw_socket(impl, vcan_bus.ifname)
        wanting = raw_socket(impl, vcan_bus.ifname)
        plain = raw_socket(impl, vcan_bus.ifname, 0.5)
    with sender, wanting, plain:
        wanting.setsockopt(impl.SOL_CAN_RAW, option, struct.pack("=I", CAN_ERR_CRTL))
        sender.send(error_frame)
        can_id, data = parse_classic(wanting.recv(16))
        assert can_id & constant(impl, "CAN_ERR_FLAG")
        assert data == b"\0\x04"
        with pytest.raises(TimeoutError):
            plain.recv(16)


def test_sender_sees_its_own_frame_only_with_recv_own_msgs(impl, vcan_bus):
    with vcan_bus.inside():
        sender = raw_socket(impl, vcan_bus.ifname, 0.5)
    with sender:
        sender.send(classic_frame(0x7, b"first"))
        with pytest.raises(TimeoutError):
            sender.recv(16)
        sender.setsockopt(impl.SOL_CAN_RAW, impl.CAN_RAW_RECV_OWN_MSGS, 1)
        sender.send(classic_frame(0x7, b"second"))
        assert parse_classic(sender.recv(16)) == (0x7, b"second")


def test_loopback_off_hides_frames_from_local_sockets(impl, vcan_bus):
    with vcan_bus.inside():
        sender, receiver = raw_socket(impl, vcan_bus.ifname), raw_socket(impl, vcan_bus.ifname, 0.5)
    with sender, receiver:
        sender.setsockopt(impl.SOL_CAN_RAW, impl.CAN_RAW_LOOPBACK, 0)
        assert sender.getsockopt(impl.SOL_CAN_RAW, impl.CAN_RAW_LOOPBACK) == 0
        sender.send(classic_frame(0x55, b"quiet"))
        with pytest.raises(TimeoutError):
            receiver.recv(16)


def test_so_timestamp_gives_the_receive_time_as_ancillary_data(impl, vcan_bus):
    so_timestamp = constant(impl, "SO_TIMESTAMP")
    with vcan_bus.inside():
        sender, receiver = raw_socket(impl, vcan_bus.ifname), raw_socket(impl, vcan_bus.ifname)
    with sender, receiver:
        receiver.setsockopt(impl.SOL_SOCKET, so_timestamp, 1)
        before = time.time()
        sender.send(classic_frame(0x42, b"when"))
        frame, ancdata, _flags, _address = receiver.recvmsg(16, impl.CMSG_SPACE(16))
        after = time.time()
    assert parse_classic(frame) == (0x42, b"when")
    [(level, kind, data)] = ancdata
    assert (level, kind) == (impl.SOL_SOCKET, so_timestamp)
    seconds, micros = struct.unpack("=qq", data)
    assert before - 1 <= seconds + micros / 1e6 <= after + 1
