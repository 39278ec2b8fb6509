"""What the engine may do in each address family: the socket kinds, the
addresses, the options with their values, the flags, the payloads and the
ancillary data; and how a world's own numbers in what comes back are made
comparable.  Adding a family is one `Family` here (and its world's set-up
in `world.py` if it needs an interface).

Constants are named, not numbered: a step says "SO_RCVLOWAT" and both
worlds use the stdlib's value (`constant`), so the implementation under
test is judged on behaviour, not on its constant table.
"""

from __future__ import annotations

import socket as stdlib_socket
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lab.engine.symbols import FIXED_PORTS, Symbols
from lab.engine.wire import ip_frame

# Linux constants some interpreters' socket modules lack.
LINUX_CONSTANTS = {
    "SOL_NETLINK": 270, "NETLINK_ADD_MEMBERSHIP": 1, "NETLINK_PKTINFO": 3,
    "NETLINK_NO_ENOBUFS": 5, "NETLINK_CAP_ACK": 10, "NETLINK_EXT_ACK": 11, "NETLINK_GET_STRICT_CHK": 12,
    "SOL_PACKET": 263, "PACKET_ADD_MEMBERSHIP": 1, "PACKET_AUXDATA": 8, "PACKET_ORIGDEV": 9,
    "PACKET_IGNORE_OUTGOING": 23, "PACKET_STATISTICS": 6,
    "SO_PEEK_OFF": 42, "SO_BUSY_POLL": 46, "SO_INCOMING_CPU": 49,
    "IP_RECVTOS": 13, "IP_RECVTTL": 12, "IP_MTU_DISCOVER": 10, "IP_FREEBIND": 15,
    "TCP_CORK": 3, "TCP_QUICKACK": 12, "TCP_USER_TIMEOUT": 18, "TCP_NOTSENT_LOWAT": 25,
    "IPV6_RECVHOPLIMIT": 51, "IPV6_RECVTCLASS": 66, "IPV6_TCLASS": 67, "IPV6_HOPLIMIT": 52,
    "ETH_P_ALL": 3,
    "CAN_RAW_ERR_FILTER": 2, "VMADDR_CID_LOCAL": 1, "SCTP_NODELAY": 3, "SCTP_MAXSEG": 13,
    "SO_VM_SOCKETS_CONNECT_TIMEOUT": 6, "AF_QIPCRTR": 42, "SO_RDS_TRANSPORT": 8, "RDS_RECVERR": 5,
    "SOL_BLUETOOTH": 274, "BT_SECURITY": 4, "BT_DEFER_SETUP": 7, "BT_FLUSHABLE": 8,
    "SOL_HCI": 0, "HCI_DATA_DIR": 1, "HCI_FILTER": 2, "HCI_TIME_STAMP": 3,
}


def constant(name: str) -> int:
    value = getattr(stdlib_socket, name, None)
    return int(value) if value is not None else LINUX_CONSTANTS[name]


@dataclass(frozen=True)
class Option:
    level: str
    name: str
    values: tuple[Any, ...]  # ints (set in int and bytes form), bytes, or None (get only)
    buflen: int = 4  # for getsockopt's bytes form
    receiving: bool = False  # changes what a receive returns, or when
    # Bytes the kernel writes of the bytes form, where it writes fewer than
    # it reports: the rest is whatever the caller's buffer held (the stdlib
    # returns its uninitialised memory), so only these and the length count.
    written: int | None = None


Normaliser = Callable[[str, Any, Symbols], Any]  # (what, value, symbols) -> value


def _plain(what: str, value: Any, symbols: Symbols) -> Any:
    return value


