"""Data flows one way: no module imports from a floor above its own (cycles: ``test_import_cycles.py``).

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
