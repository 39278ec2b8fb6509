"""Every address family beyond UNIX and INET: its codec, its sockets.

Three kinds of test, for each family:

- round trips through `_sockimpl._addr_roundtrip`, the codec itself run
  without a socket, so that they run on a host whose kernel lacks the
  family; the expected values are written from the documented address
  formats of the `socket` docs;
- bad input for every field, with the exception type;
- differential tests with `agree()` on real sockets where the host kernel
  has the family (NETLINK, PACKET, VSOCK binding); the same for CAN, ALG,
  TIPC and QIPCRTR sockets lives in tests/lab/vm/test_family_sockets.py,
  which `lab test` runs in the lab VM.

Where sockimpl deliberately differs from the stdlib (it raises where the
stdlib silently keeps the low bits of a number), the test says so.

The family and protocol numbers are the kernel's (include/linux/socket.h
and the family headers), written here so that these tests do not depend on
which constants this CPython's stdlib was built with: pyenv's 3.11 has no
AF_BLUETOOTH at all, so the Bluetooth tests are sockimpl-only.
"""

from __future__ import annotations

import sys
import errno
import os
import socket as stdlib_socket
import struct
from typing import Any

import pytest
from differential import agree

import sockimpl
from sockimpl import _sockimpl

roundtrip = _sockimpl._addr_roundtrip

# include/linux/socket.h
AF_RDS, AF_NETLINK, AF_PACKET, AF_CAN, AF_TIPC = 21, 16, 17, 29, 30
AF_BLUETOOTH, AF_ALG, AF_VSOCK, AF_QIPCRTR = 31, 38, 40, 42
SOCK_STREAM, SOCK_DGRAM, SOCK_RAW, SOCK_RDM, SOCK_SEQPACKET = 1, 2, 3, 4, 5
# include/uapi/linux/can.h
CAN_RAW, CAN_BCM, CAN_ISOTP, CAN_J1939 = 1, 2, 6, 7
# include/net/bluetooth/bluetooth.h
BTPROTO_L2CAP, BTPROTO_HCI, BTPROTO_SCO, BTPROTO_RFCOMM = 0, 1, 2, 3
# include/uapi/linux/tipc.h
TIPC_ADDR_NAMESEQ, TIPC_ADDR_NAME, TIPC_ADDR_ID = 1, 2, 3
TIPC_CLUSTER_SCOPE, TIPC_NODE_SCOPE = 2, 3
# include/uapi/linux/netlink.h, rtnetlink.h, if_ether.h, if_packet.h
NETLINK_ROUTE, RTMGRP_LINK = 0, 1
ETH_P_ALL, ETH_P_IPV6 = 0x0003, 0x86DD
ETH_P_LOCAL_EXPERIMENTAL = 0x88B5
PACKET_HOST, PACKET_MULTICAST, PACKET_OUTGOING = 0, 2, 4
ARPHRD_ETHER, ARPHRD_LOOPBACK = 1, 772
# include/uapi/linux/vm_sockets.h
VMADDR_CID_ANY, VMADDR_CID_LOCAL, VMADDR_PORT_ANY = 0xFFFFFFFF, 1, 0xFFFFFFFF
U32_MAX, U64_MAX = 2**32 - 1, 2**64 - 1


def _host_has(family: int, type_: int, proto: int = 0) -> bool:
    try:
        stdlib_socket.socket(family, type_, proto).close()
    except OSError:
        return False
    return True


def _interface_index(name: str) -> int:
    return stdlib_socket.if_nametoindex(name)


# ---- AF_NETLINK (pid, groups) ------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [(0, 0), (1234, RTMGRP_LINK), (U32_MAX, U32_MAX)],
    ids=["kernel", "pid-and-group", "widest"],
)
def test_netlink_address_round_trips_as_pid_groups(address: tuple[int, int]) -> None:
    assert roundtrip(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE, address) == address


@pytest.mark.parametrize(
    ("address", "error"),
    [
        ([0, 0], TypeError),
        (0, TypeError),
        ((0,), TypeError),
        ((0, 0, 0), TypeError),
        (("0", 0), TypeError),
        ((0, 1.0), TypeError),
        ((2**32, 0), OverflowError),
        ((0, 2**32), OverflowError),
        ((-1, 0), OverflowError),
    ],
)
def test_netlink_rejects_bad_address(address: Any, error: type[Exception]) -> None:
    """Negative and too-large pids and groups raise OverflowError: the
    stdlib silently keeps their low 32 bits (deliberate difference)."""
    with pytest.raises(error, match="AF_NETLINK"):
        roundtrip(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE, address)


