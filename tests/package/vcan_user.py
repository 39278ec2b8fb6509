"""A third party's test file, as a project that installed socklab writes
it: no conftest, no `-p`; the fixtures and markers come with the package.
`make package-test` copies it outside the checkout (as test_vcan_user.py)
and runs it under plain pytest where vcan exists."""

import struct

import pytest

FRAME = struct.Struct("=IB3x8s")


@pytest.mark.needs("vcan")
def test_a_frame_sent_on_the_bus_is_heard_by_another_socket(vcan_bus, impl):
    with vcan_bus.inside():
        listener = impl.socket(impl.AF_CAN, impl.SOCK_RAW, impl.CAN_RAW)
        talker = impl.socket(impl.AF_CAN, impl.SOCK_RAW, impl.CAN_RAW)
    with listener, talker:
        listener.bind((vcan_bus.ifname,))
        talker.bind((vcan_bus.ifname,))
        listener.settimeout(5)
        talker.send(FRAME.pack(0x123, 3, b"abc"))
        can_id, length, data = FRAME.unpack(listener.recv(FRAME.size))
    assert (can_id, data[:length]) == (0x123, b"abc")


def test_the_socket_module_under_test_is_the_one_asked_for(impl):
    assert impl.__name__ in ("socket", "sockimpl")
