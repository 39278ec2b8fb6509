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
import threading
import time
from pathlib import Path

from lab.kernel.netns import entered
from lab.wire import pcap

ETH_P_ALL = 0x0003
POLL_SECONDS = 0.1


class _InterfaceCapture:
    def __init__(self, ifname: str, linktype: int) -> None:
        self.ifname = ifname
        self.linktype = linktype
        self.frames: list[tuple[float, bytes]] = []
        self.sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
        self.sock.bind((ifname, ETH_P_ALL))
        self.sock.setblocking(False)

    def drain(self) -> None:
        while True:
            try:
                frame, address = self.sock.recvfrom(pcap.SNAPLEN)
            except BlockingIOError:
                return
            # lo and vcan hand every frame back as received: keeping the
            # outgoing copy too would show each one twice.
            if address[2] == socket.PACKET_OUTGOING:
                continue
            if self.linktype == pcap.LINKTYPE_CAN_SOCKETCAN:
                frame = pcap.socketcan_frame(frame)
            self.frames.append((time.time(), frame))

    def save(self, path: Path) -> Path:
        self.sock.close()
        return pcap.write(path, self.linktype, self.frames)


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
            if capture.frames:
                written.append(capture.save(stem.with_name(f"{stem.name}-{capture.ifname}.pcap")))
            else:
                capture.sock.close()
        return written
