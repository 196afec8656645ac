"""Data flows one way: no module imports from a layer above its own."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import botocontract

ROOT = Path(botocontract.__file__).parent
#: What each layer may import from botocontract (besides itself and the shared base).
ALLOWED = {
    "specs": {"specs"},
    "changes": {"specs", "changes"},
    "generators": {"specs", "generators"},
    "contracts": {"specs", "changes", "generators", "contracts"},
}
BASE = {"errors", "registry", "lazy"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            parts = name.split(".")
            if parts[0] == "botocontract" and len(parts) > 1:
                found.add(parts[1])
    return found


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_layer_imports_only_below(layer: str) -> None:
    bad = {}
    for path in sorted((ROOT / layer).rglob("*.py")):
        wrong = _imports(path) - ALLOWED[layer] - BASE
        if wrong:
            bad[str(path.relative_to(ROOT))] = sorted(wrong)
    assert not bad, f"imports from a layer above: {bad}"


def test_base_imports_no_layer() -> None:
    for name in BASE:
        assert _imports(ROOT / f"{name}.py") <= BASE
