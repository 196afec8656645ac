"""JSON: every finding, as ``botocontract schema diff-json`` describes it (see :mod:`..render_json`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from botocontract.changes.model import ReleaseDiff

if TYPE_CHECKING:
    from botocontract.specs.sources import SourceLike


def render(diff: ReleaseDiff, *, source: SourceLike = None, compact: bool = False) -> str:
    from botocontract.changes.render_json import render_json

    return render_json(diff, indent=None if compact else 2)
