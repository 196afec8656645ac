"""Plain text: the awsapichanges.info entry of each changed service (see :mod:`..render_text`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from botocontract.changes.model import ReleaseDiff

if TYPE_CHECKING:
    from botocontract.specs.sources import SourceLike


def render(diff: ReleaseDiff, *, source: SourceLike = None, compact: bool = False) -> str:
    from botocontract.changes.render_text import render_text

    text = render_text(diff, source=source)
    return text or f"No service changed between {diff.old_label} and {diff.new_label}."
