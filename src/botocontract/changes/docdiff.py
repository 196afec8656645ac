"""Readable documentation changes: a word-level diff excerpt of two HTML doc strings.

AWS model documentation is HTML and often long; a finding that says only "documentation changed" cannot
be reviewed. :func:`doc_change` reduces the two texts to plain words, diffs them word by word
(``difflib``) and keeps a few words of context around each edit, marking removals ``[-...-]`` and
additions ``{+...+}`` (git's word-diff notation), so that the edit reads in one line.
"""

from __future__ import annotations

import difflib
import html
import re
from typing import NamedTuple

__all__ = ["DocChange", "doc_change", "plain_text"]

_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
#: Words of unchanged context kept on each side of an edit.
CONTEXT = 5
#: Longest summary and excerpt, in characters (longer ones are cut with "…").
SUMMARY_CHARS = 240
EXCERPT_CHARS = 320


class DocChange(NamedTuple):
    """One documentation edit: a one-line word diff, and the old and new text around it."""

    summary: str
    old: str | None
    new: str | None


def plain_text(doc: str | None) -> str:
    """The words of an HTML doc string: tags dropped, entities decoded, whitespace collapsed."""
    if not doc:
        return ""
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", doc))).strip()


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def doc_change(old: str | None, new: str | None) -> DocChange:
    """The edit from ``old`` to ``new`` documentation (either may be missing)."""
    before, after = plain_text(old), plain_text(new)
    if not before and not after:
        return DocChange("markup only", None, None)
    if not before:
        return DocChange(f"added: {_cut(after, SUMMARY_CHARS)}", None, _cut(after, EXCERPT_CHARS))
    if not after:
        return DocChange(f"removed: {_cut(before, SUMMARY_CHARS)}", _cut(before, EXCERPT_CHARS), None)
    if before == after:
        return DocChange("markup only", _cut(before, EXCERPT_CHARS), _cut(after, EXCERPT_CHARS))
    a, b = before.split(" "), after.split(" ")
    ops = [op for op in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes() if op[0] != "equal"]
    hunks: list[str] = []
    for tag, i1, i2, j1, j2 in ops:
        lead = a[max(i1 - CONTEXT, 0) : i1]
        tail = a[i2 : i2 + CONTEXT]
        parts = ["…" if i1 > CONTEXT else "", *lead]
        if tag in ("replace", "delete"):
            parts.append(f"[-{' '.join(a[i1:i2])}-]")
        if tag in ("replace", "insert"):
            parts.append(f"{{+{' '.join(b[j1:j2])}+}}")
        parts += [*tail, "…" if i2 + CONTEXT < len(a) else ""]
        hunks.append(" ".join(p for p in parts if p))
    summary = " ".join(hunks)
    if len(ops) > 1 and len(summary) > SUMMARY_CHARS:
        summary = _cut(hunks[0], SUMMARY_CHARS - 24) + f" (+{len(ops) - 1} more edits)"
    first, last = ops[0], ops[-1]
    old_words = a[max(first[1] - CONTEXT, 0) : last[2] + CONTEXT]
    new_words = b[max(first[3] - CONTEXT, 0) : last[4] + CONTEXT]
    return DocChange(
        _cut(summary, SUMMARY_CHARS),
        _cut(" ".join(old_words), EXCERPT_CHARS),
        _cut(" ".join(new_words), EXCERPT_CHARS),
    )
