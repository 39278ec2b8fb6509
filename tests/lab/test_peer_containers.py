"""The Docker backend itself: peers are isolated and wired only to the lab,
named for the run, swept when their run died; the engine the lab starts
makes no network of its own; images come from the cache in seconds."""

from __future__ import annotations

import subprocess

import pytest

pytestmark = [pytest.mark.needs("veth"), pytest.mark.timeout(60)]


def dead_pid() -> int:
    finished = subprocess.Popen(["true"])
    finished.wait()
    return finished.pid


def test_peer_namespace_holds_only_loopback_and_its_lab_link(container_peer):
    peer = container_peer("inet-peer")
    with peer.host.netlink() as ipr:
        interfaces = {link.get("IFLA_IFNAME") for link in ipr.get_links()}
        default_routes = [r for r in ipr.get_routes() if r.get("dst_len") == 0 and r.get("RTA_GATEWAY")]
    assert interfaces == {"lo", peer.peer_end.ifname}
    assert default_routes == []


def test_peer_is_named_for_the_run_and_started_without_a_docker_network(container_peer, lab_run):
    peer = container_peer("inet-peer", link=None)
    peer.container.reload()
    assert peer.container.name.startswith(lab_run.names.tag + "-")
    assert peer.container.attrs["HostConfig"]["NetworkMode"] == "none"


def test_lab_clean_removes_a_container_whose_run_died(docker_engine, peer_image):
    from lab.clean import clean
    from lab.docker.peers import RUN_LABEL

    orphan = docker_engine.client.containers.create(
        peer_image("inet-peer"), name=f"slab{dead_pid()}-peer0", network_mode="none",
        labels={RUN_LABEL: "dead run"},
    )
    reports: list[str] = []
    clean(reports.append)
    remaining = docker_engine.client.containers.list(all=True, filters={"id": orphan.id})
    assert remaining == []
    assert f"removed container {orphan.name}" in reports


def test_engine_started_by_the_lab_makes_no_bridge(docker_engine):
    if docker_engine.started is None:
        pytest.skip("the engine is the user's: its networks are the user's business")
    drivers = {network.attrs["Driver"] for network in docker_engine.client.networks.list()}
    assert "bridge" not in drivers


def test_image_rebuild_with_nothing_changed_takes_under_five_seconds(docker_engine, peer_image):
    from lab.docker import images

    for name in images.PEERS:
        peer_image(name)
    timings = images.build_all(docker_engine)
    assert (timings.kind, timings.total < 5) == ("cached", True)
