"""Compare two model patterns by evidence: draw strings from one, test them against the other.

A pattern rewrite often changes nothing (``p`` vs ``^p$``, reordered alternatives, ``\\d`` vs ``[0-9]``)
and a textual comparison cannot tell. Here each pattern is translated from Java (:mod:`.patterns`),
parsed by Python's own regex parser, and walked with a seeded :class:`random.Random` to draw strings it
accepts; those are tested against the other pattern, both ways. Services apply a pattern to the whole
value, so acceptance is ``fullmatch`` on both sides (anchors then restate nothing). The seed comes from
the two patterns' text, so the same pair always gives the same verdict and the same witnesses.
"""

from __future__ import annotations

import functools
import random
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from botocontract.specs.patterns import MAX_CODE_POINT, compile_pattern, translate

if sys.version_info >= (3, 11):
    from re import _constants as _c
    from re import _parser as _sre
else:  # pragma: no cover - Python 3.10
    import sre_constants as _c
    import sre_parse as _sre

__all__ = ["PatternRelation", "compare_patterns", "sample_pattern"]

Relation = Literal["equivalent", "tightened", "loosened", "changed", "undecided"]

#: Strings drawn per side; enough to hit each alternative and class range of real model patterns.
SAMPLES = 200
#: Extra repetitions drawn beyond a quantifier's minimum when it has no (small) maximum.
MAX_EXTRA = 8
#: Optional repetitions stop once a draw is this long (nested quantifiers would multiply otherwise).
MAX_LENGTH = 1200
#: The largest repetition count drawn above a quantifier's minimum (its maximum when smaller).
MAX_FAR = 256
#: Code points a "no pattern" side draws from: ASCII, whitespace, line breaks and a few non-ASCII letters.
_ANY = [*range(0x20, 0x7F), 0x09, 0x0A, 0x0D, 0xE9, 0x4E2D, 0x1F600, 0x0660]
_SURROGATES = (0xD800, 0xDFFF)


@dataclass(frozen=True)
class PatternRelation:
    """How a new pattern relates to an old one, with witnesses: strings one side accepts and the other
    rejects (``None`` for a side without a pattern, which accepts everything)."""

    relation: Relation
    #: Strings the old pattern accepts that the new one rejects (evidence of a tightening).
    rejected_now: tuple[str, ...] = ()
    #: Strings the new pattern accepts that the old one rejected (evidence of a loosening).
    accepted_now: tuple[str, ...] = ()
    reason: str = ""


class _Unsampleable(Exception):
    """The parsed pattern uses a construct this walker does not draw from."""


class _Walker:
    """Draws one string from a parsed Python regex (``re._parser`` tree)."""

    def __init__(self, rng: random.Random, classes: dict[int, list[tuple[int, int]]]) -> None:
        self.rng = rng
        self.groups: dict[int, str] = {}
        self.size = 0
        #: Code-point ranges per class node of the tree (by node id; the tree outlives the walker).
        self.classes = classes

    def draw(self, tree: Any) -> str:
        self.groups = {}
        self.size = 0
        return "".join(self.seq(tree))

    def seq(self, items: Any) -> list[str]:
        out: list[str] = []
        for op, arg in items:
            out.extend(self.node(op, arg))
        return out

    def node(self, op: Any, arg: Any) -> list[str]:
        self.size += 1
        if op is _c.LITERAL:
            return [chr(arg)]
        if op is _c.NOT_LITERAL:
            return [self.pick(((0, arg - 1), (arg + 1, MAX_CODE_POINT)))]
        if op is _c.ANY:
            return [self.pick(((0, 0x09), (0x0B, MAX_CODE_POINT)))]
        if op is _c.IN:
            ranges = self.classes.get(id(arg))
            if ranges is None:
                ranges = self.classes[id(arg)] = _usable(_class_ranges(arg))
            return [self.pick(ranges)]
        if op is _c.BRANCH:
            return self.seq(self.rng.choice(arg[1]))
        if op is _c.SUBPATTERN:
            group, _add, _del, sub = arg
            text = self.seq(sub)
            if group is not None:
                self.groups[group] = "".join(text)
            return text
        if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
            low, high, sub = arg
            out: list[str] = []
            for i in range(self.count(low, high)):
                if i >= low and self.size > MAX_LENGTH:
                    break  # nested repeats multiply: optional repetitions stop at a total length
                out.extend(self.seq(sub))
            return out
        if op is getattr(_c, "ATOMIC_GROUP", None):
            return self.seq(arg)
        if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
            return []  # zero-width; a draw that breaks a lookaround is discarded by the caller
        if op is _c.GROUPREF:
            return [self.groups.get(arg, "")]
        if op is _c.GROUPREF_EXISTS:
            group, yes, no = arg
            return self.seq(yes if group in self.groups or no is None else no)
        if op is _c.CATEGORY:
            return [self.pick(_usable(_class_ranges([(op, arg)])))]
        raise _Unsampleable(str(op))

    def count(self, low: int, high: int) -> int:
        """Mostly a few repetitions; often the minimum, and the maximum (or a point up to it) when it is
        finite, so that changed bounds of a quantifier are reached."""
        unbounded = high is _c.MAXREPEAT
        near = low + MAX_EXTRA if unbounded or high > low + MAX_EXTRA else high
        far = low + MAX_EXTRA * 4 if unbounded else min(high, low + MAX_FAR)
        roll = self.rng.random()
        if roll < 0.2:
            return low
        if roll < 0.3:
            return far
        if roll < 0.4:
            return self.rng.randint(low, far)
        return self.rng.randint(low, near)

    def pick(self, ranges: Sequence[tuple[int, int]]) -> str:
        """A code point from ``ranges``: a range at random, then one of its ends or a point inside, so that
        small ranges (a lone ``-`` or ``_``) are drawn as often as large ones."""
        if not ranges:
            raise _Unsampleable("empty character class")
        lo, hi = self.rng.choice(ranges)
        roll = self.rng.random()
        cp = lo if roll < 0.25 else hi if roll < 0.5 else self.rng.randint(lo, hi)
        if _SURROGATES[0] <= cp <= _SURROGATES[1]:
            cp = lo if not _SURROGATES[0] <= lo <= _SURROGATES[1] else hi
        return chr(cp)


