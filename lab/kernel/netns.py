"""A host of the lab: a network namespace of its own, loopback up.

Where code runs "inside" a host: in this process, on the calling thread,
which `setns()`es into the namespace for the length of a `with
host.inside():` block and back out afterwards.  A socket belongs to the
namespace it was created in for its whole life, so sockets made inside the
block keep working from any thread afterwards, and a test drives two hosts'
sockets side by side without threads or child processes.  We chose this over
child processes because both implementations under test (the stdlib and
sockimpl) then run in the test's own interpreter, objects and exceptions
come back as themselves, and a failure's traceback points at the test.

Only the calling thread moves (`setns` on a network namespace is per
thread), so pytest's other threads and the sniffers are unaffected.  What a
call resolves by name *at call time* (`if_nametoindex`, `if_nameindex`)
sees the namespace of the thread that calls it: call those inside the block.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
from collections.abc import Iterator
from typing import Any

from pyroute2 import IPRoute, netns

CLONE_NEWNET = 0x40000000
NETNS_RUN_DIR = "/var/run/netns"

# A host starts with IPv6 duplicate address detection off: addresses must be
# usable the moment a test starts, and MLD/ND from tentative addresses would
# otherwise come from "::" for the first second.
_HOST_SYSCTLS = {
    "net.ipv6.conf.all.accept_dad": "0",
    "net.ipv6.conf.default.accept_dad": "0",
    "net.ipv6.conf.all.forwarding": "0",
}


def _setns(fd: int) -> None:
    setns = getattr(os, "setns", None)  # Python 3.12+
    if setns is not None:
        setns(fd, CLONE_NEWNET)
        return
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.setns(fd, CLONE_NEWNET) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"setns: {os.strerror(err)}")


@contextlib.contextmanager
def entered(path: str) -> Iterator[None]:
    """Run the block with the calling thread in the namespace at `path`."""
    home = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
    try:
        target = os.open(path, os.O_RDONLY)
        try:
            _setns(target)
        finally:
            os.close(target)
        try:
            yield
        finally:
            _setns(home)
    finally:
        os.close(home)


class NetnsHost:
    """A network namespace named `name`, created by `create` and removed by
    `remove`; configured through netlink (`netlink()`), entered with
    `inside()`."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.path = os.path.join(NETNS_RUN_DIR, name)

    def __repr__(self) -> str:
        return f"NetnsHost({self.name!r})"

    @classmethod
    def create(cls, name: str) -> NetnsHost:
        netns.create(name)
        host = cls(name)
        try:
            for key, value in _HOST_SYSCTLS.items():
                host.sysctl(key, value)
            with host.netlink() as ipr:
                ipr.link("set", index=ipr.link_lookup(ifname="lo")[0], state="up")
        except BaseException:
            host.remove()
            raise
        return host

    def remove(self) -> None:
        """Remove the namespace; its interfaces (and veth peers) go with it."""
        if os.path.exists(self.path):
            netns.remove(self.name)

    def inside(self) -> contextlib.AbstractContextManager[None]:
        """The calling thread runs in this namespace for the block."""
        return entered(self.path)

    def netlink(self) -> IPRoute:
        """An rtnetlink socket in this namespace (use it as a context manager)."""
        return IPRoute(netns=self.name)

    def sysctl(self, key: str, value: Any) -> None:
        """Set a per-namespace sysctl: /proc/sys/net resolves against the
        namespace of the thread that opens it."""
        with self.inside(), open("/proc/sys/" + key.replace(".", "/"), "w") as knob:
            knob.write(str(value))

    def read_sysctl(self, key: str) -> str:
        with self.inside(), open("/proc/sys/" + key.replace(".", "/")) as knob:
            return knob.read().strip()

    def interface_index(self, ifname: str) -> int:
        with self.netlink() as ipr:
            found = ipr.link_lookup(ifname=ifname)
        if not found:
            raise LookupError(f"no interface {ifname!r} in namespace {self.name}")
        return found[0]
