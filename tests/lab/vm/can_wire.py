"""The CAN bus as a neutral observer sees it: a raw socket of the stdlib's,
opened before the test sends, every frame on the interface decoded with
scapy's CAN layers."""

from __future__ import annotations

import socket
import struct

from scapy.config import conf
from scapy.layers.can import CAN, CANFD

from lab.wire.can import CAN_MTU, CAN_RAW_FD_FRAMES, CANFD_MTU, classic_frame, fd_frame  # noqa: F401 - re-exported to the tests

# Frames as Linux sockets carry them: host byte order, classic frames padded to 16 bytes.
conf.contribs["CAN"] = {"swap-bytes": True, "remove-padding": True}



class CanMonitor:
    """Every frame on one CAN interface from the moment it is made."""

    def __init__(self, ifname: str) -> None:
        self._sock = socket.socket(socket.AF_CAN, socket.SOCK_RAW, socket.CAN_RAW)
        self._sock.setsockopt(socket.SOL_CAN_RAW, CAN_RAW_FD_FRAMES, 1)
        self._sock.bind((ifname,))
        self._sock.settimeout(2.0)

    def next_frame(self) -> CAN | CANFD:
        raw = self._sock.recv(CANFD_MTU)
        return CANFD(raw) if len(raw) == CANFD_MTU else CAN(raw)

    def close(self) -> None:
        self._sock.close()




def parse_classic(frame: bytes) -> tuple[int, bytes]:
    can_id, length = struct.unpack_from("=IB", frame)
    return can_id, frame[8:8 + length]


def parse_fd(frame: bytes) -> tuple[int, bytes]:
    can_id, length = struct.unpack_from("=IB", frame)
    return can_id, frame[8:8 + length]
