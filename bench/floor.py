"""The C floor program (bench/floor.c): the same system calls as an
operation, timed with no interpreter around them."""

from __future__ import annotations

import subprocess
from functools import cached_property
from pathlib import Path

DEFAULT_PATH = Path(__file__).with_name("floor")


class FloorProgram:
    def __init__(self, path: Path = DEFAULT_PATH) -> None:
        self.path = path

    @cached_property
    def operations(self) -> frozenset[str]:
        """The operation names the program knows (empty if it is not built)."""
        if not self.path.exists():
            return frozenset()
        listing = subprocess.run([self.path, "--list"], capture_output=True, text=True, check=True)
        return frozenset(listing.stdout.split())

    def unavailable(self, name: str) -> str:
        """Why the floor of `name` cannot be measured, or '' when it can."""
        if not self.path.exists():
            return f"{self.path} is not built (make bench builds it)"
        if name not in self.operations:
            return "no floor program for this operation"
        return ""

    def ns_per_op(self, name: str, iterations: int) -> float:
        result = subprocess.run(
            [self.path, name, str(iterations)], capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            raise RuntimeError(f"floor {name}: {result.stderr.strip()}")
        return float(result.stdout)
