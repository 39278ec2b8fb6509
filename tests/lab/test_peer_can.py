"""CAN exchanges with can-utils in the `can-peer` container, over a vxcan
pair whose far end is in the container: frames from the implementation
are seen by `candump`, frames from `cansend` are received, and an ISO-TP
message (long enough to need flow control) crosses both ways.

The host kernel here has no CAN (`lab doctor`): these run in the lab VM or
on a host whose kernel has vcan/vxcan, and skip elsewhere with that reason.
"""

from __future__ import annotations

import os
import struct
import time
from pathlib import Path

import pytest

CAN_RAW, CAN_ISOTP = 1, 6  # kernel ABI, for interpreters built without CAN headers
FRAME = struct.Struct("=IB3x8s")  # struct can_frame: id, length, pad, data
ISOTP_PAYLOAD = bytes(range(1, 21))  # 20 bytes: first frame, flow control, consecutive frames
LAB_TX_ID, PEER_TX_ID = 0x7E0, 0x7E8

# In the lab VM (TCG), the first test also starts an engine (on a data root
# prepared with the image in it, see the first test; else it loads the image).
pytestmark = [pytest.mark.family("can"), pytest.mark.needs("vxcan"), pytest.mark.timeout(300)]


@pytest.fixture
def can_peer(container_peer):
    # One container for the module: each test gets a fresh vxcan pair into it.
    return container_peer("can-peer", link="vxcan", shared=True)


def can_constant(impl, name: str, abi_value: int) -> int:
    return getattr(impl, name, abi_value)


def open_can(impl, can_peer, kind: int, protocol: int):
    with can_peer.can_link.lab_host.inside():
        return impl.socket(impl.AF_CAN, kind, protocol)


def receivers_on(can_peer, ifname: str) -> int:
    """CAN receivers registered on `ifname` in the container's namespace,
    from the kernel's receive lists (a device without any shows as
    "(name: no entry)", which does not count)."""
    lists = Path(f"/proc/{can_peer.pid}/net/can").glob("rcvlist_*")
    return sum(
        line.split()[0] == ifname
        for path in lists for line in path.read_text().splitlines() if line.strip()
    )


def wait_for_receiver(can_peer, timeout: float = 20.0) -> None:
    """Until a program in the container listens on its vxcan end."""
    deadline = time.monotonic() + timeout
    while not receivers_on(can_peer, can_peer.can_link.peer_ifname):
        if time.monotonic() > deadline:
            raise TimeoutError(f"nothing listens on {can_peer.can_link.peer_ifname}:\n{can_peer.logs()}")
        time.sleep(0.02)


def hex_bytes(data: bytes) -> str:
    return " ".join(f"{byte:02X}" for byte in data)


def test_the_lab_vms_engine_starts_with_the_peer_image_in_its_prepared_data_root(docker_engine):
    """First in this file, before any test could load the image: the lab VM's
    engine has it already (a load is a minute under TCG, see lab.docker.data_disk)."""
    # Lazy, as in the fixtures: the docker package.
    from lab.docker import data_disk, images

    prepared = os.environ.get("SOCKLAB_DOCKER_DATA_ROOT")
    if prepared != str(data_disk.GUEST_DATA_ROOT):
        pytest.skip("only where the lab VM attached the Docker data root `socklab images build` prepares")
    assert docker_engine.started is not None and docker_engine.started.recorded_data_root() == Path(prepared)
    assert images.has_image(docker_engine, images.reference("can-peer"))


def test_raw_frame_sent_by_the_implementation_is_seen_by_candump(impl, can_peer):
    can_peer.spawn("candump", "-L", "-n", "1", can_peer.can_link.peer_ifname)
    wait_for_receiver(can_peer)
    with open_can(impl, can_peer, impl.SOCK_RAW, can_constant(impl, "CAN_RAW", CAN_RAW)) as sock:
        sock.bind((can_peer.can_link.lab_ifname,))
        sock.send(FRAME.pack(0x123, 4, b"\xde\xad\xbe\xef"))
    assert "123#DEADBEEF" in can_peer.wait_for_output("123#DEADBEEF")


def test_raw_frame_from_cansend_is_received_by_the_implementation(impl, can_peer):
    with open_can(impl, can_peer, impl.SOCK_RAW, can_constant(impl, "CAN_RAW", CAN_RAW)) as sock:
        sock.bind((can_peer.can_link.lab_ifname,))
        sock.settimeout(5)
        can_peer.exec("cansend", can_peer.can_link.peer_ifname, "321#C0FFEE")
        can_id, length, data = FRAME.unpack(sock.recv(FRAME.size))
    assert (can_id, data[:length]) == (0x321, b"\xc0\xff\xee")


def test_isotp_message_from_the_implementation_is_reassembled_by_isotprecv(impl, can_peer):
    can_peer.spawn("isotprecv", "-s", f"{PEER_TX_ID:x}", "-d", f"{LAB_TX_ID:x}", can_peer.can_link.peer_ifname)
    wait_for_receiver(can_peer)
    isotp = can_constant(impl, "CAN_ISOTP", CAN_ISOTP)
    with open_can(impl, can_peer, impl.SOCK_DGRAM, isotp) as sock:
        sock.bind((can_peer.can_link.lab_ifname, PEER_TX_ID, LAB_TX_ID))
        sock.settimeout(5)
        sock.send(ISOTP_PAYLOAD)
    assert hex_bytes(ISOTP_PAYLOAD) in can_peer.wait_for_output(hex_bytes(ISOTP_PAYLOAD))


def test_isotp_message_from_isotpsend_is_reassembled_by_the_implementation(impl, can_peer):
    isotp = can_constant(impl, "CAN_ISOTP", CAN_ISOTP)
    with open_can(impl, can_peer, impl.SOCK_DGRAM, isotp) as sock:
        sock.bind((can_peer.can_link.lab_ifname, PEER_TX_ID, LAB_TX_ID))
        sock.settimeout(5)
        can_peer.shell(
            f"echo '{hex_bytes(ISOTP_PAYLOAD)}' | isotpsend -s {PEER_TX_ID:x} -d {LAB_TX_ID:x} "
            f"{can_peer.can_link.peer_ifname}"
        )
        received = sock.recv(4096)
    assert received == ISOTP_PAYLOAD
