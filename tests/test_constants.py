"""Constants: every one the stdlib has, with the stdlib's value, and the
Linux ABI the stdlib only has when its build machine had the right headers.

The stdlib is the oracle for the names it exports.  For the names it may
lack (Bluetooth without libbluetooth-dev, anything newer than the headers
CPython was built against), the expected values below are copied from the
kernel's UAPI header text or the Linux man pages, never from sockimpl.
"""

from __future__ import annotations

import platform
import socket as stdlib_socket
import subprocess
from pathlib import Path

import pytest
from child_python import SOCKIMPL_HOME, run_python

import sockimpl
from lab.standalone.pythons import find_python


def _is_constant_name(name: str) -> bool:
    """AF_INET, SOMAXCONN, AF_DECnet: a public name whose prefix is upper case."""
    return not name.startswith("_") and name.split("_", 1)[0].isupper()


def _stdlib_constants() -> dict[str, int | str]:
    return {
        name: value
        for name in dir(stdlib_socket)
        if _is_constant_name(name)
        and isinstance(value := getattr(stdlib_socket, name), (int, str))
        and not isinstance(value, bool)
    }


STDLIB_CONSTANTS = _stdlib_constants()

# The architectures whose socket-level options (SO_*) use the generic kernel
# numbering of <asm-generic/socket.h>; mips, sparc, parisc, alpha and powerpc
# renumber them.
GENERIC_SO_NUMBERING = not platform.machine().startswith(
    ("mips", "sparc", "parisc", "alpha", "ppc", "powerpc")
)

# name -> (value, where the value was read)
KERNEL_VALUES: dict[str, tuple[int, str]] = {
    "AF_BLUETOOTH": (31, "include/net/bluetooth/bluetooth.h, address_families(7)"),
    "AF_VSOCK": (40, "include/linux/socket.h, vsock(7)"),
    "AF_MCTP": (45, "include/linux/socket.h"),
    "BTPROTO_L2CAP": (0, "include/net/bluetooth/bluetooth.h"),
    "BTPROTO_HCI": (1, "include/net/bluetooth/bluetooth.h"),
    "BTPROTO_SCO": (2, "include/net/bluetooth/bluetooth.h"),
    "BTPROTO_RFCOMM": (3, "include/net/bluetooth/bluetooth.h"),
    "SOL_BLUETOOTH": (274, "include/linux/socket.h"),
    "SOL_RFCOMM": (18, "include/net/bluetooth/bluetooth.h"),
    "BT_SECURITY": (4, "include/net/bluetooth/bluetooth.h"),
    "HCI_CHANNEL_USER": (1, "include/net/bluetooth/hci_sock.h"),
    "HCI_DEV_NONE": (0xFFFF, "include/net/bluetooth/hci_sock.h"),
    "L2CAP_LM_SECURE": (0x0020, "include/net/bluetooth/l2cap.h"),
    "VMADDR_CID_LOCAL": (1, "include/uapi/linux/vm_sockets.h, vsock(7)"),
    "VMADDR_CID_HOST": (2, "include/uapi/linux/vm_sockets.h, vsock(7)"),
    "VMADDR_CID_ANY": (0xFFFFFFFF, "include/uapi/linux/vm_sockets.h (-1U)"),
    "SOL_VSOCK": (287, "include/uapi/linux/vm_sockets.h"),
    "ETH_P_ALL": (0x0003, "include/uapi/linux/if_ether.h, packet(7)"),
    "IP_PKTINFO": (8, "include/uapi/linux/in.h"),
    "IP_RECVERR": (11, "include/uapi/linux/in.h"),
    "IP_RECVTOS": (13, "include/uapi/linux/in.h"),
    "IP_FREEBIND": (15, "include/uapi/linux/in.h"),
    "IP_LOCAL_PORT_RANGE": (51, "include/uapi/linux/in.h"),
    "IPV6_RECVERR": (25, "include/uapi/linux/in6.h"),
    "SO_ORIGINAL_DST": (80, "include/uapi/linux/netfilter_ipv4.h"),
    "TCP_QUICKACK": (12, "include/uapi/linux/tcp.h"),
    "TCP_TX_DELAY": (37, "include/uapi/linux/tcp.h"),
    "IPPROTO_MPTCP": (262, "include/uapi/linux/in.h"),
    "SOL_MPTCP": (284, "include/linux/socket.h"),
    "CAN_RAW_ERR_FILTER": (2, "include/uapi/linux/can/raw.h"),
    "CAN_RAW_XL_FRAMES": (7, "include/uapi/linux/can/raw.h"),
    "CAN_EFF_FLAG": (0x80000000, "include/uapi/linux/can.h"),
    "CAN_BCM_TX_SETUP": (1, "include/uapi/linux/can/bcm.h (TX_SETUP)"),
    "SOL_CAN_ISOTP": (106, "include/uapi/linux/can/isotp.h (SOL_CAN_BASE + CAN_ISOTP)"),
    "CAN_ISOTP_OPTS": (1, "include/uapi/linux/can/isotp.h"),
    "SOL_CAN_J1939": (107, "include/uapi/linux/can/j1939.h"),
    "ALG_SET_KEY": (1, "include/uapi/linux/if_alg.h"),
    "TIPC_NODELAY": (138, "include/uapi/linux/tipc.h"),
    "SO_RDS_TRANSPORT": (8, "include/uapi/linux/rds.h"),
    "NETLINK_GENERIC": (16, "include/uapi/linux/netlink.h, netlink(7)"),
    "PACKET_FANOUT": (18, "include/uapi/linux/if_packet.h, packet(7)"),
    "UDPLITE_SEND_CSCOV": (10, "udplite(7)"),
}

