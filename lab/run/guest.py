"""The guest's side of `lab run`: load the families' modules, then make the
interfaces the run needs with the lab's own makers, before CMD starts.
Nothing here imports pyroute2 (seconds under TCG: `lab.kernel.can`).

    python -m lab.run.guest NEEDS        (as `--needs` spells them)

Exits 125 (after saying which) when an interface cannot be made, so that
CMD never runs without what it asked for.
"""

from __future__ import annotations

import sys

from lab.kernel import bluetooth
from lab.kernel import can as kernel_can
from lab.kernel import modules as kernel_modules
from lab.run.needs import Need, NeedError, parse_needs
from lab.wire.can import CANFD_MTU

SETUP_FAILED = 125


def _vcan(count: int) -> None:
    for index in range(count):
        kernel_can.add_vcan_by_ip(f"vcan{index}", CANFD_MTU)


def _vxcan(count: int) -> None:
    for index in range(count):
        kernel_can.add_vxcan(None, f"vxcan{2 * index}", None, f"vxcan{2 * index + 1}", CANFD_MTU)


def _vhci(count: int) -> None:
    # Controllers come in pairs, so that one can talk to the other; btvirt
    # stays up until the guest powers off.
    bluetooth.start_btvirt(max(2, count), detached=True)


MAKERS = {"vcan": _vcan, "vxcan": _vxcan, "vhci": _vhci}


def make(needs: list[Need]) -> None:
    for need in needs:
        maker = MAKERS.get(need.name)
        if maker is None:
            continue  # a family or qdisc: the modules loaded give it
        try:
            maker(need.count)
        except Exception as error:  # noqa: BLE001 - any failure means CMD must not run
            raise NeedError(f"could not create {need}: {error}") from error


def main(argv: list[str]) -> int:
    kernel_modules.load(*kernel_modules.FAMILY_MODULES)
    try:
        make(parse_needs(argv[0] if argv and argv[0] != "none" else ""))
    except NeedError as error:
        print(f"lab run: {error}", file=sys.stderr, flush=True)
        return SETUP_FAILED
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