@dataclass(frozen=True)
class Family:
    name: str  # the lab's capability and `family` mark ("unix", "can", ...)
    kinds: tuple[tuple[str, str, Any], ...]  # (family, type, proto): proto an int or a constant's name
    addresses: tuple[Any, ...]  # literal addresses; steps may also use ("name_of", handle)
    options: tuple[Option, ...]
    payloads: tuple[bytes, ...] = (b"1", b"2345", b"hello world", b"")
    send_flags: tuple[str, ...] = ("MSG_DONTWAIT",)
    recv_flags: tuple[str, ...] = ("MSG_PEEK", "MSG_DONTWAIT", "MSG_WAITALL")
    ancillary: tuple[Any, ...] = ()  # sendmsg items: (level, type, payload or ("fds", h) / ("creds",))
    pairs: bool = False  # socketpair() works
    listens: bool = False  # listen/accept apply
    connects: bool = True  # connect/connect_ex steps are drawn
    world: tuple[str, ...] = ()  # what each world sets up besides its netns ("vcan")
    # A world of its own network namespace; False for the families the
    # kernel serves in its first namespace only (QIPCRTR, Bluetooth).
    own_namespace: bool = True
    normalise: Normaliser = _plain
    needs: tuple[str, ...] = field(default=())  # extra `needs` marks
    loopback: Any = None  # host for `connected_pair` (a connected pair made in one step)
    pair_port: int = 0  # the port `connected_pair` binds: the kernel picks one
    sizes: tuple[int, ...] = (10, 1, 4, 100, 0)  # receive sizes
    # The interface whose frames each step's observation includes (wire.py),
    # None where nothing crosses one the world can watch.
    wire: str | None = None
    # Kinds whose sockets pair up by binding alone (a bus): kind index ->
    # the two addresses, for the `bound_pair` step.
    bound_pairs: tuple[tuple[int, Any, Any], ...] = ()

    def kind(self, index: int) -> tuple[int, int, int]:
        family, kind, proto = self.kinds[index % len(self.kinds)]
        return constant(family), constant(kind), constant(proto) if isinstance(proto, str) else proto


COMMON_OPTIONS = (
    Option("SOL_SOCKET", "SO_RCVLOWAT", (1, 5), receiving=True),
    Option("SOL_SOCKET", "SO_RCVBUF", (4096, 1), receiving=True),
    Option("SOL_SOCKET", "SO_SNDBUF", (4096,)),
    Option("SOL_SOCKET", "SO_KEEPALIVE", (0, 1)),
    Option("SOL_SOCKET", "SO_REUSEADDR", (1,)),
    Option("SOL_SOCKET", "SO_LINGER", (struct.pack("ii", 1, 0), b"\x01"), buflen=8),
    Option("SOL_SOCKET", "SO_RCVTIMEO", (struct.pack("ll", 0, 50000),), buflen=16, receiving=True),
    Option("SOL_SOCKET", "SO_PEEK_OFF", (0, 2, -1), receiving=True),
    Option("SOL_SOCKET", "SO_TYPE", (None,)),
    Option("SOL_SOCKET", "SO_ERROR", (None,)),
    Option("SOL_SOCKET", "SO_ACCEPTCONN", (None,)),
)


def _ip_port(value: Any, symbols: Symbols) -> Any:
    if isinstance(value, tuple) and len(value) >= 2 and isinstance(value[0], str):
        return (value[0], symbols.port(value[1]), *value[2:])
    return value


def _normalise_inet(what: str, value: Any, symbols: Symbols) -> Any:
    if what == "frame":
        return ip_frame(value, symbols)
    if what == "address":
        return _ip_port(value, symbols)
    if what == "raw4" and isinstance(value, bytes):
        # The IP identification and header checksum are per-world hash
        # values: everything else in the header must agree (a receive
        # shorter than the header holds part of them).
        header = bytearray(value)
        header[4:6] = bytes(len(header[4:6]))
        header[10:12] = bytes(len(header[10:12]))
        return bytes(header)
    return value


def _normalise_unix(what: str, value: Any, symbols: Symbols) -> Any:
    # An autobound name (binding "") is five hex digits the kernel chose.
    if what == "address" and isinstance(value, bytes) and len(value) == 6 and value[:1] == b"\0" \
            and all(c in b"0123456789abcdef" for c in value[1:]):
        return symbols.name("autobind", int(value[1:], 16))
    return value


