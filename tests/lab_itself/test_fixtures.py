"""What the lab's fixtures promise a test: isolated hosts, an addressed
link, settable MTU, skips that say why, and `impl` in a fixed order."""

from __future__ import annotations

import ipaddress
import socket

import pytest

from lab.kernel import bluetooth
from lab.kernel.addressing import IPV4_PLAN, IPV6_PLAN


def test_netns_is_a_separate_network_stack_with_only_loopback(netns):
    with netns.inside():
        names = [name for _, name in socket.if_nameindex()]
    assert names == ["lo"]


def test_netns_loopback_is_up_and_carries_traffic(netns, impl):
    with netns.inside():
        receiver = impl.socket(impl.AF_INET, impl.SOCK_DGRAM)
        sender = impl.socket(impl.AF_INET, impl.SOCK_DGRAM)
    with receiver, sender:
        receiver.bind(("127.0.0.1", 0))
        sender.sendto(b"ping", receiver.getsockname())
        assert receiver.recv(16) == b"ping"


def test_veth_pair_addresses_come_from_the_lab_plan(veth_pair):
    for end in veth_pair.ends:
        assert ipaddress.ip_address(end.address4) in IPV4_PLAN
        assert ipaddress.ip_address(end.address6) in IPV6_PLAN


def test_veth_pair_ends_live_in_different_namespaces(veth_pair):
    assert veth_pair.left.host.name != veth_pair.right.host.name
    with veth_pair.left.host.inside():
        left_names = {name for _, name in socket.if_nameindex()}
    assert veth_pair.left.ifname in left_names
    assert veth_pair.right.ifname not in left_names


def test_veth_pair_mtu_is_settable(veth_pair):
    veth_pair.set_mtu(1280)
    with veth_pair.left.host.netlink() as ipr:
        (link,) = ipr.get_links(veth_pair.left.index)
    assert link.get("IFLA_MTU") == 1280


def test_impairment_without_netem_is_a_skip_with_a_reason(veth_pair):
    from lab.capabilities import missing
    from lab.kernel.links import Unavailable

    if missing("netem") is None:
        pytest.skip("this kernel has netem: nothing to refuse")
    with pytest.raises(Unavailable, match="netem|NETEM"):
        veth_pair.left.impair(delay_ms=10)


@pytest.mark.needs("vcan")
def test_a_needs_marker_skips_when_the_kernel_lacks_it():
    """On the host kernel this is skipped, naming vcan and the lab VM."""


def test_impl_runs_the_stdlib_then_sockimpl(request, impl):
    order = request.config.stash.setdefault(IMPL_ORDER, [])
    order.append(request.node.callspec.params["impl"])
    if len(order) == 2:
        assert order == ["stdlib", "sockimpl"]


IMPL_ORDER = pytest.StashKey[list]()


def test_the_btvirt_started_is_lab_btvirt_else_make_btvirts_else_the_one_on_path(monkeypatch, tmp_path):
    built = tmp_path / "btvirt"
    monkeypatch.setattr(bluetooth, "BUILT_BTVIRT", built)
    monkeypatch.delenv(bluetooth.BTVIRT_VARIABLE, raising=False)
    assert (bluetooth.btvirt_program(), bluetooth.btvirt_environment()) == ("btvirt", {})
    built.write_text("")
    assert bluetooth.btvirt_program() == str(built)
    assert bluetooth.btvirt_environment() == {"LAB_BTVIRT": str(built)}
    monkeypatch.setenv("LAB_BTVIRT", "/opt/bluez/btvirt")
    assert bluetooth.btvirt_program() == "/opt/bluez/btvirt"
