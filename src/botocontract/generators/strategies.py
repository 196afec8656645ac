"""Hypothesis strategies for every request and response of every botocore operation.

Shapes are compiled natively from botocore's own ``Shape`` objects (no JSON Schema detour): each named
shape becomes one strategy, cached per service, so a model's 5,000 shapes cost one walk. Values are what
boto3 takes and returns: ``dict``/``list``, ``bytes`` for blobs (also streaming ones: boto3 returns a
``StreamingBody`` there; wrap the bytes yourself), timezone-aware UTC ``datetime`` in whole seconds (so
they survive every wire format), JSON-like values for documents. A response's event stream is the list
of events that iterating boto3's ``EventStream`` yields (``[{"EventName": {...}}]``); requests leave
event streams out, as boto3 cannot send them.
"""

from __future__ import annotations

import bisect
import itertools
import json
import re
import string
import threading
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any

import botocore.session
from botocore.model import OperationModel, ServiceModel, Shape
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from botocontract.errors import UnknownNameError
from botocontract.generators import overrides
from botocontract.specs import load_service
from botocontract.specs.patterns import compile_pattern, translate
from botocontract.specs.patterns import complement_ranges as _complement
from botocontract.specs.patterns import intersect_ranges as _intersect
from botocontract.specs.patterns import normalize_ranges as _normalize

try:  # Python 3.11+
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse  # type: ignore[no-redef]

__all__ = ["DEFAULT_MAX_DEPTH", "ShapeCompiler", "compiler_for", "requests", "responses", "service_model"]

