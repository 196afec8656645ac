"""One structural diff per service pair, computed once and read by every rule.

The diff works on the raw ``service-2.json`` dicts (plus paginators and waiters): shapes are compared as
plain dicts first, so unchanged shapes cost one ``==``; only changed shapes are taken apart into trait and
member deltas. Each changed shape is mapped back to the operations and member paths that reach it, per side
(request from the input shape, response from the output shape), so rules can judge direction.
"""

from __future__ import annotations

import heapq
import itertools
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal, Protocol

if TYPE_CHECKING:
    from botocontract.changes.endpoints import EndpointDiff

__all__ = [
    "DOC_KEYS",
    "SHARED_SHAPE_OPERATIONS",
    "MemberDelta",
    "OperationDelta",
    "ServiceDiff",
    "ShapeDelta",
    "ShapeUse",
    "Site",
    "SpecLike",
    "compute_diff",
    "endpoint_diff",
]

#: Keys that only carry prose; a change limited to them is a documentation change.
DOC_KEYS = frozenset({"documentation", "documentationUrl", "deprecatedMessage", "deprecatedSince"})

Side = Literal["request", "response"]

#: A shape reached by (or an error raised by) at least this many operations is "shared": a change to it is
#: reported once on the shape, listing the operations, instead of once per operation. EC2's ``ResourceType``
#: (every ``TagSpecifications``) reaches ~90 operation sides; the CreateX/DescribeX/UpdateX sharing of most
#: services stays well below.
SHARED_SHAPE_OPERATIONS = 10

#: At most this many member paths are reported per operation side reaching a changed shape: the shortest
#: ones, by segment count and then by name.
MAX_PATHS = 8


class SpecLike(Protocol):
    """What the diff needs from a service spec (``botocontract.specs.ServiceSpec`` satisfies it)."""

    name: str
    api_version: str

    @property
    def raw(self) -> Mapping[str, Any]: ...

    @property
    def paginators(self) -> Mapping[str, Any]: ...

    @property
    def waiters(self) -> Mapping[str, Any]: ...

    def operation_model(self, name: str) -> Any: ...


def changed_keys(
    old: Mapping[str, Any], new: Mapping[str, Any], skip: frozenset[str] = frozenset()
) -> set[str]:
    """Top-level keys whose values differ (a key present on one side only counts), minus ``skip``."""
    return {k for k in old.keys() | new.keys() if k not in skip and old.get(k) != new.get(k)}


@dataclass
class MemberDelta:
    """One member present on both sides whose member dict changed."""

    name: str
    old: Mapping[str, Any]
    new: Mapping[str, Any]
    keys: set[str]