UNIX = Family(
    name="unix",
    kinds=(("AF_UNIX", "SOCK_STREAM", 0), ("AF_UNIX", "SOCK_DGRAM", 0), ("AF_UNIX", "SOCK_SEQPACKET", 0)),
    addresses=("p0", "p1", b"\0lab-a0", "", "dir/none"),
    options=COMMON_OPTIONS + (
        Option("SOL_SOCKET", "SO_PASSCRED", (0, 1), receiving=True),
        Option("SOL_SOCKET", "SO_PEERCRED", (None,), buflen=12),
    ),
    ancillary=(
        ("SOL_SOCKET", "SCM_RIGHTS", ("fds", 0)),
        ("SOL_SOCKET", "SCM_CREDENTIALS", ("creds",)),
        ("SOL_SOCKET", "SCM_RIGHTS", b"\xff\xff\xff\xff"),
    ),
    pairs=True,
    listens=True,
    normalise=_normalise_unix,
)


INET_OPTIONS = COMMON_OPTIONS + (
    Option("IPPROTO_IP", "IP_TOS", (0x10, 0)),
    Option("IPPROTO_IP", "IP_TTL", (1, 64, 0)),
    Option("IPPROTO_IP", "IP_RECVTOS", (1,), receiving=True),
    Option("IPPROTO_IP", "IP_RECVTTL", (1,), receiving=True),
    Option("IPPROTO_IP", "IP_PKTINFO", (1,), receiving=True),
    Option("IPPROTO_IP", "IP_MTU_DISCOVER", (0, 2)),
    Option("IPPROTO_IP", "IP_FREEBIND", (1,)),
    Option("IPPROTO_IP", "IP_OPTIONS", (b"\x01\x01\x01\x00", b""), buflen=40),
    Option("IPPROTO_TCP", "TCP_NODELAY", (1,)),
    Option("IPPROTO_TCP", "TCP_MAXSEG", (536,)),
    Option("IPPROTO_TCP", "TCP_CORK", (1, 0)),
    Option("IPPROTO_TCP", "TCP_USER_TIMEOUT", (1000,)),
    Option("IPPROTO_TCP", "TCP_NOTSENT_LOWAT", (1,)),
    Option("IPPROTO_TCP", "TCP_CONGESTION", (b"reno", b"nosuch"), buflen=16),
)

INET = Family(
    name="inet",
    kinds=(("AF_INET", "SOCK_STREAM", 0), ("AF_INET", "SOCK_DGRAM", 0), ("AF_INET", "SOCK_RAW", 253)),
    addresses=(("127.0.0.1", 0), ("127.0.0.1", FIXED_PORTS[0]), ("0.0.0.0", FIXED_PORTS[1]),
               ("198.18.0.1", 0), ("127.0.0.1", 70000), ("localhost", 0)),
    options=INET_OPTIONS,
    send_flags=("MSG_DONTWAIT", "MSG_OOB", "MSG_MORE"),
    recv_flags=("MSG_PEEK", "MSG_DONTWAIT", "MSG_WAITALL", "MSG_OOB"),
    ancillary=(("IPPROTO_IP", "IP_TOS", b"\x10"), ("IPPROTO_IP", "IP_TTL", struct.pack("i", 3))),
    listens=True,
    normalise=_normalise_inet,
    loopback="127.0.0.1",
    wire="lo",
)