#: How many times a recursive shape may nest inside itself before only its non-recursive members remain.
DEFAULT_MAX_DEPTH = 3
#: Lists and maps get at most this many entries above their minimum: nested collections multiply, so
#: collections of structures, lists or maps get ``COMPOUND_SLACK`` instead.
COLLECTION_SLACK = 3
COMPOUND_SLACK = 1
_INT_RANGES = {
    "integer": (-(2**31), 2**31 - 1),
    "long": (-(2**63), 2**63 - 1),
    "short": (-(2**15), 2**15 - 1),
    "byte": (-(2**7), 2**7 - 1),
}
# Whole seconds from 1970-01-02 to 2099-12-31: every timestamp format and platform can carry these.
_EPOCH_RANGE = (86_400, 4_102_358_400)
_XML_PROTOCOLS = {"rest-xml", "query", "ec2"}
_LABEL = re.compile(r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?")


# --------------------------------------------------------------------------------------------- models


def _source_key(source: Any) -> str:
    return source if isinstance(source, str) else str(getattr(source, "label", source))


@lru_cache(maxsize=64)
def _service_model_cached(service: str, source_key: str, source: Any) -> ServiceModel:
    return load_service(service, source=source).model


@lru_cache(maxsize=1)
def _session() -> botocore.session.Session:
    return botocore.session.get_session()


def service_model(service: str, source: Any = "installed") -> ServiceModel:
    """botocore's ``ServiceModel`` of ``service`` in ``source`` (cached); unknown names raise."""
    return _service_model_cached(service, _source_key(source), source)


def operation_model(service: str, operation: str, source: Any = "installed") -> OperationModel:
    model = service_model(service, source)
    if operation not in model.operation_names:
        raise UnknownNameError("operation", operation, model.operation_names, where=service)
    return model.operation_model(operation)


# ------------------------------------------------------------------------------------------- patterns


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


# ------------------------------------------------------------------------------------------- strings

_MAX_CODE_POINT = 0x10FFFF
_Ranges = tuple[tuple[int, int], ...]
_ALPHABETS: dict[str, _Ranges] = {
    # No surrogates anywhere: no encoder or service carries lone ones.
    "json": ((0, 0xD7FF), (0xE000, _MAX_CODE_POINT)),
    # XML 1.0 carries no control characters but tab and LF (a CR would come back as LF), nor U+FFFE/F.
    "xml": ((0x09, 0x0A), (0x20, 0x7E), (0xA0, 0xD7FF), (0xE000, 0xFFFD), (0x10000, _MAX_CODE_POINT)),
    # HTTP header values: visible ASCII and spaces.
    "header": ((0x20, 0x7E),),
}


class _NotCompilable(Exception):
    """A regex construct this generator does not build directly (hypothesis' from_regex takes over)."""


def _header_safe(value: str) -> bool:
    """HTTP trims header values and carries only visible ASCII and spaces."""
    return value == value.strip() and all(" " <= c <= "~" for c in value)


@dataclass(frozen=True)
class StringPlan:
    """How a string shape is generated, and how faithfully its pattern is honoured."""

    strategy: SearchStrategy[str]
    pattern_status: str | None  # None when the shape has no pattern
    conflict: bool = False  # pattern and length limits cannot both hold; the lengths won
    lookarounds: bool = False  # generated without its lookarounds, so some values may miss the pattern


def _prefer_matching(skeleton: SearchStrategy[str], regex: re.Pattern[str]) -> SearchStrategy[str]:
    """A few tries at a value that also meets the lookarounds, else the lookaround-free one.

    A filter would make patterns such as FSx's ARN (four lookaheads) unsatisfiable outright.
    """

    @st.composite
    def draw_value(draw: st.DrawFn) -> str:
        value = ""
        for _ in range(3):
            value = draw(skeleton)
            if regex.fullmatch(value):
                break
        return value

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
    plain = _plain_text(min_len, max_len, kind)
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
        builder = _RegexBuilder(parsed, tr.flags, kind)
        strategy = builder.top(min_len, upper)
        if strategy is not None and builder.assertions:
            strategy = _prefer_matching(strategy, re.compile(tr.python, tr.flags))
            if kind == "header":
                strategy = strategy.filter(_header_safe)
            return StringPlan(strategy, tr.status, lookarounds=True)
    except _NotCompilable:
        strategy = st.from_regex(
            re.compile(tr.python, tr.flags), fullmatch=True, alphabet=_chars(_ALPHABETS[kind])
        )
        if lo < min_len or hi > upper:
            strategy = strategy.filter(lambda s: min_len <= len(s) <= upper)
    if strategy is None:  # a character class with nothing in the protocol's alphabet
        return StringPlan(plain, tr.status, conflict=True)
    if kind == "header":
        strategy = strategy.filter(_header_safe)
    return StringPlan(strategy, tr.status)


@lru_cache(maxsize=16)
def _python_regex(regex: str) -> SearchStrategy[str]:
    built = _RegexBuilder(sre_parse.parse(regex), 0, "json").top(0, 2**31)
    assert built is not None
    return built


@lru_cache(maxsize=1024)
def _plain_text(min_len: int, max_len: int | None, kind: str) -> SearchStrategy[str]:
    alphabet = _chars(_ALPHABETS[kind])
    assert alphabet is not None
    if kind != "header":
        return _text_of(alphabet, min_len, max_len)
    # The edges must not be spaces, or HTTP would trim them away.
    edge = _chars(((0x21, 0x7E),))
    assert edge is not None
    inner_max = None if max_len is None else max(max_len - 2, 0)
    inner = _text_of(alphabet, max(min_len - 2, 0), inner_max)
    wrapped = st.builds(lambda a, m, b: a + m + b, edge, inner, edge)
    if max_len is not None and max_len < 2:
        return (st.just("") if min_len == 0 else st.nothing()) | (edge if max_len == 1 else st.nothing())
    if min_len <= 1:
        return (st.just("") if min_len == 0 else st.nothing()) | edge | wrapped
    return wrapped


_REPEATS = (sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT)
# The op of a folded run in a rewritten parse tree (no ``sre_parse`` op compares equal to a string).
_RUN = "RUN"


@dataclass(frozen=True)
class _Run:
    """Strings of ``lo..hi`` characters from ``middle`` whose first and last character (or only one, in a
    one-character string) lie in ``first``/``last``/``only``.

    The languages of ``X(-*X){0,62}``, ``X([-X]*X)?`` and ``X[-X]{0,62}(?<!-)`` are of this kind: one
    ``st.text`` draw whose two ends are repaired, instead of a list of groups (several draws each) or a
    filter.
    """

    middle: _Ranges
    first: _Ranges
    last: _Ranges
    only: _Ranges
    lo: int
    hi: int  # sre_parse.MAXREPEAT when unbounded


class _RegexBuilder:
    """Builds a strategy from a ``sre_parse`` tree: values fully match by construction."""

    def __init__(self, parsed: Any, flags: int, kind: str) -> None:
        if flags & (re.IGNORECASE | re.VERBOSE):
            raise _NotCompilable("flags")
        self.parsed = parsed
        self.flags = flags
        self.kind = kind
        self.assertions = False

    def top(self, min_len: int, max_len: int) -> SearchStrategy[str] | None:
        items = list(self.parsed)
        while items and _is_anchor(items[0], start=True):
            items.pop(0)
        while items and _is_anchor(items[-1], start=False):
            items.pop()
        items = self.rewrite(items)
        items = self.steer(items, min_len, max_len)
        lo, hi = _width(items)
        strategy = self.sequence(items)
        if strategy is None:
            return None
        if lo < min_len or hi > max_len:
            strategy = strategy.filter(lambda s: min_len <= len(s) <= max_len)
        return strategy

    def steer(self, items: list[Any], min_len: int, max_len: int) -> list[Any]:
        """Let the length limits bound the unbounded repeats (`.*`, `[a-z]+`, `(abcd)*`), not a filter.

        The first takes what ``min_len`` asks beyond the pattern's minimum; the room ``max_len`` leaves
        is shared among all of them.
        """
        unbounded = {i: w for i, item in enumerate(items) if (w := _unbounded_width(item))}
        if not unbounded:
            return self.clamp(items, min_len, max_len)
        lo, _ = _width(items)
        bounded_lo, bounded_hi = _width([item for i, item in enumerate(items) if i not in unbounded])
        first = min(unbounded)
        add = -(-max(0, min_len - lo) // unbounded[first])  # whole repetitions of the first one
        room = max_len - bounded_hi - (lo - bounded_lo) - add * unbounded[first]
        if room < 0:  # the bounded parts alone may be too long: a filter stays, but keep repeats short
            room = max(0, max_len - lo - add * unbounded[first])
        share = room // len(unbounded)
        items = list(items)
        for i, width in unbounded.items():
            op, av = items[i]
            extra = add if i == first else 0
            if op is _RUN:
                new_lo = av.lo + extra
                items[i] = (op, _Run(av.middle, av.first, av.last, av.only, new_lo, new_lo + share))
            else:
                rep_lo, _, sub = av
                new_lo = rep_lo + extra
                items[i] = (op, (new_lo, new_lo + share // width, sub))
        return self.clamp(items, min_len, max_len)

    def clamp(self, items: list[Any], min_len: int, max_len: int) -> list[Any]:
        """Raise the minimum / lower the maximum of bounded runs (``[a-z]{1,256}`` under a max of 64)."""
        lo, hi = _width(items)
        items = list(items)
        for i, (op, av) in enumerate(items):
            if lo >= min_len and hi <= max_len:
                break
            if op is _RUN:
                run_lo, run_hi = av.lo, av.hi
            elif op in _REPEATS and len(av[2]) == 1 and _is_char(av[2][0]):
                run_lo, run_hi = av[0], av[1]
            else:
                continue
            if run_hi == sre_parse.MAXREPEAT:
                continue
            new_lo = min(run_hi, run_lo + max(0, min_len - lo))
            new_hi = max(new_lo, run_hi - max(0, hi - max_len))
            lo, hi = lo + new_lo - run_lo, hi + new_hi - run_hi
            if op is _RUN:
                items[i] = (op, _Run(av.middle, av.first, av.last, av.only, new_lo, new_hi))
            else:
                items[i] = (op, (new_lo, new_hi, av[2]))
        return items

    def rewrite(self, items: list[Any]) -> list[Any]:
        """Flatten plain groups and fold common run shapes into one :class:`_Run` each."""
        out: list[Any] = []
        for op, av in items:
            if op is sre_parse.SUBPATTERN:
                group, add_flags, del_flags, sub = av
                if not add_flags and not del_flags:
                    out.extend(self.rewrite(list(sub)))
                else:
                    out.append((op, (group, add_flags, del_flags, self.rewrite(list(sub)))))
            elif op is sre_parse.MAX_REPEAT or op is sre_parse.MIN_REPEAT:
                rep_lo, rep_hi, sub = av
                inner = self.rewrite(list(sub))
                run = self.tail(rep_lo, rep_hi, inner)
                out.append((_RUN, run) if run is not None else (op, (rep_lo, rep_hi, inner)))
            elif op is sre_parse.BRANCH:
                out.append((op, (av[0], [self.rewrite(list(branch)) for branch in av[1]])))
            else:
                out.append((op, av))
        return self.merge(out)

    def tail(self, rep_lo: int, rep_hi: int, inner: list[Any]) -> _Run | None:
        """``(A*B){lo,hi}`` (lo <= 1) as strings over A|B that end in B.

        Each B ends one repetition, so at most ``hi`` characters keep the count in range; when B is
        part of A the whole string is a single repetition and any length does (up to k + 1 for
        ``(A{0,k}B)``).
        """
        if rep_lo > 1 or rep_hi < 1 or len(inner) != 2 or not _is_char(inner[1]):
            return None
        op, av = inner[0]
        if op is not sre_parse.MAX_REPEAT and op is not sre_parse.MIN_REPEAT:
            return None
        a_lo, a_hi, a_sub = av
        if a_lo != 0 or len(a_sub) != 1 or not _is_char(a_sub[0]):
            return None
        a, b = self.ranges(*a_sub[0]), self.ranges(*inner[1])
        if not b or not _small(b):
            return None
        b_in_a = _intersect(b, a) == b
        if a_hi != sre_parse.MAXREPEAT:  # ``(A{0,k}B)?``: one repetition, so at most k + 1 characters
            if not b_in_a:
                return None
            hi = a_hi + 1
        else:
            hi = sre_parse.MAXREPEAT if rep_hi == sre_parse.MAXREPEAT or b_in_a else rep_hi
        middle = _normalize((*a, *b))
        return _Run(middle, middle, b, b, rep_lo, hi)

    def merge(self, items: list[Any]) -> list[Any]:
        """Fold a leading character into the run after it, and a one-character lookbehind into the run
        before it: ``[a-z][a-z0-9-]{0,62}(?<!-)`` becomes one run with fixed ends."""
        out: list[Any] = []
        for item in items:
            op, av = item
            prev = _as_run(self, out[-1]) if out else None
            if op is sre_parse.ASSERT_NOT and av[0] == -1 and prev is not None and prev.lo >= 1:
                sub = list(av[1])
                if len(sub) == 1 and _is_char(sub[0]):
                    allowed = _complement(self.ranges(*sub[0]))
                    last, only = _intersect(prev.last, allowed), _intersect(prev.only, allowed)
                    if last and (only or prev.lo >= 2) and _small(last) and _small(only):
                        out[-1] = (_RUN, _Run(prev.middle, prev.first, last, only, prev.lo, prev.hi))
                        continue
            nxt = _as_run(self, item)
            if out and _is_char(out[-1]) and out[-1][0] is not sre_parse.LITERAL and nxt is not None:
                first = self.ranges(*out[-1])
                if (
                    first
                    and _small(first)
                    and nxt.first == nxt.middle
                    and _intersect(nxt.last, nxt.only) == nxt.last
                ):
                    hi = nxt.hi if nxt.hi == sre_parse.MAXREPEAT else nxt.hi + 1
                    out[-1] = (_RUN, _Run(nxt.middle, first, nxt.last, first, nxt.lo + 1, hi))
                    continue
            out.append(item)
        return out

    def sequence(self, items: list[Any]) -> SearchStrategy[str] | None:
        if any(op is sre_parse.ASSERT or op is sre_parse.ASSERT_NOT for op, _ in items):
            self.assertions = True  # hoisting may drop them; the whole value is checked then
        items = _hoist_anchors(items)
        pieces: list[str | SearchStrategy[str]] = []
        for op, av in items:
            if op is sre_parse.LITERAL:
                if pieces and isinstance(pieces[-1], str):
                    pieces[-1] += chr(av)
                else:
                    pieces.append(chr(av))
                continue
            part = self.node(op, av)
            if part is None:
                return None
            pieces.append(part)
        parts = [p for p in pieces if not isinstance(p, str)]
        if not parts:
            return st.just("".join(pieces))  # type: ignore[arg-type]
        if len(pieces) == 1:
            return parts[0]
        # Literals go into the join instead of costing a draw each.
        template = "".join("%s" if not isinstance(p, str) else p.replace("%", "%%") for p in pieces)
        return _apply(lambda *values: template % values, *parts)

    def node(self, op: Any, av: Any) -> SearchStrategy[str] | None:
        if _is_char((op, av)):
            return _chars(self.ranges(op, av))
        if op is _RUN:
            return self.run(av)
        if op is sre_parse.MAX_REPEAT or op is sre_parse.MIN_REPEAT:
            rep_lo, rep_hi, sub = av
            max_size = None if rep_hi == sre_parse.MAXREPEAT else rep_hi
            if len(sub) == 1 and _is_char(sub[0]):
                chars = _chars(self.ranges(*sub[0]))
                if chars is None:
                    return st.just("") if rep_lo == 0 else None
                return _text_of(chars, rep_lo, max_size)
            inner = self.sequence(list(sub))
            if inner is None:
                return st.just("") if rep_lo == 0 else None
            return _apply("".join, st.lists(inner, min_size=rep_lo, max_size=max_size))
        if op is sre_parse.SUBPATTERN:
            _group, add_flags, del_flags, sub = av
            if add_flags & (re.IGNORECASE | re.VERBOSE) or del_flags:
                raise _NotCompilable("inline flags")
            return self.sequence(list(sub))
        if op is sre_parse.BRANCH:
            branches = [list(branch) for branch in av[1]]
            if all(op_ is sre_parse.LITERAL for branch in branches for op_, _ in branch):
                return st.sampled_from(["".join(chr(c) for _, c in branch) for branch in branches])
            options = [self.sequence(branch) for branch in branches]
            usable = [o for o in options if o is not None]
            return st.one_of(usable) if usable else None
        if op in (sre_parse.ASSERT, sre_parse.ASSERT_NOT, sre_parse.AT):
            # Zero-width (Java's \\b becomes lookarounds): generate around it, then check the whole value.
            self.assertions = True
            return st.just("")
        raise _NotCompilable(str(op))

    def run(self, run: _Run) -> SearchStrategy[str] | None:
        chars = _chars(run.middle)
        if chars is None:
            return st.just("") if run.lo == 0 else None
        text = _text_of(chars, run.lo, None if run.hi == sre_parse.MAXREPEAT else run.hi)
        fix = _end_fixer(run)
        return text if fix is None else _apply(fix, text)

    def ranges(self, op: Any, av: Any) -> _Ranges:
        if op is sre_parse.LITERAL:
            wanted: _Ranges = ((av, av),)
        elif op is sre_parse.NOT_LITERAL:
            wanted = _complement(((av, av),))
        elif op is sre_parse.ANY:
            wanted = _everything() if self.flags & re.DOTALL else _complement(((0x0A, 0x0A),))
        elif op is sre_parse.CATEGORY:
            wanted = _category(str(av), bool(self.flags & re.ASCII))
        else:  # IN
            negate = False
            collected: list[tuple[int, int]] = []
            for item_op, item_av in av:
                if item_op is sre_parse.NEGATE:
                    negate = True
                elif item_op is sre_parse.LITERAL:
                    collected.append((item_av, item_av))
                elif item_op is sre_parse.RANGE:
                    collected.append(item_av)
                elif item_op is sre_parse.CATEGORY:
                    collected.extend(_category(str(item_av), bool(self.flags & re.ASCII)))
                else:
                    raise _NotCompilable(str(item_op))
            wanted = _normalize(collected)
            if negate:
                wanted = _complement(wanted)
        return _intersect(wanted, _ALPHABETS[self.kind])


def _apply(function: Callable[..., Any], *parts: SearchStrategy[Any]) -> SearchStrategy[Any]:
    """``st.tuples(*parts).map(function)`` unpacked, in one cheap draw.

    ``.map`` costs a span, a warnings context and a recorded call per draw; hot paths (every pattern
    piece, every structure) use this composite instead.
    """

    drawers = [_drawer(part) for part in parts]

    @st.composite
    def applied(draw: st.DrawFn) -> Any:
        return function(*[drawer(draw) for drawer in drawers])

    strategy = applied()
    setattr(strategy, _INLINE, (function, drawers))
    return strategy


# Where :func:`_apply` keeps its function and parts, so enclosing draws can skip its own span.
_INLINE = "_botocontract_inline"


def _drawer(strategy: SearchStrategy[Any]) -> Callable[[st.DrawFn], Any]:
    """How to draw ``strategy`` inside another draw, inlining :func:`_apply`'s composites."""
    inline = getattr(strategy, _INLINE, None)
    if inline is None:
        return lambda draw: draw(strategy)
    function, drawers = inline
    return lambda draw: function(*[drawer(draw) for drawer in drawers])


def _hoist_anchors(items: list[Any]) -> list[Any]:
    """Drop what may be empty before an inner ``^`` (or after an inner ``$``), and the anchor itself.

    Patterns like ``.*(^waba-[0-9]+$).*`` only match with the outer ``.*`` empty; generating them
    empty keeps such values matching instead of leaving the anchors to chance.
    """
    starts = [i for i, item in enumerate(items) if _leads_with(item, start=True)]
    ends = [i for i, item in enumerate(items) if _leads_with(item, start=False)]
    first, last = (starts[-1] if starts else 0), (ends[0] if ends else len(items) - 1)
    if not (starts or ends) or first > last:
        return items
    before, after = items[:first], items[last + 1 :]
    if any(_min_width(i) for i in before + after):
        return items  # the anchor cannot hold; leave it to the final check
    return [_strip_anchor(item) for item in items[first : last + 1]]


def _leads_with(item: Any, *, start: bool) -> bool:
    op, av = item
    if op is sre_parse.AT:
        return _is_anchor(item, start=start)
    if op is sre_parse.SUBPATTERN:
        sub = list(av[3])
        return bool(sub) and _leads_with(sub[0] if start else sub[-1], start=start)
    return False


def _strip_anchor(item: Any) -> Any:
    op, av = item
    if op is sre_parse.AT and (_is_anchor(item, start=True) or _is_anchor(item, start=False)):
        return (sre_parse.SUBPATTERN, (None, 0, 0, sre_parse.SubPattern(sre_parse.State(), [])))
    if op is sre_parse.SUBPATTERN:
        group, add, delete, sub = av
        data = list(sub)
        if data and _leads_with(data[0], start=True):
            data[0] = _strip_anchor(data[0])
        if data and _leads_with(data[-1], start=False):
            data[-1] = _strip_anchor(data[-1])
        return (op, (group, add, delete, data))
    return item


def _min_width(item: Any) -> int:
    try:
        return _width([item])[0]
    except Exception:
        return 1


def _width(items: list[Any]) -> tuple[int, int]:
    """``SubPattern.getwidth`` for rewritten trees (plain lists, folded runs)."""
    lo = hi = 0
    for op, av in items:
        if op is _RUN:
            item_lo, item_hi = av.lo, av.hi
        elif op is sre_parse.SUBPATTERN:
            item_lo, item_hi = _width(list(av[3]))
        elif op is sre_parse.BRANCH:
            widths = [_width(list(branch)) for branch in av[1]]
            item_lo, item_hi = min(w[0] for w in widths), max(w[1] for w in widths)
        elif op is sre_parse.MAX_REPEAT or op is sre_parse.MIN_REPEAT:
            sub_lo, sub_hi = _width(list(av[2]))
            item_lo, item_hi = sub_lo * av[0], sub_hi * av[1]
        else:
            try:
                item_lo, item_hi = sre_parse.SubPattern(sre_parse.State(), [(op, av)]).getwidth()
            except Exception as error:  # back-references and the like
                raise _NotCompilable(str(op)) from error
        lo, hi = lo + item_lo, hi + item_hi
    return min(lo, sre_parse.MAXREPEAT - 1), min(hi, sre_parse.MAXREPEAT)


def _unbounded_width(item: Any) -> int:
    """The width of one repetition of an unbounded repeat of fixed-width pieces, else 0."""
    op, av = item
    if op is _RUN:
        return 1 if av.hi == sre_parse.MAXREPEAT else 0
    if (op is sre_parse.MAX_REPEAT or op is sre_parse.MIN_REPEAT) and av[1] == sre_parse.MAXREPEAT:
        sub_lo, sub_hi = _width(list(av[2]))
        if 0 < sub_lo == sub_hi < sre_parse.MAXREPEAT:
            return int(sub_lo)
    return 0


def _as_run(builder: _RegexBuilder, item: Any) -> _Run | None:
    """A run item, or a repeated character class seen as one (same class at both ends)."""
    op, av = item
    if op is _RUN:
        return av  # type: ignore[no-any-return]
    if (op is sre_parse.MAX_REPEAT or op is sre_parse.MIN_REPEAT) and av[1] >= 1:
        sub = list(av[2])
        if len(sub) == 1 and _is_char(sub[0]):
            chars = builder.ranges(*sub[0])
            if chars and _small(chars):
                return _Run(chars, chars, chars, chars, av[0], av[1])
    return None


def _small(ranges: _Ranges) -> bool:
    """Few enough characters to test membership in (and pick replacements from) a set."""
    return sum(hi - lo + 1 for lo, hi in ranges) <= 4096


def _end_fixer(run: _Run) -> Callable[[str], str] | None:
    """Replaces a first/last/only character outside its class by one inside, chosen from the drawn one."""
    if run.first == run.middle and run.last == run.middle and run.only == run.middle:
        return None

    def pool(ranges: _Ranges) -> tuple[frozenset[str] | None, tuple[str, ...]]:
        if ranges == run.middle:
            return None, ()
        chars = tuple(chr(cp) for lo, hi in ranges for cp in range(lo, hi + 1))
        return frozenset(chars), chars

    first, first_pool = pool(run.first)
    last, last_pool = pool(run.last)
    only, only_pool = pool(run.only)

    def fix(value: str) -> str:
        n = len(value)
        if n == 1:
            if only is not None and value not in only:
                return only_pool[ord(value) % len(only_pool)]
            return value
        if n:
            if first is not None and value[0] not in first:
                value = first_pool[ord(value[0]) % len(first_pool)] + value[1:]
            if last is not None and value[-1] not in last:
                value = value[:-1] + last_pool[ord(value[-1]) % len(last_pool)]
        return value

    return fix


def _is_anchor(item: Any, *, start: bool) -> bool:
    op, av = item
    if op is not sre_parse.AT:
        return False
    names = ("AT_BEGINNING", "AT_BEGINNING_STRING") if start else ("AT_END", "AT_END_STRING")
    return str(av) in names


def _is_char(item: Any) -> bool:
    return item[0] in (
        sre_parse.LITERAL,
        sre_parse.NOT_LITERAL,
        sre_parse.ANY,
        sre_parse.IN,
        sre_parse.CATEGORY,
    )


def _everything() -> _Ranges:
    return ((0, _MAX_CODE_POINT),)


@lru_cache(maxsize=16)
def _category(name: str, ascii_only: bool) -> _Ranges:
    """Python's ``\\d``, ``\\w``, ``\\s`` and their negations as code-point ranges."""
    negated = "_NOT_" in name
    base = name.replace("_NOT", "")
    if ascii_only:
        table = {
            "CATEGORY_DIGIT": ((0x30, 0x39),),
            "CATEGORY_WORD": ((0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)),
            "CATEGORY_SPACE": ((0x09, 0x0D), (0x20, 0x20)),
        }
        if base not in table:
            raise _NotCompilable(name)
        ranges = table[base]
    else:
        tests: dict[str, Callable[[str], bool]] = {
            "CATEGORY_DIGIT": str.isdecimal,
            "CATEGORY_WORD": lambda c: c.isalnum() or c == "_",
            "CATEGORY_SPACE": str.isspace,
        }
        if base not in tests:
            raise _NotCompilable(name)
        ranges = _normalize((cp, cp) for cp in _assigned() if tests[base](chr(cp)))
    return _complement(ranges) if negated else ranges


@lru_cache(maxsize=4096)
def _chars(ranges: _Ranges) -> SearchStrategy[str] | None:
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
        return st.characters(min_codepoint=lo, max_codepoint=hi, codec="utf-8", exclude_characters=excluded)
    by_category = _as_categories(ranges)
    if by_category is not None:
        categories, extra = by_category
        return st.characters(codec="utf-8", categories=categories, include_characters=extra)
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


def _as_categories(ranges: _Ranges) -> tuple[list[str], str] | None:
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
def _category_ranges() -> dict[str, _Ranges]:
    """Code-point ranges of each Unicode category, for the assigned planes (Cn, Co, Cs are left out)."""
    spans: dict[str, list[tuple[int, int]]] = {}
    for cp in _assigned():
        category = unicodedata.category(chr(cp))
        runs = spans.setdefault(category, [])
        if runs and runs[-1][1] == cp - 1:
            runs[-1] = (runs[-1][0], cp)
        else:
            runs.append((cp, cp))
    return {cat: tuple(runs) for cat, runs in spans.items() if cat not in ("Cn", "Co", "Cs")}


def _assigned() -> Iterable[int]:
    """Code points that can hold anything but unassigned or private-use characters."""
    return itertools.chain(range(0x323B0), range(0xE0000, 0xE01F0))


def _text_of(chars: SearchStrategy[str], min_size: int, max_size: int | None) -> SearchStrategy[str]:
    """``st.text`` when ``chars`` is an alphabet it accepts, else a joined list of characters."""
    if _is_alphabet(chars):
        return st.text(chars, min_size=min_size, max_size=max_size)
    return _apply("".join, st.lists(chars, min_size=min_size, max_size=max_size))


def _is_alphabet(chars: SearchStrategy[str]) -> bool:
    return id(chars) not in _NOT_ALPHABETS


# ids of the (cached, so long-lived) character strategies that ``st.text`` would refuse.
_NOT_ALPHABETS: set[int] = set()


# ------------------------------------------------------------------------------------------ compiler

_DEPTH = threading.local()


def _depth_guard(
    name: str, full: SearchStrategy[Any], leaf: Callable[[], SearchStrategy[Any] | None], max_depth: int
) -> SearchStrategy[Any]:
    """Draw ``full`` until shape ``name`` nests ``max_depth`` deep, then its non-recursive ``leaf`` form.

    Depth is counted per shape name, so a cycle through helper shapes (DynamoDB's ``AttributeValue``
    -> ``MapAttributeValue`` -> ``AttributeValue``) still nests ``max_depth`` levels of the value.
    """
    leaf_cache: list[SearchStrategy[Any] | None] = []

    @st.composite
    def guarded(draw: st.DrawFn) -> Any:
        counts: dict[str, int] = _DEPTH.__dict__.setdefault("counts", {})
        depth = counts.get(name, 0)
        if depth >= max_depth:
            if not leaf_cache:
                leaf_cache.append(leaf())
            if leaf_cache[0] is not None:
                return draw(leaf_cache[0])
        counts[name] = depth + 1
        try:
            return draw(full)
        finally:
            counts[name] = depth

    return guarded()


def recursive_shapes(raw_shapes: dict[str, Any]) -> frozenset[str]:
    """Names of shapes that can contain themselves (strongly connected components, iterative Tarjan)."""
    edges = {name: _refs(body) for name, body in raw_shapes.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    result: set[str] = set()
    counter = 0
    for root in edges:
        if root in index:
            continue
        work = [(root, iter(edges[root]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in edges:
                    continue
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges[child])))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        top = stack.pop()
                        on_stack.discard(top)
                        component.append(top)
                        if top == node:
                            break
                    if len(component) > 1 or node in edges[node]:
                        result.update(component)
    return frozenset(result)


def _refs(body: dict[str, Any]) -> list[str]:
    refs = [m["shape"] for m in body.get("members", {}).values()]
    refs += [body[k]["shape"] for k in ("member", "key", "value") if k in body]
    return refs


class ShapeCompiler:
    """Compiles the shapes of one service model into strategies, one per shape name (cached).

    Recursive shapes get one ``st.deferred`` each, behind a depth guard, so DynamoDB's
    ``AttributeValue`` stays finite and shrinks toward its non-recursive members.
    """

    def __init__(self, service: str, model: ServiceModel, max_depth: int = DEFAULT_MAX_DEPTH) -> None:
        self.service = service
        self.model = model
        self.max_depth = max_depth
        self.protocol = str(model.metadata.get("protocol", "json"))
        self.kind = "xml" if self.protocol in _XML_PROTOCOLS else "json"
        self.recursive = recursive_shapes(model._service_description.get("shapes", {}))
        operations = model._service_description.get("operations", {})
        self.output_roots = {op["output"]["shape"] for op in operations.values() if "output" in op}
        self.counts: Counter[str] = Counter()
        self._named: dict[str, SearchStrategy[Any] | None] = {}
        self._leaf: dict[str, SearchStrategy[Any] | None] = {}
        self._string_notes: dict[str, StringPlan] = {}

    # -- entry points

    def operation(self, operation: str, direction: str) -> SearchStrategy[dict[str, Any]]:
        """Strategy for an operation's ``"request"`` or ``"response"`` dict, with path overrides."""
        op = self.model.operation_model(operation)
        shape = op.input_shape if direction == "request" else op.output_shape
        if shape is None:
            return st.just({})
        paths = overrides.path_overrides(self.service, operation)
        if paths:
            return self._at(shape, (), paths)
        strategy = self.value(shape)
        assert strategy is not None
        return strategy

    def value(self, shape: Shape, leaf: bool = False) -> SearchStrategy[Any] | None:
        """Strategy for a shape as referenced by a member (member traits such as location apply)."""
        override = overrides.shape_override(self.service, shape.name)
        if override is not None:
            return override
        ser = shape.serialization
        location = ser.get("location")
        if shape.type_name == "string" and ser.get("jsonvalue"):
            if location == "header":
                return _document()  # boto3 takes the Python value and JSON-encodes it into the header
            return self._json_text(shape)
        if ser.get("hostLabel"):
            if shape.metadata.get("pattern") or shape.metadata.get("enum"):
                # Part of the endpoint's host name: the model's values, as far as DNS allows.
                # (A lambda: hypothesis would rewrite a bare ``fullmatch`` filter into a regex strategy.)
                return self._string(shape, self.kind).filter(lambda v: _LABEL.fullmatch(v) is not None)
            return self._string(shape, "label")
        if location == "statusCode":
            return st.integers(200, 299)
        if location in ("header", "headers"):
            return self._build(shape, leaf, kind="header")
        if shape.name in self.recursive:
            if leaf:
                return None
            if shape.name not in self._named:
                self._named[shape.name] = self._recursive(shape)
            return self._named[shape.name]
        if shape.name not in self._named:
            self._named[shape.name] = self._build(shape, False, self.kind)
        return self._named[shape.name]

    def string_plan(self, shape: Shape, kind: str | None = None) -> StringPlan:
        """The string plan (pattern + lengths) of a string shape; also counted for :func:`stats`."""
        kind = kind or self.kind
        key = f"{shape.name}\0{kind}"
        plan = self._string_notes.get(key)
        if plan is None:
            meta = shape.metadata
            plan = string_plan(meta.get("pattern"), int(meta.get("min", 0)), _opt_int(meta.get("max")), kind)
            self._string_notes[key] = plan
            if plan.pattern_status and kind == self.kind:
                self.counts[f"pattern_{plan.pattern_status}"] += 1
                if plan.conflict:
                    self.counts["pattern_length_conflict"] += 1
                if plan.lookarounds:
                    self.counts["pattern_lookarounds_approximated"] += 1
        return plan

    # -- building

    def _events(self, stream: Shape) -> SearchStrategy[list[dict[str, Any]]]:
        """A response event stream as the events iterating boto3's ``EventStream`` yields.

        Each event is a one-key dict ``{EventName: {...}}``; modelled error events are left out.
        """
        events = []
        for name, event in stream.members.items():
            if event.metadata.get("exception"):
                continue
            strategy = self.value(event)
            if strategy is not None:
                events.append(st.fixed_dictionaries({name: strategy}))
        return st.lists(st.one_of(events), max_size=2) if events else st.just([])

    def _json_text(self, shape: Shape) -> SearchStrategy[str]:
        """A body string marked ``jsonvalue``: boto3 passes it through, so it is JSON text already."""
        low, high = int(shape.metadata.get("min", 0)), _opt_int(shape.metadata.get("max"))
        text = _document().map(lambda v: json.dumps(v, ensure_ascii=False))
        return text.filter(lambda s: low <= len(s) and (high is None or len(s) <= high))

    def _recursive(self, shape: Shape) -> SearchStrategy[Any]:
        name = shape.name
        self.counts["recursive_shapes_used"] += 1

        def full() -> SearchStrategy[Any]:
            built = self._build(shape, False, self.kind)
            assert built is not None
            return built

        def leaf() -> SearchStrategy[Any] | None:
            if name not in self._leaf:
                self._leaf[name] = self._build(shape, True, self.kind)
            return self._leaf[name]

        return _depth_guard(name, st.deferred(full), leaf, self.max_depth)

    def _build(self, shape: Shape, leaf: bool, kind: str) -> SearchStrategy[Any] | None:
        t = shape.type_name
        meta = shape.metadata
        if t == "structure":
            if shape.is_document_type:
                return _document()
            return self._structure(shape, lambda name, m: self.value(m, leaf))
        if t == "list":
            member = (
                self.value(shape.member, leaf) if kind != "header" else self._build(shape.member, leaf, kind)
            )
            return _sized(st.lists, member, meta, [], _compound(shape.member))
        if t == "map":
            value = (
                self.value(shape.value, leaf) if kind != "header" else self._build(shape.value, leaf, kind)
            )
            key_kind = "header_key" if kind == "header" else kind
            keys = self._string(shape.key, key_kind)
            return _sized(
                lambda v, **kw: st.dictionaries(keys, v, **kw), value, meta, {}, _compound(shape.value)
            )
        if t == "string":
            return self._string(shape, kind)
        return _scalar(shape)

    def _string(self, shape: Shape, kind: str) -> SearchStrategy[str]:
        enum = shape.metadata.get("enum")
        if kind == "label":
            return _python_regex(r"[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?")
        if kind == "header_key":
            # Header names travel case-insensitively: lower-case token characters round-trip.
            return _python_regex(r"[a-z0-9][a-z0-9-]{0,15}")
        if enum:
            values = [v for v in enum if kind != "header" or _header_safe(v)]
            return st.sampled_from(values or enum)
        return self.string_plan(shape, kind).strategy

    def _structure(
        self, shape: Shape, member_strategy: Callable[[str, Shape], SearchStrategy[Any] | None]
    ) -> SearchStrategy[dict[str, Any]] | None:
        required_names = set(shape.required_members)
        required: dict[str, SearchStrategy[Any]] = {}
        optional: dict[str, SearchStrategy[Any]] = {}
        for name, member in shape.members.items():
            if member.serialization.get("eventstream"):
                if shape.name not in self.output_roots:
                    continue  # boto3 cannot send an event stream
                strategy: SearchStrategy[Any] | None = self._events(member)
            else:
                strategy = member_strategy(name, member)
            if strategy is None:
                if name in required_names and not shape.is_tagged_union:
                    return None
                continue
            # An event's payload member is its message body, which the wire always carries.
            present = name in required_names or bool(member.serialization.get("eventpayload"))
            (required if present else optional)[name] = strategy
        if shape.is_tagged_union:
            choices = [st.fixed_dictionaries({n: s}) for n, s in {**required, **optional}.items()]
            return st.one_of(choices) if choices else None
        return _members(required, optional)

    def _at(
        self, shape: Shape, path: tuple[str, ...], paths: dict[tuple[str, ...], SearchStrategy[Any]]
    ) -> SearchStrategy[Any] | None:
        """Like :meth:`value`, rebuilding only the parts of the tree that path overrides reach."""
        if path and path in paths:
            return paths[path]
        if not any(len(k) > len(path) and k[: len(path)] == path for k in paths):
            return self.value(shape)
        t = shape.type_name
        if t == "structure" and not shape.is_document_type:
            return self._structure(shape, lambda name, m: self._at(m, (*path, name), paths))
        if t == "list":
            member = self._at(shape.member, path, paths)
            return _sized(st.lists, member, shape.metadata, [], _compound(shape.member))
        if t == "map":
            return _sized(
                lambda v, **kw: st.dictionaries(self._string(shape.key, self.kind), v, **kw),
                self._at(shape.value, path, paths),
                shape.metadata,
                {},
                _compound(shape.value),
            )
        return self.value(shape)


#: Optional members are chosen by the bits of one integer draw per this many members.
_MASK_BITS = 30


def _members(
    required: dict[str, SearchStrategy[Any]], optional: dict[str, SearchStrategy[Any]]
) -> SearchStrategy[dict[str, Any]]:
    """A structure's dict: every required member, and the optional ones an integer's bits pick.

    One draw chooses up to 30 optional members, where ``fixed_dictionaries`` spends two draws per
    member it adds (about twice the cost on SageMaker-sized shapes). The integer shrinks toward 0, so
    minimal examples still hold the required members only.
    """
    if not required and not optional:
        return st.just({})
    fixed = [(name, _drawer(strategy)) for name, strategy in required.items()]
    Drawers = tuple[tuple[str, Callable[[st.DrawFn], Any]], ...]
    groups: list[tuple[SearchStrategy[int], Drawers]] = []

    def choices() -> list[tuple[SearchStrategy[int], Drawers]]:
        if not groups:  # lazily: emptiness of (deferred, recursive) members is known only at draw time
            usable = [(k, _drawer(v)) for k, v in optional.items() if not v.is_empty]
            for start in range(0, len(usable), _MASK_BITS):
                chunk = tuple(usable[start : start + _MASK_BITS])
                groups.append((st.integers(0, 2 ** len(chunk) - 1), chunk))
        return groups

    @st.composite
    def draw_members(draw: st.DrawFn) -> dict[str, Any]:
        out = {name: drawer(draw) for name, drawer in fixed}
        for mask_strategy, chunk in choices():
            mask = draw(mask_strategy)
            for i, (name, drawer) in enumerate(chunk):
                if mask >> i & 1:
                    out[name] = drawer(draw)
        return out

    return draw_members()


def _compound(shape: Shape) -> bool:
    return shape.type_name in ("structure", "list", "map")


def _opt_int(value: Any) -> int | None:
    return None if value is None else int(value)


def _sized(
    make: Callable[..., SearchStrategy[Any]],
    element: SearchStrategy[Any] | None,
    meta: dict[str, Any],
    empty: list[Any] | dict[str, Any],
    compound: bool = False,
) -> SearchStrategy[Any] | None:
    """A list or map strategy; with no possible element (recursion cut off) only the empty one."""
    min_size = int(meta.get("min", 0))
    slack = COMPOUND_SLACK if compound else COLLECTION_SLACK
    max_size = min(int(meta.get("max", 2**31)), min_size + slack)
    if element is None:
        return st.just(empty) if min_size == 0 else None
    return make(element, min_size=min_size, max_size=max_size)


def _scalar(shape: Shape) -> SearchStrategy[Any]:
    t = shape.type_name
    meta = shape.metadata
    if t in _INT_RANGES:
        lo, hi = _INT_RANGES[t]
        return st.integers(max(lo, _ceil(meta.get("min", lo))), min(hi, _floor(meta.get("max", hi))))
    if t in ("float", "double"):
        return st.floats(
            min_value=meta.get("min"),
            max_value=meta.get("max"),
            allow_nan=False,
            allow_infinity=False,
            width=32 if t == "float" else 64,
        )
    if t == "boolean":
        return st.booleans()
    if t == "timestamp":
        return _timestamps()
    if t == "blob":
        min_size = int(meta.get("min", 0))
        max_size = min(int(meta.get("max", 2**31)), min_size + 256)
        return st.binary(min_size=min_size, max_size=max_size)
    raise ValueError(f"shape {shape.name!r} has type {t!r}, which botocore does not define")


def _ceil(value: Any) -> int:
    return int(value) if float(value) == int(value) else int(value) + 1


def _floor(value: Any) -> int:
    return int(value)


@lru_cache(maxsize=1)
def _timestamps() -> SearchStrategy[datetime]:
    return _apply(lambda s: datetime.fromtimestamp(s, timezone.utc), st.integers(*_EPOCH_RANGE))


_XML_CHARS = _chars(_ALPHABETS["xml"])
assert _XML_CHARS is not None


@lru_cache(maxsize=1)
def _document() -> SearchStrategy[Any]:
    """JSON-like values: what document shapes and ``jsonvalue`` headers carry."""
    keys = st.text(string.ascii_letters + string.digits + "_-", max_size=12)
    leaves = (
        st.none()
        | st.booleans()
        | st.integers(-(2**53), 2**53)
        | st.floats(allow_nan=False, allow_infinity=False)
        | _text_of(_XML_CHARS, 0, 20)
    )
    return st.recursive(
        leaves,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=3),
        max_leaves=8,
    )


# ---------------------------------------------------------------------------------------- public API

_COMPILERS: dict[tuple[str, str, int, int], ShapeCompiler] = {}
_OPERATIONS: dict[tuple[str, str, str, str, int, int], SearchStrategy[Any]] = {}
_LOCK = threading.Lock()


def compiler_for(
    service: str, source: Any = "installed", max_depth: int = DEFAULT_MAX_DEPTH
) -> ShapeCompiler:
    """The shared (cached) compiler of one service in one source under the current overrides."""
    key = (_source_key(source), service, max_depth, overrides.generation())
    with _LOCK:
        compiler = _COMPILERS.get(key)
        if compiler is None:
            compiler = _COMPILERS[key] = ShapeCompiler(service, service_model(service, source), max_depth)
        return compiler


def operation_strategy(
    service: str,
    operation: str,
    direction: str,
    source: Any = "installed",
    max_depth: int = DEFAULT_MAX_DEPTH,
) -> SearchStrategy[dict[str, Any]]:
    """The compiled (cached) strategy; :func:`requests` and :func:`responses` defer to this."""
    key = (_source_key(source), service, operation, direction, max_depth, overrides.generation())
    strategy = _OPERATIONS.get(key)
    if strategy is None:
        compiler = compiler_for(service, source, max_depth)
        with _LOCK:
            strategy = _OPERATIONS[key] = compiler.operation(operation, direction)
    return strategy


def requests(
    service: str, operation: str, source: Any = "installed", *, max_depth: int = DEFAULT_MAX_DEPTH
) -> SearchStrategy[dict[str, Any]]:
    """Request parameters for ``service.operation`` exactly as a boto3 client method takes them.

    Required members are always present, optional ones come and go (so shrinking drops them); enums,
    lengths, ranges and patterns hold; unions carry exactly one member. Cheap to call: the model is
    looked up (unknown names raise :class:`~botocontract.errors.UnknownNameError` here), the shape walk
    waits for the first draw. Streaming blobs are ``bytes``; boto3 also takes file objects there.
    """
    operation_model(service, operation, source)
    return st.deferred(lambda: operation_strategy(service, operation, "request", source, max_depth))


def responses(
    service: str, operation: str, source: Any = "installed", *, max_depth: int = DEFAULT_MAX_DEPTH
) -> SearchStrategy[dict[str, Any]]:
    """Parsed responses of ``service.operation`` as boto3 returns them (without ``ResponseMetadata``).

    Timestamps are timezone-aware UTC; streaming blobs are ``bytes`` where boto3 hands out a
    ``StreamingBody``; event streams are lists of ``{EventName: {...}}`` events. Every member is
    generated wherever the protocol would place it (headers, status code, payload): placement is the
    wire encoders' job.
    """
    operation_model(service, operation, source)
    return st.deferred(lambda: operation_strategy(service, operation, "response", source, max_depth))


def iter_operations(model: ServiceModel) -> Iterable[str]:
    return list(model.operation_names)
