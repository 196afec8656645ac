"""The normalized spec: a typed, immutable view of one service model.

It wraps the raw ``service-2.json`` dict instead of copying it, and builds botocore's own
:class:`~botocore.model.ServiceModel` lazily for the serializers, parsers and docs that need it. Shapes
reference their members' targets by name, so recursive shapes are represented once. Every shape has a
stable content hash (``digest``) and a closure hash (``closure_digest``, the shape and all it reaches),
which let the diff skip what did not change.
"""

from __future__ import annotations

import gc
import hashlib
import json
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Any, NamedTuple

from botocore.model import OperationModel, ServiceModel

from botocontract.errors import ModelError, UnknownNameError

__all__ = ["MemberSpec", "OperationSpec", "ServiceSpec", "ShapeSpec", "bulk_allocation", "recursive_shapes"]

_EMPTY: Mapping[str, Any] = MappingProxyType({})
_NONE: frozenset[str] = frozenset()
#: Keys of a member reference that are modelled as fields; the rest land in ``traits``.
_MEMBER_FIELDS = frozenset({"shape", "documentation", "location", "locationName"})
#: Keys of a shape that are modelled as fields; the rest land in ``traits``.
_SHAPE_FIELDS = frozenset(
    {
        "type",
        "members",
        "member",
        "key",
        "value",
        "required",
        "enum",
        "min",
        "max",
        "pattern",
        "documentation",
    }
)


@contextmanager
def bulk_allocation() -> Iterator[None]:
    """Pause the cyclic GC while building large acyclic trees (models, normalized shapes).

    A model is hundreds of thousands of small dicts; generational collections triggered while they are
    being built cost more than the parse itself and can free nothing.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _digest(value: Any) -> str:
    return hashlib.blake2b(json.dumps(value, sort_keys=True).encode(), digest_size=12).hexdigest()


class MemberSpec(NamedTuple):
    """A reference from a structure, list or map to a target shape, with the reference's traits."""

    name: str
    target: str
    required: bool = False
    location: str | None = None
    location_name: str | None = None
    documentation: str = ""
    #: Everything else on the reference: idempotencyToken, jsonvalue, streaming, hostLabel, box,
    #: deprecated, xmlNamespace, xmlAttribute, flattened, timestampFormat, eventpayload, ...
    traits: Mapping[str, Any] = _EMPTY

    @classmethod
    def from_ref(cls, name: str, ref: Mapping[str, Any], required: bool = False) -> MemberSpec:
        get = ref.get
        doc, location, location_name = get("documentation", ""), get("location"), get("locationName")
        modelled = 1 + ("documentation" in ref) + (location is not None) + (location_name is not None)
        traits = (
            MappingProxyType({k: v for k, v in ref.items() if k not in _MEMBER_FIELDS})
            if len(ref) > modelled
            else _EMPTY
        )
        return cls(name, ref["shape"], required, location, location_name, doc, traits)


