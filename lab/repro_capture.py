"""Pcaps of a `lab repro` cell: every frame on the interfaces of the
scenario's namespace while the cell's child runs.

A plain packet socket per interface, opened inside the namespace (a packet
socket belongs to the namespace it was made in) and bound before the child
starts, read on a thread until the child has ended.  Standard library only,
so the capture also runs inside the lab VM's guest without scapy: the file
format is the classic pcap, one file per interface, since pcap allows one
link type per file (loopback frames are Ethernet, vcan frames SocketCAN).
"""

from __future__ import annotations

import select
import socket
import struct
import threading
import time
from pathlib import Path

from lab.netns import entered

ETH_P_ALL = 0x0003
LINKTYPE_ETHERNET = 1
LINKTYPE_CAN_SOCKETCAN = 227
SNAPLEN = 65535
POLL_SECONDS = 0.1


def _pcap_header(linktype: int) -> bytes:
    return struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, SNAPLEN, linktype)


def _pcap_record(frame: bytes, when: float) -> bytes:
    seconds = int(when)
    return struct.pack("<IIII", seconds, int((when - seconds) * 1e6), len(frame), len(frame)) + frame


def _can_id_to_network_order(frame: bytes) -> bytes:
    """The kernel gives a CAN id in host order; the pcap link type wants it
    big-endian."""
    (can_id,) = struct.unpack_from("=I", frame)
    return struct.pack(">I", can_id) + frame[4:]


class _InterfaceCapture:
    def __init__(self, ifname: str, linktype: int) -> None:
        self.ifname = ifname
        self.linktype = linktype
        self.records: list[bytes] = []
        self.sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
        self.sock.bind((ifname, ETH_P_ALL))
        self.sock.setblocking(False)

    def drain(self) -> None:
        while True:
            try:
                frame, address = self.sock.recvfrom(SNAPLEN)
            except BlockingIOError:
                return
            # lo and vcan hand every frame back as received: keeping the
            # outgoing copy too would show each one twice.
            if address[2] == socket.PACKET_OUTGOING:
                continue
            if self.linktype == LINKTYPE_CAN_SOCKETCAN:
                frame = _can_id_to_network_order(frame)
            self.records.append(_pcap_record(frame, time.time()))

    def save(self, path: Path) -> Path:
        path.write_bytes(_pcap_header(self.linktype) + b"".join(self.records))
        self.sock.close()
        return path


class NamespaceCapture:
    """Capture `interfaces` ({name: pcap link type}) of the namespace at
    `namespace_path` from `start()` until `stop()`."""

    def __init__(self, namespace_path: str, interfaces: dict[str, int]) -> None:
        self._namespace_path = namespace_path
        self._interfaces = interfaces
        self._captures: list[_InterfaceCapture] = []
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> NamespaceCapture:
        with entered(self._namespace_path):
            self._captures = [_InterfaceCapture(n, t) for n, t in self._interfaces.items()]
        self._thread = threading.Thread(target=self._read, name="repro-capture", daemon=True)
        self._thread.start()
        return self

    def _read(self) -> None:
        sockets = {c.sock: c for c in self._captures}
        while not self._stopping.is_set():
            ready, _, _ = select.select(list(sockets), [], [], POLL_SECONDS)
            for sock in ready:
                sockets[sock].drain()

    def stop(self, stem: Path) -> list[Path]:
        """Stop, and write `<stem>-<ifname>.pcap` for each interface that
        saw a frame; the paths written."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join()
        written = []
        for capture in self._captures:
            capture.drain()
            if capture.records:
                written.append(capture.save(stem.with_name(f"{stem.name}-{capture.ifname}.pcap")))
            else:
                capture.sock.close()
        return written