INET6 = Family(
    name="inet6",
    kinds=(("AF_INET6", "SOCK_STREAM", 0), ("AF_INET6", "SOCK_DGRAM", 0), ("AF_INET6", "SOCK_RAW", 253)),
    addresses=(("::1", 0), ("::1", FIXED_PORTS[0]), ("::", FIXED_PORTS[1]), ("::1", 0, 0, 0),
               ("fd00:5ab::1", 0), ("::ffff:127.0.0.1", 0), ("::1", 0, 1 << 20, 0)),
    options=COMMON_OPTIONS + (
        Option("IPPROTO_IPV6", "IPV6_V6ONLY", (0, 1)),
        Option("IPPROTO_IPV6", "IPV6_UNICAST_HOPS", (1, -1)),
        Option("IPPROTO_IPV6", "IPV6_RECVHOPLIMIT", (1,), receiving=True),
        Option("IPPROTO_IPV6", "IPV6_RECVTCLASS", (1,), receiving=True),
        Option("IPPROTO_IPV6", "IPV6_TCLASS", (0x20,)),
        Option("IPPROTO_IPV6", "IPV6_RECVPKTINFO", (1,), receiving=True),
        Option("IPPROTO_TCP", "TCP_NODELAY", (1,)),
        Option("IPPROTO_TCP", "TCP_MAXSEG", (1200,)),
    ),
    send_flags=("MSG_DONTWAIT", "MSG_OOB"),
    recv_flags=("MSG_PEEK", "MSG_DONTWAIT", "MSG_WAITALL"),
    ancillary=(("IPPROTO_IPV6", "IPV6_HOPLIMIT", struct.pack("i", 7)),
               ("IPPROTO_IPV6", "IPV6_TCLASS", struct.pack("i", 0x20))),
    listens=True,
    normalise=_normalise_inet,
    loopback="::1",
    wire="lo",
)


def _normalise_netlink(what: str, value: Any, symbols: Symbols) -> Any:
    if what == "address" and isinstance(value, tuple) and len(value) == 2:
        return (symbols.pid(value[0]), value[1])
    if what == "data" and isinstance(value, bytes):
        # Message headers (the port id named), and each body's length: a
        # body holds the world's counters and timestamps.
        messages, offset = [], 0
        while offset + 16 <= len(value):
            length, kind, flags, seq, pid = struct.unpack_from("=IHHII", value, offset)
            messages.append((length, kind, flags, seq, symbols.pid(pid)))
            offset += max((length + 3) & ~3, 16)
        return ("netlink", tuple(messages), len(value) - offset)
    return value


def _netlink_request(kind: int, flags: int, seq: int, body: bytes = b"") -> bytes:
    return struct.pack("=IHHII", 16 + len(body), kind, flags, seq, 0) + body


NLM_F_REQUEST, NLM_F_ACK, NLM_F_DUMP = 1, 4, 0x300
RTM_GETLINK, RTM_GETADDR, NLMSG_NOOP = 18, 22, 1

NETLINK = Family(
    name="netlink",
    kinds=(("AF_NETLINK", "SOCK_RAW", "NETLINK_ROUTE"), ("AF_NETLINK", "SOCK_DGRAM", "NETLINK_ROUTE"),
           ("AF_NETLINK", "SOCK_RAW", 31)),
    addresses=((0, 0), (0, 1), (0, 0x10), (12345, 0)),
    options=COMMON_OPTIONS[:5] + (
        Option("SOL_NETLINK", "NETLINK_ADD_MEMBERSHIP", (1, 0)),
        Option("SOL_NETLINK", "NETLINK_PKTINFO", (1,), receiving=True),
        Option("SOL_NETLINK", "NETLINK_CAP_ACK", (1,)),
        Option("SOL_NETLINK", "NETLINK_EXT_ACK", (1,)),
        Option("SOL_NETLINK", "NETLINK_GET_STRICT_CHK", (1,)),
        Option("SOL_NETLINK", "NETLINK_NO_ENOBUFS", (1,)),
    ),
    payloads=(
        _netlink_request(RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, 1, b"\0" * 16),
        _netlink_request(RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, 2, b"\0" * 8),
        _netlink_request(NLMSG_NOOP, NLM_F_REQUEST | NLM_F_ACK, 3),
        b"\x01\x02",
    ),
    recv_flags=("MSG_PEEK", "MSG_DONTWAIT", "MSG_TRUNC"),
    send_flags=("MSG_DONTWAIT",),
    normalise=_normalise_netlink,
)

ETH_P_LAB = 0x88B5  # IEEE 802 local experimental ethertype
_FRAME = b"\xff" * 6 + b"\x02\x00\x00\x00\x00\x01" + struct.pack("!H", ETH_P_LAB)

