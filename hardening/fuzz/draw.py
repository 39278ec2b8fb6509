"""Turning a fuzzer's bytes into structured arguments, without atheris.

The corpus replay must run where atheris is not installed, so the targets
decode their input with this small reader rather than atheris'
FuzzedDataProvider.  Reads past the end yield zeros: every input is valid.
"""

from __future__ import annotations

import socket as stdlib_socket
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")

# Errors that are an ordinary answer to bad arguments.  Anything else
# (SystemError above all: a C function returned NULL without setting an
# exception) is a finding.
EXPECTED_ERRORS: tuple[type[BaseException], ...] = (
    OSError,
    ValueError,
    TypeError,
    OverflowError,
)


def outcome(run: Callable[[Any], Any], module: Any) -> tuple[Any, ...]:
    """What `run(module)` gives, comparable across implementations: its
    value, or its exception's class name and errno."""
    try:
        return ("value", run(module))
    except Exception as exc:  # noqa: BLE001 - the exception is the result
        return ("error", type(exc).__name__, getattr(exc, "errno", None))


class Draw:
    """Consumes a byte string front to back."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._pos = 0

    def raw(self, count: int) -> bytes:
        chunk = self._data[self._pos : self._pos + count]
        self._pos += count
        return chunk.ljust(count, b"\0")

    def byte(self) -> int:
        return self.raw(1)[0]

    def uint(self, size: int) -> int:
        return int.from_bytes(self.raw(size), "little")

    def sint(self, size: int) -> int:
        return int.from_bytes(self.raw(size), "little", signed=True)

    def below(self, bound: int) -> int:
        return self.uint(2) % bound if bound > 0 else 0

    def choice(self, options: Sequence[T]) -> T:
        return options[self.below(len(options))]

    def flag(self) -> bool:
        return bool(self.byte() & 1)

    def blob(self, limit: int = 64) -> bytes:
        return self.raw(self.below(limit + 1))

    def text(self, limit: int = 64) -> str:
        return self.blob(limit).decode("latin-1")

    def interesting_int(self) -> int:
        """Mostly the edges where C conversions go wrong."""
        edges = (
            0,
            1,
            -1,
            255,
            256,
            65535,
            65536,
            2**31 - 1,
            2**31,
            -(2**31),
            2**32 - 1,
            2**32,
            2**63 - 1,
            2**63,
            2**64,
            -(2**63) - 1,
        )
        if self.flag():
            return self.choice(edges)
        return self.sint(self.choice((1, 2, 4, 8, 9)))

    def value(self, depth: int = 0) -> Any:
        """Any of the Python objects an address or option might be given."""
        kind = self.below(9 if depth < 2 else 7)
        if kind == 0:
            return self.interesting_int()
        if kind == 1:
            return self.text()
        if kind == 2:
            return self.blob()
        if kind == 3:
            return None
        if kind == 4:
            return self.sint(4) / 7.0
        if kind == 5:
            return bytearray(self.blob())
        if kind == 6:
            return self.flag()
        return tuple(self.value(depth + 1) for _ in range(self.below(6)))


def is_numeric_host(host: str) -> bool:
    """True when no resolver is needed for `host` (so no DNS query leaves)."""
    if host in ("", "<broadcast>"):
        return True
    if "\0" in host:
        return True  # refused before any lookup, by both implementations
    literal = host.split("%", 1)[0]
    for family in (stdlib_socket.AF_INET, stdlib_socket.AF_INET6):
        try:
            stdlib_socket.inet_pton(family, literal)
        except (OSError, ValueError):
            continue
        return True
    return False


def numeric_only(host: Any) -> Any:
    """Map a host the resolver would have to look up onto a numeric one."""
    if isinstance(host, (bytes, bytearray)):
        text = bytes(host).decode("latin-1")
        return host if is_numeric_host(text) else b"127.0.0.1"
    if isinstance(host, str):
        return host if is_numeric_host(host) else "127.0.0.1"
    return host


def describe(call: Any) -> str:
    """The arguments a scenario closure captured, for a finding's message."""
    cells = getattr(call, "__closure__", None) or ()
    names = call.__code__.co_freevars
    return ", ".join(f"{name}={cell.cell_contents!r}" for name, cell in zip(names, cells))


INT_MIN, INT_MAX = -(2**31), 2**31 - 1


def outside_c_int(*values: Any) -> bool:
    """True when an int argument cannot be a C int: sockimpl refuses those
    with OverflowError where the stdlib may mask them or fail later."""
    return any(isinstance(v, int) and not INT_MIN <= v <= INT_MAX for v in values)