SO_KERNEL_VALUES: dict[str, tuple[int, str]] = {
    "SO_BINDTOIFINDEX": (62, "include/uapi/asm-generic/socket.h, socket(7)"),
    "SO_INCOMING_CPU": (49, "include/uapi/asm-generic/socket.h"),
    "SO_PEERPIDFD": (77, "include/uapi/asm-generic/socket.h"),
    "SO_PASSRIGHTS": (83, "include/uapi/asm-generic/socket.h"),
    "SO_INQ": (84, "include/uapi/asm-generic/socket.h"),
}


@pytest.mark.parametrize("name", sorted(STDLIB_CONSTANTS))
def test_stdlib_constant_exists_with_the_same_value(name: str) -> None:
    expected = STDLIB_CONSTANTS[name]
    assert hasattr(sockimpl, name), f"sockimpl lacks {name}"
    actual = getattr(sockimpl, name)
    assert not isinstance(actual, bool)
    assert isinstance(actual, int if isinstance(expected, int) else str)
    assert actual == expected


@pytest.mark.parametrize("name", sorted(KERNEL_VALUES))
def test_kernel_constant_has_its_uapi_value(name: str) -> None:
    value, _source = KERNEL_VALUES[name]
    assert getattr(sockimpl, name) == value


@pytest.mark.skipif(not GENERIC_SO_NUMBERING, reason="this architecture renumbers SO_*")
@pytest.mark.parametrize("name", sorted(SO_KERNEL_VALUES))
def test_socket_option_has_its_generic_uapi_value(name: str) -> None:
    value, _source = SO_KERNEL_VALUES[name]
    assert getattr(sockimpl, name) == value


@pytest.mark.parametrize("name", sorted(name for name in KERNEL_VALUES if name in STDLIB_CONSTANTS))
def test_expected_kernel_value_agrees_with_the_stdlib_where_it_has_the_name(
    name: str,
) -> None:
    """Checks this file's table against the oracle wherever the running
    stdlib has the name."""
    value, _source = KERNEL_VALUES[name]
    assert STDLIB_CONSTANTS[name] == value


@pytest.mark.parametrize(
    ("name", "text"),
    [("BDADDR_ANY", "00:00:00:00:00:00"), ("BDADDR_LOCAL", "00:00:00:FF:FF:FF")],
)
def test_bluetooth_address_constant_is_the_documented_string(name: str, text: str) -> None:
    """The socket module documentation gives both strings."""
    assert getattr(sockimpl, name) == text


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("INADDR_NONE", 0xFFFFFFFF),
        ("INADDR_BROADCAST", 0xFFFFFFFF),
        ("VMADDR_PORT_ANY", 0xFFFFFFFF),
        ("CAN_EFF_FLAG", 0x80000000),
        ("QRTR_NODE_BCAST", 0xFFFFFFFF),
        ("CAN_ISOTP_FRAME_TXTIME_ZERO", 0xFFFFFFFF),
    ],
)
def test_unsigned_32_bit_constant_is_positive(name: str, value: int) -> None:
    assert getattr(sockimpl, name) == value


@pytest.mark.parametrize("prefix", ["AF_", "SOCK_", "MSG_", "AI_"])
def test_extra_names_do_not_take_over_an_enum_members_name(prefix: str) -> None:
    """The enums pick a value's canonical member by name order: a name the
    stdlib lacks must not sort before the stdlib's name for the same value,
    or `repr(sock.family)` would change."""

    def canonical(names: list[str], module: object) -> dict[int, str]:
        first: dict[int, str] = {}
        for name in sorted(names):
            first.setdefault(int(getattr(module, name)), name)
        return first

    stdlib_names = [n for n in STDLIB_CONSTANTS if n.startswith(prefix) and n.isupper()]
    sockimpl_names = [n for n in dir(sockimpl) if n.startswith(prefix) and n.isupper()]
    expected = canonical(stdlib_names, stdlib_socket)
    actual = canonical(sockimpl_names, sockimpl)
    assert {v: actual[v] for v in expected} == expected


def _built_for(python: Path) -> bool:
    tag = subprocess.run(
        [str(python), "-c", "import sys; print(f'{sys.version_info[0]}{sys.version_info[1]}')"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    # Where this run's sockimpl comes from: a sanitized run has a build for
    # its own interpreter only, and the others must not fall back to another.
    return any((SOCKIMPL_HOME / "sockimpl").glob(f"_sockimpl.cpython-{tag}-*.so"))


@pytest.mark.parametrize("version", ["3.10", "3.11", "3.12", "3.13"])
def test_import_prints_bluetooth_and_vsock_constants(version: str) -> None:
    """The acceptance command, run by each interpreter: the constants exist
    whatever headers that interpreter's own socket module was built with."""
    python = find_python(version)
    if python is None:
        pytest.skip(f"no CPython {version} found (pyenv or python{version} on PATH)")
    if not _built_for(python):
        pytest.skip(f"sockimpl is not built for CPython {version} in {SOCKIMPL_HOME}: `make build`")
    result = run_python(
        python,
        "import sockimpl; print(sockimpl.AF_BLUETOOTH, sockimpl.VMADDR_CID_LOCAL)",
        imports_sockimpl=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    family, cid = result.stdout.split()
    # 3.10's IntEnum prints as "AddressFamily.AF_BLUETOOTH", later ones as the number.
    assert family in ("31", "AddressFamily.AF_BLUETOOTH")
    assert cid == "1"
