"""Code-point sets as sorted, merged ``(lo, hi)`` range tuples, and the fixed sets Java regexes name.

Kept apart from the pattern translator so generators can share the same set arithmetic.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["MAX_CODE_POINT", "Ranges", "complement_ranges", "intersect_ranges", "normalize_ranges"]

Ranges = tuple[tuple[int, int], ...]

MAX_CODE_POINT = 0x10FFFF


def normalize_ranges(ranges: Iterable[tuple[int, int]]) -> Ranges:
    """Sorted, merged code-point ranges (the form every other range operation takes)."""
    merged: list[list[int]] = []
    for lo, hi in sorted(ranges):
        if merged and lo <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], hi)
        else:
            merged.append([lo, hi])
    return tuple((lo, hi) for lo, hi in merged)


def complement_ranges(ranges: Iterable[tuple[int, int]]) -> Ranges:
    """Every code point not in ``ranges``."""
    out: list[tuple[int, int]] = []
    start = 0
    for lo, hi in normalize_ranges(ranges):
        if lo > start:
            out.append((start, lo - 1))
        start = hi + 1
    if start <= MAX_CODE_POINT:
        out.append((start, MAX_CODE_POINT))
    return tuple(out)


def intersect_ranges(a: Ranges, b: Ranges) -> Ranges:
    """Intersection of two normalized range lists (a linear merge)."""
    out: list[tuple[int, int]] = []
    i = j = 0
    while i < len(a) and j < len(b):
        lo, hi = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if lo <= hi:
            out.append((lo, hi))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return tuple(out)


_normalize, _complement, _intersect = normalize_ranges, complement_ranges, intersect_ranges


def _chars(text: str) -> Ranges:
    return _normalize((ord(c), ord(c)) for c in text)


def _ascii_case_closure(ranges: Ranges) -> Ranges:
    """Java's ``(?i)`` without UNICODE_CASE folds ASCII letters only."""
    letters = _intersect(ranges, ((65, 90), (97, 122)))
    extra = [(lo ^ 0x20, hi ^ 0x20) for lo, hi in letters]
    return _normalize((*ranges, *extra))


_ALL: Ranges = ((0, MAX_CODE_POINT),)
_DIGIT = _chars("0123456789")
_WORD = _normalize(((48, 57), (65, 90), (95, 95), (97, 122)))
_SPACE = _chars(" \t\n\x0b\f\r")
_LINE_TERMINATORS = _chars("\n\r\x85\u2028\u2029")
_HSPACE = _normalize(
    (
        (9, 9),
        (32, 32),
        (0xA0, 0xA0),
        (0x1680, 0x1680),
        (0x180E, 0x180E),
        (0x2000, 0x200A),
        (0x202F, 0x202F),
        (0x205F, 0x205F),
        (0x3000, 0x3000),
    )
)
_VSPACE = _normalize(((10, 13), (0x85, 0x85), (0x2028, 0x2029)))
_WHITE_SPACE = _normalize(
    (
        (9, 13),
        (32, 32),
        (0x85, 0x85),
        (0xA0, 0xA0),
        (0x1680, 0x1680),
        (0x2000, 0x200A),
        (0x2028, 0x2029),
        (0x202F, 0x202F),
        (0x205F, 0x205F),
        (0x3000, 0x3000),
    )
)
_PUNCT = _chars("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_POSIX: dict[str, Ranges] = {
    "Lower": ((97, 122),),
    "Upper": ((65, 90),),
    "ASCII": ((0, 127),),
    "Alpha": ((65, 90), (97, 122)),
    "Digit": _DIGIT,
    "Alnum": ((48, 57), (65, 90), (97, 122)),
    "Punct": _PUNCT,
    "Graph": _normalize(((48, 57), (65, 90), (97, 122), *_PUNCT)),
    "Print": _normalize(((32, 32), (48, 57), (65, 90), (97, 122), *_PUNCT)),
    "Blank": _chars(" \t"),
    "Cntrl": ((0, 31), (127, 127)),
    "XDigit": ((48, 57), (65, 70), (97, 102)),
    "Space": _SPACE,
    "L1": ((0, 255),),
    "all": _ALL,
}
