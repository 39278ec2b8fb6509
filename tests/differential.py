"""Differential testing: one scenario, run against each implementation.

A scenario is a function of one argument, the socket module to use.  It
returns what it observed (plain data: ints, bytes, tuples, strings) or
raises.  `Outcome.of` turns either into a comparable value, and `agree`
runs the scenario against the stdlib (the oracle, verified by `lab.oracle`:
this interpreter's own `socket` over its own `_socket`) and sockimpl and
asserts both came out the same.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sockimpl
from lab.oracle import stdlib_socket as verified_stdlib_socket

# Importing this module checks the oracle: under `lab run --impl sockimpl`
# `socket` is sockimpl, and every test here would compare it with itself.
stdlib_socket = verified_stdlib_socket()
IMPLEMENTATIONS = {"stdlib": stdlib_socket, "sockimpl": sockimpl}

Scenario = Callable[[Any], Any]


def _plain(value: Any) -> Any:
    """Enum members compare as their values, containers element-wise."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (list, tuple)):
        return type(value)(_plain(v) for v in value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


@dataclass(frozen=True)
class Outcome:
    """What a scenario did: returned `value`, or raised `error` (the
    exception class name) with `errno` where the exception has one."""

    value: Any = None
    error: str | None = None
    errno: int | None = None

    @classmethod
    def of(cls, scenario: Scenario, module: Any) -> Outcome:
        try:
            return cls(value=_plain(scenario(module)))
        except Exception as exc:  # noqa: BLE001 - the exception is the result
            return cls(error=type(exc).__name__, errno=getattr(exc, "errno", None))

    def __str__(self) -> str:
        if self.error is None:
            return f"returned {self.value!r}"
        return f"raised {self.error} (errno {self.errno})"


def agree(scenario: Scenario) -> Outcome:
    """Run `scenario` on both implementations; they must agree.  Returns
    the stdlib's outcome so a test can assert more about it."""
    expected = Outcome.of(scenario, stdlib_socket)
    actual = Outcome.of(scenario, sockimpl)
    assert actual == expected, f"stdlib {expected}, sockimpl {actual}"
    return expected
