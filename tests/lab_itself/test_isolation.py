"""No packet a lab test sends leaves the lab's namespaces.

While a real lab run sends traffic (the wire suites and the Docker peers'
exchanges, in a child `python -m lab test`), packet sockets in this
machine's own namespace watch every interface the lab did not create:
eth0 and the like, and `lo` as well.  The address plan allows loopback, but
each lab namespace has a loopback of its own: the host's `lo` belongs to
this machine's namespace, where a lab address could only appear if a test
opened a socket outside its namespace.  No frame seen there may carry a
lab address (198.18.0.0/15, fd00::/8) in any layer, quoted ICMP errors
included, nor the MAC of any interface in the run's namespaces.

The detector is shown able to fail on frames built with scapy (bytes only,
never sent anywhere).
"""

from __future__ import annotations

import ctypes
import errno
import ipaddress
import os
import socket
import struct
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from pyroute2 import IPRoute, netns
from scapy.layers.inet import ICMP, IP, UDP, IPerror, UDPerror
from scapy.layers.inet6 import ICMPv6ND_NS, IPv6
from scapy.layers.l2 import ARP, Ether
from scapy.packet import Packet, Raw

from lab import naming
from lab.kernel.addressing import IPV4_PLAN, IPV6_PLAN
from lab.kernel.netns import NetnsHost

REPO = Path(__file__).resolve().parents[2]
LAB_NETWORKS = (IPV4_PLAN, IPV6_PLAN)
ETH_P_ALL = 0x0003
ARPHRD_LOOPBACK = 772
SOL_PACKET = 263
PACKET_STATISTICS = 6
SO_ATTACH_FILTER = 26
SO_RCVBUFFORCE = 33
CAPTURE_BUFFER = 32 << 20
MAX_KEPT_FRAMES = 200_000
ZERO_MACS = bytes(12)
IFF_UP = 0x1
RUN_TIMEOUT = 300

pytestmark = [
    pytest.mark.needs("veth"),
    pytest.mark.skipif(
        os.environ.get("LAB_IN_VM") == "1",
        reason="watches this machine's real interfaces during a lab run of its own: host share only",
    ),
]


# The detector ------------------------------------------------------------------

def _is_lab_address(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        address = ipaddress.ip_address(value.split("%")[0])
    except ValueError:
        return False
    return any(address in network for network in LAB_NETWORKS if network.version == address.version)


def lab_traces(frame: Packet, lab_macs: frozenset[str] = frozenset()) -> list[str]:
    """What in this decoded frame belongs to the lab: any field of any layer
    (IP, IPv6, ARP, neighbour discovery, the packet an ICMP error quotes)
    holding a lab address, or a lab interface's MAC."""
    found = []
    layer = frame
    while isinstance(layer, Packet) and layer.name != "NoPayload":
        for name, value in layer.fields.items():
            if _is_lab_address(value):
                found.append(f"{layer.name}.{name}={value}")
            elif isinstance(value, str) and value.lower() in lab_macs:
                found.append(f"{layer.name}.{name}={value} (a lab interface's MAC)")
        layer = layer.payload
    return found


def might_carry_lab_traces(frame: bytes, loopback: bool) -> bool:
    """A cheap first look, so that the host's busy loopback is not decoded
    frame by frame: a frame is kept for `lab_traces` unless it is a
    loopback frame (zero MACs) with no lab-looking bytes."""
    if not loopback or frame[:12] != ZERO_MACS:
        return True
    if b"\xc6\x12" in frame or b"\xc6\x13" in frame:  # 198.18/15 anywhere, quoted ones too
        return True
    return frame[12:14] == b"\x86\xdd" and (frame[22] == 0xFD or frame[38] == 0xFD)


def decode(frame: bytes) -> Packet:
    """Every interface watched here has an Ethernet header (lo too, with zero MACs)."""
    return Ether(frame)


# A filter in the kernel ----------------------------------------------------------

def _bpf(*program: tuple) -> list[tuple[int, int, int, int]]:
    """Classic BPF from (opcode, k[, true label, false label]) and ("label",
    name) entries, jumps resolved to the kernel's relative offsets."""
    labels, instructions = {}, []
    for entry in program:
        if entry[0] == "label":
            labels[entry[1]] = len(instructions)
        else:
            instructions.append(entry)
    resolved = []
    for pc, (code, k, *targets) in enumerate(instructions):
        jt, jf = (labels[t] - pc - 1 if isinstance(t, str) else t for t in (targets or (0, 0)))
        resolved.append((code, jt, jf, k))
    return resolved


LDH, LDW, AND, JEQ, RET = 0x28, 0x20, 0x54, 0x15, 0x06

# Drops loopback traffic between loopback addresses (127/8, ::1) in the
# kernel: the busy part of `lo`, which cannot carry a lab address.
LOOPBACK_TO_LOOPBACK_DROPPED = _bpf(
    (LDH, 12), (JEQ, 0x0800, 0, "v6"),
    (LDW, 26), (AND, 0xFF000000), (JEQ, 0x7F000000, 0, "keep"),
    (LDW, 30), (AND, 0xFF000000), (JEQ, 0x7F000000, "drop", "keep"),
    ("label", "v6"), (JEQ, 0x86DD, 0, "keep"),
    (LDW, 22), (JEQ, 0, 0, "keep"), (LDW, 26), (JEQ, 0, 0, "keep"),
    (LDW, 30), (JEQ, 0, 0, "keep"), (LDW, 34), (JEQ, 1, 0, "keep"),
    (LDW, 38), (JEQ, 0, 0, "keep"), (LDW, 42), (JEQ, 0, 0, "keep"),
    (LDW, 46), (JEQ, 0, 0, "keep"), (LDW, 50), (JEQ, 1, "drop", "keep"),
    ("label", "drop"), (RET, 0),
    ("label", "keep"), (RET, 0x40000),
)


class _SockFilter(ctypes.Structure):
    _fields_ = [("code", ctypes.c_uint16), ("jt", ctypes.c_uint8), ("jf", ctypes.c_uint8), ("k", ctypes.c_uint32)]


def attach_filter(sock: socket.socket, program: list[tuple[int, int, int, int]]) -> None:
    instructions = (_SockFilter * len(program))(*(_SockFilter(*i) for i in program))
    fprog = struct.pack("@HP", len(program), ctypes.addressof(instructions))
    sock.setsockopt(socket.SOL_SOCKET, SO_ATTACH_FILTER, fprog)


# The capture ---------------------------------------------------------------------

def real_interfaces() -> dict[str, bool]:
    """This machine's own interfaces, those the lab did not make: name -> up."""
    with IPRoute() as ipr:
        links = {link.get("IFLA_IFNAME"): bool(link["flags"] & IFF_UP) for link in ipr.get_links()}
    return {name: up for name, up in links.items() if naming.owner_pid(name) is None}


def kernel_frame_counts() -> Counter:
    """Frames each interface received and sent, as the kernel counts them."""
    counts: Counter = Counter()
    for line in Path("/proc/net/dev").read_text().splitlines()[2:]:
        name, numbers = line.split(":", 1)
        fields = numbers.split()
        counts[name.strip()] = int(fields[1]) + int(fields[9])
    return counts


@dataclass
class Seen:
    interface: str
    frame: bytes


@dataclass
class RealInterfaceCapture:
    """One packet socket per real interface of this namespace, read by one
    thread; frames kept as `Seen`, counted per interface."""

    interfaces: dict[str, bool]
    kept: list[Seen] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)
    overflow: bool = False
    went_down: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self._sockets: dict[socket.socket, str] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._read, name="isolation-capture", daemon=True)

    def start(self) -> RealInterfaceCapture:
        # A packet socket on an interface that is down reads nothing but
        # ENETDOWN; such an interface carries nothing, and the run must
        # leave it down (see `interfaces_after`).
        for name in (name for name, up in self.interfaces.items() if up):
            sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
            sock.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, CAPTURE_BUFFER)
            if name == "lo":
                attach_filter(sock, LOOPBACK_TO_LOOPBACK_DROPPED)
            sock.bind((name, ETH_P_ALL))
            sock.setblocking(False)
            self._sockets[sock] = name
        self._thread.start()
        return self

    def _read(self) -> None:
        import selectors

        with selectors.DefaultSelector() as selector:
            for sock in self._sockets:
                selector.register(sock, selectors.EVENT_READ)
            while not self._stop.is_set():
                for key, _ in selector.select(timeout=0.1):
                    if not self._drain(key.fileobj):
                        selector.unregister(key.fileobj)

    def _drain(self, sock: socket.socket) -> bool:
        """Read what is queued; False once the interface went down."""
        name = self._sockets[sock]
        while True:
            try:
                frame, address = sock.recvfrom(65536)
            except BlockingIOError:
                return True
            except OSError as exc:
                if exc.errno != errno.ENETDOWN:
                    raise
                self.went_down.add(name)
                return False
            self.counts[name] += 1
            if not might_carry_lab_traces(frame, loopback=address[3] == ARPHRD_LOOPBACK):
                continue
            if len(self.kept) >= MAX_KEPT_FRAMES:
                self.overflow = True
                continue
            self.kept.append(Seen(name, frame))

    def stop(self) -> int:
        """Stop; how many frames the kernel dropped for want of buffer."""
        time.sleep(0.2)  # the last frames of the run are in flight
        self._stop.set()
        self._thread.join()
        dropped = 0
        for sock in self._sockets:
            self._drain(sock)
            _, drops = struct.unpack("II", sock.getsockopt(SOL_PACKET, PACKET_STATISTICS, 8))
            dropped += drops
            sock.close()
        return dropped


