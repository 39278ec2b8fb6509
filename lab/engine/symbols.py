"""World-specific numbers made comparable.

Two worlds run the same steps but the kernel hands each its own ephemeral
ports, netlink port ids and process ids.  A world names each such number by
the order in which it first appeared ("port#0", "pid#1"), so two worlds
that agree show the same names, and a world that returned a wrong number
(a byte-swapped port) shows a name the other did not.  Numbers the steps
themselves chose (port 0, the fixed ports below) stay as they are.
"""

from __future__ import annotations

from typing import Any

# Ports a generated step may bind to on purpose; everything else was the
# kernel's choice.
FIXED_PORTS = (40001, 40002)


class Symbols:
    def __init__(self, pid: int, controller: tuple[int, str] | None = None) -> None:
        self._names: dict[tuple[str, int], str] = {}
        self._pid = pid
        # The world's own Bluetooth controller (index, "AA:BB:..."), if any:
        # each world has one, and names it "own".
        self.controller = controller

    def name(self, kind: str, number: int) -> str:
        key = (kind, number)
        if key not in self._names:
            self._names[key] = f"{kind}#{sum(1 for k, _ in self._names if k == kind)}"
        return self._names[key]

    def port(self, number: Any) -> Any:
        if not isinstance(number, int) or number == 0 or number in FIXED_PORTS:
            return number
        return self.name("port", number)

    def pid(self, number: Any) -> Any:
        """A process id or netlink port id: this world's own pid is `self`."""
        if not isinstance(number, int) or number == 0:
            return number
        return "pid:self" if number == self._pid else self.name("pid", number)
