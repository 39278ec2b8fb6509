"""What a `lab run` command needs, where it can be met, and how the guest
creates it.

A need is a lab capability name (`lab doctor` lists them: vcan, vxcan,
vhci, vsock, alg, can, tipc, ...), optionally with a count for the
interfaces the run creates: `vcan:3` gives vcan0, vcan1 and vcan2.
"""

from __future__ import annotations

from dataclasses import dataclass

from lab.capabilities import CAPABILITIES, missing

# Needs that only exist once the run creates them; the others are a family
# or a qdisc the kernel either has or not.
CREATED_IN_GUEST = ("vcan", "vxcan", "vhci")
HOW_TO_GET_VM = "install the lab VM with `socklab setup vm` (QEMU and a kernel that has every family)"


class NeedError(Exception):
    """A need the lab cannot meet; the message names it and the remedy."""


@dataclass(frozen=True)
class Need:
    name: str
    count: int = 1

    def __str__(self) -> str:
        return self.name if self.count == 1 else f"{self.name}:{self.count}"


def parse_needs(text: str) -> list[Need]:
    """`vcan:2,vsock` -> [Need("vcan", 2), Need("vsock")]; unknown names raise."""
    needs = []
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, _, count = item.partition(":")
        if name not in CAPABILITIES:
            known = ", ".join(sorted(CAPABILITIES))
            raise NeedError(f"unknown need {name!r}: the lab knows {known}")
        if count and (not count.isdigit() or int(count) < 1):
            raise NeedError(f"need {item!r}: the count after ':' must be a positive number")
        needs.append(Need(name, int(count) if count else 1))
    return needs


def host_shortfall(needs: list[Need]) -> dict[str, str]:
    """Each need the host cannot meet, with the reason.  Interfaces count as
    unmet: the lab creates them only inside its VM, where they cannot clash
    with the host's own interfaces."""
    unmet = {}
    for need in needs:
        reason = missing(need.name)
        if reason is not None:
            unmet[need.name] = reason
        elif need.name in CREATED_IN_GUEST:
            unmet[need.name] = "the lab creates this interface only inside its VM"
    return unmet


def unmeetable(needs: list[Need], vm_reason: str | None, backend: str) -> str | None:
    """Why this run cannot start at all (the message to fail with), or None."""
    unmet = host_shortfall(needs)
    if not unmet:
        return None
    listed = "; ".join(f"{name}: {why}" for name, why in unmet.items())
    if backend == "host":
        return f"the host cannot meet --needs {', '.join(unmet)} ({listed}); drop --backend host to use the lab VM"
    if vm_reason is not None:
        return (f"needs {', '.join(unmet)} are missing on this host ({listed}) and the lab VM cannot "
                f"boot: {vm_reason}; {HOW_TO_GET_VM}")
    return None


def describe(needs: list[Need]) -> str:
    return ",".join(map(str, needs)) or "none"


def environment(needs: list[Need]) -> dict[str, str]:
    """What CMD can read to learn that it runs in the lab, and with what."""
    return {"LAB_RUN": "1", "LAB_NEEDS": describe(needs)}