class LabMacWatch:
    """Samples the MACs of every interface in a run's namespaces while it
    runs: the frames on real interfaces must carry none of them."""

    def __init__(self, tag: str) -> None:
        self.tag = tag
        self.macs: set[str] = set()
        self.namespaces_seen: set[str] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, name="lab-mac-watch", daemon=True)

    def start(self) -> LabMacWatch:
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(0.05):
            for name in netns.listnetns():
                if name.startswith(self.tag + "-"):
                    self._read_namespace(name)

    def _read_namespace(self, name: str) -> None:
        try:
            with NetnsHost(name).inside(), IPRoute() as ipr:
                links = ipr.get_links()
        except OSError:
            return  # gone between the listing and the look
        self.namespaces_seen.add(name)
        self.macs |= {link.get("IFLA_ADDRESS") for link in links if link.get("IFLA_ADDRESS")}
        self.macs.discard("00:00:00:00:00:00")

    def stop(self) -> frozenset[str]:
        self._stop.set()
        self._thread.join()
        return frozenset(mac.lower() for mac in self.macs)


PROBE_ETHERTYPE = 0x88B5  # IEEE's "local experimental": no stack parses it
PROBE_MAC = "02:00:00:00:00:01"  # not zero, so that the first look keeps it


def loopback_probe(payload: bytes) -> None:
    """A frame on this machine's `lo`, which the capture must see: proof
    that it was watching there.  A raw frame of an experimental type with
    no address: the kernel filter keeps it, nothing routes it."""
    frame = bytes(Ether(src=PROBE_MAC, dst="00:00:00:00:00:00", type=PROBE_ETHERTYPE) / Raw(payload))
    with socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(PROBE_ETHERTYPE)) as sender:
        sender.bind(("lo", PROBE_ETHERTYPE))
        sender.send(frame)


def traffic_sending_lab_run(directory: Path) -> subprocess.Popen:
    """The wire suites and the Docker peers' exchanges, in a child lab run.
    Under one implementation: what is watched is the lab's own plumbing
    (namespaces, veth pairs, containers), which is the same under both, and
    the host's share runs these suites under both anyway."""
    suites = sorted(str(p) for p in (REPO / "tests" / "lab").glob("test_wire_*.py"))
    suites.append(str(REPO / "tests" / "lab" / "test_peer_inet.py"))
    with open(directory / "output.txt", "wb") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "lab", "test", "--backend", "host", "-q", "--impl", "stdlib",
             f"--junitxml={directory / 'junit.xml'}", f"--lab-artifacts={directory}", *suites],
            cwd=REPO, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
        )


@dataclass
class WatchedRun:
    """What the watch of one lab run saw."""

    capture: RealInterfaceCapture
    lab_macs: frozenset[str]
    namespaces_seen: set[str]
    interfaces_before: dict[str, bool]
    interfaces_after: dict[str, bool]
    kernel_counted: Counter  # frames per interface while the capture ran
    output: str