def _netlink_pid() -> int:
    """A port id no other socket of this process is likely to hold."""
    return 0x40000000 + (os.getpid() << 8 & 0x3FFFFF00) + 0x5A


def test_netlink_bound_address_reads_back_from_getsockname() -> None:
    def scenario(m: Any) -> Any:
        with m.socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE) as s:
            s.bind((_netlink_pid(), RTMGRP_LINK))
            return s.getsockname()

    assert agree(scenario).value == (_netlink_pid(), RTMGRP_LINK)


def test_netlink_reply_comes_from_the_kernel_address() -> None:
    """A request for link 1 (lo) is answered by the kernel, port 0."""
    rtm_getlink, nlm_f_request = 18, 1
    ifinfomsg = struct.pack("=BxHiII", 0, 0, 1, 0, 0)
    request = struct.pack("=IHHII", 16 + len(ifinfomsg), rtm_getlink, nlm_f_request, 1, 0)

    def scenario(m: Any) -> Any:
        with m.socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE) as s:
            s.settimeout(5)
            s.sendto(request + ifinfomsg, (0, 0))
            _, sender = s.recvfrom(65536)
            return sender

    assert agree(scenario).value == (0, 0)


@pytest.mark.parametrize("address", [(0,), ("x", 0), [0, 0]], ids=["short", "str-pid", "list"])
def test_netlink_bind_refuses_a_malformed_address_as_the_stdlib(address: Any) -> None:
    def scenario(m: Any) -> Any:
        with m.socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE) as s:
            s.bind(address)

    assert agree(scenario).error == "TypeError"


# ---- AF_PACKET (ifname, proto[, pkttype[, hatype[, addr]]]) -------------------


def test_packet_address_round_trips_as_the_five_documented_fields() -> None:
    address = ("lo", ETH_P_IPV6, PACKET_OUTGOING, ARPHRD_ETHER, b"\x02\x00\x00\x00\x00\x01")
    assert roundtrip(AF_PACKET, SOCK_RAW, 0, address) == address


def test_packet_address_defaults_pkttype_hatype_and_addr() -> None:
    assert roundtrip(AF_PACKET, SOCK_RAW, 0, ("lo", ETH_P_ALL)) == (
        "lo",
        ETH_P_ALL,
        PACKET_HOST,
        0,
        b"",
    )


def test_packet_address_keeps_a_full_eight_byte_hardware_address() -> None:
    address = ("lo", ETH_P_ALL, PACKET_HOST, ARPHRD_ETHER, bytes(range(1, 9)))
    assert roundtrip(AF_PACKET, SOCK_RAW, 0, address) == address


@pytest.mark.parametrize(
    ("address", "error"),
    [
        ("lo", TypeError),
        (("lo",), TypeError),
        (("lo", 0, 0, 0, b"", 0), TypeError),
        ((b"lo", 0), TypeError),
        (("lo", "0"), TypeError),
        (("lo", 0, None), TypeError),
        (("lo", 0, 0, 0, "ab"), TypeError),
        (("l\0o", 0), ValueError),
        (("lo", 0, 0, 0, b"123456789"), ValueError),
        (("lo", 0x10000), OverflowError),
        (("lo", -1), OverflowError),
        (("lo", 0, 256), OverflowError),
        (("lo", 0, 0, 0x10000), OverflowError),
        (("sockimpl-none0", 0), OSError),
        (("x" * 16, 0), OSError),
        (("", 0), OSError),
    ],
)
def test_packet_rejects_bad_address(address: Any, error: type[Exception]) -> None:
    """pkttype above 255 and hatype above 65535 raise OverflowError where
    the stdlib silently keeps their low bits (deliberate difference)."""
    with pytest.raises(error):
        roundtrip(AF_PACKET, SOCK_RAW, 0, address)


def test_packet_unknown_interface_is_the_kernels_enodev() -> None:
    with pytest.raises(OSError) as caught:
        roundtrip(AF_PACKET, SOCK_RAW, 0, ("sockimpl-none0", ETH_P_ALL))
    assert caught.value.errno == errno.ENODEV


def _packet_socket(m: Any, ethertype: int) -> Any:
    return m.socket(AF_PACKET, SOCK_RAW, stdlib_socket.htons(ethertype))