PACKET = Family(
    name="packet",
    kinds=(("AF_PACKET", "SOCK_RAW", stdlib_socket.htons(ETH_P_LAB)),
           ("AF_PACKET", "SOCK_DGRAM", stdlib_socket.htons(ETH_P_LAB)),
           ("AF_PACKET", "SOCK_RAW", stdlib_socket.htons(3)),
           ("AF_PACKET", "SOCK_RAW", 0)),
    addresses=(("lo", ETH_P_LAB), ("lo", 0), ("lo", ETH_P_LAB, 0, 0, b"\xff" * 6), ("nosuch0", 0),
               ("lo", ETH_P_LAB, 4, 1, b"\x02\0\0\0\0\x01"), ("lo",)),
    options=COMMON_OPTIONS[:5] + (
        Option("SOL_PACKET", "PACKET_AUXDATA", (1,)),
        Option("SOL_PACKET", "PACKET_ORIGDEV", (1,)),
        Option("SOL_PACKET", "PACKET_IGNORE_OUTGOING", (1,)),
        Option("SOL_PACKET", "PACKET_ADD_MEMBERSHIP", (struct.pack("iHH8s", 1, 1, 0, b""),), buflen=16),
        Option("SOL_PACKET", "PACKET_STATISTICS", (None,), buflen=8),
    ),
    payloads=(_FRAME + b"payload", _FRAME, b"short", _FRAME + bytes(range(64))),
    recv_flags=("MSG_PEEK", "MSG_DONTWAIT", "MSG_TRUNC"),
    send_flags=("MSG_DONTWAIT",),
    wire="lo",
)

HOST_FAMILIES = (UNIX, INET, INET6, NETLINK, PACKET)

# --- families the host kernel lacks: they run in the lab VM -------------------

SCTP = Family(
    name="sctp",
    kinds=(("AF_INET", "SOCK_STREAM", "IPPROTO_SCTP"), ("AF_INET", "SOCK_SEQPACKET", "IPPROTO_SCTP")),
    addresses=(("127.0.0.1", 0), ("127.0.0.1", FIXED_PORTS[0]), ("198.18.0.1", 0)),
    options=COMMON_OPTIONS[:6] + (
        Option("IPPROTO_SCTP", "SCTP_NODELAY", (1, 0)),
        Option("IPPROTO_SCTP", "SCTP_MAXSEG", (512,)),
    ),
    send_flags=("MSG_DONTWAIT",),
    recv_flags=("MSG_PEEK", "MSG_DONTWAIT"),
    listens=True,
    normalise=_normalise_inet,
    loopback="127.0.0.1",
    # No wire: SCTP's verification tags, TSNs and cookies are random per
    # association, and its chunks would need a parser of their own.
)

UDPLITE = Family(
    name="udplite",
    kinds=(("AF_INET", "SOCK_DGRAM", "IPPROTO_UDPLITE"), ("AF_INET6", "SOCK_DGRAM", "IPPROTO_UDPLITE")),
    addresses=(("127.0.0.1", 0), ("127.0.0.1", FIXED_PORTS[0]), ("::1", 0)),
    options=COMMON_OPTIONS[:5] + (
        Option("IPPROTO_UDPLITE", "UDPLITE_SEND_CSCOV", (8, 20, 0)),
        Option("IPPROTO_UDPLITE", "UDPLITE_RECV_CSCOV", (8, 20), receiving=True),
    ),
    send_flags=("MSG_DONTWAIT",),
    recv_flags=("MSG_PEEK", "MSG_DONTWAIT", "MSG_TRUNC"),
    normalise=_normalise_inet,
    loopback="127.0.0.1",
    wire="lo",
)

CAN_FRAME = struct.Struct("=IB3x8s")  # struct can_frame: id, length, data
CANFD_FRAME = struct.Struct("=IBBxx64s")

