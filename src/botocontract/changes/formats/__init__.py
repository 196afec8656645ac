"""Formats of ``botocontract diff``: one module per format, each with ``render(diff, *, source, compact)``.

A new format is one new file here (copy ``json.py``): :data:`FORMATS` names formats after their files,
without importing them, so the CLI's ``--format`` choices cost nothing and a format's own imports are
paid only when it is used.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from botocontract.registry import ModuleRegistry

if TYPE_CHECKING:
    from botocontract.changes.model import ReleaseDiff
    from botocontract.specs.sources import SourceLike

__all__ = ["FORMATS", "Renderer", "render"]

#: ``render(diff, *, source, compact) -> str``; ``source`` is where the new side's models come from (for
#: documentation), ``compact`` asks for one line per release pair where the format can (range walks).
Renderer = Callable[..., str]
FORMATS = ModuleRegistry("diff format", __name__, first="text")


def render(diff: ReleaseDiff, fmt: str, *, source: SourceLike = None, compact: bool = False) -> str:
    """``diff`` in the format named ``fmt``; an unknown name raises with suggestions."""
    renderer: Renderer = FORMATS.get(fmt)
    return renderer(diff, source=source, compact=compact)