def test_packet_bound_to_lo_reads_back_from_getsockname() -> None:
    def scenario(m: Any) -> Any:
        with _packet_socket(m, ETH_P_LOCAL_EXPERIMENTAL) as s:
            s.bind(("lo", ETH_P_LOCAL_EXPERIMENTAL))
            return s.getsockname()

    outcome = agree(scenario)
    assert outcome.value[:2] == ("lo", ETH_P_LOCAL_EXPERIMENTAL)


@pytest.mark.parametrize(
    ("address", "error"),
    [
        (("sockimpl-none0", ETH_P_ALL), "OSError"),
        (("x" * 20, ETH_P_ALL), "OSError"),
        (("lo", 0x10000), "OverflowError"),
        (("lo", ETH_P_ALL, 0, 0, b"123456789"), "ValueError"),
        (("lo",), "TypeError"),
        ("lo", "TypeError"),
    ],
    ids=["unknown-interface", "long-name", "proto-range", "long-hwaddr", "short", "not-tuple"],
)
def test_packet_bind_refuses_bad_address_as_the_stdlib(address: Any, error: str) -> None:
    def scenario(m: Any) -> Any:
        with _packet_socket(m, ETH_P_LOCAL_EXPERIMENTAL) as s:
            s.bind(address)

    assert agree(scenario).error == error


@pytest.mark.parametrize("interface", ["lo", "sockimpl-none0"])
@pytest.mark.parametrize("method", ["connect_ex", "connect", "bind"])
def test_packet_address_of_a_closed_socket_fails_with_ebadf_as_the_stdlib(interface: str, method: str) -> None:
    """The interface is looked up through the socket's own descriptor, so a
    closed socket fails with EBADF, raised even by connect_ex (found by the
    differential engine: sockimpl looked the name up in the caller's
    namespace instead, and connect_ex returned 9)."""
    def scenario(m: Any) -> Any:
        s = _packet_socket(m, ETH_P_LOCAL_EXPERIMENTAL)
        s.close()
        try:
            return getattr(s, method)((interface, ETH_P_LOCAL_EXPERIMENTAL))
        except OSError as exc:
            return ("raised", exc.errno)

    assert agree(scenario).value == ("raised", errno.EBADF)


def test_packet_frame_sent_on_lo_is_received_with_its_link_address() -> None:
    """A frame to ff:ff:ff:ff:ff:ff of a local experimental ethertype, sent
    on lo, is received by a socket bound to that ethertype; recvfrom gives
    the sender's link-level address.  lo's own broadcast address is all
    zeros, so the kernel classes the frame PACKET_MULTICAST."""
    marker = os.urandom(8)
    source = b"\x02" + os.urandom(5)
    frame = b"\xff" * 6 + source + struct.pack("!H", ETH_P_LOCAL_EXPERIMENTAL) + marker

    def scenario(m: Any) -> Any:
        with _packet_socket(m, ETH_P_LOCAL_EXPERIMENTAL) as rx:
            rx.bind(("lo", ETH_P_LOCAL_EXPERIMENTAL))
            rx.settimeout(5)
            with _packet_socket(m, ETH_P_LOCAL_EXPERIMENTAL) as tx:
                tx.sendto(frame, ("lo", ETH_P_LOCAL_EXPERIMENTAL))
            while True:
                data, sender = rx.recvfrom(2048)
                if data.endswith(marker):
                    return data, sender

    data, sender = agree(scenario).value
    assert data == frame
    assert sender == ("lo", ETH_P_LOCAL_EXPERIMENTAL, PACKET_MULTICAST, ARPHRD_LOOPBACK, source)


# ---- AF_CAN -----------------------------------------------------------------


@pytest.mark.parametrize("proto", [CAN_RAW, CAN_BCM], ids=["raw", "bcm"])
def test_can_empty_interface_means_all_and_round_trips_as_a_one_tuple(proto: int) -> None:
    """getsockname() gives a tuple (bpo-37405), so bind(getsockname())
    works."""
    assert roundtrip(AF_CAN, SOCK_RAW, proto, ("",)) == ("",)


def test_can_interface_may_be_given_as_bytes() -> None:
    assert roundtrip(AF_CAN, SOCK_RAW, CAN_RAW, (b"",)) == ("",)


def test_can_named_interface_round_trips() -> None:
    assert roundtrip(AF_CAN, SOCK_RAW, CAN_RAW, ("lo",)) == ("lo",)


def test_can_isotp_address_round_trips_with_both_ids() -> None:
    extended = 0x80000000 | 0x18DA00F1  # CAN_EFF_FLAG with a 29-bit id
    address = ("", 0x7E8, extended)
    assert roundtrip(AF_CAN, SOCK_DGRAM, CAN_ISOTP, address) == address