CAN = Family(
    name="can",
    kinds=(("AF_CAN", "SOCK_RAW", "CAN_RAW"), ("AF_CAN", "SOCK_DGRAM", "CAN_BCM"),
           ("AF_CAN", "SOCK_DGRAM", "CAN_ISOTP"), ("AF_CAN", "SOCK_DGRAM", "CAN_J1939")),
    addresses=(("vcan0",), ("",), ("nosuch0",), ("vcan0", 0x123, 0x321), ("vcan0", 0x321, 0x123),
               ("vcan0", 0, 0x0FF00, 0x20), ("vcan0", 0, 0x0FF00, 0x30)),
    options=COMMON_OPTIONS[:3] + (
        Option("SOL_CAN_RAW", "CAN_RAW_FILTER", (struct.pack("=II", 0x123, 0x7FF), b""), buflen=64),
        Option("SOL_CAN_RAW", "CAN_RAW_ERR_FILTER", (0x1FFFFFFF,)),
        Option("SOL_CAN_RAW", "CAN_RAW_LOOPBACK", (0, 1)),
        Option("SOL_CAN_RAW", "CAN_RAW_RECV_OWN_MSGS", (1,), receiving=True),
        Option("SOL_CAN_RAW", "CAN_RAW_FD_FRAMES", (1,)),
        Option("SOL_CAN_RAW", "CAN_RAW_JOIN_FILTERS", (1,)),
    ),
    payloads=(CAN_FRAME.pack(0x123, 2, b"hi"), CAN_FRAME.pack(0x80000123, 8, b"extended"),
              CANFD_FRAME.pack(0x123, 12, 0, b"twelve bytes"), b"short", b"1"),
    recv_flags=("MSG_PEEK", "MSG_DONTWAIT"),
    send_flags=("MSG_DONTWAIT",),
    world=("vcan",),
    needs=("vcan",),
    wire="vcan0",
    # Two raw sockets on the bus, and an ISO-TP pair whose ids face each other.
    bound_pairs=((0, ("vcan0",), ("vcan0",)), (2, ("vcan0", 0x123, 0x321), ("vcan0", 0x321, 0x123))),
)

VSOCK_ANY_PORT = 0xFFFFFFFF


def _normalise_vsock(what: str, value: Any, symbols: Symbols) -> Any:
    if what == "address" and isinstance(value, tuple) and len(value) == 2 and value[1] != VSOCK_ANY_PORT:
        # vsock is not per namespace: both worlds share the one port space.
        return (value[0], symbols.port(value[1]))
    return value


VSOCK = Family(
    name="vsock",
    kinds=(("AF_VSOCK", "SOCK_STREAM", 0), ("AF_VSOCK", "SOCK_SEQPACKET", 0), ("AF_VSOCK", "SOCK_DGRAM", 0)),
    # Ports are always the kernel's choice: vsock has no namespaces, and
    # two worlds binding one fixed port would collide.
    addresses=((1, VSOCK_ANY_PORT), (0xFFFFFFFF, VSOCK_ANY_PORT), (2, VSOCK_ANY_PORT), (1,)),
    options=(Option("AF_VSOCK", "SO_VM_SOCKETS_BUFFER_SIZE", (65536, 1)),
             Option("AF_VSOCK", "SO_VM_SOCKETS_CONNECT_TIMEOUT", (struct.pack("ll", 1, 0),), buflen=16))
    + COMMON_OPTIONS[:3],
    send_flags=("MSG_DONTWAIT",),
    recv_flags=("MSG_PEEK", "MSG_DONTWAIT", "MSG_WAITALL"),
    listens=True,
    normalise=_normalise_vsock,
    loopback=1,
    pair_port=VSOCK_ANY_PORT,
)

ALG = Family(
    name="alg",
    kinds=(("AF_ALG", "SOCK_SEQPACKET", 0), ("AF_ALG", "SOCK_STREAM", 0)),
    addresses=(("hash", "sha256"), ("skcipher", "cbc(aes)"), ("aead", "gcm(aes)"), ("hash", "nosuch"),
               ("hash", "sha256", 0, 0), ("rng", "stdrng")),
    options=(Option("SOL_ALG", "ALG_SET_KEY", (b"k" * 16, b"k" * 3)),
             Option("SOL_ALG", "ALG_SET_AEAD_AUTHSIZE", (16,))),
    payloads=(b"abc", b"", b"0123456789abcdef", b"1"),
    send_flags=("MSG_MORE",),
    recv_flags=("MSG_DONTWAIT",),
    listens=True,
)


