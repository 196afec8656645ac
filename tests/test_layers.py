"""Data flows one way: no module imports from a floor above its own, and no module imports itself back.

Floors, bottom up: specs -> (changes | generators) -> (contracts | site | fuzz) -> cli. ``errors``,
``registry`` and ``lazy`` are the shared base below specs.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import botocontract

ROOT = Path(botocontract.__file__).parent
#: What each floor may import from botocontract (besides the shared base).
ALLOWED = {
    "specs": {"specs"},
    "changes": {"specs", "changes"},
    "generators": {"specs", "generators"},
    "contracts": {"specs", "changes", "generators", "contracts"},
    "site": {"specs", "changes", "site"},
    "fuzz": {"specs", "generators", "fuzz"},
    "cli": {"specs", "changes", "generators", "contracts", "site", "fuzz", "cli"},
}
BASE = {"errors", "registry", "lazy"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imported_modules(path: Path) -> set[str]:
    """Every botocontract module ``path`` imports, at any depth of its code (lazy imports count too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = _module_name(path) if path.name == "__init__.py" else _module_name(path).rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{a.name}" for a in node.names)
    return {name for name in found if name == "botocontract" or name.startswith("botocontract.")}


def _floors(path: Path) -> set[str]:
    """The floors (and base modules) ``path`` imports; ``from botocontract import __version__`` is none."""
    parts = (name.split(".") for name in _imported_modules(path))
    return {p[1] for p in parts if len(p) > 1 and (p[1] in ALLOWED or p[1] in BASE)}


def test_every_floor_is_known() -> None:
    floors = {p.name for p in ROOT.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    modules = {p.stem for p in ROOT.glob("*.py")} - {"__init__"}
    assert floors == set(ALLOWED)
    assert modules == BASE


@pytest.mark.parametrize("floor", sorted(ALLOWED))
def test_floor_imports_only_below(floor: str) -> None:
    bad = {}
    for path in sorted((ROOT / floor).rglob("*.py")):
        wrong = _floors(path) - ALLOWED[floor] - BASE
        if wrong:
            bad[str(path.relative_to(ROOT))] = sorted(wrong)
    assert not bad, f"imports from a floor above: {bad}"


def test_base_imports_no_floor() -> None:
    for name in BASE:
        assert _floors(ROOT / f"{name}.py") <= BASE


def test_library_holds_no_click_code() -> None:
    users = [
        str(path.relative_to(ROOT))
        for path in sorted(ROOT.rglob("*.py"))
        if path.relative_to(ROOT).parts[0] != "cli"
        and any(name == "click" or name.startswith("click.") for name in _all_imports(path))
    ]
    assert not users, f"click belongs in botocontract.cli: {users}"


def _all_imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
    return found


def test_no_import_cycles() -> None:
    """Module-level imports form no cycle (imports inside functions or ``TYPE_CHECKING`` do not count).

    A cycle makes the import order matter and hides which module is the lower one.
    """
    modules = {_module_name(p): p for p in ROOT.rglob("*.py")}
    graph = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        edges = set()
        for node in _top_level_imports(tree):
            for target in _targets(node, package):
                # ``from pkg import mod`` names a submodule; ``from pkg import name`` only the package.
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target and target != name and not name.startswith(target + "."):
                    edges.add(target)
        graph[name] = edges
    cycles = _cycles(graph)
    assert not cycles, f"import cycles: {cycles}"


def _top_level_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    found: list[ast.Import | ast.ImportFrom] = []
    for node in tree.body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        elif isinstance(node, ast.Try) or (
            isinstance(node, ast.If) and "TYPE_CHECKING" not in ast.unparse(node.test)
        ):
            found.extend(n for n in node.body if isinstance(n, ast.Import | ast.ImportFrom))
    return found


def _targets(node: ast.Import | ast.ImportFrom, package: str) -> list[str]:
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    base = node.module or ""
    if node.level:
        anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
        base = ".".join([*anchor, base] if base else anchor)
    return [f"{base}.{a.name}" for a in node.names]


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in graph:
                continue
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                component.append(item)
                if item == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def test_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []
