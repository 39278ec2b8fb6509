"""Wire checks' eyes: a scapy sniffer on one interface of one lab host.

The capture socket is opened *inside* the host's namespace (a packet socket
belongs to the namespace it was created in) and bound before the test acts,
so nothing the test sends can be missed; scapy's `AsyncSniffer` reads it on
a thread of its own.  On stop, whatever is still queued in the socket is
drained, so the last packet of a test is never lost to a race.
"""

from __future__ import annotations

import select
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import scapy.layers.all  # noqa: F401 - registers every layer, so frames decode past Ether
from scapy.arch.linux import L2ListenSocket
from scapy.packet import Packet
from scapy.plist import PacketList
from scapy.sendrecv import AsyncSniffer
from scapy.utils import wrpcap

from lab.kernel.links import Endpoint

# Delivery across a veth finishes in the sender's softirq, normally before
# its send call returns; this margin covers a busy machine.
SETTLE_SECONDS = 0.05


class WireCapture:
    """Everything crossing `endpoint`'s interface, both directions, from
    `start()` to `stop()`."""

    def __init__(self, endpoint: Endpoint) -> None:
        self.endpoint = endpoint
        self._socket: L2ListenSocket | None = None
        self._sniffer: AsyncSniffer | None = None
        self._packets: PacketList | None = None

    def __repr__(self) -> str:
        return f"WireCapture({self.endpoint.host.name}:{self.endpoint.ifname})"

    @property
    def label(self) -> str:
        return self.endpoint.ifname

    def start(self) -> WireCapture:
        with self.endpoint.host.inside():
            self._socket = L2ListenSocket(iface=self.endpoint.ifname, promisc=False)
        self._sniffer = AsyncSniffer(opened_socket=self._socket, store=True)
        self._sniffer.start()
        return self

    @property
    def running(self) -> bool:
        return self._sniffer is not None and self._packets is None

    def stop(self) -> PacketList:
        """Stop sniffing (once) and return every packet seen, in order."""
        if self._packets is not None:
            return self._packets
        if self._sniffer is None:
            raise RuntimeError(f"{self!r} was never started")
        time.sleep(SETTLE_SECONDS)
        self._sniffer.stop(join=True)
        seen = list(self._sniffer.results or [])
        seen.extend(self._drain())
        self._socket.close()
        self._packets = PacketList(seen, name=self.label)
        return self._packets

    def _drain(self) -> list[Packet]:
        left: list[Packet] = []
        while select.select([self._socket], [], [], 0)[0]:
            packet = self._socket.recv()
            if packet is None:
                break
            left.append(packet)
        return left

    def packets(self, where: Callable[[Packet], Any] | None = None) -> list[Packet]:
        """The packets seen (stopping the capture), optionally only those for
        which `where(packet)` is true; a `where` that raises (a missing
        layer) counts as false."""
        return [p for p in self.stop() if where is None or _holds(where, p)]

    def save(self, path: Path) -> Path:
        """Write the capture as a pcap that Wireshark, tshark or scapy read."""
        path.parent.mkdir(parents=True, exist_ok=True)
        wrpcap(str(path), list(self.stop()))
        return path


def _holds(predicate: Callable[[Packet], Any], packet: Packet) -> bool:
    try:
        return bool(predicate(packet))
    except (IndexError, AttributeError, KeyError):
        return False