def _normalise_tipc(what: str, value: Any, symbols: Symbols) -> Any:
    if what == "address" and isinstance(value, tuple) and len(value) == 5 and value[0] == 3:
        # A port id, (TIPC_ADDR_ID, node, ref, 0, scope): the reference is
        # the kernel's random choice, the node the world's own.
        return (3, symbols.name("node", value[1]), symbols.name("ref", value[2]), *value[3:])
    return value


TIPC = Family(
    name="tipc",
    kinds=(("AF_TIPC", "SOCK_RDM", 0), ("AF_TIPC", "SOCK_STREAM", 0), ("AF_TIPC", "SOCK_SEQPACKET", 0),
           ("AF_TIPC", "SOCK_DGRAM", 0)),
    addresses=((2, 18888, 1, 0), (2, 18888, 2, 0), (1, 18888, 1, 5), (2, 0, 1, 0)),
    options=(Option("SOL_TIPC", "TIPC_IMPORTANCE", (0, 3, 9)),
             Option("SOL_TIPC", "TIPC_SRC_DROPPABLE", (1,)),
             Option("SOL_TIPC", "TIPC_DEST_DROPPABLE", (1,)),
             Option("SOL_TIPC", "TIPC_CONN_TIMEOUT", (1000,))) + COMMON_OPTIONS[:3],
    send_flags=("MSG_DONTWAIT",),
    recv_flags=("MSG_PEEK", "MSG_DONTWAIT"),
    listens=True,
    normalise=_normalise_tipc,
)

QRTR_LOCAL_NODE = 1  # the kernel's qrtr_local_nid until a modem names another


def _normalise_qrtr(what: str, value: Any, symbols: Symbols) -> Any:
    if what == "address" and isinstance(value, tuple) and len(value) == 2:
        # QIPCRTR is not per namespace: both worlds share one node's ports.
        return (value[0], symbols.port(value[1]))
    return value


QIPCRTR = Family(
    name="qipcrtr",
    kinds=(("AF_QIPCRTR", "SOCK_DGRAM", 0),),
    # Ports are always the kernel's choice (0): the worlds share the node,
    # and a fixed port would collide; the control port is one per node.
    addresses=((QRTR_LOCAL_NODE, 0), (QRTR_LOCAL_NODE + 1, 0), (QRTR_LOCAL_NODE,), (-2, 0)),
    options=COMMON_OPTIONS[:3],
    send_flags=("MSG_DONTWAIT",),
    recv_flags=("MSG_PEEK", "MSG_DONTWAIT", "MSG_TRUNC"),
    normalise=_normalise_qrtr,
    own_namespace=False,
)


def _normalise_rds(what: str, value: Any, symbols: Symbols) -> Any:
    # RDS binds are not per namespace either: ports are the kernel's choice.
    return _ip_port(value, symbols) if what == "address" else value


RDS = Family(
    name="rds",
    kinds=(("AF_RDS", "SOCK_SEQPACKET", 0),),
    addresses=(("127.0.0.1", 0), ("127.0.0.2", 0), ("0.0.0.0", 0), ("198.18.0.1", 0)),
    options=COMMON_OPTIONS[:3] + (
        Option("SOL_RDS", "RDS_RECVERR", (1, 0), receiving=True),
        Option("SOL_RDS", "SO_RDS_TRANSPORT", (0, 2, -1)),
    ),
    send_flags=("MSG_DONTWAIT",),
    recv_flags=("MSG_PEEK", "MSG_DONTWAIT", "MSG_TRUNC"),
    normalise=_normalise_rds,
)

BDADDR_ANY = "00:00:00:00:00:00"
FIRST_DYNAMIC_PSM = 0x1001  # L2CAP: the kernel hands out odd PSMs from here


