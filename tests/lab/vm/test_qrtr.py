"""AF_QIPCRTR on the local node, against both implementations: bind,
getsockname, and a datagram between two local ports."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.family("qipcrtr")]


def test_bind_to_port_zero_picks_a_port_on_the_local_node(impl, qrtr):
    sock = impl.socket(impl.AF_QIPCRTR, impl.SOCK_DGRAM)
    with sock:
        node, _ = sock.getsockname()
        sock.bind((node, 0))
        bound_node, port = sock.getsockname()
    assert bound_node == node
    assert port != 0


def test_datagram_between_local_ports_carries_the_senders_address(impl, qrtr):
    sender = impl.socket(impl.AF_QIPCRTR, impl.SOCK_DGRAM)
    receiver = impl.socket(impl.AF_QIPCRTR, impl.SOCK_DGRAM)
    with sender, receiver:
        node = receiver.getsockname()[0]
        receiver.bind((node, 0))
        sender.bind((node, 0))
        receiver.settimeout(5)
        sender.sendto(b"qrtr", receiver.getsockname())
        data, source = receiver.recvfrom(64)
        assert (data, source) == (b"qrtr", sender.getsockname())
