"""python-can as the far end of a CAN bus, against both implementations:
what the implementation under test sends, python-can receives, and the
other way round, for classic, extended, remote, error and CAN FD frames.
A failing test leaves its CAN trace as a pcap and a candump log."""

from __future__ import annotations

import struct
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from can_wire import classic_frame, fd_frame, parse_classic, parse_fd

from lab.wire.can import (
    CAN_EFF_FLAG,
    CAN_ERR_CRTL,
    CAN_ERR_FLAG,
    CAN_RAW_ERR_FILTER,
    CAN_RAW_FD_FRAMES,
    CAN_RTR_FLAG,
)
from lab.wire.pcap import LINKTYPE_CAN_SOCKETCAN

pytestmark = [pytest.mark.family("can"), pytest.mark.needs("vcan")]

can = pytest.importorskip("can", reason="needs python-can (`make lab-deps`)")

RECEIVE_TIMEOUT_S = 2.0


def raw_socket(impl, peer, fd: bool = False):
    with peer.interface.inside():
        sock = impl.socket(impl.AF_CAN, impl.SOCK_RAW, impl.CAN_RAW)
    if fd:
        sock.setsockopt(impl.SOL_CAN_RAW, CAN_RAW_FD_FRAMES, 1)
    sock.bind((peer.interface.ifname,))
    sock.settimeout(RECEIVE_TIMEOUT_S)
    return sock


def received(peer) -> can.Message:
    message = peer.bus.recv(RECEIVE_TIMEOUT_S)
    assert message is not None, "python-can received nothing"
    return message


def test_classic_frame_sent_by_the_implementation_reaches_python_can(impl, can_bus):
    with raw_socket(impl, can_bus) as sock:
        sock.send(classic_frame(0x123, b"\x01\x02\x03"))
    message = received(can_bus)
    assert (message.arbitration_id, message.is_extended_id, bytes(message.data)) == (0x123, False, b"\x01\x02\x03")


def test_extended_frame_sent_by_the_implementation_keeps_29_bits(impl, can_bus):
    with raw_socket(impl, can_bus) as sock:
        sock.send(classic_frame(0x1ABCDE12 | CAN_EFF_FLAG, b"ext"))
    message = received(can_bus)
    assert (message.arbitration_id, message.is_extended_id, bytes(message.data)) == (0x1ABCDE12, True, b"ext")


def test_remote_frame_sent_by_the_implementation_arrives_as_remote(impl, can_bus):
    with raw_socket(impl, can_bus) as sock:
        sock.send(struct.pack("=IB3x8s", 0x321 | CAN_RTR_FLAG, 4, b""))
    message = received(can_bus)
    assert (message.arbitration_id, message.is_remote_frame, message.dlc) == (0x321, True, 4)


def test_fd_frame_sent_by_the_implementation_reaches_python_can(impl, can_bus):
    payload = bytes(range(48))
    with raw_socket(impl, can_bus, fd=True) as sock:
        assert sock.send(fd_frame(0x456, payload, flags=0x01)) == 72
    message = received(can_bus)
    assert (message.is_fd, message.bitrate_switch, bytes(message.data)) == (True, True, payload)


def test_classic_frame_from_python_can_reaches_the_implementation(impl, can_bus):
    with raw_socket(impl, can_bus) as sock:
        can_bus.bus.send(can.Message(arbitration_id=0x7FF, data=b"peer", is_extended_id=False))
        frame = sock.recv(16)
    assert parse_classic(frame) == (0x7FF, b"peer")


def test_extended_frame_from_python_can_reaches_the_implementation(impl, can_bus):
    with raw_socket(impl, can_bus) as sock:
        can_bus.bus.send(can.Message(arbitration_id=0x12345, data=b"x", is_extended_id=True))
        frame = sock.recv(16)
    assert parse_classic(frame) == (0x12345 | CAN_EFF_FLAG, b"x")


def test_remote_frame_from_python_can_reaches_the_implementation(impl, can_bus):
    with raw_socket(impl, can_bus) as sock:
        can_bus.bus.send(can.Message(arbitration_id=0x10, is_remote_frame=True, dlc=2, is_extended_id=False))
        can_id, length = struct.unpack_from("=IB", sock.recv(16))
    assert (can_id, length) == (0x10 | CAN_RTR_FLAG, 2)


