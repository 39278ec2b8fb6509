"""CAN frames as Linux sockets carry them (include/uapi/linux/can.h): one
home for the layout and the flags the lab and its tests use."""

from __future__ import annotations

import struct

CAN_MTU = 16  # struct can_frame
CANFD_MTU = 72  # struct canfd_frame
CAN_EFF_FLAG = 0x80000000
CAN_RTR_FLAG = 0x40000000
CAN_ERR_FLAG = 0x20000000
CAN_SFF_MASK = 0x000007FF
CAN_EFF_MASK = 0x1FFFFFFF
CAN_ERR_MASK = 0x1FFFFFFF
CANFD_BRS = 0x01
CAN_ERR_CRTL = 0x00000004  # linux/can/error.h: controller problems
# Socket options of SOL_CAN_RAW.
CAN_RAW_FILTER = 1
CAN_RAW_ERR_FILTER = 2
CAN_RAW_LOOPBACK = 3
CAN_RAW_RECV_OWN_MSGS = 4
CAN_RAW_FD_FRAMES = 5

_HEAD = struct.Struct("=IBB2x")


def classic_frame(can_id: int, data: bytes) -> bytes:
    """A classic frame, 8 data bytes padded."""
    return _HEAD.pack(can_id, len(data), 0) + data.ljust(8, b"\0")


def fd_frame(can_id: int, data: bytes, flags: int = 0) -> bytes:
    """A CAN FD frame, 64 data bytes padded."""
    return _HEAD.pack(can_id, len(data), flags) + data.ljust(64, b"\0")


def unpack(raw: bytes) -> tuple[int, int, bytes]:
    """(can_id, flags, data) of a classic or FD frame."""
    can_id, length, flags = _HEAD.unpack_from(raw)
    return can_id, flags, raw[8:8 + length]
