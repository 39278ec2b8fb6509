"""Typed interface of sockimpl._sockimpl, the C module in the role of _socket."""

from collections.abc import Iterable
from typing import Any, SupportsIndex, TypeAlias, overload

from _typeshed import ReadableBuffer, WriteableBuffer
from typing_extensions import Self

# An address as the caller gives it: (host, port), (host, port, flowinfo,
# scope_id), a path, or a family-specific tuple.
_Address: TypeAlias = tuple[Any, ...] | str | bytes | bytearray
# An address as the module returns it, whose shape depends on the family.
_RetAddress: TypeAlias = Any
_AncillaryItem: TypeAlias = tuple[int, int, bytes]
_SockAddr: TypeAlias = tuple[str, int] | tuple[str, int, int, int] | tuple[int, bytes]

# ---- the socket type -----------------------------------------------------------

class socket:
    """A socket object: one kernel socket descriptor and its timeout."""

    @property
    def family(self) -> int: ...
    @property
    def type(self) -> int: ...
    @property
    def proto(self) -> int: ...
    @property
    def timeout(self) -> float | None: ...
    # Open makefile() objects; close() is deferred while this is positive.
    _io_refs: int
    # close() or detach() was called (the real close may still be pending).
    _closed: bool
    def __init__(
        self,
        family: int = -1,
        type: int = -1,
        proto: int = -1,
        fileno: SupportsIndex | None = None,
    ) -> None: ...
    def __enter__(self) -> Self: ...
    def __exit__(self, *args: object) -> None: ...
    def _accept(self) -> tuple[int, _RetAddress]: ...
    def _real_close(self) -> None: ...
    def bind(self, address: _Address, /) -> None: ...
    def close(self) -> None: ...
    def connect(self, address: _Address, /) -> None: ...
    def connect_ex(self, address: _Address, /) -> int: ...
    def detach(self) -> int: ...
    def dup(self) -> socket: ...
    def fileno(self) -> int: ...
    def get_inheritable(self) -> bool: ...
    def set_inheritable(self, inheritable: bool, /) -> None: ...
    def getblocking(self) -> bool: ...
    def setblocking(self, flag: bool, /) -> None: ...
    def gettimeout(self) -> float | None: ...
    def settimeout(self, value: float | None, /) -> None: ...
    def getpeername(self) -> _RetAddress: ...
    def getsockname(self) -> _RetAddress: ...
    @overload
    def getsockopt(self, level: int, optname: int, /) -> int: ...
    @overload
    def getsockopt(self, level: int, optname: int, buflen: int, /) -> bytes: ...
    @overload
    def setsockopt(self, level: int, optname: int, value: int | ReadableBuffer, /) -> None: ...
    @overload
    def setsockopt(self, level: int, optname: int, value: None, optlen: int, /) -> None: ...
    def listen(self, backlog: int = ..., /) -> None: ...
    def recv(self, bufsize: int, flags: int = 0, /) -> bytes: ...
    def recvfrom(self, bufsize: int, flags: int = 0, /) -> tuple[bytes, _RetAddress]: ...
    def recv_into(self, buffer: WriteableBuffer, nbytes: int = 0, flags: int = 0) -> int: ...
    def recvfrom_into(
        self, buffer: WriteableBuffer, nbytes: int = 0, flags: int = 0
    ) -> tuple[int, _RetAddress]: ...
    def recvmsg(
        self, bufsize: int, ancbufsize: int = 0, flags: int = 0, /
    ) -> tuple[bytes, list[_AncillaryItem], int, _RetAddress]: ...
    def recvmsg_into(
        self, buffers: Iterable[WriteableBuffer], ancbufsize: int = 0, flags: int = 0, /
    ) -> tuple[int, list[_AncillaryItem], int, _RetAddress]: ...
    def send(self, data: ReadableBuffer, flags: int = 0, /) -> int: ...
    def sendall(self, data: ReadableBuffer, flags: int = 0, /) -> None: ...
    @overload
    def sendto(self, data: ReadableBuffer, address: _Address, /) -> int: ...
    @overload
    def sendto(self, data: ReadableBuffer, flags: int, address: _Address, /) -> int: ...
    def sendmsg(
        self,
        buffers: Iterable[ReadableBuffer],
        ancdata: Iterable[tuple[int, int, ReadableBuffer]] = ...,
        flags: int = 0,
        address: _Address | None = None,
        /,
    ) -> int: ...
    def sendmsg_afalg(
        self,
        msg: Iterable[ReadableBuffer] = ...,
        *,
        op: int,
        iv: ReadableBuffer = ...,
        assoclen: int = ...,
        flags: int = 0,
    ) -> int: ...
    def shutdown(self, how: int, /) -> None: ...

SocketType = socket

# ---- exceptions ------------------------------------------------------------------

error = OSError
timeout = TimeoutError

class herror(OSError): ...
class gaierror(OSError): ...

has_ipv6: bool

# ---- module functions --------------------------------------------------------------

def close(fd: SupportsIndex, /) -> None: ...
def dup(fd: SupportsIndex, /) -> int: ...
def socketpair(family: int = ..., type: int = ..., proto: int = 0, /) -> tuple[socket, socket]: ...
def _addr_roundtrip(family: int, type: int, proto: int, address: Any, /) -> Any: ...
def _adopt_class(cls: type[socket], /) -> None: ...
def getdefaulttimeout() -> float | None: ...
def setdefaulttimeout(timeout: float | None, /) -> None: ...
def CMSG_LEN(length: int, /) -> int: ...
def CMSG_SPACE(length: int, /) -> int: ...

# ---- names and addresses -----------------------------------------------------------