def test_can_j1939_address_round_trips_with_name_pgn_addr() -> None:
    address = ("", U64_MAX, 0x40000, 0xFF)  # J1939_NO_NAME..J1939_NO_ADDR
    assert roundtrip(AF_CAN, SOCK_DGRAM, CAN_J1939, address) == address


@pytest.mark.parametrize(
    ("proto", "address", "error"),
    [
        (CAN_RAW, "vcan0", TypeError),
        (CAN_RAW, (), TypeError),
        (CAN_RAW, ("", 0), TypeError),
        (CAN_RAW, (0,), TypeError),
        (CAN_RAW, ("v\0can",), ValueError),
        (CAN_RAW, ("x" * 16,), OSError),
        (CAN_RAW, ("sockimpl-none0",), OSError),
        (CAN_ISOTP, ("", 1), TypeError),
        (CAN_ISOTP, ("", "1", 2), TypeError),
        (CAN_ISOTP, ("", 2**32, 0), OverflowError),
        (CAN_ISOTP, ("", 0, -1), OverflowError),
        (CAN_J1939, ("", 0, 0), TypeError),
        (CAN_J1939, ("", 2**64, 0, 0), OverflowError),
        (CAN_J1939, ("", 0, 2**32, 0), OverflowError),
        (CAN_J1939, ("", 0, 0, 256), OverflowError),
        (CAN_J1939, ("", 0, 0.5, 0), TypeError),
        (99, ("",), OSError),
    ],
)
def test_can_rejects_bad_address(proto: int, address: Any, error: type[Exception]) -> None:
    """ISOTP ids beyond 32 bits and a J1939 addr beyond 255 raise
    OverflowError where the stdlib silently keeps their low bits
    (deliberate difference)."""
    with pytest.raises(error):
        roundtrip(AF_CAN, SOCK_DGRAM, proto, address)


def test_can_j1939_out_of_range_message_names_family_and_field() -> None:
    with pytest.raises(OverflowError, match=r"AF_CAN J1939 pgn must be 0-4294967295"):
        roundtrip(AF_CAN, SOCK_DGRAM, CAN_J1939, ("", 0, 2**32, 0))


def test_can_unknown_interface_is_the_kernels_enodev() -> None:
    with pytest.raises(OSError) as caught:
        roundtrip(AF_CAN, SOCK_RAW, CAN_RAW, ("sockimpl-none0",))
    assert caught.value.errno == errno.ENODEV


# ---- AF_BLUETOOTH (sockimpl only: pyenv's stdlib lacks the family) ----------


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        (("01:23:45:67:89:ab", 0x1001), ("01:23:45:67:89:AB", 0x1001)),
        (("00:00:00:00:00:00", 1, 4), ("00:00:00:00:00:00", 1, 4)),
        (("C0:FF:EE:00:00:01", 0, 4, 1), ("C0:FF:EE:00:00:01", 0, 4, 1)),
        (("1:2:3:4:5:6", 0xFFFF), ("01:02:03:04:05:06", 0xFFFF)),
    ],
    ids=["bredr", "fixed-cid", "le-public", "short-octets"],
)
def test_bluetooth_l2cap_round_trips(address: tuple, expected: tuple) -> None:
    """(bdaddr, psm) in, with cid and bdaddr_type accepted; out, the form of
    the running interpreter's stdlib: (bdaddr, psm) before 3.14, where a
    fixed channel adds cid and an LE address its bdaddr_type from 3.14 on."""
    if sys.version_info < (3, 14):
        expected = expected[:2]
    assert roundtrip(AF_BLUETOOTH, SOCK_SEQPACKET, BTPROTO_L2CAP, address) == expected


def test_bluetooth_rfcomm_round_trips_as_bdaddr_channel() -> None:
    address = ("AA:BB:CC:DD:EE:FF", 30)
    assert roundtrip(AF_BLUETOOTH, SOCK_STREAM, BTPROTO_RFCOMM, address) == address


@pytest.mark.parametrize(
    ("address", "expected"),
    [(0, 0), ((1,), 1), ((0, 1), (0, 1)), ((0xFFFF, 3), (0xFFFF, 3))],
    ids=["device-id", "one-tuple", "user-channel", "none-control"],
)
def test_bluetooth_hci_round_trips(address: Any, expected: Any) -> None:
    """A raw-channel address comes back as the bare device id, which bind()
    takes, as on CPython main; another channel as (device_id, channel)."""
    assert roundtrip(AF_BLUETOOTH, SOCK_RAW, BTPROTO_HCI, address) == expected


