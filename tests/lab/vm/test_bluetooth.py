"""Bluetooth between two virtual controllers (btvirt over /dev/vhci):
L2CAP and RFCOMM connections both ways with the addresses each call
reports checked against the controllers' real addresses, SCO where the
emulator carries it, an HCI raw socket with HCI_FILTER reading a Command
Complete event, and L2CAP traffic on the HCI monitor channel decoded with
scapy's Bluetooth layers.

The stdlib's side skips where its interpreter was built without the
Bluetooth headers (pyenv's CPython here has no `socket.AF_BLUETOOTH`)."""

from __future__ import annotations

import itertools
import struct

import pytest

pytestmark = [pytest.mark.family("bluetooth"), pytest.mark.needs("vhci")]

HCI_EVENT_PKT = 0x04
HCI_COMMAND_PKT = 0x01
EVT_CMD_COMPLETE = 0x0E
OCF_READ_BD_ADDR = 0x1009  # OGF 0x04 (informational), OCF 0x0009
MONITOR_ACL_TX, MONITOR_ACL_RX = 5, 6

_psms = itertools.count(0x1001, 2)  # dynamic PSMs are odd


@pytest.fixture
def bt(impl):
    """`impl`, when it has AF_BLUETOOTH at all."""
    if not hasattr(impl, "AF_BLUETOOTH"):
        pytest.skip(f"{impl.__name__} has no AF_BLUETOOTH: this CPython was built without "
                    "<bluetooth/bluetooth.h> (socket.AF_BLUETOOTH is missing)")
    return impl


def l2cap_connection(bt, controllers):
    client_ctl, server_ctl = controllers
    psm = next(_psms)
    server = bt.socket(bt.AF_BLUETOOTH, bt.SOCK_SEQPACKET, bt.BTPROTO_L2CAP)
    server.bind((server_ctl.address, psm))
    server.listen(1)
    server.settimeout(20)
    client = bt.socket(bt.AF_BLUETOOTH, bt.SOCK_SEQPACKET, bt.BTPROTO_L2CAP)
    client.bind((client_ctl.address, 0))
    client.settimeout(20)
    client.connect((server_ctl.address, psm))
    conn, address = server.accept()
    return server, client, conn, address, psm


def test_l2cap_seqpacket_exchanges_messages_both_ways(bt, bt_controllers):
    server, client, conn, _, _ = l2cap_connection(bt, bt_controllers)
    with server, client, conn:
        client.send(b"to the server")
        assert conn.recv(100) == b"to the server"
        conn.send(b"to the client")
        assert client.recv(100) == b"to the client"


def test_l2cap_addresses_are_the_controllers_real_addresses(bt, bt_controllers):
    client_ctl, server_ctl = bt_controllers
    server, client, conn, address, psm = l2cap_connection(bt, bt_controllers)
    with server, client, conn:
        assert address[0] == client_ctl.address
        assert client.getsockname()[0] == client_ctl.address
        assert client.getpeername()[:2] == (server_ctl.address, psm)
        assert conn.getsockname()[:2] == (server_ctl.address, psm)
        assert conn.getpeername()[0] == client_ctl.address


def test_rfcomm_stream_exchanges_bytes_both_ways(bt, bt_controllers):
    client_ctl, server_ctl = bt_controllers
    server = bt.socket(bt.AF_BLUETOOTH, bt.SOCK_STREAM, bt.BTPROTO_RFCOMM)
    server.bind((server_ctl.address, 3))
    server.listen(1)
    server.settimeout(20)
    client = bt.socket(bt.AF_BLUETOOTH, bt.SOCK_STREAM, bt.BTPROTO_RFCOMM)
    client.settimeout(20)
    with server, client:
        client.bind((client_ctl.address, 0))
        client.connect((server_ctl.address, 3))
        conn, address = server.accept()
        with conn:
            client.sendall(b"rfcomm up")
            assert conn.recv(100) == b"rfcomm up"
            conn.sendall(b"rfcomm down")
            assert client.recv(100) == b"rfcomm down"
    assert address == (client_ctl.address, 3) or address[0] == client_ctl.address


def test_sco_connects_where_the_emulator_carries_it(bt, bt_controllers):
    client_ctl, server_ctl = bt_controllers
    server = bt.socket(bt.AF_BLUETOOTH, bt.SOCK_SEQPACKET, bt.BTPROTO_SCO)
    client = bt.socket(bt.AF_BLUETOOTH, bt.SOCK_SEQPACKET, bt.BTPROTO_SCO)
    with server, client:
        server.bind(server_ctl.address)
        server.listen(1)
        server.settimeout(10)
        client.bind(client_ctl.address)
        client.settimeout(10)
        try:
            client.connect(server_ctl.address)
        except OSError as exc:
            pytest.skip(f"btvirt's emulated controllers set up no SCO link: {exc}")
        conn, address = server.accept()
        with conn:
            assert address == client_ctl.address


def test_hci_raw_socket_reads_the_command_complete_of_read_bd_addr(bt, bt_controllers):
    controller = bt_controllers[0]
    hci = bt.socket(bt.AF_BLUETOOTH, bt.SOCK_RAW, bt.BTPROTO_HCI)
    with hci:
        hci.bind((controller.index,))
        # struct hci_ufilter: type mask, event mask (2 words), opcode; 16 bytes with padding.
        event_filter = struct.pack("=IIIH2x", 1 << HCI_EVENT_PKT, 1 << EVT_CMD_COMPLETE, 0, 0)
        hci.setsockopt(bt.SOL_HCI, bt.HCI_FILTER, event_filter)
        hci.settimeout(10)
        hci.send(struct.pack("<BHB", HCI_COMMAND_PKT, OCF_READ_BD_ADDR, 0))
        while True:
            event = hci.recv(260)
            if struct.unpack_from("<H", event, 4)[0] == OCF_READ_BD_ADDR:
                break
    packet_type, code, _length, _ncmd, _opcode, status = struct.unpack_from("<BBBBHB", event)
    address = ":".join(f"{b:02X}" for b in reversed(event[7:13]))
    assert (packet_type, code, status) == (HCI_EVENT_PKT, EVT_CMD_COMPLETE, 0)
    assert address == controller.address


def test_l2cap_payload_shows_on_the_hci_monitor_channel(bt, bt_controllers):
    from scapy.layers.bluetooth import HCI_ACL_Hdr, HCI_Mon_Hdr, L2CAP_Hdr

    monitor = bt.socket(bt.AF_BLUETOOTH, bt.SOCK_RAW, bt.BTPROTO_HCI)
    with monitor:
        monitor.bind((bt.HCI_DEV_NONE, bt.HCI_CHANNEL_MONITOR))
        monitor.settimeout(10)
        server, client, conn, _, _ = l2cap_connection(bt, bt_controllers)
        with server, client, conn:
            client.send(b"monitored payload")
            assert conn.recv(100) == b"monitored payload"
        carried = []
        while not carried:
            record = HCI_Mon_Hdr(monitor.recv(4096))
            if record.opcode in (MONITOR_ACL_TX, MONITOR_ACL_RX):
                l2cap = HCI_ACL_Hdr(bytes(record.payload)).getlayer(L2CAP_Hdr)
                if l2cap is not None and bytes(l2cap.payload) == b"monitored payload":
                    carried.append(l2cap)
    assert carried[0].len == len(b"monitored payload")
    assert carried[0].cid >= 0x0040  # a dynamic channel, not signalling