def getaddrinfo(
    host: bytes | str | None,
    port: bytes | str | int | None,
    family: int = 0,
    type: int = 0,
    proto: int = 0,
    flags: int = 0,
) -> list[tuple[int, int, int, str, _SockAddr]]: ...
def getnameinfo(
    sockaddr: tuple[str, int] | tuple[str, int, int, int], flags: int, /
) -> tuple[str, str]: ...
def gethostname() -> str: ...
def sethostname(name: str | ReadableBuffer, /) -> None: ...
def gethostbyname(hostname: str, /) -> str: ...
def gethostbyname_ex(hostname: str, /) -> tuple[str, list[str], list[str]]: ...
def gethostbyaddr(ip_address: str, /) -> tuple[str, list[str], list[str]]: ...
def getprotobyname(protocolname: str, /) -> int: ...
def getservbyname(servicename: str, protocolname: str = ..., /) -> int: ...
def getservbyport(port: int, protocolname: str = ..., /) -> str: ...
def if_nameindex() -> list[tuple[int, str]]: ...
def if_nametoindex(oname: str, /) -> int: ...
def if_indextoname(index: int, /) -> str: ...
def htonl(x: int, /) -> int: ...
def htons(x: int, /) -> int: ...
def ntohl(x: int, /) -> int: ...
def ntohs(x: int, /) -> int: ...
def inet_aton(ip_addr: str, /) -> bytes: ...
def inet_ntoa(packed_ip: ReadableBuffer, /) -> str: ...
def inet_pton(address_family: int, ip_string: str, /) -> bytes: ...
def inet_ntop(address_family: int, packed_ip: ReadableBuffer, /) -> str: ...

# ---- constants -----------------------------------------------------------