@pytest.mark.parametrize(
    "address", ["12:34:56:78:9a:bc", b"12:34:56:78:9a:bc"], ids=["str", "bytes"]
)
def test_bluetooth_sco_takes_str_or_bytes_and_returns_str(address: Any) -> None:
    """Returned as str so that bind(getsockname()) works (gh-132099)."""
    assert roundtrip(AF_BLUETOOTH, SOCK_SEQPACKET, BTPROTO_SCO, address) == "12:34:56:78:9A:BC"


@pytest.mark.parametrize(
    ("proto", "address", "error"),
    [
        (BTPROTO_L2CAP, "01:02:03:04:05:06", OSError),
        (BTPROTO_L2CAP, ("01:02:03:04:05:06",), OSError),
        (BTPROTO_L2CAP, (b"01:02:03:04:05:06", 1), OSError),
        (BTPROTO_L2CAP, ("01:02:03:04:05:06", "1"), OSError),
        (BTPROTO_L2CAP, ("01:02:03:04:05:06", 0x10000), OverflowError),
        (BTPROTO_L2CAP, ("01:02:03:04:05:06", 1, 0x10000), OverflowError),
        (BTPROTO_L2CAP, ("01:02:03:04:05:06", 1, 0, 256), OverflowError),
        (BTPROTO_RFCOMM, ("01:02:03:04:05:06", 256), OverflowError),
        (BTPROTO_RFCOMM, ("01:02:03:04:05:06", -1), OverflowError),
        (BTPROTO_RFCOMM, ("01:02:03:04:05:06",), OSError),
        (BTPROTO_HCI, -1, OverflowError),
        (BTPROTO_HCI, (0x10000,), OverflowError),
        (BTPROTO_HCI, (0, 0, 0), OSError),
        (BTPROTO_HCI, "hci0", OSError),
        (BTPROTO_SCO, 0, OSError),
        (BTPROTO_SCO, bytearray(b"01:02:03:04:05:06"), OSError),
        (99, ("01:02:03:04:05:06", 1), OSError),
    ],
)
def test_bluetooth_rejects_bad_address(proto: int, address: Any, error: type[Exception]) -> None:
    """A wrong shape or type is the stdlib's OSError ("wrong format");
    numbers out of range raise OverflowError where the stdlib silently
    keeps their low bits (deliberate difference)."""
    with pytest.raises(error):
        roundtrip(AF_BLUETOOTH, SOCK_STREAM, proto, address)


@pytest.mark.parametrize(
    "bdaddr",
    [
        "",
        "01:02:03:04:05",
        "01:02:03:04:05:06:07",
        "001:02:03:04:05:06",
        "01-02-03-04-05-06",
        "0g:02:03:04:05:06",
        "01:02:03:04:05:06 ",
        "01:02:03:04:05:\0",
        "01::02:03:04:05",
    ],
)
def test_bluetooth_malformed_bdaddr_is_bad_bluetooth_address(bdaddr: str) -> None:
    with pytest.raises(OSError, match="bad bluetooth address"):
        roundtrip(AF_BLUETOOTH, SOCK_STREAM, BTPROTO_RFCOMM, (bdaddr, 1))


# ---- AF_VSOCK (cid, port) ------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [(VMADDR_CID_LOCAL, 1234), (VMADDR_CID_ANY, VMADDR_PORT_ANY), (2, 0)],
    ids=["local", "any", "host"],
)
def test_vsock_address_round_trips_as_cid_port(address: tuple[int, int]) -> None:
    assert roundtrip(AF_VSOCK, SOCK_STREAM, 0, address) == address


@pytest.mark.parametrize(
    ("address", "error"),
    [
        (1, TypeError),
        ((1,), TypeError),
        ((1, "2"), TypeError),
        ((2**32, 0), OverflowError),
        ((0, -1), OverflowError),
    ],
)
def test_vsock_rejects_bad_address(address: Any, error: type[Exception]) -> None:
    """A cid or port outside 32 bits raises OverflowError where the stdlib
    silently keeps the low bits (deliberate difference)."""
    with pytest.raises(error, match="AF_VSOCK"):
        roundtrip(AF_VSOCK, SOCK_STREAM, 0, address)


