"""What changed between two model sources: one structural diff, the rules that classify it, renderers.

Names load on first use, so importing the package (and the CLI) stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from botocontract.lazy import lazy_exports

if TYPE_CHECKING:
    from botocontract.changes.changedict import change_dicts, type_summary
    from botocontract.changes.engine import diff_services, diff_sources
    from botocontract.changes.model import (
        Change,
        Finding,
        Location,
        OperationChange,
        ReleaseDiff,
        ServiceChange,
        Severity,
    )
    from botocontract.changes.render_json import diff_json_schema, render_json
    from botocontract.changes.render_markdown import render_markdown
    from botocontract.changes.render_text import render_text
    from botocontract.changes.rules import RULES
    from botocontract.changes.walk import walk as walk_releases

_WHERE = {
    "Change": "model",
    "Finding": "model",
    "Location": "model",
    "OperationChange": "model",
    "ReleaseDiff": "model",
    "ServiceChange": "model",
    "Severity": "model",
    "change_dicts": "changedict",
    "diff_json_schema": "render_json",
    "diff_services": "engine",
    "diff_sources": "engine",
    "render_json": "render_json",
    "render_markdown": "render_markdown",
    "render_text": "render_text",
    "RULES": "rules",
    "type_summary": "changedict",
    "walk_releases": "walk",
}

__all__ = [
    "RULES",
    "Change",
    "Finding",
    "Location",
    "OperationChange",
    "ReleaseDiff",
    "ServiceChange",
    "Severity",
    "change_dicts",
    "diff_json_schema",
    "diff_services",
    "diff_sources",
    "render_json",
    "render_markdown",
    "render_text",
    "type_summary",
    "walk_releases",
]

# Functions whose submodule shares their name are exported under another name.
__getattr__ = lazy_exports(__name__, _WHERE, {"walk_releases": "walk"})
