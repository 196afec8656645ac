"""Markdown, for a pull-request comment or release notes (see :mod:`..render_markdown`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from botocontract.changes.model import ReleaseDiff

if TYPE_CHECKING:
    from botocontract.specs.sources import SourceLike


def render(diff: ReleaseDiff, *, source: SourceLike = None, compact: bool = False) -> str:
    from botocontract.changes.render_markdown import render_markdown

    return render_markdown(diff, source=source)