def test_error_frame_from_python_can_reaches_an_implementation_that_asks_for_errors(impl, can_bus):
    with raw_socket(impl, can_bus) as sock:
        sock.setsockopt(impl.SOL_CAN_RAW, CAN_RAW_ERR_FILTER, struct.pack("=I", CAN_ERR_CRTL))
        can_bus.bus.send(can.Message(arbitration_id=CAN_ERR_CRTL, is_error_frame=True, dlc=8, is_extended_id=False))
        can_id, _ = parse_classic(sock.recv(16))
    assert can_id == CAN_ERR_FLAG | CAN_ERR_CRTL


def test_error_frame_sent_by_the_implementation_reaches_python_can(impl, can_bus):
    # python-can asks the kernel for every error class; the implementation
    # sends one as a raw frame with CAN_ERR_FLAG, as an error generator would.
    with raw_socket(impl, can_bus) as sock:
        sock.send(classic_frame(CAN_ERR_FLAG | CAN_ERR_CRTL, bytes(8)))
    message = received(can_bus)
    assert (message.is_error_frame, message.arbitration_id) == (True, CAN_ERR_CRTL)


def test_fd_frame_from_python_can_reaches_the_implementation(impl, can_bus):
    payload = bytes(range(64))
    with raw_socket(impl, can_bus, fd=True) as sock:
        can_bus.bus.send(can.Message(arbitration_id=0x99, data=payload, is_fd=True, is_extended_id=False))
        frame = sock.recv(72)
    assert parse_fd(frame) == (0x99, payload)


@pytest.mark.needs("vxcan")
def test_frame_crosses_a_vxcan_cable_to_python_can(impl, vxcan_can_bus):
    with raw_socket(impl, vxcan_can_bus) as sock:
        sock.send(classic_frame(0x55, b"cable"))
    message = received(vxcan_can_bus)
    assert (message.arbitration_id, bytes(message.data)) == (0x55, b"cable")


def test_the_trace_sees_what_python_can_sends(can_bus):
    can_bus.bus.send(can.Message(arbitration_id=0x42, data=b"\xaa", is_extended_id=False))
    assert received_by_trace(can_bus, 0x42)


def received_by_trace(peer, can_id: int) -> bool:
    deadline = time.monotonic() + RECEIVE_TIMEOUT_S
    while time.monotonic() < deadline:
        if any(struct.unpack_from("=I", f.raw)[0] == can_id for f in peer.trace.frames()):
            return True
        time.sleep(0.05)
    return False


FAILING_TEST = textwrap.dedent('''
    import can
    from lab.fixtures.can import can_bus, can_trace  # noqa: F401
    from lab.fixtures.guest import vcan_bus  # noqa: F401

    def test_wrong_expectation(can_bus):
        can_bus.bus.send(can.Message(arbitration_id=0x1AB, data=b"\\x01\\x02", is_extended_id=False))
        can_bus.bus.send(can.Message(arbitration_id=0x1234567, data=b"", is_extended_id=True))
        assert can_bus.bus.recv(0.2) is not None, "deliberately wrong: vcan does not echo to the sender"
''')


def _pcap_frames(path: Path) -> tuple[int, list[bytes]]:
    data = path.read_bytes()
    magic, _, _, _, _, _, linktype = struct.unpack_from("<IHHiIII", data)
    assert magic == 0xA1B2C3D4
    offset, bodies = 24, []
    while offset < len(data):
        _, _, captured, _ = struct.unpack_from("<IIII", data, offset)
        bodies.append(data[offset + 16: offset + 16 + captured])
        offset += 16 + captured
    return linktype, bodies


def test_a_failing_test_leaves_a_readable_pcap_and_candump_log(tmp_path):
    (tmp_path / "test_wrong.py").write_text(FAILING_TEST)
    artifacts = tmp_path / "artifacts"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "lab.plugin", "-p", "no:cacheprovider",
         "-p", "no:hypothesispytest", f"--lab-artifacts={artifacts}", str(tmp_path / "test_wrong.py")],
        capture_output=True, text=True, cwd=tmp_path, check=False,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    pcaps, logs = sorted(artifacts.glob("*.pcap")), sorted(artifacts.glob("*.log"))
    assert len(pcaps) == 1 and len(logs) == 1, done.stdout
    assert str(pcaps[0]) in done.stdout
    linktype, bodies = _pcap_frames(pcaps[0])
    assert linktype == LINKTYPE_CAN_SOCKETCAN
    # The SocketCAN link type carries the identifier in network byte order.
    assert [struct.unpack_from(">I", b)[0] for b in bodies] == [0x1AB, 0x1234567 | CAN_EFF_FLAG]
    lines = logs[0].read_text().splitlines()
    assert [line.split(" ", 2)[2] for line in lines] == ["1AB#0102", "01234567#"]
