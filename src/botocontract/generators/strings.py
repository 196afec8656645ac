"""Strings that meet a botocore string shape: its (Java-flavoured) pattern and its length limits.

:func:`string_plan` is the one entry point: it translates the pattern (:mod:`botocontract.specs.patterns`),
builds it with :class:`~botocontract.generators.regex.RegexBuilder` and says how faithfully the pattern is
honoured, so statistics and the invalid-request generator read the same plan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from botocontract.generators.chars import ALPHABETS, char_strategy, text_of
from botocontract.generators.regex import NotCompilable, RegexBuilder, sre_parse
from botocontract.specs.patterns import compile_pattern, translate

__all__ = ["StringPlan", "header_safe", "plain_text", "python_regex", "string_plan", "translate_pattern"]


@dataclass(frozen=True)
class _Translation:
    python: str | None
    status: str  # "exact" | "approximated" | "unsupported"
    flags: int = 0


@lru_cache(maxsize=8192)
def translate_pattern(pattern: str) -> _Translation:
    """A botocore (Java-flavoured) pattern as a Python regex, via ``specs.patterns`` when present."""
    result = translate(pattern)
    if result.status == "unsupported" or result.python is None:
        return _Translation(None, "unsupported")
    try:
        compiled = compile_pattern(pattern)
        flags = compiled.flags if isinstance(compiled, re.Pattern) else 0
    except Exception:
        flags = 0
    python = result.python
    if python.endswith(_JAVA_DOLLAR):
        # Java's ``$`` may sit before one final line break; a generated value simply ends there.
        python = python[: -len(_JAVA_DOLLAR)] + r"\Z"
    return _Translation(python, result.status, flags & ~re.UNICODE)


# How ``specs.patterns`` spells Java's end-of-input ``$`` (a lookahead hypothesis can only filter for).
_JAVA_DOLLAR = "(?=\\r\\n\\Z|(?<!\\r)\\n\\Z|[\\r\\x85\\u2028\\u2029]?\\Z)"


def header_safe(value: str) -> bool:
    """HTTP trims header values and carries only visible ASCII and spaces."""
    return value == value.strip() and all(" " <= c <= "~" for c in value)


@dataclass(frozen=True)
class StringPlan:
    """How a string shape is generated, and how faithfully its pattern is honoured."""

    strategy: SearchStrategy[str]
    pattern_status: str | None  # None when the shape has no pattern
    conflict: bool = False  # pattern and length limits cannot both hold; the lengths won
    lookarounds: bool = False  # generated without its lookarounds, so some values may miss the pattern


def _prefer_matching(
    skeleton: SearchStrategy[str], regex: re.Pattern[str], kind: str, min_len: int, max_len: int
) -> SearchStrategy[str]:
    """A few tries at a value that also meets the lookarounds, then one from ``st.from_regex`` (which
    honours them), else the lookaround-free value: never a filter, which would make patterns with several
    lookaheads unsatisfiable outright.

    The tries alone are not enough: Hypothesis's simplest draw repeats itself, and for lambda's alias
    ``(?!^[0-9]+$)([a-zA-Z0-9-_]+)`` the simplest skeleton value ``0`` is the one value the lookahead bans.
    """
    exact = st.from_regex(regex, fullmatch=True, alphabet=char_strategy(ALPHABETS[kind]))

    @st.composite
    def draw_value(draw: st.DrawFn) -> str:
        value = ""
        for _ in range(3):
            value = draw(skeleton)
            if regex.fullmatch(value):
                return value
        other = draw(exact)
        return other if min_len <= len(other) <= max_len else value

    return draw_value()


@lru_cache(maxsize=16384)
def string_plan(pattern: str | None, min_len: int, max_len: int | None, kind: str) -> StringPlan:
    """Strings of ``min_len..max_len`` characters that fully match ``pattern``, in ``kind``'s alphabet.

    Patterns are built straight from their parse tree (concatenations, classes, repeats, branches),
    which is several times faster than ``st.from_regex`` and lets the length limits steer the repeats
    instead of filtering. Repeated groups such as ``X(-*X){0,62}`` fold into a single ``st.text`` draw
    with repaired ends (see :class:`_Run`). Lookarounds are checked on the whole value (a few tries);
    back-references go to ``st.from_regex``.
    """
    plain = plain_text(min_len, max_len, kind)
    if pattern is None:
        return StringPlan(plain, None)
    tr = translate_pattern(pattern)
    if tr.python is None:
        return StringPlan(plain, "unsupported")
    try:
        parsed = sre_parse.parse(tr.python, tr.flags)
        lo, hi = parsed.getwidth()
    except (re.error, OverflowError, RecursionError):
        return StringPlan(plain, "unsupported")
    upper = max_len if max_len is not None else 2**31
    if lo > upper or hi < min_len:
        return StringPlan(plain, tr.status, conflict=True)
    try:
        builder = RegexBuilder(parsed, tr.flags, kind)
        strategy = builder.top(min_len, upper)
        if strategy is not None and builder.assertions:
            strategy = _prefer_matching(strategy, re.compile(tr.python, tr.flags), kind, min_len, upper)
            if kind == "header":
                strategy = strategy.filter(header_safe)
            return StringPlan(strategy, tr.status, lookarounds=True)
    except NotCompilable:
        strategy = st.from_regex(
            re.compile(tr.python, tr.flags), fullmatch=True, alphabet=char_strategy(ALPHABETS[kind])
        )
        if lo < min_len or hi > upper:
            strategy = strategy.filter(lambda s: min_len <= len(s) <= upper)
    if strategy is None:  # a character class with nothing in the protocol's alphabet
        return StringPlan(plain, tr.status, conflict=True)
    if kind == "header":
        strategy = strategy.filter(header_safe)
    return StringPlan(strategy, tr.status)


@lru_cache(maxsize=16)
def python_regex(regex: str) -> SearchStrategy[str]:
    built = RegexBuilder(sre_parse.parse(regex), 0, "json").top(0, 2**31)
    assert built is not None
    return built


@lru_cache(maxsize=1024)
def plain_text(min_len: int, max_len: int | None, kind: str) -> SearchStrategy[str]:
    alphabet = char_strategy(ALPHABETS[kind])
    assert alphabet is not None
    if kind != "header":
        return text_of(alphabet, min_len, max_len)
    # The edges must not be spaces, or HTTP would trim them away.
    edge = char_strategy(((0x21, 0x7E),))
    assert edge is not None
    inner_max = None if max_len is None else max(max_len - 2, 0)
    inner = text_of(alphabet, max(min_len - 2, 0), inner_max)
    wrapped = st.builds(lambda a, m, b: a + m + b, edge, inner, edge)
    if max_len is not None and max_len < 2:
        return (st.just("") if min_len == 0 else st.nothing()) | (edge if max_len == 1 else st.nothing())
    if min_len <= 1:
        return (st.just("") if min_len == 0 else st.nothing()) | edge | wrapped
    return wrapped
