"""UDP-Lite's checksum coverage options, against both implementations: a
receiver that demands more coverage than a sender gives drops the datagram."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.family("udplite"), pytest.mark.needs("netns")]


def pair(impl, netns):
    with netns.inside():
        receiver = impl.socket(impl.AF_INET, impl.SOCK_DGRAM, impl.IPPROTO_UDPLITE)
        sender = impl.socket(impl.AF_INET, impl.SOCK_DGRAM, impl.IPPROTO_UDPLITE)
    receiver.bind(("127.0.0.1", 0))
    receiver.settimeout(0.5)
    return receiver, sender


def test_coverage_options_read_back_as_set(impl, netns):
    receiver, sender = pair(impl, netns)
    with receiver, sender:
        sender.setsockopt(impl.IPPROTO_UDPLITE, impl.UDPLITE_SEND_CSCOV, 20)
        receiver.setsockopt(impl.IPPROTO_UDPLITE, impl.UDPLITE_RECV_CSCOV, 12)
        assert sender.getsockopt(impl.IPPROTO_UDPLITE, impl.UDPLITE_SEND_CSCOV) == 20
        assert receiver.getsockopt(impl.IPPROTO_UDPLITE, impl.UDPLITE_RECV_CSCOV) == 12


def test_datagram_with_enough_coverage_is_delivered(impl, netns):
    receiver, sender = pair(impl, netns)
    with receiver, sender:
        sender.setsockopt(impl.IPPROTO_UDPLITE, impl.UDPLITE_SEND_CSCOV, 20)
        receiver.setsockopt(impl.IPPROTO_UDPLITE, impl.UDPLITE_RECV_CSCOV, 20)
        sender.sendto(b"covered" * 4, receiver.getsockname())
        assert receiver.recv(100) == b"covered" * 4


def test_datagram_with_less_coverage_than_the_receiver_demands_is_dropped(impl, netns):
    receiver, sender = pair(impl, netns)
    with receiver, sender:
        sender.setsockopt(impl.IPPROTO_UDPLITE, impl.UDPLITE_SEND_CSCOV, 8)  # the header only
        receiver.setsockopt(impl.IPPROTO_UDPLITE, impl.UDPLITE_RECV_CSCOV, 20)
        sender.sendto(b"partly covered" * 4, receiver.getsockname())
        with pytest.raises(TimeoutError):
            receiver.recv(100)
