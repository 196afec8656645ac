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

import json
import re
import string
import threading
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timezone
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from botocore.model import ServiceModel, Shape
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from botocontract.errors import ModelError
from botocontract.generators import overrides
from botocontract.generators.chars import ALPHABETS, char_strategy, draw_inline, mapped, text_of
from botocontract.generators.realism import MemberRealism, prefer, realism_for, request_check
from botocontract.generators.strings import (
    StringPlan,
    header_safe,
    python_regex,
    string_plan,
    translate_pattern,
)
from botocontract.specs.cache import Memo
from botocontract.specs.lint import ModelLint, lint_for_model
from botocontract.specs.lookup import operation_model, service_model, source_key
from botocontract.specs.model import recursive_shapes

if TYPE_CHECKING:
    from botocontract.specs.sources import SourceLike

__all__ = [
    "DEFAULT_MAX_DEPTH",
    "ModelDefectError",
    "ShapeCompiler",
    "StringPlan",
    "compiler_for",
    "model_defect",
    "operation_model",
    "recursive_shapes",
    "requests",
    "responses",
    "service_model",
    "string_plan",
    "translate_pattern",
]

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
        #: The model's own contradictions: unsatisfiable shapes are never generated (optional members
        #: that use them are left out) and enum values the shape's own constraints reject are not drawn.
        self.lint: ModelLint = lint_for_model(model)
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
        defect = self.lint.operation_reason(operation, "input" if direction == "request" else "output")
        if defect is not None:
            raise ModelDefectError(f"{self.service} {operation} {direction}: no valid value exists: {defect}")
        paths: dict[tuple[str, ...], SearchStrategy[Any] | None]
        paths = dict(overrides.path_overrides(self.service, operation))
        if direction == "request":
            # What the client itself checks before sending; the user's own overrides still win.
            client_side: dict[tuple[str, ...], SearchStrategy[Any] | None] = {
                (name,): self._client_side(shape.members[name], rule)
                for name, rule in realism_for(self.service, op).items()
                if overrides.shape_override(self.service, shape.members[name].name) is None
            }
            paths = {**client_side, **paths}
        strategy = self._at(shape, (), paths) if paths else self.value(shape)
        assert strategy is not None
        if direction == "request":
            resolves = request_check(self.service, op)
            if resolves is not None:  # the client resolves its endpoint from these members
                strategy = prefer(strategy, resolves)
        return strategy

    def _client_side(self, member: Shape, rule: MemberRealism) -> SearchStrategy[Any] | None:
        """A request member as the client will send it (see :mod:`botocontract.generators.realism`)."""
        self.counts["client_side_members"] += 1
        meta = member.metadata
        strategy: SearchStrategy[Any] | None
        if rule.pattern is not None:
            low, high = int(meta.get("min", 0)), _opt_int(meta.get("max"))
            strategy = string_plan(rule.pattern, low, high, self.kind).strategy
        elif rule.enum is not None:
            strategy = st.sampled_from(rule.enum)
        else:
            strategy = self.value(member)
        return strategy

    def value(self, shape: Shape, leaf: bool = False) -> SearchStrategy[Any] | None:
        """Strategy for a shape as referenced by a member (member traits such as location apply)."""
        override = overrides.shape_override(self.service, shape.name)
        if override is not None:
            return override
        if self.lint.unsatisfied(shape.name) is not None:
            self.counts["lint_unsatisfiable_skipped"] += 1
            return None
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
            return python_regex(r"[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?")
        if kind == "header_key":
            # Header names travel case-insensitively: lower-case token characters round-trip.
            return python_regex(r"[a-z0-9][a-z0-9-]{0,15}")
        if enum:
            rejected = self.lint.rejected(shape.name)
            valid = [v for v in enum if v not in rejected] or enum
            values = [v for v in valid if kind != "header" or header_safe(v)]
            return st.sampled_from(values or valid)
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
        self, shape: Shape, path: tuple[str, ...], paths: dict[tuple[str, ...], SearchStrategy[Any] | None]
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
    fixed = [(name, draw_inline(strategy)) for name, strategy in required.items()]
    Drawers = tuple[tuple[str, Callable[[st.DrawFn], Any]], ...]
    groups: list[tuple[SearchStrategy[int], Drawers]] = []

    def choices() -> list[tuple[SearchStrategy[int], Drawers]]:
        if not groups:  # lazily: emptiness of (deferred, recursive) members is known only at draw time
            usable = [(k, draw_inline(v)) for k, v in optional.items() if not v.is_empty]
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
    return mapped(lambda s: datetime.fromtimestamp(s, timezone.utc), st.integers(*_EPOCH_RANGE))


