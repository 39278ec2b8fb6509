"""The Docker backend itself: peers are isolated and wired only to the lab,
named for the run, swept when their run died; the engine the lab starts
makes no network of its own; images come from the cache in seconds."""

from __future__ import annotations

import json
import subprocess

import pytest

from lab import processes

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


def test_a_shared_peer_comes_back_with_nothing_of_the_last_user_running(container_peer):
    first = container_peer("inet-peer", shared=True)
    first.spawn("sh", "-c", "echo left-behind; exec sleep 6061")
    first.wait_for_output("left-behind")
    assert processes.with_argv("sleep", "6061")
    again = container_peer("inet-peer", shared=True)
    assert again.name == first.name  # the same container, not a new one
    assert again.spawned_output() == ""
    assert processes.with_argv("sleep", "6061") == []
    with again.host.netlink() as ipr:  # a link of its own, the second test's
        interfaces = {link.get("IFLA_IFNAME") for link in ipr.get_links()}
    assert again.peer_end.ifname in interfaces


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


def test_the_lab_vms_data_root_is_an_ext4_image_holding_every_peer_image(peer_image, tmp_path, monkeypatch):
    """What `lab images build` prepares for the lab VM's engine: a data root
    of a real dockerd, with the images loaded from the cached archives."""
    from lab.docker import data_disk, images

    for name in images.PEERS:
        peer_image(name)
    reason = data_disk.why_unavailable()
    if reason:
        pytest.skip(f"cannot prepare the VM's data root here: {reason}")
    monkeypatch.setattr(data_disk, "disk_folder", lambda: tmp_path)

    image = data_disk.build()
    listed = subprocess.run(
        ["debugfs", "-R", f"cat /{data_disk.DATA_ROOT_FOLDER}/image/overlay2/repositories.json", str(image)],
        capture_output=True, text=True, check=True,
    )

    assert image == data_disk.current() and image.parent == tmp_path
    tags = {tag for repository in json.loads(listed.stdout)["Repositories"].values() for tag in repository}
    assert {images.reference(name) for name in images.PEERS} <= tags
    assert data_disk.build() == image  # made once: the next build finds it
    assert not [p for p in tmp_path.iterdir() if p != image]  # no partial image left beside it