@pytest.mark.skipif(
    not _host_has(AF_VSOCK, SOCK_STREAM), reason="host kernel lacks CONFIG_VSOCKETS"
)
def test_vsock_bound_address_reads_back_from_getsockname() -> None:
    """Binding needs no transport peer; connecting would (and can hang
    here), so that is left to the lab VM's vsock_loopback."""
    port = 20000 + os.getpid() % 20000

    def scenario(m: Any) -> Any:
        with m.socket(AF_VSOCK, SOCK_STREAM) as s:
            s.bind((VMADDR_CID_ANY, port))
            return s.getsockname()

    assert agree(scenario).value == (VMADDR_CID_ANY, port)


@pytest.mark.skipif(
    not _host_has(AF_VSOCK, SOCK_STREAM), reason="host kernel lacks CONFIG_VSOCKETS"
)
@pytest.mark.parametrize(
    "args", [(b"\x01" + b"\0" * 7,), (None, 8), (1.5,)], ids=["bytes", "none-optlen", "float"]
)
def test_vsock_setsockopt_takes_only_an_int(args: tuple) -> None:
    """The stdlib's AF_VSOCK options are one int, passed as a u64: bytes,
    the None form and other types raise TypeError (the engine found sockimpl
    setting the option from bytes)."""
    so_vm_sockets_connect_timeout = 6

    def scenario(m: Any) -> Any:
        with m.socket(AF_VSOCK, SOCK_STREAM) as s:
            s.setsockopt(AF_VSOCK, so_vm_sockets_connect_timeout, *args)

    outcome = agree(scenario)
    assert outcome.error == "TypeError"


@pytest.mark.skipif(
    not _host_has(AF_VSOCK, SOCK_STREAM), reason="host kernel lacks CONFIG_VSOCKETS"
)
@pytest.mark.parametrize("buflen", [4, 8, -1, 5000])
def test_vsock_getsockopt_refuses_a_buffer_as_the_stdlib(buflen: int) -> None:
    """An AF_VSOCK option is read as a u64 only: with a buffer length the
    stdlib raises OSError("getsockopt string buffer not allowed"), errno
    None, whatever the length (the engine found sockimpl asking the kernel)."""
    so_vm_sockets_buffer_size = 0

    def scenario(m: Any) -> Any:
        with m.socket(AF_VSOCK, SOCK_STREAM) as s:
            try:
                s.getsockopt(AF_VSOCK, so_vm_sockets_buffer_size, buflen)
            except OSError as error:
                return str(error)

    assert agree(scenario).value == "getsockopt string buffer not allowed"


# ---- AF_ALG (type, name[, feat[, mask]]) ----------------------------------------


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        (("hash", "sha256"), ("hash", "sha256", 0, 0)),
        (("skcipher", "cbc(aes)", 0, 0), ("skcipher", "cbc(aes)", 0, 0)),
        (("aead", "gcm(aes)", 0x20000, U32_MAX), ("aead", "gcm(aes)", 0x20000, U32_MAX)),
        (("t" * 13, "n" * 63), ("t" * 13, "n" * 63, 0, 0)),
    ],
    ids=["hash", "skcipher", "wide-feat-mask", "longest-names"],
)
def test_alg_address_round_trips(address: tuple, expected: tuple) -> None:
    """feat and mask keep all 32 bits the kernel has; the stdlib keeps
    only 16 (deliberate difference)."""
    assert roundtrip(AF_ALG, SOCK_SEQPACKET, 0, address) == expected


@pytest.mark.parametrize(
    ("address", "error"),
    [
        ("hash", TypeError),
        (("hash",), TypeError),
        (("hash", "sha256", 0, 0, 0), TypeError),
        ((b"hash", "sha256"), TypeError),
        (("hash", None), TypeError),
        (("hash", "sha256", "0"), TypeError),
        (("t" * 14, "sha256"), ValueError),
        (("hash", "n" * 64), ValueError),
        (("ha\0sh", "sha256"), ValueError),
        (("hash", "sha256", 2**32), OverflowError),
        (("hash", "sha256", 0, -1), OverflowError),
        (("hash", "\udcff"), UnicodeError),
    ],
)
def test_alg_rejects_bad_address(address: Any, error: type[Exception]) -> None:
    """A type or name that leaves no room for the NUL is ValueError, as the
    stdlib since bpo-35050."""
    with pytest.raises(error):
        roundtrip(AF_ALG, SOCK_SEQPACKET, 0, address)


def test_sendmsg_afalg_refuses_a_socket_of_another_family() -> None:
    def scenario(m: Any) -> Any:
        with m.socket(stdlib_socket.AF_INET, stdlib_socket.SOCK_DGRAM) as s:
            s.sendmsg_afalg([b"x"], op=0)

    assert agree(scenario).error == "OSError"