AF_ALG: int
AF_APPLETALK: int
AF_ASH: int
AF_ATMPVC: int
AF_ATMSVC: int
AF_AX25: int
AF_BLUETOOTH: int
AF_BRIDGE: int
AF_CAIF: int
AF_CAN: int
AF_DECnet: int
AF_ECONET: int
AF_IB: int
AF_IEEE802154: int
AF_INET: int
AF_INET6: int
AF_IPX: int
AF_IRDA: int
AF_ISDN: int
AF_IUCV: int
AF_KCM: int
AF_KEY: int
AF_LLC: int
AF_MCTP: int
AF_MPLS: int
AF_NETBEUI: int
AF_NETLINK: int
AF_NETROM: int
AF_NFC: int
AF_PACKET: int
AF_PHONET: int
AF_PPPOX: int
AF_QIPCRTR: int
AF_RDS: int
AF_ROSE: int
AF_ROUTE: int
AF_RXRPC: int
AF_SECURITY: int
AF_SMC: int
AF_SNA: int
AF_TIPC: int
AF_UNIX: int
AF_UNSPEC: int
AF_VSOCK: int
AF_WANPIPE: int
AF_X25: int
AF_XDP: int
AI_ADDRCONFIG: int
AI_ALL: int
AI_CANONNAME: int
AI_NUMERICHOST: int
AI_NUMERICSERV: int
AI_PASSIVE: int
AI_V4MAPPED: int
ALG_OP_DECRYPT: int
ALG_OP_ENCRYPT: int
ALG_OP_SIGN: int
ALG_OP_VERIFY: int
ALG_SET_AEAD_ASSOCLEN: int
ALG_SET_AEAD_AUTHSIZE: int
ALG_SET_DRBG_ENTROPY: int
ALG_SET_IV: int
ALG_SET_KEY: int
ALG_SET_KEY_BY_KEY_SERIAL: int
ALG_SET_OP: int
ALG_SET_PUBKEY: int
BDADDR_BREDR: int
BDADDR_LE_PUBLIC: int
BDADDR_LE_RANDOM: int
BTPROTO_AVDTP: int
BTPROTO_BNEP: int
BTPROTO_CMTP: int
BTPROTO_HCI: int
BTPROTO_HIDP: int
BTPROTO_ISO: int
BTPROTO_L2CAP: int
BTPROTO_RFCOMM: int
BTPROTO_SCO: int
BT_CHANNEL_POLICY: int
BT_CHANNEL_POLICY_AMP_PREFERRED: int
BT_CHANNEL_POLICY_BREDR_ONLY: int
BT_CHANNEL_POLICY_BREDR_PREFERRED: int
BT_CODEC: int
BT_DEFER_SETUP: int
BT_FLUSHABLE: int
BT_FLUSHABLE_OFF: int
BT_FLUSHABLE_ON: int
BT_ISO_BASE: int
BT_ISO_QOS: int
BT_MODE: int
BT_MODE_BASIC: int
BT_MODE_ERTM: int
BT_MODE_EXT_FLOWCTL: int
BT_MODE_LE_FLOWCTL: int
BT_MODE_STREAMING: int
BT_PHY: int
BT_PHY_BR_1M_1SLOT: int
BT_PHY_BR_1M_3SLOT: int
BT_PHY_BR_1M_5SLOT: int
BT_PHY_EDR_2M_1SLOT: int
BT_PHY_EDR_2M_3SLOT: int
BT_PHY_EDR_2M_5SLOT: int
BT_PHY_EDR_3M_1SLOT: int
BT_PHY_EDR_3M_3SLOT: int
BT_PHY_EDR_3M_5SLOT: int
BT_PHY_LE_1M_RX: int
BT_PHY_LE_1M_TX: int
BT_PHY_LE_2M_RX: int
BT_PHY_LE_2M_TX: int
BT_PHY_LE_CODED_RX: int
BT_PHY_LE_CODED_TX: int
BT_PKT_SEQNUM: int
BT_PKT_STATUS: int
BT_POWER: int
BT_POWER_FORCE_ACTIVE_OFF: int
BT_POWER_FORCE_ACTIVE_ON: int
BT_RCVMTU: int
BT_SCM_PKT_SEQNUM: int
BT_SCM_PKT_STATUS: int
BT_SECURITY: int
BT_SECURITY_FIPS: int
BT_SECURITY_HIGH: int
BT_SECURITY_LOW: int
BT_SECURITY_MEDIUM: int
BT_SECURITY_SDP: int
BT_SNDMTU: int
BT_VOICE: int
BT_VOICE_CVSD_16BIT: int
BT_VOICE_TRANSPARENT: int
BT_VOICE_TRANSPARENT_16BIT: int
CANFD_BRS: int
CANFD_ESI: int
CANFD_FDF: int
CANFD_MAX_DLC: int
CANFD_MAX_DLEN: int
CANFD_MTU: int
CANXL_HDR_SIZE: int
CANXL_MAX_DLC: int
CANXL_MAX_DLC_MASK: int
CANXL_MAX_DLEN: int
CANXL_MAX_MTU: int
CANXL_MIN_DLC: int
CANXL_MIN_DLEN: int
CANXL_MIN_MTU: int
CANXL_MTU: int
CANXL_PRIO_BITS: int
CANXL_PRIO_MASK: int
CANXL_SEC: int
CANXL_VCID_MASK: int
CANXL_VCID_OFFSET: int
CANXL_VCID_VAL_MASK: int
CANXL_XLF: int
CAN_BCM: int
CAN_BCM_CAN_FD_FRAME: int
CAN_BCM_RX_ANNOUNCE_RESUME: int
CAN_BCM_RX_CHANGED: int
CAN_BCM_RX_CHECK_DLC: int
CAN_BCM_RX_DELETE: int
CAN_BCM_RX_FILTER_ID: int
CAN_BCM_RX_NO_AUTOTIMER: int
CAN_BCM_RX_READ: int
CAN_BCM_RX_RTR_FRAME: int
CAN_BCM_RX_SETUP: int
CAN_BCM_RX_STATUS: int
CAN_BCM_RX_TIMEOUT: int
CAN_BCM_SETTIMER: int
CAN_BCM_STARTTIMER: int
CAN_BCM_TX_ANNOUNCE: int
CAN_BCM_TX_COUNTEVT: int
CAN_BCM_TX_CP_CAN_ID: int
CAN_BCM_TX_DELETE: int
CAN_BCM_TX_EXPIRED: int
CAN_BCM_TX_READ: int
CAN_BCM_TX_RESET_MULTI_IDX: int
CAN_BCM_TX_SEND: int
CAN_BCM_TX_SETUP: int
CAN_BCM_TX_STATUS: int
CAN_EFF_FLAG: int
CAN_EFF_ID_BITS: int
CAN_EFF_MASK: int
CAN_ERR_FLAG: int
CAN_ERR_MASK: int
CAN_INV_FILTER: int
CAN_ISOTP: int
CAN_ISOTP_CF_BROADCAST: int
CAN_ISOTP_CHK_PAD_DATA: int
CAN_ISOTP_CHK_PAD_LEN: int
CAN_ISOTP_DEFAULT_EXT_ADDRESS: int
CAN_ISOTP_DEFAULT_FLAGS: int
CAN_ISOTP_DEFAULT_FRAME_TXTIME: int
CAN_ISOTP_DEFAULT_LL_MTU: int
CAN_ISOTP_DEFAULT_LL_TX_DL: int
CAN_ISOTP_DEFAULT_LL_TX_FLAGS: int
CAN_ISOTP_DEFAULT_PAD_CONTENT: int
CAN_ISOTP_DEFAULT_RECV_BS: int
CAN_ISOTP_DEFAULT_RECV_STMIN: int
CAN_ISOTP_DEFAULT_RECV_WFTMAX: int
CAN_ISOTP_EXTEND_ADDR: int
CAN_ISOTP_FORCE_RXSTMIN: int
CAN_ISOTP_FORCE_TXSTMIN: int
CAN_ISOTP_FRAME_TXTIME_ZERO: int
CAN_ISOTP_HALF_DUPLEX: int
CAN_ISOTP_LISTEN_MODE: int
CAN_ISOTP_LL_OPTS: int
CAN_ISOTP_OPTS: int
CAN_ISOTP_RECV_FC: int
CAN_ISOTP_RX_EXT_ADDR: int
CAN_ISOTP_RX_PADDING: int
CAN_ISOTP_RX_STMIN: int
CAN_ISOTP_SF_BROADCAST: int
CAN_ISOTP_TX_PADDING: int
CAN_ISOTP_TX_STMIN: int
CAN_ISOTP_WAIT_TX_DONE: int
CAN_J1939: int
CAN_MAX_DLC: int
CAN_MAX_DLEN: int
CAN_MAX_RAW_DLC: int
CAN_MCNET: int
CAN_MTU: int
CAN_NPROTO: int
CAN_RAW: int
CAN_RAW_ERR_FILTER: int
CAN_RAW_FD_FRAMES: int
CAN_RAW_FILTER: int
CAN_RAW_FILTER_MAX: int
CAN_RAW_JOIN_FILTERS: int
CAN_RAW_LOOPBACK: int
CAN_RAW_RECV_OWN_MSGS: int
CAN_RAW_XL_FRAMES: int
CAN_RAW_XL_VCID_OPTS: int
CAN_RAW_XL_VCID_RX_FILTER: int
CAN_RAW_XL_VCID_TX_PASS: int
CAN_RAW_XL_VCID_TX_SET: int
CAN_RTR_FLAG: int
CAN_SFF_ID_BITS: int
CAN_SFF_MASK: int
CAN_TP16: int
CAN_TP20: int
EAGAIN: int
EAI_ADDRFAMILY: int
EAI_AGAIN: int
EAI_BADFLAGS: int
EAI_FAIL: int
EAI_FAMILY: int
EAI_MEMORY: int
EAI_NODATA: int
EAI_NONAME: int
EAI_OVERFLOW: int
EAI_SERVICE: int
EAI_SOCKTYPE: int
EAI_SYSTEM: int
EBADF: int
ETHERTYPE_AARP: int
ETHERTYPE_ARP: int
ETHERTYPE_AT: int
ETHERTYPE_IP: int
ETHERTYPE_IPV6: int
ETHERTYPE_IPX: int
ETHERTYPE_LOOPBACK: int
ETHERTYPE_PUP: int
ETHERTYPE_REVARP: int
ETHERTYPE_SPRITE: int
ETHERTYPE_VLAN: int
ETH_P_ALL: int
EWOULDBLOCK: int
HCI_CHANNEL_CONTROL: int
HCI_CHANNEL_LOGGING: int
HCI_CHANNEL_MONITOR: int
HCI_CHANNEL_RAW: int
HCI_CHANNEL_USER: int
HCI_DATA_DIR: int
HCI_DEV_NONE: int
HCI_FILTER: int
HCI_TIME_STAMP: int
INADDR_ALLHOSTS_GROUP: int
INADDR_ALLRTRS_GROUP: int
INADDR_ALLSNOOPERS_GROUP: int
INADDR_ANY: int
INADDR_BROADCAST: int
INADDR_DUMMY: int
INADDR_LOOPBACK: int
INADDR_MAX_LOCAL_GROUP: int
INADDR_NONE: int
INADDR_UNSPEC_GROUP: int
IOCTL_VM_SOCKETS_GET_LOCAL_CID: int
IPPORT_RESERVED: int
IPPORT_USERRESERVED: int
IPPROTO_AGGFRAG: int
IPPROTO_AH: int
IPPROTO_BEETPH: int
IPPROTO_COMP: int
IPPROTO_DCCP: int
IPPROTO_DSTOPTS: int
IPPROTO_EGP: int
IPPROTO_ENCAP: int
IPPROTO_ESP: int
IPPROTO_ETHERNET: int
IPPROTO_FRAGMENT: int
IPPROTO_GRE: int
IPPROTO_HOPOPTS: int
IPPROTO_ICMP: int
IPPROTO_ICMPV6: int
IPPROTO_IDP: int
IPPROTO_IGMP: int
IPPROTO_IP: int
IPPROTO_IPIP: int
IPPROTO_IPV6: int
IPPROTO_L2TP: int
IPPROTO_MH: int
IPPROTO_MPLS: int
IPPROTO_MPTCP: int
IPPROTO_MTP: int
IPPROTO_NONE: int
IPPROTO_PIM: int
IPPROTO_PUP: int
IPPROTO_RAW: int
IPPROTO_ROUTING: int
IPPROTO_RSVP: int
IPPROTO_SCTP: int
IPPROTO_SMC: int
IPPROTO_TCP: int
IPPROTO_TP: int
IPPROTO_UDP: int
IPPROTO_UDPLITE: int
IPV6_2292DSTOPTS: int
IPV6_2292HOPLIMIT: int
IPV6_2292HOPOPTS: int
IPV6_2292PKTINFO: int
IPV6_2292PKTOPTIONS: int
IPV6_2292RTHDR: int
IPV6_ADDRFORM: int
IPV6_ADDR_PREFERENCES: int
IPV6_ADD_MEMBERSHIP: int
IPV6_AUTHHDR: int
IPV6_AUTOFLOWLABEL: int
IPV6_CHECKSUM: int
IPV6_DONTFRAG: int
IPV6_DROP_MEMBERSHIP: int
IPV6_DSTOPTS: int
IPV6_FLOWINFO: int
IPV6_FLOWINFO_FLOWLABEL: int
IPV6_FLOWINFO_PRIORITY: int
IPV6_FLOWINFO_SEND: int
IPV6_FLOWLABEL_MGR: int
IPV6_FREEBIND: int
IPV6_HDRINCL: int
IPV6_HOPLIMIT: int
IPV6_HOPOPTS: int
IPV6_IPSEC_POLICY: int
IPV6_JOIN_ANYCAST: int
IPV6_JOIN_GROUP: int
IPV6_LEAVE_ANYCAST: int
IPV6_LEAVE_GROUP: int
IPV6_MINHOPCOUNT: int
IPV6_MTU: int
IPV6_MTU_DISCOVER: int
IPV6_MULTICAST_ALL: int
IPV6_MULTICAST_HOPS: int
IPV6_MULTICAST_IF: int
IPV6_MULTICAST_LOOP: int
IPV6_NEXTHOP: int
IPV6_ORIGDSTADDR: int
IPV6_PATHMTU: int
IPV6_PKTINFO: int
IPV6_PMTUDISC_DO: int
IPV6_PMTUDISC_DONT: int
IPV6_PMTUDISC_INTERFACE: int
IPV6_PMTUDISC_OMIT: int
IPV6_PMTUDISC_PROBE: int
IPV6_PMTUDISC_WANT: int
IPV6_PREFER_SRC_CGA: int
IPV6_PREFER_SRC_COA: int
IPV6_PREFER_SRC_HOME: int
IPV6_PREFER_SRC_NONCGA: int
IPV6_PREFER_SRC_PUBLIC: int
IPV6_PREFER_SRC_PUBTMP_DEFAULT: int
IPV6_PREFER_SRC_TMP: int
IPV6_RECVDSTOPTS: int
IPV6_RECVERR: int
IPV6_RECVERR_RFC4884: int
IPV6_RECVFRAGSIZE: int
IPV6_RECVHOPLIMIT: int
IPV6_RECVHOPOPTS: int
IPV6_RECVORIGDSTADDR: int
IPV6_RECVPATHMTU: int
IPV6_RECVPKTINFO: int
IPV6_RECVRTHDR: int
IPV6_RECVTCLASS: int
IPV6_ROUTER_ALERT: int
IPV6_ROUTER_ALERT_ISOLATE: int
IPV6_RTHDR: int
IPV6_RTHDRDSTOPTS: int
IPV6_RTHDR_LOOSE: int
IPV6_RTHDR_STRICT: int
IPV6_RTHDR_TYPE_0: int
IPV6_TCLASS: int
IPV6_TRANSPARENT: int
IPV6_UNICAST_HOPS: int
IPV6_UNICAST_IF: int
IPV6_V6ONLY: int
IPV6_XFRM_POLICY: int
IP_ADD_MEMBERSHIP: int
IP_ADD_SOURCE_MEMBERSHIP: int
IP_BIND_ADDRESS_NO_PORT: int
IP_BLOCK_SOURCE: int
IP_CHECKSUM: int
IP_DEFAULT_MULTICAST_LOOP: int
IP_DEFAULT_MULTICAST_TTL: int
IP_DROP_MEMBERSHIP: int
IP_DROP_SOURCE_MEMBERSHIP: int
IP_FREEBIND: int
IP_HDRINCL: int
IP_IPSEC_POLICY: int
IP_LOCAL_PORT_RANGE: int
IP_MAX_MEMBERSHIPS: int
IP_MINTTL: int
IP_MSFILTER: int
IP_MTU: int
IP_MTU_DISCOVER: int
IP_MULTICAST_ALL: int
IP_MULTICAST_IF: int
IP_MULTICAST_LOOP: int
IP_MULTICAST_TTL: int
IP_NODEFRAG: int
IP_OPTIONS: int
IP_ORIGDSTADDR: int
IP_PASSSEC: int
IP_PKTINFO: int
IP_PKTOPTIONS: int
IP_PMTUDISC_DO: int
IP_PMTUDISC_DONT: int
IP_PMTUDISC_INTERFACE: int
IP_PMTUDISC_OMIT: int
IP_PMTUDISC_PROBE: int
IP_PMTUDISC_WANT: int
IP_PROTOCOL: int
IP_RECVERR: int
IP_RECVERR_RFC4884: int
IP_RECVFRAGSIZE: int
IP_RECVOPTS: int
IP_RECVORIGDSTADDR: int
IP_RECVRETOPTS: int
IP_RECVTOS: int
IP_RECVTTL: int
IP_RETOPTS: int
IP_ROUTER_ALERT: int
IP_TOS: int
IP_TRANSPARENT: int
IP_TTL: int
IP_UNBLOCK_SOURCE: int
IP_UNICAST_IF: int
IP_XFRM_POLICY: int
J1939_EE_INFO_NONE: int
J1939_EE_INFO_RX_ABORT: int
J1939_EE_INFO_RX_DPO: int
J1939_EE_INFO_RX_RTS: int
J1939_EE_INFO_TX_ABORT: int
J1939_FILTER_MAX: int
J1939_IDLE_ADDR: int
J1939_MAX_UNICAST_ADDR: int
J1939_NLA_BYTES_ACKED: int
J1939_NLA_DEST_ADDR: int
J1939_NLA_DEST_NAME: int
J1939_NLA_PAD: int
J1939_NLA_PGN: int
J1939_NLA_SRC_ADDR: int
J1939_NLA_SRC_NAME: int
J1939_NLA_TOTAL_SIZE: int
J1939_NO_ADDR: int
J1939_NO_NAME: int
J1939_NO_PGN: int
J1939_PGN_ADDRESS_CLAIMED: int
J1939_PGN_ADDRESS_COMMANDED: int
J1939_PGN_MAX: int
J1939_PGN_PDU1_MAX: int
J1939_PGN_REQUEST: int
L2CAP_CONNINFO: int
L2CAP_LM: int
L2CAP_LM_AUTH: int
L2CAP_LM_ENCRYPT: int
L2CAP_LM_FIPS: int
L2CAP_LM_MASTER: int
L2CAP_LM_RELIABLE: int
L2CAP_LM_SECURE: int
L2CAP_LM_TRUSTED: int
L2CAP_OPTIONS: int
MPTCP_FULL_INFO: int
MPTCP_INFO: int
MPTCP_SUBFLOW_ADDRS: int
MPTCP_TCPINFO: int
MSG_BATCH: int
MSG_CMSG_CLOEXEC: int
MSG_CONFIRM: int
MSG_CTRUNC: int
MSG_DONTROUTE: int
MSG_DONTWAIT: int
MSG_EOR: int
MSG_ERRQUEUE: int
MSG_FASTOPEN: int
MSG_FIN: int
MSG_MORE: int
MSG_NOSIGNAL: int
MSG_OOB: int
MSG_PEEK: int
MSG_PROBE: int
MSG_RST: int
MSG_SOCK_DEVMEM: int
MSG_SYN: int
MSG_TRUNC: int
MSG_WAITALL: int
MSG_WAITFORONE: int
MSG_ZEROCOPY: int
NETLINK_ADD_MEMBERSHIP: int
NETLINK_AUDIT: int
NETLINK_BROADCAST_ERROR: int
NETLINK_CAP_ACK: int
NETLINK_CONNECTOR: int
NETLINK_CRYPTO: int
NETLINK_DNRTMSG: int
NETLINK_DROP_MEMBERSHIP: int
NETLINK_ECRYPTFS: int
NETLINK_EXT_ACK: int
NETLINK_FIB_LOOKUP: int
NETLINK_FIREWALL: int
NETLINK_GENERIC: int
NETLINK_GET_STRICT_CHK: int
NETLINK_INET_DIAG: int
NETLINK_IP6_FW: int
NETLINK_ISCSI: int
NETLINK_KOBJECT_UEVENT: int
NETLINK_LISTEN_ALL_NSID: int
NETLINK_LIST_MEMBERSHIPS: int
NETLINK_NETFILTER: int
NETLINK_NFLOG: int
NETLINK_NO_ENOBUFS: int
NETLINK_PKTINFO: int
NETLINK_RDMA: int
NETLINK_ROUTE: int
NETLINK_RX_RING: int
NETLINK_SCSITRANSPORT: int
NETLINK_SELINUX: int
NETLINK_SMC: int
NETLINK_SOCK_DIAG: int
NETLINK_TX_RING: int
NETLINK_UNUSED: int
NETLINK_USERSOCK: int
NETLINK_XFRM: int
NI_DGRAM: int
NI_IDN: int
NI_MAXHOST: int
NI_MAXSERV: int
NI_NAMEREQD: int
NI_NOFQDN: int
NI_NUMERICHOST: int
NI_NUMERICSERV: int
PACKET_ADD_MEMBERSHIP: int
PACKET_AUXDATA: int
PACKET_BROADCAST: int
PACKET_COPY_THRESH: int
PACKET_DROP_MEMBERSHIP: int
PACKET_FANOUT: int
PACKET_FANOUT_CBPF: int
PACKET_FANOUT_CPU: int
PACKET_FANOUT_DATA: int
PACKET_FANOUT_EBPF: int
PACKET_FANOUT_FLAG_DEFRAG: int
PACKET_FANOUT_FLAG_IGNORE_OUTGOING: int
PACKET_FANOUT_FLAG_ROLLOVER: int
PACKET_FANOUT_FLAG_UNIQUEID: int
PACKET_FANOUT_HASH: int
PACKET_FANOUT_LB: int
PACKET_FANOUT_QM: int
PACKET_FANOUT_RND: int
PACKET_FANOUT_ROLLOVER: int
PACKET_FASTROUTE: int
PACKET_HDRLEN: int
PACKET_HOST: int
PACKET_IGNORE_OUTGOING: int
PACKET_KERNEL: int
PACKET_LOOPBACK: int
PACKET_LOSS: int
PACKET_MR_ALLMULTI: int
PACKET_MR_MULTICAST: int
PACKET_MR_PROMISC: int
PACKET_MR_UNICAST: int
PACKET_MULTICAST: int
PACKET_ORIGDEV: int
PACKET_OTHERHOST: int
PACKET_OUTGOING: int
PACKET_QDISC_BYPASS: int
PACKET_RECV_OUTPUT: int
PACKET_RESERVE: int
PACKET_ROLLOVER_STATS: int
PACKET_RX_RING: int
PACKET_STATISTICS: int
PACKET_TIMESTAMP: int
PACKET_TX_HAS_OFF: int
PACKET_TX_RING: int
PACKET_TX_TIMESTAMP: int
PACKET_USER: int
PACKET_VERSION: int
PACKET_VNET_HDR: int
PACKET_VNET_HDR_SZ: int
PF_ALG: int
PF_APPLETALK: int
PF_ASH: int
PF_ATMPVC: int
PF_ATMSVC: int
PF_AX25: int
PF_BLUETOOTH: int
PF_BRIDGE: int
PF_CAIF: int
PF_CAN: int
PF_DECnet: int
PF_ECONET: int
PF_IB: int
PF_IEEE802154: int
PF_INET: int
PF_INET6: int
PF_IPX: int
PF_IRDA: int
PF_ISDN: int
PF_IUCV: int
PF_KCM: int
PF_KEY: int
PF_LLC: int
PF_MCTP: int
PF_MPLS: int
PF_NETBEUI: int
PF_NETLINK: int
PF_NETROM: int
PF_NFC: int
PF_PACKET: int
PF_PHONET: int
PF_PPPOX: int
PF_QIPCRTR: int
PF_RDS: int
PF_ROSE: int
PF_ROUTE: int
PF_RXRPC: int
PF_SECURITY: int
PF_SMC: int
PF_SNA: int
PF_TIPC: int
PF_UNIX: int
PF_UNSPEC: int
PF_VSOCK: int
PF_WANPIPE: int
PF_X25: int
PF_XDP: int
QRTR_NODE_BCAST: int
QRTR_PORT_CTRL: int
RDS_CANCEL_SENT_TO: int
RDS_CMSG_ATOMIC_CSWP: int
RDS_CMSG_ATOMIC_FADD: int
RDS_CMSG_CONG_UPDATE: int
RDS_CMSG_MASKED_ATOMIC_CSWP: int
RDS_CMSG_MASKED_ATOMIC_FADD: int
RDS_CMSG_RDMA_ARGS: int
RDS_CMSG_RDMA_DEST: int
RDS_CMSG_RDMA_MAP: int
RDS_CMSG_RDMA_STATUS: int
RDS_CMSG_RXPATH_LATENCY: int
RDS_CMSG_ZCOPY_COMPLETION: int
RDS_CMSG_ZCOPY_COOKIE: int
RDS_CONG_MONITOR: int
RDS_CONG_MONITOR_SIZE: int
RDS_FREE_MR: int
RDS_GET_MR: int
RDS_GET_MR_FOR_DEST: int
RDS_IB_GID_LEN: int
RDS_MAX_ZCOOKIES: int
RDS_RDMA_CANCELED: int
RDS_RDMA_DONTWAIT: int
RDS_RDMA_DROPPED: int
RDS_RDMA_FENCE: int
RDS_RDMA_INVALIDATE: int
RDS_RDMA_NOTIFY_ME: int
RDS_RDMA_OTHER_ERROR: int
RDS_RDMA_READWRITE: int
RDS_RDMA_REMOTE_ERROR: int
RDS_RDMA_SILENT: int
RDS_RDMA_SUCCESS: int
RDS_RDMA_USE_ONCE: int
RDS_RECVERR: int
RDS_TRANS_COUNT: int
RDS_TRANS_GAP: int
RDS_TRANS_IB: int
RDS_TRANS_NONE: int
RDS_TRANS_TCP: int
RFCOMM_CONNINFO: int
RFCOMM_LM: int
RFCOMM_LM_AUTH: int
RFCOMM_LM_ENCRYPT: int
RFCOMM_LM_FIPS: int
RFCOMM_LM_MASTER: int
RFCOMM_LM_RELIABLE: int
RFCOMM_LM_SECURE: int
RFCOMM_LM_TRUSTED: int
SCM_CAN_RAW_ERRQUEUE: int
SCM_CREDENTIALS: int
SCM_DEVMEM_DMABUF: int
SCM_DEVMEM_LINEAR: int
SCM_INQ: int
SCM_J1939_DEST_ADDR: int
SCM_J1939_DEST_NAME: int
SCM_J1939_ERRQUEUE: int
SCM_J1939_PRIO: int
SCM_PIDFD: int
SCM_RIGHTS: int
SCM_SECURITY: int
SCM_TIMESTAMP: int
SCM_TIMESTAMPING: int
SCM_TIMESTAMPING_OPT_STATS: int
SCM_TIMESTAMPING_PKTINFO: int
SCM_TIMESTAMPNS: int
SCM_TS_OPT_ID: int
SCM_TXTIME: int
SCM_WIFI_STATUS: int
SCO_CONNINFO: int
SCO_OPTIONS: int
SHUT_RD: int
SHUT_RDWR: int
SHUT_WR: int
SOCK_CLOEXEC: int
SOCK_DCCP: int
SOCK_DGRAM: int
SOCK_NONBLOCK: int
SOCK_PACKET: int
SOCK_RAW: int
SOCK_RDM: int
SOCK_SEQPACKET: int
SOCK_STREAM: int
SOL_AAL: int
SOL_ALG: int
SOL_ATALK: int
SOL_ATM: int
SOL_AX25: int
SOL_BLUETOOTH: int
SOL_CAIF: int
SOL_CAN_BASE: int
SOL_CAN_ISOTP: int
SOL_CAN_J1939: int
SOL_CAN_RAW: int
SOL_DCCP: int
SOL_DECNET: int
SOL_HCI: int
SOL_ICMPV6: int
SOL_IP: int
SOL_IPV6: int
SOL_IPX: int
SOL_IRDA: int
SOL_IUCV: int
SOL_KCM: int
SOL_L2CAP: int
SOL_LLC: int
SOL_MCTP: int
SOL_MPTCP: int
SOL_NETBEUI: int
SOL_NETLINK: int
SOL_NETROM: int
SOL_NFC: int
SOL_PACKET: int
SOL_PNPIPE: int
SOL_PPPOL2TP: int
SOL_RAW: int
SOL_RDS: int
SOL_RFCOMM: int
SOL_ROSE: int
SOL_RXRPC: int
SOL_SCO: int
SOL_SCTP: int
SOL_SMC: int
SOL_SOCKET: int
SOL_TCP: int
SOL_TIPC: int
SOL_TLS: int
SOL_UDP: int
SOL_UDPLITE: int
SOL_VSOCK: int
SOL_X25: int
SOL_XDP: int
SOMAXCONN: int
SO_ACCEPTCONN: int
SO_ATTACH_BPF: int
SO_ATTACH_FILTER: int
SO_ATTACH_REUSEPORT_CBPF: int
SO_ATTACH_REUSEPORT_EBPF: int
SO_BINDTODEVICE: int
SO_BINDTOIFINDEX: int
SO_BPF_EXTENSIONS: int
SO_BROADCAST: int
SO_BSDCOMPAT: int
SO_BUF_LOCK: int
SO_BUSY_POLL: int
SO_BUSY_POLL_BUDGET: int
SO_CNX_ADVICE: int
SO_COOKIE: int
SO_DEBUG: int
SO_DETACH_BPF: int
SO_DETACH_FILTER: int
SO_DETACH_REUSEPORT_BPF: int
SO_DEVMEM_DMABUF: int
SO_DEVMEM_DONTNEED: int
SO_DEVMEM_LINEAR: int
SO_DOMAIN: int
SO_DONTROUTE: int
SO_ERROR: int
SO_GET_FILTER: int
SO_INCOMING_CPU: int
SO_INCOMING_NAPI_ID: int
SO_INQ: int
SO_J1939_ERRQUEUE: int
SO_J1939_FILTER: int
SO_J1939_PROMISC: int
SO_J1939_SEND_PRIO: int
SO_KEEPALIVE: int
SO_LINGER: int
SO_LOCK_FILTER: int
SO_MARK: int
SO_MAX_PACING_RATE: int
SO_MEMINFO: int
SO_NETNS_COOKIE: int
SO_NOFCS: int
SO_NO_CHECK: int
SO_OOBINLINE: int
SO_ORIGINAL_DST: int
SO_PASSCRED: int
SO_PASSPIDFD: int
SO_PASSRIGHTS: int
SO_PASSSEC: int
SO_PEEK_OFF: int
SO_PEERCRED: int
SO_PEERGROUPS: int
SO_PEERNAME: int
SO_PEERPIDFD: int
SO_PEERSEC: int
SO_PREFER_BUSY_POLL: int
SO_PRIORITY: int
SO_PROTOCOL: int
SO_RCVBUF: int
SO_RCVBUFFORCE: int
SO_RCVLOWAT: int
SO_RCVMARK: int
SO_RCVPRIORITY: int
SO_RCVTIMEO: int
SO_RCVTIMEO_NEW: int
SO_RCVTIMEO_OLD: int
SO_RDS_MSG_RXPATH_LATENCY: int
SO_RDS_TRANSPORT: int
SO_RESERVE_MEM: int
SO_REUSEADDR: int
SO_REUSEPORT: int
SO_RXQ_OVFL: int
SO_SECURITY_AUTHENTICATION: int
SO_SECURITY_ENCRYPTION_NETWORK: int
SO_SECURITY_ENCRYPTION_TRANSPORT: int
SO_SELECT_ERR_QUEUE: int
SO_SNDBUF: int
SO_SNDBUFFORCE: int
SO_SNDLOWAT: int
SO_SNDTIMEO: int
SO_SNDTIMEO_NEW: int
SO_SNDTIMEO_OLD: int
SO_TIMESTAMP: int
SO_TIMESTAMPING: int
SO_TIMESTAMPING_NEW: int
SO_TIMESTAMPING_OLD: int
SO_TIMESTAMPNS: int
SO_TIMESTAMPNS_NEW: int
SO_TIMESTAMPNS_OLD: int
SO_TIMESTAMP_NEW: int
SO_TIMESTAMP_OLD: int
SO_TXREHASH: int
SO_TXTIME: int
SO_TYPE: int
SO_VM_SOCKETS_BUFFER_MAX_SIZE: int
SO_VM_SOCKETS_BUFFER_MIN_SIZE: int
SO_VM_SOCKETS_BUFFER_SIZE: int
SO_VM_SOCKETS_CONNECT_TIMEOUT: int
SO_VM_SOCKETS_CONNECT_TIMEOUT_NEW: int
SO_VM_SOCKETS_CONNECT_TIMEOUT_OLD: int
SO_VM_SOCKETS_NONBLOCK_TXRX: int
SO_VM_SOCKETS_PEER_HOST_VM_ID: int
SO_VM_SOCKETS_TRUSTED: int
SO_WIFI_STATUS: int
SO_ZEROCOPY: int
TCP_AO_ADD_KEY: int
TCP_AO_DEL_KEY: int
TCP_AO_GET_KEYS: int
TCP_AO_INFO: int
TCP_AO_REPAIR: int
TCP_CC_INFO: int
TCP_CM_INQ: int
TCP_CONGESTION: int
TCP_CORK: int
TCP_DEFER_ACCEPT: int
TCP_DELACK_MAX_US: int
TCP_FASTOPEN: int
TCP_FASTOPEN_CONNECT: int
TCP_FASTOPEN_KEY: int
TCP_FASTOPEN_NO_COOKIE: int
TCP_INFO: int
TCP_INQ: int
TCP_IS_MPTCP: int
TCP_KEEPCNT: int
TCP_KEEPIDLE: int
TCP_KEEPINTVL: int
TCP_LINGER2: int
TCP_MAXSEG: int
TCP_MAXWIN: int
TCP_MAX_WINSHIFT: int
TCP_MD5SIG: int
TCP_MD5SIG_EXT: int
TCP_MD5SIG_FLAG_IFINDEX: int
TCP_MD5SIG_FLAG_PREFIX: int
TCP_MD5SIG_MAXKEYLEN: int
TCP_MSS_DEFAULT: int
TCP_MSS_DESIRED: int
TCP_NODELAY: int
TCP_NOTSENT_LOWAT: int
TCP_NO_QUEUE: int
TCP_QUEUES_NR: int
TCP_QUEUE_SEQ: int
TCP_QUICKACK: int
TCP_RECV_QUEUE: int
TCP_REPAIR: int
TCP_REPAIR_OFF: int
TCP_REPAIR_OFF_NO_WP: int
TCP_REPAIR_ON: int
TCP_REPAIR_OPTIONS: int
TCP_REPAIR_QUEUE: int
TCP_REPAIR_WINDOW: int
TCP_RTO_MAX_MS: int
TCP_RTO_MIN_US: int
TCP_SAVED_SYN: int
TCP_SAVE_SYN: int
TCP_SEND_QUEUE: int
TCP_SYNCNT: int
TCP_THIN_DUPACK: int
TCP_THIN_LINEAR_TIMEOUTS: int
TCP_TIMESTAMP: int
TCP_TX_DELAY: int
TCP_ULP: int
TCP_USER_TIMEOUT: int
TCP_WINDOW_CLAMP: int
TCP_ZEROCOPY_RECEIVE: int
TIPC_ADDR_ID: int
TIPC_ADDR_MCAST: int
TIPC_ADDR_NAME: int
TIPC_ADDR_NAMESEQ: int
TIPC_CFG_SRV: int
TIPC_CLUSTER_SCOPE: int
TIPC_CONN_SHUTDOWN: int
TIPC_CONN_TIMEOUT: int
TIPC_CRITICAL_IMPORTANCE: int
TIPC_DESTNAME: int
TIPC_DEST_DROPPABLE: int
TIPC_ERRINFO: int
TIPC_ERR_NO_NAME: int
TIPC_ERR_NO_NODE: int
TIPC_ERR_NO_PORT: int
TIPC_ERR_OVERLOAD: int
TIPC_GROUP_JOIN: int
TIPC_GROUP_LEAVE: int
TIPC_GROUP_LOOPBACK: int
TIPC_GROUP_MEMBER_EVTS: int
TIPC_HIGH_IMPORTANCE: int
TIPC_IMPORTANCE: int
TIPC_LINK_STATE: int
TIPC_LOW_IMPORTANCE: int
TIPC_MAX_BEARER_NAME: int
TIPC_MAX_IF_NAME: int
TIPC_MAX_LINK_NAME: int
TIPC_MAX_MEDIA_NAME: int
TIPC_MAX_USER_MSG_SIZE: int
TIPC_MCAST_BROADCAST: int
TIPC_MCAST_REPLICAST: int
TIPC_MEDIUM_IMPORTANCE: int
TIPC_NODEID_LEN: int
TIPC_NODELAY: int
TIPC_NODE_RECVQ_DEPTH: int
TIPC_NODE_SCOPE: int
TIPC_NODE_STATE: int
TIPC_OK: int
TIPC_PUBLISHED: int
TIPC_RESERVED_TYPES: int
TIPC_RETDATA: int
TIPC_SERVICE_ADDR: int
TIPC_SERVICE_RANGE: int
TIPC_SOCKET_ADDR: int
TIPC_SOCK_RECVQ_DEPTH: int
TIPC_SOCK_RECVQ_USED: int
TIPC_SRC_DROPPABLE: int
TIPC_SUBSCR_TIMEOUT: int
TIPC_SUB_CANCEL: int
TIPC_SUB_PORTS: int
TIPC_SUB_SERVICE: int
TIPC_TOP_SRV: int
TIPC_WAIT_FOREVER: int
TIPC_WITHDRAWN: int
TIPC_ZONE_SCOPE: int
UDPLITE_RECV_CSCOV: int
UDPLITE_SEND_CSCOV: int
UDP_CORK: int
UDP_ENCAP: int
UDP_GRO: int
UDP_NO_CHECK6_RX: int
UDP_NO_CHECK6_TX: int
UDP_SEGMENT: int
VMADDR_CID_ANY: int
VMADDR_CID_HOST: int
VMADDR_CID_HYPERVISOR: int
VMADDR_CID_LOCAL: int
VMADDR_FLAG_TO_HOST: int
VMADDR_PORT_ANY: int
VM_SOCKETS_INVALID_VERSION: int
VSOCK_RECVERR: int
BDADDR_ANY: str
BDADDR_LOCAL: str