class ShapeSpec(NamedTuple):
    """One named shape. ``type`` is botocore's (structure, list, map, string, integer, long, float,
    double, boolean, timestamp, blob); unions and documents are structures with ``union``/``document``
    traits, exposed as :attr:`kind`. Immutable and cheap to build: the whole SDK normalizes in about a
    second."""

    name: str
    type: str
    raw: Mapping[str, Any]
    members: Mapping[str, MemberSpec] = _EMPTY
    member: MemberSpec | None = None
    key: MemberSpec | None = None
    value: MemberSpec | None = None
    required: frozenset[str] = frozenset()
    enum: tuple[str, ...] | None = None
    min: float | None = None
    max: float | None = None
    pattern: str | None = None
    documentation: str = ""
    #: sensitive, deprecated, timestampFormat, box, default, error, exception, event, eventstream,
    #: streaming, union, document, requiresLength, xmlNamespace, flattened, locationName, ...
    traits: Mapping[str, Any] = _EMPTY

    @property
    def kind(self) -> str:
        if self.type == "structure" and self.traits.get("union"):
            return "union"
        if self.type == "structure" and self.traits.get("document"):
            return "document"
        return self.type

    @property
    def references(self) -> Iterator[MemberSpec]:
        yield from self.members.values()
        for ref in (self.member, self.key, self.value):
            if ref is not None:
                yield ref

    @property
    def digest(self) -> str:
        """Content hash of this shape's own definition (documentation included)."""
        return _digest(self.raw)

    @classmethod
    def from_raw(cls, name: str, raw: Mapping[str, Any]) -> ShapeSpec:
        try:
            get = raw.get
            required = frozenset(raw["required"]) if "required" in raw else _NONE
            members = get("members")
            enum = get("enum")
            from_ref = MemberSpec.from_ref
            member, key, value = get("member"), get("key"), get("value")
            extra = {k: v for k, v in raw.items() if k not in _SHAPE_FIELDS}
            return cls(
                name,
                raw["type"],
                raw,
                MappingProxyType({m: from_ref(m, ref, m in required) for m, ref in members.items()})
                if members
                else _EMPTY,
                from_ref("member", member) if member is not None else None,
                from_ref("key", key) if key is not None else None,
                from_ref("value", value) if value is not None else None,
                required,
                tuple(enum) if enum is not None else None,
                get("min"),
                get("max"),
                get("pattern"),
                get("documentation", ""),
                MappingProxyType(extra) if extra else _EMPTY,
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise ModelError(
                f"shape {name!r} is malformed: missing or bad {exc}",
                hint="the model file is not a valid botocore model",
            ) from None


@dataclass(frozen=True)
class OperationSpec:
    """One operation, with the traits the diff, generators and docs need."""

    name: str
    raw: Mapping[str, Any] = field(repr=False, compare=False)
    http: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)
    input: str | None = None
    output: str | None = None
    errors: tuple[str, ...] = ()
    deprecated: bool = False
    auth: tuple[str, ...] = ()
    authtype: str | None = None
    host_prefix: str | None = None
    documentation: str = ""

    @classmethod
    def from_raw(cls, name: str, raw: Mapping[str, Any]) -> OperationSpec:
        return cls(
            name,
            raw,
            raw.get("http", _EMPTY),
            (raw.get("input") or {}).get("shape"),
            (raw.get("output") or {}).get("shape"),
            tuple(e["shape"] for e in raw.get("errors", ())),
            bool(raw.get("deprecated", False)),
            tuple(raw.get("auth", ())),
            raw.get("authtype"),
            (raw.get("endpoint") or {}).get("hostPrefix"),
            raw.get("documentation", ""),
        )