def _send_afalg_on_a_relabelled_socket(m: Any, *args: Any, **kwargs: Any) -> Any:
    """sendmsg_afalg() on an AF_UNIX datagram socket labelled AF_ALG: the
    host has no AF_ALG, but both modules take the label, and AF_UNIX
    ignores SOL_ALG control messages, so the arguments and the data can be
    checked here.  Returns the count sent and the data that arrived."""
    a, b = m.socketpair(stdlib_socket.AF_UNIX, SOCK_DGRAM)
    with m.socket(AF_ALG, SOCK_SEQPACKET, 0, fileno=a.detach()) as s, b:
        return s.sendmsg_afalg(*args, **kwargs), b.recv(64)


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [
        (([b"ab", b"cd"],), {"op": 0}),
        (([b"plain"],), {"op": 1, "iv": bytes(16), "assoclen": 4, "flags": 0}),
        ((), {"msg": [bytearray(b"x")], "op": 0, "iv": b""}),
        ((), {"op": 0}),
        (([b"x"],), {}),
        (([b"x"],), {"op": -1}),
        (([b"x"],), {"op": 1.0}),
        (([b"x"], 0), {}),
        (([b"x"],), {"op": 0, "assoclen": -1}),
        (([b"x"],), {"op": 0, "assoclen": 2**40}),
        (([b"x"],), {"op": 0, "assoclen": None}),
        (([b"x"],), {"op": 0, "iv": "x"}),
        (([b"x"],), {"op": 0, "flags": 2**40}),
        (([b"x"],), {"op": 0, "bogus": 1}),
        (("x",), {"op": 0}),
        (([1],), {"op": 0}),
    ],
    ids=[
        "two-buffers",
        "iv-and-assoclen",
        "msg-keyword",
        "no-data",
        "no-op",
        "negative-op",
        "float-op",
        "positional-op",
        "negative-assoclen",
        "huge-assoclen",
        "none-assoclen",
        "str-iv",
        "huge-flags",
        "unknown-keyword",
        "str-msg",
        "int-buffer",
    ],
)
def test_sendmsg_afalg_arguments_as_the_stdlib(args: tuple, kwargs: dict) -> None:
    agree(lambda m: _send_afalg_on_a_relabelled_socket(m, *args, **kwargs))


def test_sendmsg_afalg_takes_iv_none_as_no_iv() -> None:
    """The documented default iv=None; the stdlib refuses None when given
    explicitly (deliberate difference: sockimpl takes the default)."""
    sent = _send_afalg_on_a_relabelled_socket(sockimpl, [b"x"], op=0, iv=None)
    assert sent == (1, b"x")


# ---- AF_TIPC (addr_type, v1, v2, v3[, scope]) -----------------------------------


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ((TIPC_ADDR_NAMESEQ, 18888, 1, 10), (TIPC_ADDR_NAMESEQ, 18888, 1, 10, TIPC_CLUSTER_SCOPE)),
        (
            (TIPC_ADDR_NAME, 18888, 7, 0, TIPC_NODE_SCOPE),
            (TIPC_ADDR_NAME, 18888, 7, 7, TIPC_NODE_SCOPE),
        ),
        (
            (TIPC_ADDR_ID, 0x1001002, 12345, 0),
            (TIPC_ADDR_ID, 0x1001002, 12345, 0, TIPC_CLUSTER_SCOPE),
        ),
    ],
    ids=["nameseq", "name", "id"],
)
def test_tipc_address_round_trips(address: tuple, expected: tuple) -> None:
    """The scope defaults to TIPC_CLUSTER_SCOPE; a NAME comes back with its
    instance as both v2 and v3, an ID with v3 0, as the stdlib returns
    them."""
    assert roundtrip(AF_TIPC, SOCK_RDM, 0, address) == expected


@pytest.mark.parametrize(
    ("address", "error"),
    [
        ((TIPC_ADDR_NAME, 1, 2), TypeError),
        ((TIPC_ADDR_NAME, 1, 2, 3, 2, 0), TypeError),
        ([TIPC_ADDR_NAME, 1, 2, 3], TypeError),
        ((9, 1, 2, 3), TypeError),
        ((TIPC_ADDR_NAME, "1", 2, 3), TypeError),
        ((TIPC_ADDR_NAME, 2**32, 2, 3), OverflowError),
        ((TIPC_ADDR_NAMESEQ, 1, 2, -3), OverflowError),
        ((TIPC_ADDR_NAME, 1, 2, 3, 128), OverflowError),
    ],
)
def test_tipc_rejects_bad_address(address: Any, error: type[Exception]) -> None:
    """Fields outside 32 bits and a scope outside the kernel's signed char
    raise OverflowError where the stdlib silently masks (deliberate
    difference)."""
    with pytest.raises(error, match="AF_TIPC"):
        roundtrip(AF_TIPC, SOCK_RDM, 0, address)


