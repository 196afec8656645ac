"""Requests with exactly one constraint broken, for negative testing.

A server (or emulator) should reject each of these, and say why. Breakages come from the shape: a
required member left out, a value of the wrong Python type, an enum value outside the set, a string,
list, map or blob too long or too short, a string the pattern does not match, a number out of range, a
union with two members. Only breakages the operation's input actually has are drawn, and everything
around the broken spot stays valid (checked against botocore's ``ParamValidator`` in the tests).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from botocore.model import Shape
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from botocontract.generators.strategies import DEFAULT_MAX_DEPTH, ShapeCompiler, compiler_for
from botocontract.generators.strings import string_plan, translate_pattern
from botocontract.specs.cache import Memo
from botocontract.specs.lookup import operation_model

if TYPE_CHECKING:
    from botocontract.specs.sources import SourceLike

__all__ = ["RULES", "InvalidRequest", "breakage_sites", "invalid_requests"]

#: Every rule an :class:`InvalidRequest` can carry.
#: Every rule an :class:`InvalidRequest` can carry; the names of :mod:`botocontract.specs.validate`'s rules
#: (``min``/``max`` cover lengths, sizes and numeric ranges alike).
RULES = ("required", "type", "enum", "min", "max", "pattern", "union")
# Larger collections would make one example too slow to build; their size limits are left alone.
_MAX_OVERSIZE = 64
_MAX_SITES = 400
_MAX_SITE_DEPTH = 6
_PATTERN_MISSES = ("!", " ", "~", "#", "\u00e9", "\u2603", "a", "A", "0", "-")
_NUMBER_BOUNDS = {
    "integer": (-(2.0**31), 2.0**31 - 1),
    "long": (-(2.0**63), 2.0**63 - 1),
    "float": (-3.4e38, 3.4e38),
    "double": (-1.7e308, 1.7e308),
}
# A value of the wrong Python type for each botocore type (what ParamValidator reports as invalid type).
_WRONG_TYPE: dict[str, Any] = {
    "string": 12345,
    "integer": "12345",
    "long": "12345",
    "float": "1.5",
    "double": "1.5",
    "boolean": "true",
    "timestamp": ["2020-01-01T00:00:00Z"],
    "blob": 12345,
    "list": "not-a-list",
    "map": ["not-a-map"],
    "structure": "not-a-structure",
}


@dataclass(frozen=True)
class InvalidRequest:
    """``params`` breaking one ``rule`` at ``path`` (the validator's form: ``$.Containers[0].Image``)."""

    params: dict[str, Any]
    rule: str
    path: str
    description: str


@dataclass(frozen=True)
class _Site:
    steps: tuple[tuple[str, str], ...]  # ("member", name) | ("item", "") | ("value", "") | ("key", "")
    rule: str
    shape: Shape


_Drawn = tuple[Any, str, str]  # (value, path suffix, description)


def invalid_requests(
    service: str,
    operation: str,
    source: SourceLike = "installed",
    *,
    rules: tuple[str, ...] | list[str] | None = None,
) -> SearchStrategy[InvalidRequest]:
    """:class:`InvalidRequest` values for ``service.operation``, one broken constraint each.

    ``rules`` narrows the breakages (names from :data:`RULES`). An operation without any breakable
    constraint (no input members) yields nothing, so a test using it is reported as unsatisfiable.
    """
    operation_model(service, operation, source)
    chosen = tuple(rules) if rules else RULES
    unknown = [r for r in chosen if r not in RULES]
    if unknown:
        from botocontract.errors import UnknownNameError

        raise UnknownNameError("rule", unknown[0], RULES)
    return st.deferred(lambda: _compiled(service, operation, source, chosen))


_CACHE: Memo[tuple[str, str, str, tuple[str, ...], int], SearchStrategy[InvalidRequest]] = Memo(256)


def _compiled(
    service: str, operation: str, source: SourceLike, rules: tuple[str, ...]
) -> SearchStrategy[InvalidRequest]:
    compiler = compiler_for(service, source, DEFAULT_MAX_DEPTH)
    key = (str(source), service, operation, rules, id(compiler))
    found = _CACHE.get(key)
    if found is None:
        shape = compiler.model.operation_model(operation).input_shape
        sites = [s for s in breakage_sites(compiler, shape) if s.rule in rules] if shape is not None else []
        breaker = _Breaker(compiler)
        by_rule: dict[str, list[SearchStrategy[InvalidRequest]]] = {}
        for site in sites:
            built = breaker.site(shape, site)
            if built is not None:
                by_rule.setdefault(site.rule, []).append(built)
        # Rule first, then place: a model with 300 typed members still gets its one union broken.
        groups = [st.sampled_from(group).flatmap(lambda s: s) for group in by_rule.values()]
        found = _CACHE.setdefault(key, st.one_of(groups) if groups else st.nothing())
    return found


def breakage_sites(compiler: ShapeCompiler, root: Shape) -> list[_Site]:
    """Every (place, rule) the input shape can break, shallow ones first, recursion visited once."""
    sites: list[_Site] = []
    queue: list[tuple[Shape, tuple[tuple[str, str], ...], frozenset[str]]] = [(root, (), frozenset())]
    while queue and len(sites) < _MAX_SITES:
        shape, steps, seen = queue.pop(0)
        for rule in _rules_of(compiler, shape, is_root=not steps):
            sites.append(_Site(steps, rule, shape))
        if len(steps) >= _MAX_SITE_DEPTH or shape.name in seen:
            continue
        seen = seen | {shape.name}
        t = shape.type_name
        if t == "structure" and not _is_document(shape):
            for name, member in shape.members.items():
                if not member.serialization.get("eventstream"):
                    queue.append((member, (*steps, ("member", name)), seen))
        elif t == "list":
            queue.append((shape.member, (*steps, ("item", "")), seen))
        elif t == "map":
            queue.append((shape.key, (*steps, ("key", "")), seen))
            queue.append((shape.value, (*steps, ("value", "")), seen))
    return sites[:_MAX_SITES]


def _rules_of(compiler: ShapeCompiler, shape: Shape, *, is_root: bool) -> list[str]:
    meta = shape.metadata
    t = shape.type_name
    ser = shape.serialization
    if ser.get("jsonvalue"):
        return []  # any JSON value passes the project's validator: nothing to break but its text type
    rules = []
    if t == "structure" and not _is_document(shape):
        if _required(shape) and not shape.is_tagged_union:
            rules.append("required")
        if shape.is_tagged_union and len(shape.members) >= 2:
            rules.append("union")
    if not is_root and not _is_document(shape) and t in _WRONG_TYPE:
        rules.append("type")
    if t == "string":
        if meta.get("enum"):
            rules.append("enum")
        elif meta.get("pattern") and translate_pattern(meta["pattern"]).status == "exact":
            rules.append("pattern")
    if t in ("string", "list", "map", "blob") and not meta.get("enum"):
        if int(meta.get("min", 0)) > 0:
            rules.append("min")
        if "max" in meta and int(meta["max"]) < _MAX_OVERSIZE:
            rules.append("max")
    if t in _NUMBER_BOUNDS:
        low, high = _NUMBER_BOUNDS[t]
        if "min" in meta and float(meta["min"]) > low:
            rules.append("min")
        if "max" in meta and float(meta["max"]) < high:
            rules.append("max")
    return rules


class _Breaker:
    """Builds, for one site, a strategy of whole requests broken at that site and valid elsewhere."""

    def __init__(self, compiler: ShapeCompiler) -> None:
        self.compiler = compiler

    def site(self, root: Shape, site: _Site) -> SearchStrategy[InvalidRequest] | None:
        leaf = self.leaf(site)
        if leaf is None:
            return None
        built = self.walk(root, site.steps, leaf)
        if built is None:
            return None
        rule = site.rule

        def finish(drawn: _Drawn) -> InvalidRequest:
            value, path, description = drawn
            return InvalidRequest(value, rule, "$" + path, description)

        return built.map(finish)

    def normal(self, shape: Shape) -> SearchStrategy[Any]:
        strategy = self.compiler.value(shape)
        return strategy if strategy is not None else st.nothing()

    def walk(
        self, shape: Shape, steps: tuple[tuple[str, str], ...], leaf: SearchStrategy[_Drawn]
    ) -> SearchStrategy[_Drawn] | None:
        if not steps:
            return leaf
        (kind, name), rest = steps[0], steps[1:]
        if kind == "member":
            inner = self.walk(shape.members[name], rest, leaf)
            if inner is None:
                return None
            if shape.is_tagged_union:
                return inner.map(lambda d: ({name: d[0]}, f".{name}{d[1]}", d[2]))
            others = self.members(shape, exclude={name})
            return st.tuples(others, inner).map(
                lambda t: ({**t[0], name: t[1][0]}, f".{name}{t[1][1]}", t[1][2])
            )
        meta = shape.metadata
        min_size, max_size = int(meta.get("min", 0)), int(meta.get("max", 2**31))
        if max_size < 1:
            return None
        if kind == "item":
            inner = self.walk(shape.member, rest, leaf)
            if inner is None:
                return None
            count = max(min_size - 1, 0)
            before = st.lists(
                self.normal(shape.member), min_size=count, max_size=min(count + 1, max_size - 1)
            )
            return st.tuples(before, inner).map(
                lambda t: ([*t[0], t[1][0]], f"[{len(t[0])}]{t[1][1]}", t[1][2])
            )
        keys = self.normal(shape.key)
        if kind == "value":
            inner = self.walk(shape.value, rest, leaf)
            if inner is None:
                return None
            size = max(min_size, 1)
            full = st.dictionaries(keys, self.normal(shape.value), min_size=size, max_size=size)
            return st.tuples(full, inner).map(_replace_first_value)
        inner = self.walk(shape.key, rest, leaf)  # a broken key
        if inner is None:
            return None
        others = st.dictionaries(
            keys, self.normal(shape.value), min_size=max(min_size - 1, 0), max_size=max(min_size - 1, 0)
        )
        return st.tuples(others, inner, self.normal(shape.value)).map(
            lambda t: ({**t[0], t[1][0]: t[2]}, f"[{t[1][0]!r}]", t[1][2])
        )

    def members(
        self, shape: Shape, exclude: set[str], drop_required: str | None = None
    ) -> SearchStrategy[dict[str, Any]]:
        required: dict[str, SearchStrategy[Any]] = {}
        optional: dict[str, SearchStrategy[Any]] = {}
        for member_name, member in shape.members.items():
            if (
                member_name in exclude
                or member_name == drop_required
                or member.serialization.get("eventstream")
            ):
                continue
            strategy = self.normal(member)
            (required if member_name in _required(shape) else optional)[member_name] = strategy
        return st.fixed_dictionaries(required, optional=optional)

    # -- the broken spot itself

    def leaf(self, site: _Site) -> SearchStrategy[_Drawn] | None:
        handler: Callable[[Shape], SearchStrategy[_Drawn] | None] = getattr(self, f"break_{site.rule}")
        return handler(site.shape)

    def break_required(self, shape: Shape) -> SearchStrategy[_Drawn] | None:
        choices = [
            self.members(shape, exclude=set(), drop_required=name).map(_missing(name))
            for name in _required(shape)
        ]
        return st.one_of(choices)

    def break_union(self, shape: Shape) -> SearchStrategy[_Drawn] | None:
        names = list(shape.members)
        pairs = [(a, b) for i, a in enumerate(names) for b in names[i + 1 :]]

        def two(pair: tuple[str, str]) -> SearchStrategy[_Drawn]:
            a, b = pair
            return st.fixed_dictionaries(
                {a: self.normal(shape.members[a]), b: self.normal(shape.members[b])}
            ).map(lambda d: (d, "", f"union {shape.name} has two members set: {a}, {b}"))

        return st.sampled_from(pairs).flatmap(two)

    def break_type(self, shape: Shape) -> SearchStrategy[_Drawn] | None:
        wrong = _WRONG_TYPE[shape.type_name]
        return st.just((wrong, "", f"{type(wrong).__name__} where {shape.type_name} {shape.name} belongs"))

    def break_enum(self, shape: Shape) -> SearchStrategy[_Drawn] | None:
        """A string that meets the length and pattern but is not one of the values."""
        meta = shape.metadata
        enum = set(meta["enum"])
        low, high = int(meta.get("min", 0)), _int_or_none(meta.get("max"))
        regex = _search_regex(meta["pattern"]) if meta.get("pattern") else None

        def fits(s: str) -> bool:
            ok_length = low <= len(s) and (high is None or len(s) <= high)
            return ok_length and s not in enum and (regex is None or regex.search(s) is not None)

        # Near misses first: they are what a lenient server would wrongly accept.
        near = [m for v in sorted(enum) for m in (v.lower(), v + "X", "X" + v, v[:-1], v.swapcase())]
        candidates = list(dict.fromkeys(m for m in near if fits(m)))
        options: list[SearchStrategy[str]] = [st.sampled_from(candidates)] if candidates else []
        if regex is None:
            options.append(string_plan(None, low, high, self._kind(shape)).strategy.filter(fits))
        if not options:
            return None
        return st.one_of(options).map(lambda s: (s, "", f"{s!r} is not one of {shape.name}'s values"))

    def break_max(self, shape: Shape) -> SearchStrategy[_Drawn] | None:
        limit = shape.metadata["max"]
        if shape.type_name in _NUMBER_BOUNDS:
            return self._number(shape, above=limit)
        return self._sized(shape, int(limit) + 1, int(limit) + 3, f"longer than the maximum {limit}")

    def break_min(self, shape: Shape) -> SearchStrategy[_Drawn] | None:
        limit = shape.metadata["min"]
        if shape.type_name in _NUMBER_BOUNDS:
            return self._number(shape, below=limit)
        return self._sized(shape, 0, int(limit) - 1, f"shorter than the minimum {limit}")

    def _number(self, shape: Shape, below: Any = None, above: Any = None) -> SearchStrategy[_Drawn]:
        low, high = _NUMBER_BOUNDS[shape.type_name]
        integral = shape.type_name in ("integer", "long")
        if below is not None:
            lo, hi = max(low, float(below) - 1000), float(below)
            what = f"below the minimum {below}"
        else:
            lo, hi = float(above), min(high, float(above) + 1000)
            what = f"above the maximum {above}"
        values: SearchStrategy[Any]
        if integral and below is not None:
            values = st.integers(math.ceil(lo), math.ceil(hi) - 1)
        elif integral:
            values = st.integers(math.floor(lo) + 1, math.floor(hi))
        else:
            values = st.floats(lo, hi, exclude_min=above is not None, exclude_max=below is not None)
        return values.map(lambda v: (v, "", f"{v} is {what}"))

    def _sized(self, shape: Shape, lo: int, hi: int, what: str) -> SearchStrategy[_Drawn] | None:
        t = shape.type_name
        if t == "string":
            plan = string_plan(shape.metadata.get("pattern"), lo, hi, self._kind(shape))
            if plan.conflict or plan.pattern_status not in (None, "exact"):
                return None
            values: SearchStrategy[Any] = plan.strategy
        elif t == "blob":
            values = st.binary(min_size=lo, max_size=hi)
        elif t == "list":
            values = st.lists(self.normal(shape.member), min_size=lo, max_size=hi)
        else:
            values = st.dictionaries(
                self.normal(shape.key), self.normal(shape.value), min_size=lo, max_size=hi
            )
            # Keys may collide: keep only maps that really have the intended size.
            values = values.filter(lambda d: lo <= len(d) <= hi)
        return values.map(lambda v: (v, "", f"{t} {shape.name} is {what} (size {len(v)})"))

    def break_pattern(self, shape: Shape) -> SearchStrategy[_Drawn] | None:
        meta = shape.metadata
        regex = _search_regex(meta["pattern"])
        if regex is None:
            return None
        lo, hi = int(meta.get("min", 0)), _int_or_none(meta.get("max"))
        size = max(lo, 1)
        if hi is not None and size > hi:
            return None
        misses = [c * size for c in _PATTERN_MISSES if not regex.search(c * size)]
        if not misses:
            return None
        text = string_plan(None, lo, hi, self._kind(shape)).strategy.filter(lambda s: not regex.search(s))
        return (st.sampled_from(misses) | text).map(
            lambda s: (s, "", f"{s!r} does not match {shape.name}'s pattern {meta['pattern']!r}")
        )

    def _kind(self, shape: Shape) -> str:
        return (
            "header" if shape.serialization.get("location") in ("header", "headers") else self.compiler.kind
        )


def _replace_first_value(t: tuple[dict[str, Any], _Drawn]) -> _Drawn:
    full, (bad, suffix, description) = t
    key = next(iter(full))
    return {**full, key: bad}, f"[{key!r}]{suffix}", description


def _missing(name: str) -> Callable[[dict[str, Any]], _Drawn]:
    """The drawn value of a structure whose required member ``name`` was left out."""
    return lambda d: (d, f".{name}", f"required member {name!r} is missing")


def _required(shape: Shape) -> list[str]:
    """Required members a caller must pass: botocore fills in idempotency tokens itself."""
    members = shape.members
    return [
        n for n in shape.required_members if n in members and not members[n].metadata.get("idempotencyToken")
    ]


def _is_document(shape: Shape) -> bool:
    return bool(shape.metadata.get("document"))


def _int_or_none(value: Any) -> int | None:
    return None if value is None else int(value)


def _search_regex(pattern: str) -> re.Pattern[str] | None:
    """The pattern as a validator would apply it: ``search`` on the exact Python translation."""
    try:
        from botocontract.specs.patterns import compile_pattern  # type: ignore[import-not-found]
    except ImportError:  # pragma: no cover - only while specs.patterns is missing
        try:
            return re.compile(pattern, re.ASCII)
        except re.error:
            return None
    return compile_pattern(pattern)
