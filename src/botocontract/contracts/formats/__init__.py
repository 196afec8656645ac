"""Gate reports for people and CI systems: text, json, markdown, GitHub annotations, JUnit XML, SARIF 2.1.0.

Each format is one module of this package with a ``render(result, context)`` function, named after its
file: a new format is one new file (copy ``json.py``). :data:`FORMATS` lists them without importing them,
so the CLI's ``--format`` choices cost nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from botocontract.registry import ModuleRegistry

if TYPE_CHECKING:
    from botocontract.contracts.gate import GateItem, GateResult

__all__ = ["FORMATS", "RenderContext", "Renderer", "item_line", "render"]


@dataclass(frozen=True)
class RenderContext:
    """Files the report can point at: annotations and SARIF results need a file to attach to."""

    contract_path: str | None = None
    suppressions_path: str | None = None

    def line_of(self, item: GateItem) -> int:
        """The contract line naming the finding's operation (or service), else 1."""
        if not self.contract_path:
            return 1
        try:
            lines = Path(self.contract_path).read_text(encoding="utf-8").splitlines()
        except OSError:
            return 1
        loc = item.finding.location
        for name in (loc.operation, loc.service):
            if not name:
                continue
            pattern = re.compile(rf"^\s*{re.escape(name)}\s*:")
            for number, line in enumerate(lines, start=1):
                if pattern.match(line):
                    return number
        return 1


Renderer = Callable[["GateResult", RenderContext], str]
FORMATS = ModuleRegistry("output format", __name__, first="text")


def render(result: GateResult, fmt: str, context: RenderContext | None = None) -> str:
    """The report in one format; an unknown format name raises with suggestions."""
    renderer: Renderer = FORMATS.get(fmt)
    return renderer(result, context or RenderContext())


def item_line(item: GateItem) -> str:
    """One finding on one line (notes and suppressions indented below it)."""
    f = item.finding
    text = f"[{item.severity.label}] {f.rule} at {f.location}: {f.message} (fingerprint {f.fingerprint})"
    if item.note:
        text += f"\n    {item.note}"
    if item.suppressed_by is not None:
        text += f"\n    suppressed by {item.suppressed_by.describe()}"
    return text