@dataclass
class ShapeDelta:
    """A shape present on both sides whose dict changed: traits, members and required list."""

    name: str
    old: Mapping[str, Any]
    new: Mapping[str, Any]
    #: Changed top-level keys other than ``members`` and ``required``.
    traits: set[str]
    members_added: list[str] = field(default_factory=list)
    members_removed: list[str] = field(default_factory=list)
    members_changed: list[MemberDelta] = field(default_factory=list)
    required_added: list[str] = field(default_factory=list)
    required_removed: list[str] = field(default_factory=list)

    @property
    def docs_only(self) -> bool:
        """True when nothing but prose changed (so no contract finding can come from it)."""
        return (
            self.traits <= DOC_KEYS
            and not (self.members_added or self.members_removed)
            and not (self.required_added or self.required_removed)
            and all(m.keys <= DOC_KEYS for m in self.members_changed)
        )

    @classmethod
    def build(cls, name: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> ShapeDelta:
        delta = cls(name, old, new, changed_keys(old, new, frozenset({"members", "required"})))
        old_members: Mapping[str, Any] = old.get("members") or {}
        new_members: Mapping[str, Any] = new.get("members") or {}
        if old_members != new_members:
            delta.members_added = [m for m in new_members if m not in old_members]
            delta.members_removed = [m for m in old_members if m not in new_members]
            for member, new_member in new_members.items():
                old_member = old_members.get(member)
                if old_member is not None and old_member != new_member:
                    delta.members_changed.append(
                        MemberDelta(member, old_member, new_member, changed_keys(old_member, new_member))
                    )
        old_required = old.get("required") or []
        new_required = new.get("required") or []
        if old_required != new_required:
            # Members that appear or vanish carry their own required-ness; list only members on both sides.
            both = old_members.keys() & new_members.keys() if old_members and new_members else set()
            delta.required_added = [m for m in new_required if m not in old_required and m in both]
            delta.required_removed = [m for m in old_required if m not in new_required and m in both]
        return delta


@dataclass
class OperationDelta:
    """An operation present on both sides whose operation dict changed."""

    name: str
    old: Mapping[str, Any]
    new: Mapping[str, Any]
    keys: set[str]


@dataclass(frozen=True)
class ShapeUse:
    """One way an operation reaches a shape: side and member path (``A.B``; ``""`` for the root)."""

    operation: str
    side: Side
    path: str


@dataclass(frozen=True)
class Site:
    """Where a change to a shape (or one of its members) is reported.

    One operation side (``operation`` set), or the shape itself (``operation`` None): for a shared shape
    ``uses`` lists every operation side reaching it, one site per side because the side decides severity;
    for a shape no operation reaches (an orphan) ``uses`` is empty and ``side`` None.
    """

    operation: str | None
    side: Side | None
    path: str
    uses: tuple[ShapeUse, ...] = ()
    #: The shape is an error the operations may raise: shown on the response side, but it is not the
    #: modelled response, so rules judge it like a shape outside any operation.
    raised: bool = False


class _Reach:
    """Reverse edges of one model's shape graph, to find which operations reach a shape and how.

    Built once per model on first use; a query walks upwards from the shape (breadth-first, each shape
    visited once, so recursive shapes terminate) and yields the shortest member path per operation side.
    """

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.parents: dict[str, list[tuple[str, str | None]]] = {}
        for name, shape in (raw.get("shapes") or {}).items():
            for member, ref in (shape.get("members") or {}).items():
                self.parents.setdefault(ref["shape"], []).append((name, member))
            for key in ("member", "key", "value"):
                ref = shape.get(key)
                if ref is not None:
                    # Lists and maps are transparent in member paths (``Containers`` not ``Containers[0]``).
                    self.parents.setdefault(ref["shape"], []).append((name, None))
        self.roots: dict[str, list[tuple[str, Side]]] = {}
        for op_name, op in (raw.get("operations") or {}).items():
            if "input" in op:
                self.roots.setdefault(op["input"]["shape"], []).append((op_name, "request"))
            if "output" in op:
                self.roots.setdefault(op["output"]["shape"], []).append((op_name, "response"))
        self._cache: dict[str, list[ShapeUse]] = {}

    def uses(self, shape: str) -> list[ShapeUse]:
        cached = self._cache.get(shape)
        if cached is not None:
            return cached
        # down[x] = (child, member) one step from x towards ``shape``; its keys are the ancestors.
        down: dict[str, tuple[str, str | None] | None] = {shape: None}
        queue = deque([shape])
        found: dict[tuple[str, Side, str], None] = {}
        roots: list[str] = []
        while queue:
            current = queue.popleft()
            if current in self.roots:
                roots.append(current)
                for op_name, side in self.roots[current]:
                    found[(op_name, side, self._path(current, down))] = None
            for parent, member in self.parents.get(current, ()):
                if parent not in down:
                    down[parent] = (current, member)
                    queue.append(parent)
        if len(down) > 1:
            for root in roots:
                for path in self._more_paths(root, shape, down.keys()):
                    for op_name, side in self.roots[root]:
                        found.setdefault((op_name, side, path), None)
        uses = [ShapeUse(o, s, p) for o, s, p in found]
        uses.sort(key=lambda u: (u.operation, u.side, u.path.count("."), u.path))
        self._cache[shape] = uses
        return uses

    def _more_paths(self, root: str, target: str, ancestors: Iterable[str]) -> list[str]:
        """The ``MAX_PATHS`` first simple member paths from ``root`` to ``target`` (``Containers`` besides
        ``PrimaryContainer``), ordered by length and then by name.

        A best-first search within the target's ancestors: extending a path never makes its key
        (segment count, segments) smaller, so full paths come off the heap in key order and the answer
        does not depend on how sets or dicts iterate. It stops after ``MAX_PATHS`` distinct paths.
        """
        allowed = frozenset(ancestors)
        children: dict[str, list[tuple[str, str | None]]] = {}
        for child in sorted(allowed):
            for parent, member in self.parents.get(child, ()):
                if parent in allowed:
                    children.setdefault(parent, []).append((child, member))
        paths: list[str] = []
        seen: set[tuple[str, ...]] = set()
        tie = itertools.count()  # equal keys pop in push order, which is itself deterministic
        heap: list[tuple[int, tuple[str, ...], int, str, frozenset[str]]] = [
            (0, (), next(tie), root, frozenset({root}))
        ]
        while heap and len(paths) < MAX_PATHS:
            _, parts, _, node, on_path = heapq.heappop(heap)
            if node == target:
                if parts not in seen:
                    seen.add(parts)
                    paths.append(".".join(parts))
                continue
            for child, member in children.get(node, ()):
                if child not in on_path:
                    grown = (*parts, member) if member else parts
                    heapq.heappush(heap, (len(grown), grown, next(tie), child, on_path | {child}))
        return paths

    @staticmethod
    def _path(start: str, down: Mapping[str, tuple[str, str | None] | None]) -> str:
        parts: list[str] = []
        step = down[start]
        while step is not None:
            child, member = step
            if member is not None:
                parts.append(member)
            step = down[child]
        return ".".join(parts)


@dataclass
class ServiceDiff:
    """Everything that differs between two models of one service, as rules need it."""

    service: str
    old: SpecLike | None
    new: SpecLike | None
    metadata: set[str] = field(default_factory=set)
    #: Changed top-level keys of the model other than metadata/operations/shapes (e.g. ``documentation``).
    top: set[str] = field(default_factory=set)
    operations_added: list[str] = field(default_factory=list)
    operations_removed: list[str] = field(default_factory=list)
    operations_changed: list[OperationDelta] = field(default_factory=list)
    shapes_added: list[str] = field(default_factory=list)
    shapes_removed: list[str] = field(default_factory=list)
    shapes_changed: list[ShapeDelta] = field(default_factory=list)
    paginators_added: list[str] = field(default_factory=list)
    paginators_removed: list[str] = field(default_factory=list)
    paginators_changed: list[str] = field(default_factory=list)
    waiters_added: list[str] = field(default_factory=list)
    waiters_removed: list[str] = field(default_factory=list)
    waiters_changed: list[str] = field(default_factory=list)
    #: The endpoint rule set differs (by signature, or by content for specs without one).
    endpoint_rules_changed: bool = False

    @cached_property
    def endpoints(self) -> EndpointDiff:
        """The semantic diff of the two endpoint rule sets (evaluated on first use, cached on disk)."""
        if not self.endpoint_rules_changed or self.old is None or self.new is None:
            from botocontract.changes.endpoints import EndpointDiff

            return EndpointDiff(old_present=True, new_present=True)
        return endpoint_diff(self.old, self.new)

    @property
    def old_raw(self) -> Mapping[str, Any]:
        return self.old.raw if self.old is not None else {}

    @property
    def new_raw(self) -> Mapping[str, Any]:
        return self.new.raw if self.new is not None else {}

    @property
    def old_paginators(self) -> Mapping[str, Any]:
        return _pages(self.old.paginators) if self.old is not None else {}

    @property
    def new_paginators(self) -> Mapping[str, Any]:
        return _pages(self.new.paginators) if self.new is not None else {}

    @property
    def old_waiters(self) -> Mapping[str, Any]:
        return _waiters(self.old.waiters) if self.old is not None else {}

    @property
    def new_waiters(self) -> Mapping[str, Any]:
        return _waiters(self.new.waiters) if self.new is not None else {}

    @cached_property
    def _old_reach(self) -> _Reach:
        return _Reach(self.old_raw)

    @cached_property
    def _new_reach(self) -> _Reach:
        return _Reach(self.new_raw)

    @cached_property
    def skipped_operations(self) -> frozenset[str]:
        """New or removed operations: their own finding covers them; member findings would be noise."""
        return frozenset(self.operations_added) | frozenset(self.operations_removed)

    def uses(self, shape: str) -> list[ShapeUse]:
        """Operation sides reaching ``shape`` in the new model (the old one if it no longer is reached)."""
        found = self._new_reach.uses(shape) if shape in (self.new_raw.get("shapes") or {}) else []
        if not found and shape in (self.old_raw.get("shapes") or {}):
            found = self._old_reach.uses(shape)
        return [u for u in found if u.operation not in self.skipped_operations]

    @cached_property
    def _raisers(self) -> Mapping[str, list[str]]:
        """Error shape -> operations that may raise it (new model, then old for errors no longer used)."""
        out: dict[str, list[str]] = {}
        for raw in (self.new_raw, self.old_raw):
            seen: dict[str, list[str]] = {}
            for op_name in sorted(raw.get("operations") or {}):
                for ref in raw["operations"][op_name].get("errors") or ():
                    seen.setdefault(ref["shape"], []).append(op_name)
            for shape, ops in seen.items():
                out.setdefault(shape, ops)
        return out

    def raisers(self, shape: str) -> list[ShapeUse]:
        """Operations that may raise ``shape`` as an error, as response-side uses rooted at the shape."""
        return [
            ShapeUse(op, "response", shape)
            for op in self._raisers.get(shape, ())
            if op not in self.skipped_operations
        ]

    def sites(self, shape: str, member: str | None = None, *, kept: bool = False) -> list[Site]:
        """Where a change to ``shape`` (or its ``member``) shows: one site per operation side reaching it
        (or raising it, for error shapes); one site per side on the shape itself when at least
        :data:`SHARED_SHAPE_OPERATIONS` operations share it; one shape site when nothing reaches it.
        ``kept`` leaves out uses that reach the shape only in the new model (none left: no site)."""
        uses = self.uses(shape)
        if kept and uses and shape in (self.old_raw.get("shapes") or {}):
            old = self.old_uses(shape)
            before = {(u.operation, u.side, u.path) for u in old}
            # Each operation side lists at most MAX_PATHS paths: where the old list is full, keep them all.
            full = {k for k, n in Counter((u.operation, u.side) for u in old).items() if n >= MAX_PATHS}
            uses = [
                u for u in uses if (u.operation, u.side, u.path) in before or (u.operation, u.side) in full
            ]
            if not uses:
                return []
        raised = not uses
        if raised:
            uses = self.raisers(shape)
        if member:
            uses = [ShapeUse(u.operation, u.side, f"{u.path}.{member}" if u.path else member) for u in uses]
        here = f"{shape}.{member}" if member else shape
        if not uses:
            return [Site(None, None, here)]
        if len({u.operation for u in uses}) < SHARED_SHAPE_OPERATIONS:
            return [Site(u.operation, u.side, u.path, raised=raised) for u in uses]
        sides: dict[Side, list[ShapeUse]] = {}
        for use in uses:
            sides.setdefault(use.side, []).append(use)
        return [Site(None, side, here, tuple(sides[side]), raised) for side in sorted(sides)]

    def old_uses(self, shape: str) -> list[ShapeUse]:
        """Operation sides reaching ``shape`` in the old model."""
        return self._old_reach.uses(shape) if shape in (self.old_raw.get("shapes") or {}) else []

    @property
    def empty(self) -> bool:
        return not any(
            (
                self.metadata,
                self.top,
                self.operations_added,
                self.operations_removed,
                self.operations_changed,
                self.shapes_added,
                self.shapes_removed,
                self.shapes_changed,
                self.paginators_added,
                self.paginators_removed,
                self.paginators_changed,
                self.waiters_added,
                self.waiters_removed,
                self.waiters_changed,
                self.endpoint_rules_changed,
            )
        )


def endpoint_diff(old: Any, new: Any) -> EndpointDiff:
    """The semantic diff of two services' endpoint rule sets, cached on disk by their signatures.

    ``old``/``new`` are service specs, or anything with ``endpoint_ruleset``, ``signature(kind)`` and
    ``release_file(kind)`` (the engine passes light views so that unchanged models are never parsed).
    """
    from botocontract.changes.endpoints import cached_endpoints, diff_endpoints, evaluation_key

    key = None
    sigs = [_signature(old, "endpoint-rules"), _signature(new, "endpoint-rules")]
    parts = [_signature(new, "partitions"), _signature(new, "endpoints")]
    if all(sigs) and all(parts):
        key = evaluation_key(sigs[0], sigs[1], "+".join(parts))  # type: ignore[arg-type]
        cached = cached_endpoints(key)
        if cached is not None:  # no rule set is even parsed
            return cached
    return diff_endpoints(
        _ruleset(old),
        _ruleset(new),
        _release_file(new, "partitions"),
        _release_file(new, "endpoints"),
        cache_key=key,
    )


def _signature(spec: SpecLike, kind: str) -> str | None:
    sign = getattr(spec, "signature", None)
    return sign(kind) if callable(sign) else None


def _ruleset(spec: SpecLike) -> Mapping[str, Any] | None:
    return getattr(spec, "endpoint_ruleset", None)


def _release_file(spec: SpecLike, kind: str) -> Any:
    read = getattr(spec, "release_file", None)
    return read(kind) if callable(read) else None


def _rules_changed(old: SpecLike, new: SpecLike) -> bool:
    """Whether the endpoint rule sets differ: by signature when both specs have one (no parsing)."""
    old_sig, new_sig = _signature(old, "endpoint-rules"), _signature(new, "endpoint-rules")
    if old_sig is not None and new_sig is not None:
        return old_sig != new_sig
    return _ruleset(old) != _ruleset(new)


def _pages(config: Mapping[str, Any] | None) -> Mapping[str, Any]:
    """Paginator configs by operation, accepting either the file dict or its ``pagination`` member."""
    if not config:
        return {}
    pages: Mapping[str, Any] = config.get("pagination", config)
    return pages


def _waiters(config: Mapping[str, Any] | None) -> Mapping[str, Any]:
    if not config:
        return {}
    waiters: Mapping[str, Any] = config.get("waiters", config)
    return waiters


def _split(
    old: Mapping[str, Any], new: Mapping[str, Any]
) -> tuple[list[str], list[str], Iterator[tuple[str, Any, Any]]]:
    added = sorted(k for k in new if k not in old)
    removed = sorted(k for k in old if k not in new)
    changed = ((k, old[k], new[k]) for k in sorted(old.keys() & new.keys()) if old[k] != new[k])
    return added, removed, changed


def compute_diff(old: SpecLike | None, new: SpecLike | None) -> ServiceDiff:
    """The structural diff of two models of one service (either may be ``None`` for added/removed)."""
    either = new if new is not None else old
    diff = ServiceDiff(either.name if either is not None else "", old, new)
    if old is None or new is None:
        return diff
    old_raw, new_raw = diff.old_raw, diff.new_raw
    diff.metadata = changed_keys(old_raw.get("metadata") or {}, new_raw.get("metadata") or {})
    diff.top = changed_keys(old_raw, new_raw, frozenset({"metadata", "operations", "shapes"}))

    diff.operations_added, diff.operations_removed, ops = _split(
        old_raw.get("operations") or {}, new_raw.get("operations") or {}
    )
    diff.operations_changed = [OperationDelta(n, o, m, changed_keys(o, m)) for n, o, m in ops]

    diff.shapes_added, diff.shapes_removed, shapes = _split(
        old_raw.get("shapes") or {}, new_raw.get("shapes") or {}
    )
    diff.shapes_changed = [ShapeDelta.build(n, o, m) for n, o, m in shapes]

    diff.paginators_added, diff.paginators_removed, pages = _split(diff.old_paginators, diff.new_paginators)
    diff.paginators_changed = [n for n, _, _ in pages]
    diff.waiters_added, diff.waiters_removed, waits = _split(diff.old_waiters, diff.new_waiters)
    diff.waiters_changed = [n for n, _, _ in waits]
    diff.endpoint_rules_changed = _rules_changed(old, new)
    return diff
