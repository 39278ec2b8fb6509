"""The one pcap writer: the classic libpcap format, one link type per file
(as the format allows), standard library only so that it also runs inside
the guest without scapy."""

from __future__ import annotations

import struct
from collections.abc import Iterable
from pathlib import Path

LINKTYPE_ETHERNET = 1
LINKTYPE_CAN_SOCKETCAN = 227
SNAPLEN = 65535
MAGIC = 0xA1B2C3D4  # microsecond timestamps


def header(linktype: int, snaplen: int = SNAPLEN) -> bytes:
    return struct.pack("<IHHiIII", MAGIC, 2, 4, 0, 0, snaplen, linktype)


def record(frame: bytes, when: float) -> bytes:
    seconds = int(when)
    micros = int((when - seconds) * 1_000_000)
    return struct.pack("<IIII", seconds, micros, len(frame), len(frame)) + frame


def socketcan_frame(raw: bytes) -> bytes:
    """A CAN frame as LINKTYPE_CAN_SOCKETCAN wants it: the kernel hands the
    identifier in host byte order, the link type has it big-endian."""
    (can_id,) = struct.unpack_from("=I", raw)
    return struct.pack(">I", can_id) + raw[4:]


def write(path: Path, linktype: int, frames: Iterable[tuple[float, bytes]]) -> Path:
    """`frames` ((time, frame) pairs, already in the link type's layout) as a pcap file."""
    path.write_bytes(header(linktype) + b"".join(record(frame, when) for when, frame in frames))
    return path
