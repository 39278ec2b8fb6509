"""CAN's other protocols on a virtual bus, against both implementations:
CAN_BCM cyclic sending and change notifications, a CAN_ISOTP message of
more than 4 KiB between two sockets, and CAN_J1939 addressing.  What BCM
and J1939 send is checked on the bus too (scapy's CAN layers)."""

from __future__ import annotations

import struct

import pytest
from can_wire import CanMonitor, classic_frame, parse_classic

from lab.wire.can import CAN_EFF_FLAG, CAN_EFF_MASK

pytestmark = [pytest.mark.family("can"), pytest.mark.needs("vcan")]

# struct bcm_msg_head on 64-bit Linux: opcode, flags, count, (pad),
# ival1 and ival2 as {long sec; long usec}, can_id, nframes.
BCM_HEAD = struct.Struct("=III4xqqqqII")


def bcm_message(opcode: int, flags: int, can_id: int, frames: list[bytes],
                interval_us: int = 0, count: int = 0) -> bytes:
    head = BCM_HEAD.pack(opcode, flags, count, 0, 0, 0, interval_us, can_id, len(frames))
    return head + b"".join(frames)


def test_bcm_tx_setup_sends_the_frame_cyclically_on_the_bus(impl, vcan_bus):
    with vcan_bus.inside():
        monitor = CanMonitor(vcan_bus.ifname)
        bcm = impl.socket(impl.AF_CAN, impl.SOCK_DGRAM, impl.CAN_BCM)
        bcm.connect((vcan_bus.ifname,))
    with bcm:
        frame = classic_frame(0x2A0, b"cyclic")
        flags = impl.CAN_BCM_SETTIMER | impl.CAN_BCM_STARTTIMER
        bcm.send(bcm_message(impl.CAN_BCM_TX_SETUP, flags, 0x2A0, [frame], interval_us=50_000))
        seen = [monitor.next_frame() for _ in range(3)]
        bcm.send(bcm_message(impl.CAN_BCM_TX_DELETE, 0, 0x2A0, []))
    monitor.close()
    assert [(f.identifier, bytes(f.data)) for f in seen] == [(0x2A0, b"cyclic")] * 3


def test_bcm_rx_setup_reports_only_changed_content(impl, vcan_bus):
    with vcan_bus.inside():
        bcm = impl.socket(impl.AF_CAN, impl.SOCK_DGRAM, impl.CAN_BCM)
        bcm.connect((vcan_bus.ifname,))
        sender = impl.socket(impl.AF_CAN, impl.SOCK_RAW, impl.CAN_RAW)
        sender.bind((vcan_bus.ifname,))
    with bcm, sender:
        bcm.settimeout(2.0)
        every_bit = classic_frame(0x123, b"\xff" * 8)  # a change in any bit counts
        bcm.send(bcm_message(impl.CAN_BCM_RX_SETUP, impl.CAN_BCM_SETTIMER, 0x123, [every_bit]))
        for data in (b"A" * 8, b"A" * 8, b"B" * 8):
            sender.send(classic_frame(0x123, data))
        notices = [bcm.recv(BCM_HEAD.size + 16) for _ in range(2)]
        bcm.settimeout(0.5)
        with pytest.raises(TimeoutError):
            bcm.recv(BCM_HEAD.size + 16)
    opcodes = [BCM_HEAD.unpack_from(n)[0] for n in notices]
    contents = [parse_classic(n[BCM_HEAD.size:])[1] for n in notices]
    assert opcodes == [impl.CAN_BCM_RX_CHANGED] * 2
    assert contents == [b"A" * 8, b"B" * 8]


def test_isotp_carries_a_message_of_more_than_4_kib_between_two_sockets(impl, vcan_bus):
    message = bytes(range(256)) * 20  # 5120 bytes: segmented, with flow control
    with vcan_bus.inside():
        left = impl.socket(impl.AF_CAN, impl.SOCK_DGRAM, impl.CAN_ISOTP)
        right = impl.socket(impl.AF_CAN, impl.SOCK_DGRAM, impl.CAN_ISOTP)
        left.bind((vcan_bus.ifname, 0x7E8, 0x7E0))  # (interface, rx id, tx id)
        right.bind((vcan_bus.ifname, 0x7E0, 0x7E8))
    with left, right:
        right.settimeout(10)
        assert left.send(message) == len(message)
        assert right.recv(8192) == message


def test_j1939_delivers_to_the_destination_address_with_the_source_address(impl, vcan_bus):
    pgn = 0x12300  # PDU1: the low byte carries the destination
    with vcan_bus.inside():
        monitor = CanMonitor(vcan_bus.ifname)
        receiver = impl.socket(impl.AF_CAN, impl.SOCK_DGRAM, impl.CAN_J1939)
        sender = impl.socket(impl.AF_CAN, impl.SOCK_DGRAM, impl.CAN_J1939)
        receiver.bind((vcan_bus.ifname, impl.J1939_NO_NAME, impl.J1939_NO_PGN, 0x20))
        sender.bind((vcan_bus.ifname, impl.J1939_NO_NAME, impl.J1939_NO_PGN, 0x30))
    with receiver, sender:
        receiver.settimeout(2)
        sender.sendto(b"j1939!", (vcan_bus.ifname, impl.J1939_NO_NAME, pgn, 0x20))
        data, (ifname, name, got_pgn, source) = receiver.recvfrom(64)
    seen = monitor.next_frame()
    monitor.close()
    assert (data, ifname, name, got_pgn, source) == (b"j1939!", vcan_bus.ifname, 0, pgn, 0x30)
    assert seen.flags.extended
    assert (seen.identifier >> 8) & 0x3FFFF == pgn | 0x20 and seen.identifier & 0xFF == 0x30


def test_vxcan_carries_a_frame_between_two_namespaces(impl, vxcan_pair):
    with vxcan_pair.left.inside():
        sender = impl.socket(impl.AF_CAN, impl.SOCK_RAW, impl.CAN_RAW)
        sender.bind((vxcan_pair.left.ifname,))
    with vxcan_pair.right.inside():
        receiver = impl.socket(impl.AF_CAN, impl.SOCK_RAW, impl.CAN_RAW)
        receiver.bind((vxcan_pair.right.ifname,))
    with sender, receiver:
        receiver.settimeout(2)
        sender.send(classic_frame(0x10 | CAN_EFF_FLAG, b"across"))
        can_id, data = parse_classic(receiver.recv(16))
    assert (can_id & CAN_EFF_MASK, data) == (0x10, b"across")
