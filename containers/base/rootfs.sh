#!/bin/sh
# The lab's base image, as a root file system built from Debian's packages:
#   containers/base/rootfs.sh DIR
# `lab images build` runs this once, tars DIR and `docker import`s it as
# socklab/base:<hash of this file>; it runs again only when this file changes.
# The peers' tools are included here so that their Dockerfiles need no network
# on top of this base; on a stock debian image the Dockerfiles install them.
set -eu

target=$1
suite=bookworm
mirror=${SOCKLAB_DEBIAN_MIRROR:-http://deb.debian.org/debian}
peer_tools=socat,busybox,can-utils

debootstrap --variant=minbase --include="$peer_tools" "$suite" "$target" "$mirror" >/dev/null

# Nothing downloaded is needed again inside an image: keep the layer small.
rm -rf "$target"/var/cache/apt/archives/*.deb "$target"/var/lib/apt/lists/*
