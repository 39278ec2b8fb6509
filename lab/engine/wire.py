"""What crossed the wire during a step.

Each world whose family names an interface (`Family.wire`: `lo`, or the
world's vcan bus) captures every frame that interface sends, with an
AF_PACKET socket of the stdlib (never of the implementation under test),
and the engine compares the frames of each step as it compares the step's
outcome: a send that returns the right count but puts other bytes, another
TTL or another destination on the wire is a divergence.

Frames are kept once, as sent (`lo` also shows each one again as received).
The numbers a world's kernel draws at random (IP identification and
checksums, TCP sequence numbers and timestamps, IPv6 flow labels,
ephemeral ports) are blanked or named (`Symbols`), and what the kernel
sends on its own clock rather than because of the step (pure TCP
acknowledgements, which a delayed-ACK timer may send a step later; IGMP and
MLD reports) is left out.  The frames of one step are compared as a sorted
list: two worlds run side by side, and the order of frames from two threads
is the scheduler's.
"""

from __future__ import annotations

import select
import socket as stdlib_socket
import struct
from typing import Any

from lab.engine.symbols import Symbols

ETH_P_ALL = 3
PACKET_OUTGOING = 4
CAPTURE_BUFFER = 1 << 21
# A frame on loopback is answered (a SYN-ACK, an RST, an ICMP error) before
# its send returns, unless the machine is so busy that the kernel defers
# the answer to ksoftirqd: after a step that sent anything, the capture
# waits this long for more before it calls the step's frames complete.
SETTLE_S = 0.003

ETHERTYPE_IPV4, ETHERTYPE_IPV6 = b"\x08\x00", b"\x86\xdd"
TCP, UDP, UDPLITE, ICMP, ICMPV6, IGMP, HOP_BY_HOP = 6, 17, 136, 1, 58, 2, 0
TCP_ACK_ONLY = 0x10
TCP_TIMESTAMPS = 8
ICMP_ERRORS = (3, 4, 5, 11, 12)  # their payload is the offending datagram's start
ICMPV6_ERRORS = (1, 2, 3, 4)
MLD_AND_ND = range(130, 144)


class Capture:
    """The frames an interface of this world sends."""

    def __init__(self, interface: str) -> None:
        self._sock = stdlib_socket.socket(stdlib_socket.AF_PACKET, stdlib_socket.SOCK_RAW,
                                          stdlib_socket.htons(ETH_P_ALL))
        self._sock.setsockopt(stdlib_socket.SOL_SOCKET, stdlib_socket.SO_RCVBUF, CAPTURE_BUFFER)
        self._sock.bind((interface, 0))
        self._sock.setblocking(False)
        self.take()  # what the world's own set-up sent

    def take(self) -> list[bytes]:
        """The frames sent since the last call."""
        frames: list[bytes] = []
        while True:
            try:
                data, address = self._sock.recvfrom(1 << 16)
            except BlockingIOError:
                if frames and select.select([self._sock], [], [], SETTLE_S)[0]:
                    continue
                return frames
            if address[2] == PACKET_OUTGOING:
                frames.append(data)

    def close(self) -> None:
        self._sock.close()


def seen(frames: list[bytes], normalise: Any, symbols: Symbols) -> tuple:
    """A step's frames as compared: each normalised by the family (None
    leaves it out), the list sorted."""
    kept = (normalise("frame", frame, symbols) for frame in frames)
    return tuple(sorted((frame for frame in kept if frame is not None), key=repr))


# -- IP frames on loopback ---------------------------------------------------

def ip_frame(frame: bytes, symbols: Symbols) -> Any:
    """An Ethernet frame from `lo` made comparable, or None to leave out."""
    kind, packet = frame[12:14], frame[14:]
    if kind == ETHERTYPE_IPV4:
        return ipv4(packet, symbols)
    if kind == ETHERTYPE_IPV6:
        return ipv6(packet, symbols)
    return ("ethernet", frame)


def ipv4(packet: bytes, symbols: Symbols) -> Any:
    if len(packet) < 20:
        return ("ipv4", packet)
    length = (packet[0] & 0x0F) * 4
    header = bytearray(packet[:length])
    header[4:6] = b"\0\0"  # identification
    header[10:12] = b"\0\0"  # checksum
    if packet[9] == IGMP:
        return None
    inner = transport(packet[9], packet[length:], symbols)
    return None if inner is None else ("ipv4", bytes(header), inner)


def ipv6(packet: bytes, symbols: Symbols) -> Any:
    if len(packet) < 40:
        return ("ipv6", packet)
    header = bytearray(packet[:40])
    header[1] &= 0xF0  # the flow label: random per socket
    header[2:4] = b"\0\0"
    following = packet[6]
    if following == HOP_BY_HOP:  # only MLD reports carry one here
        return None
    inner = transport(following, packet[40:], symbols)
    return None if inner is None else ("ipv6", bytes(header), inner)


def _ports(segment: bytes, symbols: Symbols) -> tuple:
    if len(segment) < 4:
        return ()
    source, destination = struct.unpack_from("!HH", segment)
    return (symbols.port(source), symbols.port(destination))


def transport(protocol: int, segment: bytes, symbols: Symbols) -> Any:
    if protocol == TCP and len(segment) >= 20:
        return tcp(segment, symbols)
    if protocol in (UDP, UDPLITE) and len(segment) >= 8:
        # Length (UDP) or checksum coverage (UDP-Lite); the checksum covers the ports.
        return ("udp" if protocol == UDP else "udplite", *_ports(segment, symbols), segment[4:6], segment[8:])
    if protocol in (ICMP, ICMPV6) and len(segment) >= 8:
        kind, code = segment[0], segment[1]
        if protocol == ICMPV6 and kind in MLD_AND_ND:
            return None
        errors = ICMP_ERRORS if protocol == ICMP else ICMPV6_ERRORS
        if kind in errors:  # the offending datagram, its random numbers blanked too
            offending = ipv4 if protocol == ICMP else ipv6
            return ("icmp", kind, code, segment[4:8], offending(segment[8:], symbols))
        return ("icmp", kind, code, segment[4:])
    if protocol == TCP:  # its first eight bytes, in an ICMP error: ports and a random sequence number
        return ("partial", protocol, *_ports(segment, symbols))
    return ("protocol", protocol, segment)


def tcp(segment: bytes, symbols: Symbols) -> Any:
    length = (segment[12] >> 4) * 4
    flags, payload = segment[13], segment[length:]
    if flags == TCP_ACK_ONLY and not payload:
        return None  # an acknowledgement or window update: the kernel's timers decide when
    header = bytearray(segment[4:length])  # from the sequence number on
    header[0:8] = bytes(8)  # sequence and acknowledgement numbers: the initial ones are random
    header[12:14] = b"\0\0"  # checksum
    offset = 16  # options, from the sequence number on
    while offset < len(header):
        kind = header[offset]
        if kind in (0, 1):  # end, no-op
            offset += 1
            continue
        size = header[offset + 1] if offset + 1 < len(header) else 0
        if size < 2:
            break
        if kind == TCP_TIMESTAMPS:
            header[offset + 2:offset + size] = bytes(size - 2)
        offset += size
    return ("tcp", *_ports(segment, symbols), bytes(header), payload)
