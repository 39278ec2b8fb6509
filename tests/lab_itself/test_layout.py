"""The lab's layout keeps its promises (STYLE.md): packages import each
other in one direction, with no circle, and an import inside a function is
a deliberately lazy heavy dependency that says so."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from lab.paths import PACKAGE

# What may be imported late: libraries a run may not need (and whose
# absence `socklab doctor` must still be able to report), and the stdlib's
# TOML reader, which 3.10 lacks.
HEAVY = {"pyroute2", "scapy", "docker", "requests", "can"}
# Files run by path under any interpreter: nothing of the lab's own.
STANDALONE = PACKAGE / "standalone"


def _sources() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE.parent).with_suffix("")
        if "scenarios" in relative.parts:
            continue
        name = ".".join(relative.parts).removesuffix(".__init__")
        found[name] = path
    return found


def _type_checking_only(node: ast.If) -> bool:
    return isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"


def _imports(tree: ast.AST, module: str, package: bool) -> list[tuple[ast.stmt, str, bool]]:
    """(node, imported module, at module level) for every import outside
    `if TYPE_CHECKING:` blocks."""
    found = []

    def visit(node: ast.AST, top: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _type_checking_only(child):
                continue
            inner = top and not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
            if isinstance(child, ast.Import):
                found.extend((child, alias.name, top) for alias in child.names)
            elif isinstance(child, ast.ImportFrom) and child.module:
                base = child.module
                if child.level:
                    parts = module.split(".")[: len(module.split(".")) - child.level + (1 if package else 0)]
                    base = ".".join([*parts, child.module])
                found.append((child, base, top))
                found.extend((child, f"{base}.{alias.name}", top) for alias in child.names)
            visit(child, inner)

    visit(tree, True)
    return found


def _graph() -> tuple[dict[str, set[str]], dict[str, list[tuple[int, str]]]]:
    sources = _sources()
    edges: dict[str, set[str]] = {name: set() for name in sources}
    late: dict[str, list[tuple[int, str]]] = {}
    for name, path in sources.items():
        text = path.read_text()
        tree = ast.parse(text)
        lines = text.splitlines()
        for node, target, top in _imports(tree, name, path.name == "__init__.py"):
            if target in sources and target != name:
                edges[name].add(target)
            if not top and not path.is_relative_to(STANDALONE):
                said = " ".join(lines[max(0, node.lineno - 3): node.lineno])
                late.setdefault(name, []).append((node.lineno, target if "lazy" in said.lower() else f"{target} (unsaid)"))
    return edges, late


def _heavy_at_import(edges: dict[str, set[str]]) -> set[str]:
    """The lab modules that import a heavy library, directly or through another."""
    sources = _sources()
    direct = set()
    for name, path in sources.items():
        tree = ast.parse(path.read_text())
        if any(top and target.split(".")[0] in HEAVY for _, target, top in _imports(tree, name, False)):
            direct.add(name)
    heavy = set(direct)
    changed = True
    while changed:
        changed = False
        for name, targets in edges.items():
            if name not in heavy and targets & heavy:
                heavy.add(name)
                changed = True
    return heavy


def _cycle(edges: dict[str, set[str]]) -> list[str] | None:
    sys.setrecursionlimit(10_000)
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in sorted(edges.get(node, ())):
            if state.get(target) == 1:
                return stack[stack.index(target):] + [target]
            if target not in state:
                found = visit(target)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_no_lab_module_imports_itself_back_through_others():
    edges, _ = _graph()
    # Importing `lab.x.y` also imports the package `lab.x`: an edge too.
    assert _cycle(edges) is None, " -> ".join(_cycle(edges) or [])


def test_the_lab_s_packages_import_each_other_in_one_direction():
    edges, _ = _graph()

    def package(module: str) -> str:
        parts = module.split(".")
        return ".".join(parts[:2]) if len(parts) > 2 or (len(parts) == 2 and (PACKAGE / parts[1]).is_dir()) \
            else module

    between: dict[str, set[str]] = {}
    for source, targets in edges.items():
        for target in targets:
            if package(source) != package(target):
                between.setdefault(package(source), set()).add(package(target))
    assert _cycle(between) is None, " -> ".join(_cycle(between) or [])


def test_a_late_import_is_a_heavy_dependency_that_says_it_is_lazy():
    edges, late = _graph()
    heavy = _heavy_at_import(edges)
    wrong = [
        f"{module}:{line} imports {target} inside a function"
        for module, imports in late.items() for line, target in imports
        if target.endswith("(unsaid)") or not (target.split(".")[0] in HEAVY or target in heavy
                                               or target.rsplit(".", 1)[0] in heavy)
    ]
    assert not wrong, "\n".join(wrong)


def test_the_layout_checks_can_fail(tmp_path):
    """The cycle finder finds a planted circle, and a silent late import is named."""
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    tree = ast.parse("def f():\n    import json\n")
    assert [(target, top) for _, target, top in _imports(tree, "lab.x", False)] == [("json", False)]


def test_every_package_of_the_lab_is_in_the_distribution() -> None:
    """pyproject.toml lists the packages by name: one left out is missing
    from every installed socklab (lab.engine was)."""
    try:
        import tomllib
    except ModuleNotFoundError:  # 3.10
        import tomli as tomllib
    listed = set(tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(init.parent.relative_to(PACKAGE.parent).parts)
             for init in PACKAGE.rglob("__init__.py") if "scenarios" not in init.parts}
    assert found - listed == set()


def test_every_name_the_bench_imports_from_the_lab_exists():
    """The bench imports the lab late, inside the functions that time it,
    and reports a failed measurement as n/a: a name the lab moved would
    turn a figure into n/a instead of failing (the Bluetooth controllers'
    set-up did, 2026-12-01)."""
    import importlib.util

    bench = PACKAGE.parent / "bench"
    missing = []
    for path in sorted(bench.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "lab":
                module = importlib.import_module(node.module)
                missing += [f"{path.name}:{node.lineno}: {node.module}.{alias.name}"
                            for alias in node.names if not hasattr(module, alias.name)
                            and importlib.util.find_spec(f"{node.module}.{alias.name}") is None]
    assert missing == []