def _normalise_bluetooth(what: str, value: Any, symbols: Symbols) -> Any:
    """Each world has a controller of its own: its address and index are
    named "own" (BD addresses are the world's; every other is kept)."""
    if symbols.controller is None:
        return value
    index, address = symbols.controller

    def named(field: Any) -> Any:
        if field == address:
            return "bdaddr:own"
        if field == address.encode():
            return b"bdaddr:own"
        return field

    if what == "address":
        if isinstance(value, int):  # an HCI address, as the stdlib gives it before 3.14
            return "hci:own" if value == index else value
        if (isinstance(value, tuple) and len(value) >= 2 and value[0] == BDADDR_ANY
                and isinstance(value[1], int) and value[1] >= FIRST_DYNAMIC_PSM):
            # A PSM the kernel chose on BDADDR_ANY (a bind to the name of an
            # unbound L2CAP socket): one space for both worlds, so each gets its own.
            return (value[0], symbols.name("psm", value[1]), *value[2:])
        if isinstance(value, tuple) and value:
            first = named(value[0])
            if isinstance(value[0], int) and not isinstance(value[0], bool) and value[0] == index:
                first = "hci:own"
            return (first, *value[1:])
        return named(value)
    if what == "data" and isinstance(value, bytes):
        return value.replace(bytes.fromhex(address.replace(":", ""))[::-1], b"<own bdaddr>")
    return value


HCI_ALL_EVENTS = struct.pack("<IIIH2x", 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)  # struct hci_filter

BLUETOOTH = Family(
    name="bluetooth",
    kinds=(("AF_BLUETOOTH", "SOCK_SEQPACKET", "BTPROTO_L2CAP"), ("AF_BLUETOOTH", "SOCK_STREAM", "BTPROTO_RFCOMM"),
           ("AF_BLUETOOTH", "SOCK_RAW", "BTPROTO_HCI"), ("AF_BLUETOOTH", "SOCK_SEQPACKET", "BTPROTO_SCO")),
    # Only the world's own controller: a name bound on BDADDR_ANY is one for
    # both worlds.  ("own_address", 3): PSM 3 for L2CAP, channel 3 for RFCOMM.
    addresses=(("own_address", 0), ("own_address", 3), ("own_address", 0x1001), ("own_address", 2),
               ("own_index",), ("own_index_int",), ("own_index", 0), ("own_address_str",),
               ("own_address_bytes",), ("not an address", 0)),
    options=COMMON_OPTIONS[:3] + (
        Option("SOL_BLUETOOTH", "BT_SECURITY", (struct.pack("BB", 1, 0), struct.pack("BB", 9, 0)), buflen=2),
        Option("SOL_BLUETOOTH", "BT_DEFER_SETUP", (0, 1)),
        Option("SOL_BLUETOOTH", "BT_FLUSHABLE", (1,)),
        Option("SOL_HCI", "HCI_FILTER", (HCI_ALL_EVENTS,), buflen=16),
        # Linux writes these two with put_user() through a char pointer:
        # one byte, and the length asked for is reported back (found by this
        # engine in make lab-test on 2026-12-02, seed 365562954).
        Option("SOL_HCI", "HCI_DATA_DIR", (1,), written=1),
        Option("SOL_HCI", "HCI_TIME_STAMP", (1,), written=1),
    ),
    payloads=(b"1", b"hello", b""),
    send_flags=("MSG_DONTWAIT",),
    recv_flags=("MSG_PEEK", "MSG_DONTWAIT"),
    listens=True,
    # A connection takes a link between controllers that both worlds'
    # controllers share (btvirt's one bus): when it is up is timing.
    connects=False,
    normalise=_normalise_bluetooth,
    own_namespace=False,
    needs=("vhci",),
)

VM_FAMILIES = (SCTP, UDPLITE, CAN, VSOCK, ALG, TIPC, QIPCRTR, RDS)
# Bluetooth runs apart: under an interpreter whose stdlib has AF_BLUETOOTH
# (the lab's oracle python), each world on a controller of its own.
FAMILIES = {family.name: family for family in HOST_FAMILIES + VM_FAMILIES + (BLUETOOTH,)}