def _usable(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Ranges minus those made of lone surrogates only (no string can hold one)."""
    return [r for r in ranges if not (_SURROGATES[0] <= r[0] and r[1] <= _SURROGATES[1])]


_CATEGORY_RANGES: dict[Any, tuple[tuple[int, int], ...]] = {}


def _category(cat: Any) -> tuple[tuple[int, int], ...]:
    """Code points of a ``\\d``/``\\s``/``\\w`` category as Python reads it (the translator spells Java's
    meaning out, so only ``[\\s\\S]``-style idioms reach here)."""
    if cat not in _CATEGORY_RANGES:
        probe = {
            _c.CATEGORY_DIGIT: r"\d",
            _c.CATEGORY_NOT_DIGIT: r"\D",
            _c.CATEGORY_SPACE: r"\s",
            _c.CATEGORY_NOT_SPACE: r"\S",
            _c.CATEGORY_WORD: r"\w",
            _c.CATEGORY_NOT_WORD: r"\W",
        }.get(cat)
        if probe is None:
            raise _Unsampleable(str(cat))
        rx = re.compile(probe)
        ranges: list[tuple[int, int]] = []
        start = None
        for cp in range(0x3000):  # enough to draw from; the class is tested exactly by the matcher
            hit = rx.match(chr(cp)) is not None
            if hit and start is None:
                start = cp
            elif not hit and start is not None:
                ranges.append((start, cp - 1))
                start = None
        if start is not None:
            ranges.append((start, 0x2FFF))
        _CATEGORY_RANGES[cat] = tuple(ranges)
    return _CATEGORY_RANGES[cat]


def _class_ranges(items: Any) -> list[tuple[int, int]]:
    from botocontract.specs.patterns import complement_ranges, normalize_ranges

    ranges: list[tuple[int, int]] = []
    negate = False
    for op, arg in items:
        if op is _c.NEGATE:
            negate = True
        elif op is _c.LITERAL:
            ranges.append((arg, arg))
        elif op is _c.RANGE:
            ranges.append(arg)
        elif op is _c.CATEGORY:
            ranges.extend(_category(arg))
        else:
            raise _Unsampleable(str(op))
    normal = normalize_ranges(ranges)
    return list(complement_ranges(normal) if negate else normal)


@functools.lru_cache(maxsize=4096)
def _parsed(java: str) -> tuple[re.Pattern[str], Any, dict[int, list[tuple[int, int]]]] | None:
    translation = translate(java)
    compiled = compile_pattern(java)
    if translation.python is None or compiled is None:
        return None
    try:
        return compiled, _sre.parse(translation.python), {}
    except re.error:  # pragma: no cover - the translation compiled above
        return None


def sample_pattern(java: str, rng: random.Random, n: int = SAMPLES) -> list[str] | None:
    """Up to ``n`` strings the Java pattern accepts as a whole value (``None`` when it cannot be drawn
    from: untranslatable, or no draw satisfies its lookarounds)."""
    parsed = _parsed(java)
    if parsed is None:
        return None
    compiled, tree, classes = parsed
    walker = _Walker(rng, classes)
    out: list[str] = []
    try:
        for _ in range(n * 3):
            text = walker.draw(tree)
            if compiled.fullmatch(text):
                out.append(text)
                if len(out) == n:
                    break
    except (_Unsampleable, RecursionError, ValueError):
        return None
    return out or None


def _any_strings(rng: random.Random, n: int) -> list[str]:
    """Arbitrary strings, for a side with no pattern (which accepts everything)."""
    return ["".join(chr(rng.choice(_ANY)) for _ in range(rng.randint(0, 12))) for _ in range(n)]


def _accepts(java: str | None) -> Any:
    if java is None:
        return lambda text: True
    compiled = compile_pattern(java)
    assert compiled is not None
    return lambda text: compiled.fullmatch(text) is not None


@functools.lru_cache(maxsize=4096)
def compare_patterns(old: str | None, new: str | None, n: int = SAMPLES) -> PatternRelation:
    """Whether ``new`` accepts the same whole values as ``old``, fewer (tightened), more (loosened), or
    some fewer and some more (changed, which also rejects values ``old`` accepted). ``None`` is no
    pattern. Deterministic: the generator is seeded from the two patterns."""
    if old == new:
        return PatternRelation("equivalent")
    rng = random.Random(f"{old}\x00{new}")
    sides: list[list[str]] = []
    for java in (old, new):
        if java is None:
            sides.append(_any_strings(rng, n))
            continue
        drawn = sample_pattern(java, rng, n)
        if drawn is None:
            return PatternRelation("undecided", reason=f"cannot draw strings from {java!r}")
        sides.append(drawn)
    old_ok, new_ok = _accepts(old), _accepts(new)
    rejected = tuple(dict.fromkeys(s for s in sides[0] if not new_ok(s)))[:3]
    accepted = tuple(dict.fromkeys(s for s in sides[1] if not old_ok(s)))[:3]
    if rejected and accepted:
        return PatternRelation("changed", rejected, accepted)
    if rejected:
        return PatternRelation("tightened", rejected)
    if accepted:
        return PatternRelation("loosened", (), accepted)
    return PatternRelation("equivalent")