# ---- AF_RDS (the AF_INET form), AF_QIPCRTR (node, port) ----------------------------


def test_rds_address_is_the_inet_form() -> None:
    assert roundtrip(AF_RDS, SOCK_SEQPACKET, 0, ("127.0.0.1", 4000)) == ("127.0.0.1", 4000)


def test_rds_rejects_what_inet_rejects() -> None:
    with pytest.raises(OverflowError):
        roundtrip(AF_RDS, SOCK_SEQPACKET, 0, ("127.0.0.1", 70000))


@pytest.mark.parametrize(
    "address", [(1, 2), (0, 0), (U32_MAX, 0xFFFFFFFE)], ids=["small", "zero", "ctrl"]
)
def test_qrtr_address_round_trips_as_node_port(address: tuple[int, int]) -> None:
    assert roundtrip(AF_QIPCRTR, SOCK_DGRAM, 0, address) == address


@pytest.mark.parametrize(
    ("address", "error"),
    [
        ((1,), TypeError),
        ("1", TypeError),
        ((1, None), TypeError),
        ((2**32, 1), OSError),
        ((-2, 0), OSError),
        ((0, -1), OSError),
    ],
)
def test_qrtr_rejects_bad_address(address: Any, error: type[Exception]) -> None:
    with pytest.raises(error, match="AF_QIPCRTR"):
        roundtrip(AF_QIPCRTR, SOCK_DGRAM, 0, address)


@pytest.mark.parametrize("address", [(-2, 0), (0, -1)], ids=["node", "port"])
def test_qrtr_negative_field_is_an_oserror_as_in_the_stdlib(address: tuple[int, int]) -> None:
    """The stdlib masks (-2, 0) to the broadcast node and the kernel refuses
    the bind with OSError; sockimpl refuses the value before the call, and
    must raise OSError too.  (A UDP socket labelled AF_QIPCRTR: the host
    has no AF_QIPCRTR, and the stdlib's error comes from the kernel.)"""

    def scenario(m: Any) -> Any:
        udp = m.socket(stdlib_socket.AF_INET, SOCK_DGRAM)
        with m.socket(AF_QIPCRTR, SOCK_DGRAM, 0, fileno=udp.detach()) as s:
            s.bind(address)

    for m in (stdlib_socket, sockimpl):
        with pytest.raises(OSError):
            scenario(m)


# ---- families the host kernel lacks ------------------------------------------------


@pytest.mark.parametrize(
    ("family", "type_", "proto"),
    [
        (AF_CAN, SOCK_RAW, CAN_RAW),
        (AF_BLUETOOTH, SOCK_STREAM, BTPROTO_RFCOMM),
        (AF_ALG, SOCK_SEQPACKET, 0),
        (AF_TIPC, SOCK_RDM, 0),
        (AF_RDS, SOCK_SEQPACKET, 0),
        (AF_QIPCRTR, SOCK_DGRAM, 0),
    ],
    ids=["can", "bluetooth", "alg", "tipc", "rds", "qrtr"],
)
def test_socket_of_a_family_the_kernel_lacks_is_the_kernels_error(
    family: int, type_: int, proto: int
) -> None:
    """Where the host has the family this is no error in either module;
    where it lacks it, both raise the same OSError (EAFNOSUPPORT)."""

    def scenario(m: Any) -> Any:
        m.socket(family, type_, proto).close()

    outcome = agree(scenario)
    assert outcome.error in (None, "OSError")


# ---- protocols over INET: UDP-Lite and MPTCP ------------------------------------------


@pytest.mark.parametrize(
    ("type_", "proto"), [(SOCK_DGRAM, 136), (SOCK_STREAM, 262)], ids=["udplite", "mptcp"]
)
def test_inet_protocol_socket_binds_to_loopback(type_: int, proto: int) -> None:
    def scenario(m: Any) -> Any:
        with m.socket(stdlib_socket.AF_INET, type_, proto) as s:
            s.bind(("127.0.0.1", 0))
            return s.proto, s.getsockname()[0]

    agree(scenario)