_xml_chars = char_strategy(ALPHABETS["xml"])
assert _xml_chars is not None
_XML_CHARS: SearchStrategy[str] = _xml_chars


@lru_cache(maxsize=1)
def _document() -> SearchStrategy[Any]:
    """JSON-like values: what document shapes and ``jsonvalue`` headers carry."""
    keys = st.text(string.ascii_letters + string.digits + "_-", max_size=12)
    leaves = (
        st.none()
        | st.booleans()
        | st.integers(-(2**53), 2**53)
        | st.floats(allow_nan=False, allow_infinity=False)
        | text_of(_XML_CHARS, 0, 20)
    )
    return st.recursive(
        leaves,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=3),
        max_leaves=8,
    )


# ---------------------------------------------------------------------------------------- public API


class ModelDefectError(ModelError):
    """No value can satisfy the model here (a :mod:`botocontract.specs.lint` finding); fuzzers skip it."""


def model_defect(
    service: str, operation: str, direction: str, source: SourceLike = "installed"
) -> str | None:
    """Why ``service.operation``'s ``"request"``/``"response"`` can never be valid, or None."""
    lint = compiler_for(service, source).lint
    return lint.operation_reason(operation, "input" if direction == "request" else "output")


# Bounded: a sweep over every service must not keep every compiled service alive.
_COMPILERS: Memo[tuple[str, str, int, int], ShapeCompiler] = Memo(16)
_OPERATIONS: Memo[tuple[str, str, str, str, int, int], SearchStrategy[Any]] = Memo(1024)
_LOCK = threading.Lock()


def compiler_for(
    service: str, source: SourceLike = "installed", max_depth: int = DEFAULT_MAX_DEPTH
) -> ShapeCompiler:
    """The shared (cached) compiler of one service in one source under the current overrides."""
    key = (source_key(source), service, max_depth, overrides.generation())
    with _LOCK:
        compiler = _COMPILERS.get(key)
        if compiler is None:
            compiler = ShapeCompiler(service, service_model(service, source), max_depth)
            _COMPILERS[key] = compiler
        return compiler


def operation_strategy(
    service: str,
    operation: str,
    direction: str,
    source: SourceLike = "installed",
    max_depth: int = DEFAULT_MAX_DEPTH,
) -> SearchStrategy[dict[str, Any]]:
    """The compiled (cached) strategy; :func:`requests` and :func:`responses` defer to this."""
    key = (source_key(source), service, operation, direction, max_depth, overrides.generation())
    strategy = _OPERATIONS.get(key)
    if strategy is None:
        compiler = compiler_for(service, source, max_depth)
        with _LOCK:
            strategy = _OPERATIONS.setdefault(key, compiler.operation(operation, direction))
    return strategy


def requests(
    service: str, operation: str, source: SourceLike = "installed", *, max_depth: int = DEFAULT_MAX_DEPTH
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
    service: str, operation: str, source: SourceLike = "installed", *, max_depth: int = DEFAULT_MAX_DEPTH
) -> SearchStrategy[dict[str, Any]]:
    """Parsed responses of ``service.operation`` as boto3 returns them (without ``ResponseMetadata``).

    Timestamps are timezone-aware UTC; streaming blobs are ``bytes`` where boto3 hands out a
    ``StreamingBody``; event streams are lists of ``{EventName: {...}}`` events. Every member is
    generated wherever the protocol would place it (headers, status code, payload): placement is the
    wire encoders' job.
    """
    operation_model(service, operation, source)
    return st.deferred(lambda: operation_strategy(service, operation, "response", source, max_depth))
