"""The scenario catalogue of `lab repro`: one small file per bug report.

A scenario file holds a `SCENARIO = {...}` literal (what the report says)
and a `run(socket, lab)` function (the steps).  The literal is read with
`ast.literal_eval`, never executed, so listing the catalogue runs no
scenario code and works from any interpreter.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

from lab.paths import SCENARIOS

DEFAULT_FOLDER = SCENARIOS
# Needs that `lab repro` prepares itself, on top of lab.capabilities' names.
PREPARED_NEEDS = {"ipv6_disabled"}
REQUIRED_KEYS = ("reference", "title", "family", "affected", "fixed")

Version = tuple[int, ...]


def parse_version(text: str) -> Version:
    """"3.10.6" -> (3, 10, 6); a pre-release suffix ("3.11.0b5") is dropped."""
    numeric = re.match(r"\d+(?:\.\d+)*", text.strip())
    if numeric is None:
        raise ValueError(f"not a version: {text!r}")
    return tuple(int(part) for part in numeric.group().split("."))


def kernel_version(release: str, build: str = "") -> Version:
    """A kernel's upstream version: Debian's release names carry an ABI
    number instead of the stable sublevel ("6.1.0-57-amd64" is 6.1.192),
    which its build string (`uname -v`, "... Debian 6.1.192-3 ...") gives."""
    packaged = re.search(r"Debian (\d+\.\d+\.\d+)", build)
    return parse_version(packaged.group(1) if packaged else release)


@dataclass(frozen=True)
class AffectedRange:
    """Versions from `first` up to, not including, `fixed_in` (None: never fixed)."""

    first: Version
    fixed_in: Version | None

    def covers(self, version: Version) -> bool:
        if version < self.first:
            return False
        return self.fixed_in is None or version < self.fixed_in


@dataclass(frozen=True)
class Scenario:
    name: str
    path: Path
    reference: str
    title: str
    family: str
    needs: tuple[str, ...]
    affected: tuple[AffectedRange, ...]
    affected_text: str
    fixed: str
    # The kernels the report names, as [first, fixed_in) ranges; empty:
    # the report makes no claim about kernels.
    kernels: tuple[AffectedRange, ...] = ()
    kernels_text: str = ""
    timeout: float = 10.0
    hang_is_symptom: bool = False
    kernel_side: bool = False
    # False for families the kernel serves in its first namespace only
    # (Bluetooth refuses sockets anywhere else).
    own_namespace: bool = True

    def affected_in(self, version: Version) -> bool:
        """Whether the report says the stdlib of `version` has the bug."""
        return any(span.covers(version) for span in self.affected)

    def affected_on(self, version: Version, kernel: Version | None) -> bool:
        """Whether the report says the stdlib of `version` shows the bug on
        `kernel` (None: a kernel not known, where only the interpreter
        claim can be checked)."""
        if not self.affected_in(version):
            return False
        if not self.kernels or kernel is None:
            return True
        return any(span.covers(kernel) for span in self.kernels)


class ScenarioError(ValueError):
    """A scenario file that does not say what `lab repro` needs."""


def _literal(path: Path) -> dict:
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "SCENARIO" for t in node.targets
        ):
            value = ast.literal_eval(node.value)
            if isinstance(value, dict):
                return value
    raise ScenarioError(f"{path}: no `SCENARIO = {{...}}` literal")


def _has_run(path: Path) -> bool:
    tree = ast.parse(path.read_text(), filename=str(path))
    return any(isinstance(n, ast.FunctionDef) and n.name == "run" for n in tree.body)


def _ranges(spans: list) -> tuple[AffectedRange, ...]:
    return tuple(
        AffectedRange(parse_version(first), parse_version(fixed) if fixed else None)
        for first, fixed in spans
    )


def load(path: Path) -> Scenario:
    """The scenario in `path`; `ScenarioError` says what is wrong with it."""
    data = _literal(path)
    missing = [key for key in REQUIRED_KEYS if key not in data]
    if missing:
        raise ScenarioError(f"{path}: SCENARIO lacks {', '.join(missing)}")
    if not _has_run(path):
        raise ScenarioError(f"{path}: no `def run(socket, lab)`")
    affected = data["affected"]
    return Scenario(
        name=path.stem,
        path=path.resolve(),
        reference=data["reference"],
        title=data["title"],
        family=data["family"],
        needs=tuple(data.get("needs", ())),
        affected=_ranges(affected["versions"]),
        affected_text=affected["text"],
        fixed=data["fixed"],
        kernels=_ranges(data.get("kernels", [])),
        kernels_text=str(data.get("kernels_text", "")),
        timeout=float(data.get("timeout", 10.0)),
        hang_is_symptom=bool(data.get("hang_is_symptom", False)),
        kernel_side=bool(data.get("kernel_side", False)),
        own_namespace=bool(data.get("own_namespace", True)),
    )


def catalogue(folder: Path = DEFAULT_FOLDER) -> list[Scenario]:
    """Every scenario in `folder` (files not starting with `_`), by name."""
    return [load(path) for path in sorted(folder.glob("*.py")) if not path.name.startswith("_")]


def select(scenarios: list[Scenario], wanted: list[str]) -> list[Scenario]:
    """The scenarios named in `wanted`, by file name or reference ("gh-94821")."""
    chosen = []
    for name in wanted:
        key = name.lower().replace("_", "-").removesuffix(".py")
        found = [
            s for s in scenarios
            if key in (s.name.lower().replace("_", "-"), s.reference.lower())
            or s.name.lower().replace("_", "-").startswith(key + "-")
        ]
        if not found:
            known = ", ".join(s.reference for s in scenarios)
            raise ScenarioError(f"no scenario {name!r}; the catalogue has: {known}")
        chosen += [s for s in found if s not in chosen]
    return chosen