@pytest.fixture(scope="module")
def watched_lab_run(tmp_path_factory: pytest.TempPathFactory) -> WatchedRun:
    """A real lab run sending traffic, with every real interface of this
    machine watched from before it starts until after it ends."""
    directory = tmp_path_factory.mktemp("isolation")
    interfaces = real_interfaces()
    capture = RealInterfaceCapture(interfaces).start()
    counted_before = kernel_frame_counts()
    run = traffic_sending_lab_run(directory)
    watch = LabMacWatch(f"{naming.PREFIX}{run.pid}").start()
    try:
        run.wait(timeout=RUN_TIMEOUT)
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()
        macs = watch.stop()
        loopback_probe(b"isolation probe " + str(run.pid).encode())
        kernel_counted = kernel_frame_counts() - counted_before
        dropped = capture.stop()
    assert dropped == 0, f"the capture dropped {dropped} frames: the proof would be incomplete"
    assert not capture.overflow, f"more than {MAX_KEPT_FRAMES} frames to check"
    print(f"isolation: frames the capture saw per interface {dict(capture.counts)}, the kernel counted "
          f"{dict(kernel_counted)}; {len(capture.kept)} decoded, "
          f"{len(macs)} lab MACs from {len(watch.namespaces_seen)} namespaces")
    return WatchedRun(capture, macs, watch.namespaces_seen, interfaces, real_interfaces(), kernel_counted,
                      (directory / "output.txt").read_text(errors="replace"))


# The proof -----------------------------------------------------------------------

def test_no_frame_of_a_lab_run_reaches_this_machines_own_interfaces(watched_lab_run):
    capture = watched_lab_run.capture

    leaks = [(seen.interface, trace) for seen in capture.kept
             for trace in lab_traces(decode(seen.frame), watched_lab_run.lab_macs)]

    assert leaks == []
    # The watch was real: the run made its namespaces and sent its traffic,
    # and the capture saw the probe on lo.
    assert " passed" in watched_lab_run.output, watched_lab_run.output
    assert len(watched_lab_run.namespaces_seen) >= 2 and watched_lab_run.lab_macs
    assert any(b"isolation probe" in seen.frame for seen in capture.kept if seen.interface == "lo")
    # Where the kernel counted frames (lo aside: its filter drops most),
    # the capture saw some (GRO may merge several into one).
    deaf = [name for name, counted in watched_lab_run.kernel_counted.items()
            if name != "lo" and name in capture.interfaces and counted and not capture.counts[name]]
    assert deaf == []


def test_a_lab_run_adds_no_interface_to_this_machines_namespace_and_brings_none_up(watched_lab_run):
    assert watched_lab_run.interfaces_after == watched_lab_run.interfaces_before
    assert watched_lab_run.capture.went_down == set()


# The detector can fail -----------------------------------------------------------

LAB_MAC = "02:5a:b0:00:00:01"
REAL_MAC = "52:54:00:12:34:56"
# Every crafted frame names its destination MAC: left out, scapy would ask
# the network for it (ARP, neighbour solicitation) while building the bytes.
PEER_MAC = "52:54:00:65:43:21"


def built(packet: Packet) -> tuple[bytes, Packet]:
    """The frame's bytes, and scapy's reading of them as the capture would."""
    raw = bytes(packet)
    return raw, decode(raw)


@pytest.mark.parametrize(("description", "packet"), [
    ("IPv4 source in 198.18.0.0/15",
     Ether(src=REAL_MAC, dst=PEER_MAC) / IP(src="198.18.3.1", dst="192.0.2.1") / UDP(dport=9) / Raw(b"x")),
    ("IPv4 destination in 198.19.255.0",
     Ether(src=REAL_MAC, dst=PEER_MAC) / IP(src="192.0.2.1", dst="198.19.255.2") / UDP(dport=9)),
    ("IPv6 source in fd00::/8",
     Ether(src=REAL_MAC, dst=PEER_MAC) / IPv6(src="fd00:5ab:0:1::1", dst="2001:db8::1") / UDP(dport=9)),
    ("ARP asking for a lab address",
     Ether(src=REAL_MAC, dst="ff:ff:ff:ff:ff:ff") / ARP(psrc="192.0.2.1", pdst="198.18.0.2")),
    ("neighbour solicitation for a lab address",
     Ether(src=REAL_MAC, dst=PEER_MAC) / IPv6(src="fe80::1", dst="ff02::1:ff00:2") / ICMPv6ND_NS(tgt="fd00:5ab::2")),
    ("ICMP error quoting a lab datagram",
     Ether(src=REAL_MAC, dst=PEER_MAC) / IP(src="192.0.2.1", dst="192.0.2.2") / ICMP(type=3, code=3)
     / IPerror(src="198.18.7.1", dst="192.0.2.1") / UDPerror(dport=9)),
    ("a lab interface's MAC with no address at all",
     Ether(src=LAB_MAC, dst="ff:ff:ff:ff:ff:ff", type=0x88B5) / Raw(b"lab")),
])
def test_the_detector_finds_lab_traces_in_a_crafted_frame(description, packet):
    raw, decoded = built(packet)

    assert lab_traces(decoded, frozenset({LAB_MAC})), description
    assert might_carry_lab_traces(raw, loopback=False)