class ServiceSpec:
    """One service model of one source. Cheap to build; every view is computed on first use."""

    def __init__(
        self,
        name: str,
        api_version: str,
        raw: Mapping[str, Any],
        *,
        source_label: str = "",
        loader: Callable[[str], Any] | None = None,
        signer: Callable[[str], str] | None = None,
    ) -> None:
        self.name = name
        self.api_version = api_version
        self.raw = raw
        self.source_label = source_label
        self._loader = loader
        self._signer = signer

    def __repr__(self) -> str:
        return f"<ServiceSpec {self.name}@{self.api_version} from {self.source_label or 'a dict'}>"

    @classmethod
    def from_dict(
        cls,
        raw: Mapping[str, Any],
        name: str | None = None,
        *,
        paginators: Mapping[str, Any] | None = None,
        waiters: Mapping[str, Any] | None = None,
        endpoint_ruleset: Mapping[str, Any] | None = None,
        partitions: Mapping[str, Any] | None = None,
    ) -> ServiceSpec:
        """A spec from a raw model dict (tests, hand-written models). Missing metadata is filled in;
        ``partitions`` stands for the release's ``partitions.json`` (the installed one when None)."""
        raw = dict(raw)
        meta = {"protocol": "json", "apiVersion": "2000-01-01", **raw.get("metadata", {})}
        name = name or meta.get("endpointPrefix") or "example"
        meta.setdefault("endpointPrefix", name)
        meta.setdefault("serviceFullName", name)
        raw["metadata"] = meta
        raw.setdefault("operations", {})
        raw.setdefault("shapes", {})
        extra = {
            "paginators": {"pagination": dict(paginators or {})},
            "waiters": {"waiters": dict(waiters or {})},
            "endpoint-rules": endpoint_ruleset,
            "partitions": partitions,
        }
        return cls(name, meta["apiVersion"], raw, source_label="a dict", loader=extra.get)

    # -- metadata -----------------------------------------------------------------------------------
    @property
    def metadata(self) -> Mapping[str, Any]:
        meta: Mapping[str, Any] = self.raw.get("metadata", _EMPTY)
        return meta

    @property
    def full_name(self) -> str:
        meta = self.metadata
        return meta.get("serviceFullName") or meta.get("serviceAbbreviation") or self.name

    @property
    def protocol(self) -> str:
        return str(self.model.protocol)

    # -- botocore's own model ------------------------------------------------------------------------
    @cached_property
    def model(self) -> ServiceModel:
        return ServiceModel(dict(self.raw), service_name=self.name)

    @property
    def operation_names(self) -> list[str]:
        return sorted(self.raw.get("operations", ()))

    def operation_model(self, name: str) -> OperationModel:
        if name not in self.raw.get("operations", ()):
            raise UnknownNameError("operation", name, self.operation_names, where=self.name)
        return self.model.operation_model(name)

    # -- normalized views ----------------------------------------------------------------------------
    @cached_property
    def shapes(self) -> Mapping[str, ShapeSpec]:
        with bulk_allocation():
            from_raw = ShapeSpec.from_raw
            return MappingProxyType({n: from_raw(n, s) for n, s in self.raw.get("shapes", {}).items()})

    @cached_property
    def operations(self) -> Mapping[str, OperationSpec]:
        ops = self.raw.get("operations", {})
        with bulk_allocation():
            return MappingProxyType({n: OperationSpec.from_raw(n, ops[n]) for n in sorted(ops)})

    def operation(self, name: str) -> OperationSpec:
        try:
            return self.operations[name]
        except KeyError:
            raise UnknownNameError("operation", name, self.operation_names, where=self.name) from None

    def shape(self, name: str) -> ShapeSpec:
        try:
            return self.shapes[name]
        except KeyError:
            raise UnknownNameError("shape", name, self.shapes, where=self.name) from None

    def reachable(self, root: str | None) -> frozenset[str]:
        """Names of every shape reachable from ``root`` (itself included), following recursion once."""
        if root is None:
            return frozenset()
        cache: dict[str, frozenset[str]] = self.__dict__.setdefault("_reach", {})
        if root in cache:
            return cache[root]
        seen: set[str] = set()
        stack = [root]
        shapes = self.shapes
        while stack:
            name = stack.pop()
            if name in seen or name not in shapes:
                continue
            seen.add(name)
            stack.extend(ref.target for ref in shapes[name].references)
        cache[root] = result = frozenset(seen)
        return result

    @cached_property
    def recursive_shapes(self) -> frozenset[str]:
        """Shapes that can reach themselves (they need a deferred strategy or a ``$ref``)."""
        return recursive_shapes(self.raw.get("shapes", _EMPTY))

    def shape_digest(self, name: str) -> str:
        """:attr:`ShapeSpec.digest` of one shape, computed once per spec (closures share most shapes)."""
        cache: dict[str, str] = self.__dict__.setdefault("_digests", {})
        found = cache.get(name)
        if found is None:
            found = cache[name] = _digest(self.raw["shapes"][name])
        return found

    def closure_digest(self, root: str | None) -> str:
        """Hash of a shape and everything it reaches: equal means the whole subtree is unchanged."""
        if root is None:
            return ""
        return _digest([(n, self.shape_digest(n)) for n in sorted(self.reachable(root))])

    def operation_digest(self, name: str) -> str:
        """Hash of everything an operation's documentation and examples depend on: the service's name and
        metadata, the operation's own dict and the closures of its input, output and error shapes.
        Equal digests render equal docs, whatever the release."""
        op = self.operation(name)
        return _digest(
            [
                self.name,
                dict(self.metadata),
                op.raw,
                self.closure_digest(op.input),
                self.closure_digest(op.output),
                [self.closure_digest(e) for e in op.errors],
            ]
        )

    # -- paginators and waiters ----------------------------------------------------------------------
    @cached_property
    def paginators(self) -> Mapping[str, Any]:
        data = self._loader("paginators") if self._loader else None
        return MappingProxyType((data or {}).get("pagination", {}))

    @cached_property
    def waiters(self) -> Mapping[str, Any]:
        data = self._loader("waiters") if self._loader else None
        return MappingProxyType((data or {}).get("waiters", {}))

    # -- endpoint rule set ---------------------------------------------------------------------------
    @cached_property
    def endpoint_ruleset(self) -> Mapping[str, Any] | None:
        """The service's ``endpoint-rule-set-1.json`` (what botocore resolves endpoints with), or None."""
        data = self._loader("endpoint-rules") if self._loader else None
        return data if isinstance(data, Mapping) else None

    def release_file(self, kind: str) -> Any | None:
        """A release-wide file of the spec's source (``partitions`` or ``endpoints``), or None."""
        return self._loader(kind) if self._loader else None

    def signature(self, kind: str) -> str | None:
        """The source's cheap content id of one of this service's files (see ``Source.signature``), or
        None when the spec did not come from a source (compare parsed content then)."""
        return self._signer(kind) if self._signer else None


def recursive_shapes(raw_shapes: Mapping[str, Any]) -> frozenset[str]:
    """Names of shapes that can contain themselves: strongly connected components (iterative Tarjan) of a
    raw model's ``shapes``, 2-10x faster than a reachability walk per shape and needing no normalized view.
    """
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
