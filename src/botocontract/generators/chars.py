"""Character classes as cheap Hypothesis draws, and the one-draw ``map`` the generators build on.

A Java pattern's classes (``\\p{L}``, ``[^\\x00-\\x1F]``, surrogate-free ranges) become code-point ranges;
this module turns ranges into the cheapest strategy Hypothesis offers for them (``sampled_from``,
``characters`` by codec or Unicode category) and keeps draws inlined, because string generation is the
hot path of every request.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from botocontract.specs.patterns import complement_ranges as _complement
from botocontract.specs.patterns import intersect_ranges as _intersect
from botocontract.specs.patterns import normalize_ranges as _normalize
from botocontract.specs.unicode import ASSIGNED, categories

__all__ = [
    "ALPHABETS",
    "MAX_CODE_POINT",
    "Ranges",
    "char_strategy",
    "draw_inline",
    "everything",
    "mapped",
    "text_of",
]

MAX_CODE_POINT = 0x10FFFF
Ranges = tuple[tuple[int, int], ...]
ALPHABETS: dict[str, Ranges] = {
    # No surrogates anywhere: no encoder or service carries lone ones.
    "json": ((0, 0xD7FF), (0xE000, MAX_CODE_POINT)),
    # XML 1.0 carries no control characters but tab and LF (a CR would come back as LF), nor U+FFFE/F.
    "xml": ((0x09, 0x0A), (0x20, 0x7E), (0xA0, 0xD7FF), (0xE000, 0xFFFD), (0x10000, MAX_CODE_POINT)),
    # HTTP header values: visible ASCII and spaces.
    "header": ((0x20, 0x7E),),
}


def mapped(function: Callable[..., Any], *parts: SearchStrategy[Any]) -> SearchStrategy[Any]:
    """``st.tuples(*parts).map(function)`` unpacked, in one cheap draw.

    ``.map`` costs a span, a warnings context and a recorded call per draw; hot paths (every pattern
    piece, every structure) use this composite instead.
    """

    drawers = [draw_inline(part) for part in parts]

    @st.composite
    def applied(draw: st.DrawFn) -> Any:
        return function(*[drawer(draw) for drawer in drawers])

    strategy = applied()
    setattr(strategy, _INLINE, (function, drawers))
    return strategy


# Where :func:`mapped` keeps its function and parts, so enclosing draws can skip its own span.
_INLINE = "_botocontract_inline"


def draw_inline(strategy: SearchStrategy[Any]) -> Callable[[st.DrawFn], Any]:
    """How to draw ``strategy`` inside another draw, inlining :func:`mapped`'s composites."""
    inline = getattr(strategy, _INLINE, None)
    if inline is None:
        return lambda draw: draw(strategy)
    function, drawers = inline
    return lambda draw: function(*[drawer(draw) for drawer in drawers])


def everything() -> Ranges:
    return ((0, MAX_CODE_POINT),)


@lru_cache(maxsize=4096)
def char_strategy(ranges: Ranges) -> SearchStrategy[str] | None:
    """One character from the code-point ranges, as ``sampled_from`` or ``characters`` where possible.

    Those two are what ``st.text`` accepts as an alphabet, and they favour ASCII, which shrinks well.
    """
    total = sum(hi - lo + 1 for lo, hi in ranges)
    if total == 0:
        return None
    if total <= 256:
        return st.sampled_from([chr(cp) for lo, hi in ranges for cp in range(lo, hi + 1)])
    lo, hi = ranges[0][0], ranges[-1][1]
    holes = _intersect(_complement(ranges), ((lo, hi),))
    holes = _intersect(holes, _complement(((0xD800, 0xDFFF),)))
    if sum(end - start + 1 for start, end in holes) <= 4096:
        excluded = "".join(chr(cp) for start, end in holes for cp in range(start, end + 1))
        return _ready(
            st.characters(min_codepoint=lo, max_codepoint=hi, codec="utf-8", exclude_characters=excluded)
        )
    by_category = _as_categories(ranges)
    if by_category is not None:
        categories, extra = by_category
        # Category names come from unicodedata at run time, not from hypothesis's literal type.
        return _ready(st.characters(codec="utf-8", categories=categories, include_characters=extra))  # type: ignore[arg-type]
    starts: list[int] = []
    offsets: list[int] = []
    seen = 0
    for lo, hi in ranges:
        starts.append(lo)
        offsets.append(seen)
        seen += hi - lo + 1

    def pick(i: int) -> str:
        k = bisect.bisect_right(offsets, i) - 1
        return chr(starts[k] + i - offsets[k])

    chars = st.integers(0, total - 1).map(pick)
    ascii_part = _intersect(ranges, ((0x20, 0x7E),))
    if ascii_part:
        ascii_chars = st.sampled_from([chr(cp) for lo, hi in ascii_part for cp in range(lo, hi + 1)])
        chars = st.one_of(ascii_chars, chars)
    _NOT_ALPHABETS.add(id(chars))
    return chars


def _ready(chars: SearchStrategy[str]) -> SearchStrategy[str]:
    """Resolve ``st.characters`` now, while strategies are being compiled, not inside the first draw.

    Its first use builds Hypothesis's Unicode table (seconds in a fresh checkout); inside a draw that
    trips the ``too_slow`` health check of the user's very first test.
    """
    chars.validate()
    return chars


def _as_categories(ranges: Ranges) -> tuple[list[str], str] | None:
    """``ranges`` as whole Unicode categories plus a few single characters (``\\p{L}``-style classes).

    ``st.characters(categories=...)`` draws such characters in one step instead of per range.
    """
    table = _category_ranges()
    whole = [
        cat
        for cat, cat_ranges in table.items()
        if cat != "Cs" and _intersect(cat_ranges, ranges) == cat_ranges
    ]
    if not whole:
        return None
    covered = _normalize(r for cat in whole for r in table[cat])
    rest = _intersect(ranges, _complement(covered))
    rest = _intersect(rest, _complement(((0xD800, 0xDFFF),)))
    if sum(end - start + 1 for start, end in rest) > 4096:
        return None
    return whole, "".join(chr(cp) for start, end in rest for cp in range(start, end + 1))


@lru_cache(maxsize=1)
def _category_ranges() -> dict[str, Ranges]:
    """Code-point ranges of each Unicode category, for the assigned planes (Cn, Co, Cs are left out)."""
    return {
        cat: clipped
        for cat, runs in categories().items()
        if cat not in ("Cn", "Co", "Cs") and (clipped := _intersect(runs, ASSIGNED))
    }


def text_of(chars: SearchStrategy[str], min_size: int, max_size: int | None) -> SearchStrategy[str]:
    """``st.text`` when ``chars`` is an alphabet it accepts, else a joined list of characters."""
    if _is_alphabet(chars):
        return st.text(chars, min_size=min_size, max_size=max_size)
    return mapped("".join, st.lists(chars, min_size=min_size, max_size=max_size))


def _is_alphabet(chars: SearchStrategy[str]) -> bool:
    return id(chars) not in _NOT_ALPHABETS


# ids of the (cached, so long-lived) character strategies that ``st.text`` would refuse.
_NOT_ALPHABETS: set[int] = set()