@pytest.mark.parametrize("packet", [
    Ether(src=REAL_MAC, dst=PEER_MAC) / IP(src="192.0.2.1", dst="192.0.2.2") / UDP(dport=9),
    Ether(src=REAL_MAC, dst=PEER_MAC) / IPv6(src="2001:db8::1", dst="fe80::1") / UDP(dport=9),
    Ether(src=REAL_MAC, dst=PEER_MAC) / IP(src="198.17.255.1", dst="198.20.0.1") / UDP(dport=9),  # just outside
    Ether(src=REAL_MAC, dst=PEER_MAC) / IPv6(src="fc00::1", dst="fe00::1") / UDP(dport=9),  # just outside fd00::/8
], ids=["ipv4", "ipv6", "ipv4-neighbours-of-the-plan", "ipv6-neighbours-of-the-plan"])
def test_the_detector_passes_a_frame_without_lab_traces(packet):
    _, decoded = built(packet)

    assert lab_traces(decoded, frozenset({LAB_MAC})) == []


@pytest.mark.parametrize(("packet", "kept"), [
    (Ether(src="00:00:00:00:00:00", dst="00:00:00:00:00:00") / IP(src="127.0.0.1", dst="127.0.0.1") / UDP(), False),
    (Ether(src="00:00:00:00:00:00", dst="00:00:00:00:00:00") / IP(src="127.0.0.1", dst="198.18.0.1") / UDP(), True),
    (Ether(src="00:00:00:00:00:00", dst="00:00:00:00:00:00") / IPv6(src="::1", dst="fd00::1") / UDP(), True),
    (Ether(src=LAB_MAC, dst="00:00:00:00:00:00") / IP(src="127.0.0.1", dst="127.0.0.1") / UDP(), True),
], ids=["loopback-only", "lab-ipv4", "lab-ipv6", "a-mac-on-lo"])
def test_the_first_look_on_loopback_keeps_every_frame_that_could_be_the_labs(packet, kept):
    assert might_carry_lab_traces(bytes(packet), loopback=True) is kept


def test_the_kernel_filter_on_lo_drops_loopback_to_loopback_and_keeps_the_rest():
    """The filter runs on a packet socket of a fresh namespace of the lab's
    own, whose loopback carries one datagram of each kind."""
    from lab.naming import RunNames

    host = NetnsHost.create(RunNames().namespace("filter"))
    try:
        with host.inside():
            seen = _frames_through_the_filter()
    finally:
        host.remove()
    assert not any(b"loopback only" in frame for frame in seen)
    assert any(b"to a lab address" in frame for frame in seen)


def _frames_through_the_filter() -> list[bytes]:
    with IPRoute() as ipr:
        ipr.addr("add", index=ipr.link_lookup(ifname="lo")[0], address="198.18.200.1", prefixlen=32)
    with socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL)) as watcher:
        attach_filter(watcher, LOOPBACK_TO_LOOPBACK_DROPPED)
        watcher.bind(("lo", ETH_P_ALL))
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sender:
            sender.sendto(b"loopback only", ("127.0.0.1", 9))
            sender.sendto(b"to a lab address", ("198.18.200.1", 9))
        watcher.settimeout(0.5)
        frames = []
        try:
            while True:
                frames.append(watcher.recv(65536))
        except TimeoutError:
            return frames


def test_the_whole_watch_finds_lab_traffic_on_an_interface_it_watches(veth_pair):
    """The capture, its first look and the detector together, on a lab
    interface where lab traffic belongs: what they would report on a real
    interface that lab traffic reached."""
    left = veth_pair.left
    with left.host.inside():
        capture = RealInterfaceCapture({left.ifname: True}).start()
        sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    with sender:
        sender.sendto(b"lab traffic", (veth_pair.right.address4, 9))
    capture.stop()

    leaks = [trace for seen in capture.kept for trace in lab_traces(decode(seen.frame), frozenset({left.mac}))]

    assert f"IP.src={left.address4}" in leaks
    assert f"Ethernet.src={left.mac} (a lab interface's MAC)" in leaks
