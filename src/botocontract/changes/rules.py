"""Every diff rule, in one place: a rule is a small function over the precomputed :class:`ServiceDiff`.

A rule yields bare :class:`~botocontract.changes.model.Change` objects; the engine adds the rule id,
severity, location and fingerprint. Direction decides severity for most member rules: a change that narrows
what a caller may send breaks the request side, a change that widens what a consumer may receive breaks
the response side. Each rule's docstring is its documentation (``botocontract rules``) and says why.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from botocontract.changes.diff import DOC_KEYS, MemberDelta, ServiceDiff, ShapeDelta
from botocontract.changes.docdiff import doc_change
from botocontract.changes.model import (
    Audience,
    Change,
    Direction,
    Enforcement,
    Kind,
    Location,
    Severity,
    Subject,
    Traits,
)
from botocontract.registry import Registry
from botocontract.specs.sampling import compare_patterns

__all__ = ["RULES", "Rule", "RuleContext", "rule", "rule_matches", "traits_of"]

INFO, WARNING, DANGER, ERROR = Severity.INFO, Severity.WARNING, Severity.DANGER, Severity.ERROR
SENDERS, READERS, BOTH, NEITHER = Audience.SENDERS, Audience.READERS, Audience.BOTH, Audience.NEITHER
CLIENT, SERVICE, WIRE, NONE = Enforcement.CLIENT, Enforcement.SERVICE, Enforcement.WIRE, Enforcement.NONE


def _t(
    kind: Kind, subject: Subject, breaks: Audience, enforced: Enforcement, requires: bool = False
) -> Traits:
    return Traits(kind, subject, breaks, enforced, requires)


@dataclass(frozen=True)
class RuleContext:
    """What a rule reads: the structural diff of one service pair."""

    diff: ServiceDiff

    @property
    def service(self) -> str:
        return self.diff.service

    def shape_raw(self, name: str, *, old: bool = False) -> Mapping[str, Any]:
        model = self.diff.old_raw if old else self.diff.new_raw
        return (model.get("shapes") or {}).get(name) or {}

    def sites(
        self, shape: str, member: str | None = None, *, kept: bool = False
    ) -> Iterator[tuple[Location, str | None]]:
        """Where a change to ``shape`` (or one of its members) shows, as decided by
        :meth:`ServiceDiff.sites`: per operation side, once per side on a shared shape (with its uses), or
        once at service level when no operation reaches it.

        ``kept`` leaves out places that reach the shape only in the new model (a member now targeting
        it): comparing the shape's old and new traits says nothing there, ChangedMemberTarget does."""
        for site in self.diff.sites(shape, member, kept=kept):
            uses = tuple((u.operation, u.side, u.path) for u in site.uses)
            where = Location(self.service, site.operation, site.side or "service", site.path, shape, uses)
            yield where, None if site.raised else site.side

    def op(
        self, name: str, side: Direction = "service", path: str = "", shape: str | None = None
    ) -> Location:
        return Location(self.service, name, side, path, shape)

    def here(self, path: str = "") -> Location:
        return Location(self.service, None, "service", path)


RuleFunc = Callable[[RuleContext], Iterable[Change]]


@dataclass(frozen=True)
class Rule:
    """A registered rule: id, default severity, its function, and what its findings mean.

    ``traits`` maps a key to the meaning of a finding: ``None`` for the rule itself, a variant name
    (``"Removed"``) for a variant, or a facet a change names when the variant alone does not decide
    (``"Tightened.service"``: a bound botocore does not check). Every meaning is declared here, once;
    nothing else derives it from rule ids or messages.
    """

    id: str
    severity: Severity
    func: RuleFunc
    traits: Mapping[str | None, Traits]

    @property
    def doc(self) -> str:
        return " ".join((self.func.__doc__ or "").split())

    @property
    def docs(self) -> bool:
        """Whether the rule reports documentation only (shown with ``include_docs``)."""
        return self.traits[None].kind is Kind.DOCUMENTATION

    def traits_for(self, variant: str | None = None, facet: str | None = None) -> Traits:
        """The declared traits of a facet, else of a variant, else of the rule."""
        for key in (facet, variant):
            if key is not None and key in self.traits:
                return self.traits[key]
        if facet is not None:
            raise KeyError(f"rule {self.id} declares no traits for facet {facet!r}")
        return self.traits[None]

    def __call__(self, ctx: RuleContext) -> Iterable[Change]:
        return self.func(ctx)


RULES: Registry[Rule] = Registry("rule")


def rule(
    rule_id: str, severity: Severity, traits: Traits, **variants: Traits
) -> Callable[[RuleFunc], RuleFunc]:
    """Register a rule function under ``rule_id`` with its default severity and declared traits
    (``traits`` for the rule; keyword arguments for variants and facets)."""

    def decorator(func: RuleFunc) -> RuleFunc:
        table: dict[str | None, Traits] = {None: traits}
        table.update(variants)
        RULES.add(rule_id, Rule(rule_id, severity, func, table))
        return func

    return decorator


#: Meaning of a finding whose rule id no rule declares (hand-built findings, older JSON).
UNKNOWN = Traits(Kind.CHANGE, Subject.TRAIT, Audience.NEITHER, Enforcement.NONE)


def traits_of(rule_id: str, facet: str | None = None) -> Traits:
    """The declared traits of a full rule id (``RemovedMember.Request``)."""
    base, _, variant = rule_id.partition(".")
    if base not in RULES:
        return UNKNOWN
    return RULES.get(base).traits_for(variant or None, facet)


def rule_matches(rule_id: str, selector: str) -> bool:
    """Whether a user's rule selector (an exact id, a glob, or the id of a rule without its variant)
    names ``rule_id``."""
    return fnmatch.fnmatchcase(rule_id, selector) or rule_id.partition(".")[0] == selector


def _side(side: str | None, request: Severity, response: Severity, other: Severity) -> Severity:
    return request if side == "request" else response if side == "response" else other


def _member_changes(ctx: RuleContext, keys: Iterable[str]) -> Iterator[tuple[ShapeDelta, MemberDelta, str]]:
    """(shape delta, member delta, key) for every changed member key in ``keys``."""
    wanted = set(keys)
    for delta in ctx.diff.shapes_changed:
        for member in delta.members_changed:
            for key in sorted(member.keys & wanted):
                yield delta, member, key


def _shape_changes(ctx: RuleContext, keys: Iterable[str]) -> Iterator[tuple[ShapeDelta, str]]:
    wanted = set(keys)
    for delta in ctx.diff.shapes_changed:
        for key in sorted(delta.traits & wanted):
            yield delta, key


def _trait_changes(
    ctx: RuleContext, keys: Iterable[str]
) -> Iterator[tuple[Location, str | None, str, Any, Any]]:
    """(location, side, key, old, new) for ``keys`` changed on shapes or on member references."""
    keys = tuple(keys)
    for delta, key in _shape_changes(ctx, keys):
        for loc, side in ctx.sites(delta.name, kept=True):
            yield loc, side, key, delta.old.get(key), delta.new.get(key)
    for delta, member, key in _member_changes(ctx, keys):
        for loc, side in ctx.sites(delta.name, member.name):
            yield loc, side, key, member.old.get(key), member.new.get(key)


# -- services and api versions --------------------------------------------------------------------------


@rule("AddedService", INFO, traits=_t(Kind.ADDITION, Subject.SERVICE, NEITHER, NONE))
def added_service(ctx: RuleContext) -> Iterator[Change]:
    """A new service model. Nothing existing can break."""
    if ctx.diff.old is None and ctx.diff.new is not None:
        yield Change(ctx.here(), f"service {ctx.service} was added", new=ctx.diff.new.api_version)


@rule("RemovedService", ERROR, traits=_t(Kind.REMOVAL, Subject.SERVICE, BOTH, CLIENT))
def removed_service(ctx: RuleContext) -> Iterator[Change]:
    """A service model is gone: every client of it stops working after the upgrade."""
    if ctx.diff.new is None and ctx.diff.old is not None:
        yield Change(ctx.here(), f"service {ctx.service} was removed", old=ctx.diff.old.api_version)


@rule("AddedApiVersion", WARNING, traits=_t(Kind.RENAME, Subject.SERVICE, BOTH, WIRE))
def added_api_version(ctx: RuleContext) -> Iterator[Change]:
    """Clients now default to a newer api-version: the whole model was replaced, so review every change."""
    old, new = ctx.diff.old, ctx.diff.new
    if old is not None and new is not None and new.api_version > old.api_version:
        yield Change(
            ctx.here(),
            f"api-version {new.api_version} replaces {old.api_version}",
            old=old.api_version,
            new=new.api_version,
        )


@rule("RemovedApiVersion", ERROR, traits=_t(Kind.RENAME, Subject.SERVICE, BOTH, WIRE))
def removed_api_version(ctx: RuleContext) -> Iterator[Change]:
    """The newest api-version went away and clients fall back to an older one: a different contract."""
    old, new = ctx.diff.old, ctx.diff.new
    if old is not None and new is not None and new.api_version < old.api_version:
        yield Change(
            ctx.here(),
            f"api-version {old.api_version} was removed (now {new.api_version})",
            old=old.api_version,
            new=new.api_version,
        )


# -- operations -------------------------------------------------------------------------------------------


@rule("AddedOperation", INFO, traits=_t(Kind.ADDITION, Subject.OPERATION, NEITHER, NONE))
def added_operation(ctx: RuleContext) -> Iterator[Change]:
    """A new operation. Nothing existing can break."""
    if ctx.diff.old is None:
        return
    for name in ctx.diff.operations_added:
        yield Change(ctx.op(name), f"operation {name} was added")


@rule("RemovedOperation", ERROR, traits=_t(Kind.REMOVAL, Subject.OPERATION, BOTH, CLIENT))
def removed_operation(ctx: RuleContext) -> Iterator[Change]:
    """An operation is gone: calls to it fail with an unknown-method error."""
    if ctx.diff.new is None:
        return
    for name in ctx.diff.operations_removed:
        yield Change(ctx.op(name), f"operation {name} was removed")


def _op_key_changes(ctx: RuleContext, keys: Iterable[str]) -> Iterator[tuple[str, str, Any, Any]]:
    wanted = set(keys)
    for delta in ctx.diff.operations_changed:
        for key in sorted(delta.keys & wanted):
            yield delta.name, key, delta.old.get(key), delta.new.get(key)


@rule("AddedOperationError", WARNING, traits=_t(Kind.ADDITION, Subject.ERROR, READERS, SERVICE))
def added_operation_error(ctx: RuleContext) -> Iterator[Change]:
    """An operation may now return a new error: callers handling errors by code may not expect it."""
    for name, _, old, new in _op_key_changes(ctx, ["errors"]):
        before = {e["shape"] for e in old or ()}
        for error in sorted({e["shape"] for e in new or ()} - before):
            yield Change(ctx.op(name, "response", "", error), f"{name} may now return {error}", new=error)


@rule("RemovedOperationError", WARNING, traits=_t(Kind.REMOVAL, Subject.ERROR, READERS, SERVICE))
def removed_operation_error(ctx: RuleContext) -> Iterator[Change]:
    """An error is no longer modelled: callers catching it by its modelled class lose that handler."""
    for name, _, old, new in _op_key_changes(ctx, ["errors"]):
        after = {e["shape"] for e in new or ()}
        for error in sorted({e["shape"] for e in old or ()} - after):
            yield Change(ctx.op(name, "response", "", error), f"{name} no longer returns {error}", old=error)


@rule("ChangedOperationAuth", WARNING, traits=_t(Kind.CHANGE, Subject.ENCODING, SENDERS, WIRE))
def changed_operation_auth(ctx: RuleContext) -> Iterator[Change]:
    """Per-operation auth (``auth``, ``authtype``, ``unsignedPayload``) decides how requests are signed;
    clients, proxies and emulators that sign or verify requests must follow."""
    for name, key, old, new in _op_key_changes(ctx, ["auth", "authtype", "unsignedPayload"]):
        yield Change(ctx.op(name), f"{name}: {key} changed from {old!r} to {new!r}", old, new, variant=key)


@rule("ChangedHostPrefix", DANGER, traits=_t(Kind.CHANGE, Subject.ENCODING, SENDERS, WIRE))
def changed_host_prefix(ctx: RuleContext) -> Iterator[Change]:
    """The endpoint host prefix (and the host labels filling it) moves requests to another host name."""
    for name, _, old, new in _op_key_changes(ctx, ["endpoint"]):
        before, after = (old or {}).get("hostPrefix"), (new or {}).get("hostPrefix")
        if before != after:
            yield Change(
                ctx.op(name), f"{name}: host prefix changed from {before!r} to {after!r}", before, after
            )
    for delta, member, _ in _member_changes(ctx, ["hostLabel"]):
        for loc, _side in ctx.sites(delta.name, member.name):
            yield Change(
                loc,
                f"{loc.path}: hostLabel changed",
                member.old.get("hostLabel"),
                member.new.get("hostLabel"),
                variant="Member",
            )


_HTTP_KEYS = ("method", "requestUri", "responseCode")
_MEMBER_BINDINGS = (
    "location",
    "locationName",
    "queryName",
    "xmlAttribute",
    "xmlNamespace",
    "flattened",
    "jsonvalue",
    "eventpayload",
)
_SHAPE_BINDINGS = ("payload", "locationName", "xmlNamespace", "flattened", "wrapper", "xmlOrder")


@rule("ChangedHttpBinding", ERROR, traits=_t(Kind.CHANGE, Subject.ENCODING, BOTH, WIRE))
def changed_http_binding(ctx: RuleContext) -> Iterator[Change]:
    """HTTP method, URI, status code, or where/under which name a member goes on the wire changed:
    requests and responses built or parsed with the old model no longer match."""
    for name, _, old, new in _op_key_changes(ctx, ["http"]):
        for key in _HTTP_KEYS:
            before, after = (old or {}).get(key), (new or {}).get(key)
            if before != after:
                yield Change(
                    ctx.op(name, path=f"http.{key}"),
                    f"{name}: http {key} changed from {before!r} to {after!r}",
                    before,
                    after,
                    variant="Operation",
                )
    for delta, member, key in _member_changes(ctx, _MEMBER_BINDINGS):
        for loc, _side in ctx.sites(delta.name, member.name):
            yield Change(
                loc,
                f"{loc.path or delta.name}: {key} changed from {member.old.get(key)!r} to "
                f"{member.new.get(key)!r}",
                member.old.get(key),
                member.new.get(key),
                variant="Member",
            )
    for delta, key in _shape_changes(ctx, _SHAPE_BINDINGS):
        for loc, _side in ctx.sites(delta.name):
            yield Change(
                loc,
                f"{delta.name}: {key} changed from {delta.old.get(key)!r} to {delta.new.get(key)!r}",
                delta.old.get(key),
                delta.new.get(key),
                variant="Shape",
            )


# -- members ----------------------------------------------------------------------------------------------


@rule("AddedMember", INFO, traits=_t(Kind.ADDITION, Subject.MEMBER, NEITHER, NONE))
def added_member(ctx: RuleContext) -> Iterator[Change]:
    """A new optional member: old callers simply omit it and old consumers ignore it."""
    for delta in ctx.diff.shapes_changed:
        required = set(delta.new.get("required") or ())
        for member in delta.members_added:
            for loc, side in ctx.sites(delta.name, member):
                if side == "request" and member in required:
                    continue  # AddedRequiredMember reports it
                target = delta.new["members"][member]["shape"]
                yield Change(loc, f"{loc.path} was added", new=target)


@rule("AddedRequiredMember", ERROR, traits=_t(Kind.ADDITION, Subject.MEMBER, SENDERS, CLIENT, requires=True))
def added_required_member(ctx: RuleContext) -> Iterator[Change]:
    """A new required request member: every existing call lacks it and fails validation."""
    for delta in ctx.diff.shapes_changed:
        required = set(delta.new.get("required") or ())
        for member in delta.members_added:
            if member not in required:
                continue
            for loc, side in ctx.sites(delta.name, member):
                if side == "request":
                    target = delta.new["members"][member]["shape"]
                    yield Change(loc, f"required {loc.path} was added", new=target)


@rule(
    "RemovedMember",
    ERROR,
    traits=_t(Kind.REMOVAL, Subject.MEMBER, BOTH, CLIENT),
    Request=_t(Kind.REMOVAL, Subject.MEMBER, SENDERS, CLIENT),
    Response=_t(Kind.REMOVAL, Subject.MEMBER, READERS, SERVICE),
)
def removed_member(ctx: RuleContext) -> Iterator[Change]:
    """A member is gone. Response side: consumers reading it get nothing (error). Request side: callers
    still sending it are rejected by botocore's validation before anything is sent (error)."""
    for delta in ctx.diff.shapes_changed:
        for member in delta.members_removed:
            target = delta.old["members"][member]["shape"]
            for loc, side in ctx.sites(delta.name, member):
                yield Change(
                    loc,
                    f"{loc.path} was removed",
                    old=target,
                    severity=_side(side, ERROR, ERROR, WARNING),
                    variant=side.capitalize() if side else None,
                )


@rule(
    "ChangedRequired",
    ERROR,
    traits=_t(Kind.CHANGE, Subject.CONSTRAINT, BOTH, CLIENT),
    Required=_t(Kind.TIGHTENING, Subject.CONSTRAINT, SENDERS, CLIENT, requires=True),
    Optional=_t(Kind.LOOSENING, Subject.CONSTRAINT, READERS, SERVICE),
)
def changed_required(ctx: RuleContext) -> Iterator[Change]:
    """Required-ness changed. Became required on the request: botocore rejects existing calls omitting it
    (error). Became optional on the response: botocore checks no response, so only consumers assuming it
    is present may meet a missing key (warning). The other two directions are safe (info)."""
    for delta in ctx.diff.shapes_changed:
        for members, became, request, response in (
            (delta.required_added, "required", ERROR, INFO),
            (delta.required_removed, "optional", INFO, WARNING),
        ):
            for member in members:
                for loc, side in ctx.sites(delta.name, member):
                    yield Change(
                        loc,
                        f"{loc.path} became {became}",
                        old=became != "required",
                        new=became == "required",
                        variant=became.capitalize(),
                        severity=_side(side, request, response, WARNING),
                    )


#: Shapes whose content a retarget may change beyond constraints.
_CONTAINERS = {"structure", "list", "map", "union"}
#: Model types botocore handles as one Python type (validation, serialization and parsing alike).
_PYTHON_TYPE = {"integer": "int", "long": "int", "float": "float", "double": "float"}
#: Number types from narrower to wider.
_WIDTH = {"integer": 0, "long": 1, "float": 0, "double": 1}


def _same_python_type(old: Any, new: Any) -> bool:
    return old in _PYTHON_TYPE and _PYTHON_TYPE.get(old) == _PYTHON_TYPE.get(new)


@rule(
    "ChangedShapeType",
    ERROR,
    traits=_t(Kind.CHANGE, Subject.TYPE, BOTH, CLIENT),
    Numeric=_t(Kind.CHANGE, Subject.TYPE, SENDERS, SERVICE),
)
def changed_shape_type(ctx: RuleContext) -> Iterator[Change]:
    """A shape changed its type (say string to integer): values no longer serialize or parse the same
    (error). Between integer and long, or float and double, botocore sees one Python type and the wire
    carries the same number: a wider type is info, a narrower one on the request a warning (the service
    may reject values beyond the new range)."""
    for delta, _ in _shape_changes(ctx, ["type"]):
        old, new = delta.old.get("type"), delta.new.get("type")
        numeric = _same_python_type(old, new)
        narrower = numeric and _WIDTH[str(new)] < _WIDTH[str(old)]
        for loc, side in ctx.sites(delta.name):
            yield Change(
                loc,
                f"{delta.name} changed type from {old} to {new}",
                old,
                new,
                facet="Numeric" if numeric else None,
                severity=(WARNING if narrower and side == "request" else INFO) if numeric else None,
            )


@rule(
    "ChangedMemberTarget",
    WARNING,
    traits=_t(Kind.RENAME, Subject.TARGET, BOTH, SERVICE),
    Type=_t(Kind.CHANGE, Subject.TARGET, BOTH, CLIENT),
    Input=_t(Kind.RENAME, Subject.TARGET, BOTH, WIRE),
    Output=_t(Kind.RENAME, Subject.TARGET, BOTH, WIRE),
)
def changed_member_target(ctx: RuleContext) -> Iterator[Change]:
    """A member (or list/map element, or operation input/output) now targets another shape. A different
    type is an error. A structure, list or map of the same type may differ in members (warning); a
    scalar of the same type is a rename (info): the length, range and pattern rules compare the old
    target's constraints with the new one's at the same paths."""

    def severity(old_target: str, new_target: str) -> tuple[Severity, str | None]:
        old_type = ctx.shape_raw(old_target, old=True).get("type")
        new_type = ctx.shape_raw(new_target).get("type")
        if old_type == new_type and old_type not in _CONTAINERS:
            return INFO, None  # a scalar: its constraints are compared target to target by their rules
        if old_type == new_type or _same_python_type(old_type, new_type):
            return WARNING, None
        return ERROR, "Type"

    for delta, member, _ in _member_changes(ctx, ["shape"]):
        old_t, new_t = member.old["shape"], member.new["shape"]
        sev, variant = severity(old_t, new_t)
        for loc, _side in ctx.sites(delta.name, member.name):
            yield Change(
                loc,
                f"{loc.path} now targets {new_t} instead of {old_t}",
                old_t,
                new_t,
                severity=sev,
                variant=variant,
            )
    for delta, key in _shape_changes(ctx, ["member", "key", "value"]):
        old_t, new_t = (delta.old.get(key) or {}).get("shape"), (delta.new.get(key) or {}).get("shape")
        if old_t == new_t or old_t is None or new_t is None:
            continue
        sev, variant = severity(old_t, new_t)
        for loc, _side in ctx.sites(delta.name):
            yield Change(
                loc,
                f"{delta.name} {key} now targets {new_t} instead of {old_t}",
                old_t,
                new_t,
                severity=sev,
                variant=variant,
            )
    for name, key, old, new in _op_key_changes(ctx, ["input", "output"]):
        old_t, new_t = (old or {}).get("shape"), (new or {}).get("shape")
        if old_t == new_t:
            continue
        side: Direction = "request" if key == "input" else "response"
        if new_t is None:
            sev = ERROR  # the whole input or output is gone
        elif old_t is None:
            sev = WARNING if key == "input" else INFO  # new input members may be required
        else:
            sev = severity(old_t, new_t)[0]
        message = (
            f"{name} no longer has an {key} (was {old_t})"
            if new_t is None
            else f"{name} now has an {key}: {new_t}"
            if old_t is None
            else f"{name} {key} now targets {new_t} instead of {old_t}"
        )
        yield Change(
            ctx.op(name, side),
            message,
            old_t,
            new_t,
            severity=sev,
            variant=key.capitalize(),
        )


# -- constraints ------------------------------------------------------------------------------------------


@rule(
    "ChangedEnum",
    WARNING,
    traits=_t(Kind.CHANGE, Subject.VALUE, BOTH, SERVICE),
    Added=_t(Kind.ADDITION, Subject.VALUE, READERS, SERVICE),
    Removed=_t(Kind.REMOVAL, Subject.VALUE, SENDERS, SERVICE),
)
def changed_enum(ctx: RuleContext) -> Iterator[Change]:
    """Enum values changed. A value removed from a request is an error: the service rejects callers still
    sending it (botocore does not check enums, the service does). Removed from a response it only means
    the value is no longer returned (info). An added value is a warning on the response (consumers
    switching over the values meet an unknown one) and harmless on the request (info)."""
    for delta, _ in _shape_changes(ctx, ["enum"]):
        old, new = delta.old.get("enum") or [], delta.new.get("enum") or []
        added = [v for v in new if v not in old]
        removed = [v for v in old if v not in new]
        for loc, side in ctx.sites(delta.name, kept=True):
            where = loc.path or delta.name
            if removed:
                yield Change(
                    loc,
                    f"{where}: enum values removed: {', '.join(removed)}",
                    old=removed,
                    variant="Removed",
                    severity=_side(side, ERROR, INFO, WARNING),
                )
            if added:
                yield Change(
                    loc,
                    f"{where}: enum values added: {', '.join(added)}",
                    new=added,
                    variant="Added",
                    severity=_side(side, INFO, WARNING, INFO),
                )


#: Bounds: botocore checks ``min`` of strings, lists and numbers before sending, never ``max`` nor
#: the ``min`` of blobs and maps; loosened bounds only matter to strict readers.
_BOUND_TRAITS = {
    "Tightened": _t(Kind.TIGHTENING, Subject.CONSTRAINT, SENDERS, SERVICE),
    "Tightened.client": _t(Kind.TIGHTENING, Subject.CONSTRAINT, SENDERS, CLIENT),
    "Loosened": _t(Kind.LOOSENING, Subject.CONSTRAINT, READERS, SERVICE),
    "Restated": _t(Kind.EQUIVALENT, Subject.CONSTRAINT, NEITHER, NONE),
}


#: Bounds a type has anyway: a declared bound equal to one of these constrains nothing.
_IMPLICIT_MIN = {
    "string": 0,
    "blob": 0,
    "list": 0,
    "map": 0,
    "integer": -(2**31),
    "long": -(2**63),
}
_IMPLICIT_MAX = {"integer": 2**31 - 1, "long": 2**63 - 1}
#: Lengths are Java ints in the models' toolchain: a length bound this large is no bound.
_LENGTH_LIMIT = 2**31 - 1
#: Types whose ``min`` botocore's ParamValidator checks before sending (never ``max``; not blob or map).
_CLIENT_MIN = {"string", "list", "integer", "long", "float", "double"}
_NUMBERS = {"integer", "long", "float", "double", "bigInteger", "bigDecimal"}


def _effective(key: str, value: Any, type_name: str | None) -> float:
    """A bound as it constrains values: a missing bound, or one equal to the type's own, is unbounded."""
    if key == "min":
        implicit = _IMPLICIT_MIN.get(type_name or "")
        if value is None or (implicit is not None and value <= implicit):
            return float("-inf")
        return float(value)
    implicit = _IMPLICIT_MAX.get(type_name or "", _LENGTH_LIMIT if type_name not in _NUMBERS else None)
    if value is None or (implicit is not None and value >= implicit):
        return float("inf")
    return float(value)


def _bound_change(key: str, old: Any, new: Any, type_name: str | None = None) -> str:
    """ "tightened", "loosened" or "restated" (no effect) for one min/max change."""
    before, after = _effective(key, old, type_name), _effective(key, new, type_name)
    if before == after:
        return "restated"
    if key == "min":
        return "tightened" if after > before else "loosened"
    return "tightened" if after < before else "loosened"


def _retargets(
    ctx: RuleContext,
) -> Iterator[tuple[Location, str | None, Mapping[str, Any], Mapping[str, Any]]]:
    """(location, side, old target, new target) of every member, element, key or value now targeting
    another shape of the same type: its constraints change from the old target's to the new one's."""
    for delta, member, _ in _member_changes(ctx, ["shape"]):
        before = ctx.shape_raw(member.old["shape"], old=True)
        after = ctx.shape_raw(member.new["shape"])
        if before.get("type") == after.get("type"):
            for loc, side in ctx.sites(delta.name, member.name):
                yield loc, side, before, after
    for delta, key in _shape_changes(ctx, ["member", "key", "value"]):
        old_t, new_t = (delta.old.get(key) or {}).get("shape"), (delta.new.get(key) or {}).get("shape")
        if old_t is None or new_t is None or old_t == new_t:
            continue
        before, after = ctx.shape_raw(old_t, old=True), ctx.shape_raw(new_t)
        if before.get("type") == after.get("type"):
            for loc, side in ctx.sites(delta.name):
                yield loc, side, before, after


def _constraint_changes(
    ctx: RuleContext, keys: Iterable[str]
) -> Iterator[tuple[Location, str | None, str, Mapping[str, Any], Mapping[str, Any], str]]:
    """(location, side, key, old shape, new shape, name) for each of ``keys`` that differs: on a shape
    changed in place (at the paths that reached it before), and across a retarget to a shape of the same
    type (the old target's value against the new target's)."""
    wanted = tuple(keys)
    for delta, key in _shape_changes(ctx, wanted):
        for loc, side in ctx.sites(delta.name, kept=True):
            yield loc, side, key, delta.old, delta.new, delta.name
    for loc, side, before, after in _retargets(ctx):
        for key in wanted:
            if before.get(key) != after.get(key):
                yield loc, side, key, before, after, loc.shape or ""


def _bounds(ctx: RuleContext, numeric: bool) -> Iterator[Change]:
    for loc, side, key, old_shape, new_shape, name in _constraint_changes(ctx, ["min", "max"]):
        type_name = new_shape.get("type")
        if (type_name in _NUMBERS) != numeric or old_shape.get("type") != type_name:
            continue  # a changed type is ChangedShapeType's
        old, new = old_shape.get(key), new_shape.get(key)
        how = _bound_change(key, old, new, type_name)
        client = key == "min" and type_name in _CLIENT_MIN
        facet = how.capitalize() + (".client" if how == "tightened" and client else "")
        if how == "tightened":
            # A new bound documents a limit the service enforced already (an ARN's length, a two-letter
            # country code, a non-empty name: the samples of ``docs/calibration.md``). botocore rejects a
            # value below a ``min`` before sending, the service any other: a call that failed still fails.
            request, response, other = WARNING, INFO, WARNING
        elif how == "loosened":
            request, response, other = INFO, WARNING, INFO
        else:
            request = response = other = INFO
        where = loc.path or name
        message = (
            f"{where}: {key} {old} -> {new} restates the type's own bound"
            if how == "restated"
            else f"{where}: {key} {how} from {old} to {new}"
        )
        yield Change(
            loc,
            message,
            old,
            new,
            variant=how.capitalize(),
            facet=facet,
            severity=_side(side, request, response, other),
        )


@rule(
    "ChangedLengthTrait",
    ERROR,
    traits=_t(Kind.CHANGE, Subject.CONSTRAINT, BOTH, SERVICE),
    **_BOUND_TRAITS,
)
def changed_length_trait(ctx: RuleContext) -> Iterator[Change]:
    """Length bounds (min/max of strings, blobs, lists, maps) changed. A tightened request bound is a
    warning: it states a limit the service enforced already (botocore now rejects a too-short string or
    list before sending; ``max`` and blob/map ``min`` stay the service's to check). A loosened response
    bound only matters to readers sized for the old one (warning). A bound equal to the implicit one
    (``min`` 0) restates nothing (info)."""
    return _bounds(ctx, numeric=False)


@rule(
    "ChangedRangeTrait",
    ERROR,
    traits=_t(Kind.CHANGE, Subject.CONSTRAINT, BOTH, SERVICE),
    **_BOUND_TRAITS,
)
def changed_range_trait(ctx: RuleContext) -> Iterator[Change]:
    """Numeric range (min/max of numbers) changed; judged like ChangedLengthTrait: a tightened request range
    states a limit the service enforced already (warning; botocore checks a ``min``, the service a
    ``max``), a loosened response range surprises strict readers (warning), a bound equal to the type's
    limit restates nothing (info)."""
    return _bounds(ctx, numeric=True)


def _witnesses(label: str, values: tuple[str, ...]) -> str:
    if not values:
        return ""
    shown = ", ".join(repr(v if len(v) <= 40 else v[:37] + "...") for v in values[:2])
    return f"; {label} {shown}"


@rule(
    "ChangedPattern",
    WARNING,
    traits=_t(Kind.CHANGE, Subject.CONSTRAINT, SENDERS, SERVICE),
    Added=_t(Kind.TIGHTENING, Subject.CONSTRAINT, SENDERS, SERVICE),
    Removed=_t(Kind.LOOSENING, Subject.CONSTRAINT, READERS, SERVICE),
    Tightened=_t(Kind.TIGHTENING, Subject.CONSTRAINT, SENDERS, SERVICE),
    Loosened=_t(Kind.LOOSENING, Subject.CONSTRAINT, READERS, SERVICE),
    Changed=_t(Kind.TIGHTENING, Subject.CONSTRAINT, BOTH, SERVICE),
    Equivalent=_t(Kind.EQUIVALENT, Subject.CONSTRAINT, NEITHER, NONE),
    Undecided=_t(Kind.CHANGE, Subject.CONSTRAINT, SENDERS, SERVICE),
)
def changed_pattern(ctx: RuleContext) -> Iterator[Change]:
    """A string pattern was added, removed or rewritten. Which values it accepts is decided by evidence:
    strings drawn from each pattern are tested against the other (``specs.sampling``). A pattern that now
    rejects values the old one accepted is a tightening; botocore never checks patterns, so on the request
    it is at most a warning (the service may reject). Equivalent rewrites (``p`` vs ``^p$``), loosened or
    removed patterns, and response patterns are info."""
    for loc, side, _key, old_shape, new_shape, name in _constraint_changes(ctx, ["pattern"]):
        if old_shape.get("type") != new_shape.get("type"):
            continue
        old, new = old_shape.get("pattern"), new_shape.get("pattern")
        found = compare_patterns(old, new)
        how = {
            "equivalent": "Equivalent",
            "tightened": "Tightened",
            "loosened": "Loosened",
            "changed": "Changed",
            "undecided": "Undecided",
        }[found.relation]
        variant = "Added" if old is None else "Removed" if new is None else how
        if variant == "Undecided":
            variant = "Changed"
        facet = how if how in ("Equivalent", "Undecided") else variant
        tightens = how in ("Tightened", "Changed", "Undecided")
        evidence = _witnesses("now rejects", found.rejected_now)
        evidence += _witnesses("now accepts", found.accepted_now)
        what = {"Equivalent": "restated", "Undecided": "changed"}.get(how, how.lower())
        if variant in ("Added", "Removed"):
            what = f"{variant.lower()}, {what}" if how == "Equivalent" else variant.lower()
        yield Change(
            loc,
            f"{loc.path or name}: pattern {what} ({old!r} -> {new!r}){evidence}",
            old,
            new,
            variant=variant,
            facet=facet,
            severity=WARNING if side == "request" and tightens else INFO,
        )


# -- other traits -----------------------------------------------------------------------------------------


@rule("ChangedDeprecated", WARNING, traits=_t(Kind.METADATA, Subject.METADATA, NEITHER, NONE))
def changed_deprecated(ctx: RuleContext) -> Iterator[Change]:
    """Something became deprecated (warning: plan a migration before it is removed) or was
    un-deprecated (info)."""
    for name, _, old, new in _op_key_changes(ctx, ["deprecated"]):
        yield Change(
            ctx.op(name),
            f"{name} {'is now deprecated' if new else 'is no longer deprecated'}",
            bool(old),
            bool(new),
            variant="Added" if new else "Removed",
            severity=WARNING if new else INFO,
        )
    for loc, _side, _key, old, new in _trait_changes(ctx, ["deprecated"]):
        where = loc.path or loc.shape
        yield Change(
            loc,
            f"{where} {'is now deprecated' if new else 'is no longer deprecated'}",
            bool(old),
            bool(new),
            variant="Added" if new else "Removed",
            severity=WARNING if new else INFO,
        )


@rule("ChangedTimestampFormat", ERROR, traits=_t(Kind.CHANGE, Subject.ENCODING, BOTH, WIRE))
def changed_timestamp_format(ctx: RuleContext) -> Iterator[Change]:
    """A timestamp's wire format changed: values written or parsed with the old format are misread."""
    for loc, _side, _key, old, new in _trait_changes(ctx, ["timestampFormat"]):
        yield Change(
            loc, f"{loc.path or loc.shape}: timestampFormat changed from {old!r} to {new!r}", old, new
        )


@rule("ChangedStreaming", ERROR, traits=_t(Kind.CHANGE, Subject.ENCODING, BOTH, WIRE))
def changed_streaming(ctx: RuleContext) -> Iterator[Change]:
    """Streaming or event-stream traits changed: the body is read and written in a different way."""
    keys = ["streaming", "eventstream", "event", "requiresLength", "eventpayload"]
    for loc, _side, key, old, new in _trait_changes(ctx, keys):
        yield Change(
            loc, f"{loc.path or loc.shape}: {key} changed from {old!r} to {new!r}", old, new, variant=key
        )


@rule("ChangedIdempotencyToken", WARNING, traits=_t(Kind.CHANGE, Subject.TRAIT, NEITHER, WIRE))
def changed_idempotency_token(ctx: RuleContext) -> Iterator[Change]:
    """A member stopped (warning: retries are no longer made safe automatically) or started (info: the SDK
    fills it in) being an idempotency token."""
    for loc, _side, _key, old, new in _trait_changes(ctx, ["idempotencyToken"]):
        yield Change(
            loc,
            f"{loc.path}: idempotencyToken {'added' if new else 'removed'}",
            bool(old),
            bool(new),
            variant="Added" if new else "Removed",
            severity=INFO if new else WARNING,
        )


@rule("ChangedSensitive", INFO, traits=_t(Kind.METADATA, Subject.METADATA, NEITHER, NONE))
def changed_sensitive(ctx: RuleContext) -> Iterator[Change]:
    """Sensitivity only changes how values are redacted in logs, not the contract."""
    for loc, _side, _key, old, new in _trait_changes(ctx, ["sensitive"]):
        yield Change(
            loc, f"{loc.path or loc.shape}: sensitive {'added' if new else 'removed'}", bool(old), bool(new)
        )


@rule("ChangedDefault", WARNING, traits=_t(Kind.CHANGE, Subject.TRAIT, READERS, NONE))
def changed_default(ctx: RuleContext) -> Iterator[Change]:
    """A default value or boxing (``box``: whether an unset value is null or a zero default) changed:
    consumers telling "unset" from "zero" may see different values."""
    for loc, _side, key, old, new in _trait_changes(ctx, ["default", "box"]):
        yield Change(
            loc, f"{loc.path or loc.shape}: {key} changed from {old!r} to {new!r}", old, new, variant=key
        )


#: Keys some rule above handles; anything else that changes is reported by ChangedTrait.
_HANDLED_SHAPE = {
    "type",
    "members",
    "required",
    "enum",
    "min",
    "max",
    "pattern",
    "member",
    "key",
    "value",
    "deprecated",
    "timestampFormat",
    "streaming",
    "eventstream",
    "event",
    "requiresLength",
    "sensitive",
    "default",
    "box",
    *_SHAPE_BINDINGS,
    *DOC_KEYS,
}
_HANDLED_MEMBER = {
    "shape",
    "deprecated",
    "timestampFormat",
    "streaming",
    "eventpayload",
    "idempotencyToken",
    "sensitive",
    "default",
    "box",
    "hostLabel",
    *_MEMBER_BINDINGS,
    *DOC_KEYS,
}
_HANDLED_OP = {
    "name",
    "http",
    "input",
    "output",
    "errors",
    "deprecated",
    "auth",
    "authtype",
    "unsignedPayload",
    "endpoint",
    *DOC_KEYS,
}


@rule("ChangedTrait", INFO, traits=_t(Kind.CHANGE, Subject.TRAIT, NEITHER, NONE))
def changed_trait(ctx: RuleContext) -> Iterator[Change]:
    """Any other trait change (exception/retryable flags, unions, checksums, context parameters, ...), so
    that no change of the model goes unreported; review it by hand."""
    for delta in ctx.diff.shapes_changed:
        for key in sorted(delta.traits - _HANDLED_SHAPE):
            for loc, _side in ctx.sites(delta.name):
                yield Change(
                    loc, f"{delta.name}: {key} changed", delta.old.get(key), delta.new.get(key), variant=key
                )
        for member in delta.members_changed:
            for key in sorted(member.keys - _HANDLED_MEMBER):
                for loc, _side in ctx.sites(delta.name, member.name):
                    yield Change(
                        loc,
                        f"{loc.path}: {key} changed",
                        member.old.get(key),
                        member.new.get(key),
                        variant=key,
                    )
    for op in ctx.diff.operations_changed:
        for key in sorted(op.keys - _HANDLED_OP):
            yield Change(
                ctx.op(op.name), f"{op.name}: {key} changed", op.old.get(key), op.new.get(key), variant=key
            )
    for key in sorted(ctx.diff.top - DOC_KEYS):
        old, new = ctx.diff.old_raw.get(key), ctx.diff.new_raw.get(key)
        yield Change(ctx.here(key), f"model {key} changed from {old!r} to {new!r}", old, new, variant=key)


# -- service metadata -------------------------------------------------------------------------------------

#: Metadata keys that change the wire format or where requests go: existing clients of the old model and
#: emulators speak the wrong thing.
_METADATA_DANGER = {
    "protocol",
    "jsonVersion",
    "targetPrefix",
    "endpointPrefix",
    "signingName",
    "globalEndpoint",
    "awsQueryCompatible",
}
#: Metadata keys that change signing or protocol negotiation without changing a correct client's calls.
_METADATA_WARNING = {
    "protocols",
    "auth",
    "signatureVersion",
    "serviceId",
    "xmlNamespace",
    "protocolSettings",
    "checksumFormat",
}


def _wire_protocol(meta: Mapping[str, Any]) -> str | None:
    """The protocol botocore speaks for this metadata: the first of its priority order listed in
    ``protocols``, else ``protocol`` (``botocore.model.ServiceModel.resolved_protocol``)."""
    from botocore.utils import PRIORITY_ORDERED_SUPPORTED_PROTOCOLS

    listed = meta.get("protocols")
    if listed:
        return next((p for p in PRIORITY_ORDERED_SUPPORTED_PROTOCOLS if p in listed), None)
    return meta.get("protocol")


@rule(
    "ChangedMetadata",
    WARNING,
    traits=_t(Kind.METADATA, Subject.METADATA, NEITHER, NONE),
    wire=_t(Kind.CHANGE, Subject.ENCODING, BOTH, WIRE),
    signing=_t(Kind.CHANGE, Subject.ENCODING, NEITHER, WIRE),
    equivalent=_t(Kind.EQUIVALENT, Subject.ENCODING, NEITHER, NONE),
)
def changed_metadata(ctx: RuleContext) -> Iterator[Change]:
    """Service metadata changed. Protocol, JSON version, target prefix, endpoint prefix or signing name
    change what goes on the wire or where (danger); protocols, auth, signature version or service id change
    signing and negotiation (warning); names and ids are informative (info). A protocol list botocore still
    resolves to the same protocol, or a ``jsonVersion`` of a service botocore does not speak ``json`` to,
    changes no request (info)."""
    old_meta = ctx.diff.old_raw.get("metadata") or {}
    new_meta = ctx.diff.new_raw.get("metadata") or {}
    old_wire, new_wire = _wire_protocol(old_meta), _wire_protocol(new_meta)
    for key in sorted(ctx.diff.metadata):
        old, new = old_meta.get(key), new_meta.get(key)
        if key in ("protocol", "protocols") and old_wire == new_wire:
            sev, facet, why = INFO, "equivalent", f" (botocore still speaks {new_wire})"
        elif key == "jsonVersion" and "json" not in (old_wire, new_wire):
            sev, facet, why = INFO, "equivalent", f" (ignored by the {new_wire} protocol)"
        elif key in ("protocol", "protocols"):
            sev, facet, why = DANGER, "wire", f" (botocore now speaks {new_wire}, not {old_wire})"
        elif key in _METADATA_DANGER:
            sev, facet, why = DANGER, "wire", ""
        elif key in _METADATA_WARNING:
            sev, facet, why = WARNING, "signing", ""
        else:
            sev, facet, why = INFO, None, ""
        yield Change(
            ctx.here(f"metadata.{key}"),
            f"metadata {key} changed from {old!r} to {new!r}{why}",
            old,
            new,
            variant=key,
            severity=sev,
            facet=facet,
        )


# -- paginators and waiters ---------------------------------------------------------------------------


def _deep_summary(old: Any, new: Any) -> str:
    """Which paths of a nested config changed, as a short list (deepdiff, every level compared).

    Imported here: deepdiff pulls in numpy and pydantic, which would slow every command's start.
    """
    from deepdiff import DeepDiff

    report = DeepDiff(old, new, threshold_to_diff_deeper=0)
    paths = [str(p).removeprefix("root") for p in report.affected_paths]
    return ", ".join(sorted(paths)[:5]) + (" ..." if len(paths) > 5 else "")


@rule("AddedPaginator", INFO, traits=_t(Kind.ADDITION, Subject.PAGINATOR, NEITHER, NONE))
def added_paginator(ctx: RuleContext) -> Iterator[Change]:
    """A new paginator: ``get_paginator`` works for one more operation."""
    for name in ctx.diff.paginators_added:
        yield Change(ctx.op(name), f"paginator {name} was added", new=dict(ctx.diff.new_paginators[name]))


@rule("RemovedPaginator", ERROR, traits=_t(Kind.REMOVAL, Subject.PAGINATOR, BOTH, CLIENT))
def removed_paginator(ctx: RuleContext) -> Iterator[Change]:
    """A paginator is gone: ``get_paginator`` for it raises."""
    if ctx.diff.new is None:
        return
    for name in ctx.diff.paginators_removed:
        yield Change(ctx.op(name), f"paginator {name} was removed", old=dict(ctx.diff.old_paginators[name]))


@rule(
    "ChangedPaginator",
    DANGER,
    traits=_t(Kind.CHANGE, Subject.PAGINATOR, READERS, CLIENT),
    ResultKeyAdded=_t(Kind.ADDITION, Subject.PAGINATOR, NEITHER, CLIENT),
)
def changed_paginator(ctx: RuleContext) -> Iterator[Change]:
    """Paginator tokens, limit key or result keys changed: pagination loops may stop early, repeat, or
    return different items (danger). Only result keys added, the old ones kept in order: the pages carry
    one more aggregated list and every existing loop works as before (info)."""
    for name in ctx.diff.paginators_changed:
        old, new = dict(ctx.diff.old_paginators[name]), dict(ctx.diff.new_paginators[name])
        if _result_keys_added(old, new):
            added = _listed(new.get("result_key"))[len(_listed(old.get("result_key"))) :]
            yield Change(
                ctx.op(name),
                f"paginator {name}: result keys added: {', '.join(map(str, added))}",
                old,
                new,
                variant="ResultKeyAdded",
                severity=INFO,
            )
            continue
        yield Change(ctx.op(name), f"paginator {name} changed: {_deep_summary(old, new)}", old, new)


def _listed(value: Any) -> list[Any]:
    return [] if value is None else list(value) if isinstance(value, list) else [value]


def _result_keys_added(old: Mapping[str, Any], new: Mapping[str, Any]) -> bool:
    """Whether ``new`` only appends result keys to ``old`` (a single key may become a list)."""
    before, after = _listed(old.get("result_key")), _listed(new.get("result_key"))
    rest_same = {k: v for k, v in old.items() if k != "result_key"} == {
        k: v for k, v in new.items() if k != "result_key"
    }
    return rest_same and len(after) > len(before) and after[: len(before)] == before


@rule("AddedWaiter", INFO, traits=_t(Kind.ADDITION, Subject.WAITER, NEITHER, NONE))
def added_waiter(ctx: RuleContext) -> Iterator[Change]:
    """A new waiter: ``get_waiter`` works for one more name."""
    for name in ctx.diff.waiters_added:
        yield Change(ctx.here(f"waiters.{name}"), f"waiter {name} was added")


@rule("RemovedWaiter", ERROR, traits=_t(Kind.REMOVAL, Subject.WAITER, BOTH, CLIENT))
def removed_waiter(ctx: RuleContext) -> Iterator[Change]:
    """A waiter is gone: ``get_waiter`` for it raises."""
    if ctx.diff.new is None:
        return
    for name in ctx.diff.waiters_removed:
        yield Change(ctx.here(f"waiters.{name}"), f"waiter {name} was removed")


@rule("ChangedWaiter", WARNING, traits=_t(Kind.CHANGE, Subject.WAITER, BOTH, CLIENT))
def changed_waiter(ctx: RuleContext) -> Iterator[Change]:
    """A waiter's operation, delay, attempts or acceptors changed: code waiting on it may wait longer,
    shorter, or for a different state."""
    for name in ctx.diff.waiters_changed:
        old, new = dict(ctx.diff.old_waiters[name]), dict(ctx.diff.new_waiters[name])
        yield Change(
            ctx.here(f"waiters.{name}"), f"waiter {name} changed: {_deep_summary(old, new)}", old, new
        )


# -- documentation ------------------------------------------------------------------------------------


@rule("ChangedDocumentation", INFO, traits=_t(Kind.DOCUMENTATION, Subject.DOCUMENTATION, NEITHER, NONE))
def changed_documentation(ctx: RuleContext) -> Iterator[Change]:
    """Documentation text changed. Never breaks anything; reported only with ``include_docs``, with a
    word-level excerpt of the edit and the old and new text around it."""

    def edited(loc: Location, where: str, key: str, old: Any, new: Any) -> Change:
        edit = doc_change(old if isinstance(old, str) else None, new if isinstance(new, str) else None)
        what = "documentation" if key == "documentation" else key
        return Change(loc, f"{where} {what} changed: {edit.summary}", edit.old, edit.new)

    if "documentation" in ctx.diff.top:
        old, new = ctx.diff.old_raw.get("documentation"), ctx.diff.new_raw.get("documentation")
        yield edited(ctx.here(), ctx.service, "documentation", old, new)
    for delta in ctx.diff.operations_changed:
        for key in sorted(delta.keys & DOC_KEYS):
            yield edited(ctx.op(delta.name), delta.name, key, delta.old.get(key), delta.new.get(key))
    seen: set[tuple[Location, str]] = set()
    for loc, _side, key, old, new in _trait_changes(ctx, DOC_KEYS):
        if (loc, key) not in seen:
            seen.add((loc, key))
            yield edited(loc, loc.path or loc.shape or "", key, old, new)


# -- endpoint rule sets -------------------------------------------------------------------------------
# Judged by what botocore resolves (see changes.endpoints), never by the rule set's text. A botocore
# client follows a rule set by itself, so a moved endpoint changes no code; what a user feels is traffic
# going somewhere else (firewalls, VPC endpoints, proxies, emulators), a configuration that stops working,
# or a client setting that silently loses its effect.

_ENDPOINT_ASPECTS = {
    "url": ("Url", "endpoint"),
    "auth": ("AuthScheme", "auth schemes"),
    "headers": ("Headers", "endpoint headers"),
    "properties": ("Properties", "endpoint properties"),
    "error": ("Error", "now an error"),
    "resolves": ("Resolves", "now resolves"),
}


def _endpoint_severity(aspect: str, default_config: bool) -> Severity:
    if aspect == "error":
        return DANGER if default_config else WARNING
    if aspect in ("url", "auth", "headers"):
        return WARNING if default_config else INFO
    return INFO


def _endpoint_location(ctx: RuleContext, label: str) -> Location:
    return ctx.here(f"endpoints[{label}]")


@rule(
    "ChangedEndpoint",
    WARNING,
    traits=_t(Kind.CHANGE, Subject.ENDPOINT, NEITHER, WIRE),
    Error=_t(Kind.TIGHTENING, Subject.ENDPOINT, BOTH, CLIENT),
    Resolves=_t(Kind.LOOSENING, Subject.ENDPOINT, NEITHER, CLIENT),
    Properties=_t(Kind.CHANGE, Subject.ENDPOINT, NEITHER, NONE),
    Unevaluated=_t(Kind.CHANGE, Subject.ENDPOINT, NEITHER, NONE),
)
def changed_endpoint(ctx: RuleContext) -> Iterator[Change]:
    """What botocore resolves from the endpoint rule set changed, for the regions and options shown.
    ``Url``, ``AuthScheme`` (signing name, region or scheme) and ``Headers``: the SDK follows by itself, so
    no code breaks, but traffic goes to another host or is signed differently (firewall rules, VPC
    endpoints, proxies, emulators): warning when a default client is affected, info when only clients that
    opted into FIPS, dual-stack or another option are. ``Error``: a configuration that resolved now raises,
    so every call made that way fails (danger for a default client, warning for an opt-in configuration,
    whose old endpoint may never have existed). ``Resolves``: a configuration that raised now works (info).
    ``Properties``: other endpoint properties (info). Two errors are one outcome whatever their wording."""
    endpoints = ctx.diff.endpoints
    if endpoints.unevaluated:
        yield Change(
            ctx.here("endpoints"),
            f"endpoint rule set changed but could not be evaluated here ({endpoints.unevaluated}); "
            "upgrade botocore to compare what it resolves",
            variant="Unevaluated",
            severity=WARNING,
        )
    for change in endpoints.changes:
        variant, _what = _ENDPOINT_ASPECTS[change.aspect]
        regions = endpoints.region_text(change.regions)
        with_config = "" if change.configs == ((),) else f" with {change.label}"
        yield Change(
            _endpoint_location(ctx, change.label),
            f"{regions}{with_config}: {_endpoint_text(change.aspect, change.old, change.new)}",
            change.old,
            change.new,
            variant=variant,
            severity=_endpoint_severity(change.aspect, change.default_config),
        )


def _endpoint_text(aspect: str, old: str, new: str) -> str:
    if aspect == "error":
        return f"{old} -> error ({new})"
    if aspect == "resolves":
        return f"error -> {new} (was: {old})"
    if aspect == "auth":
        return f"auth {_auth_text(old)} -> {_auth_text(new)}"
    if aspect in ("headers", "properties"):
        return f"{aspect} {old or '(none)'} -> {new or '(none)'}"
    return f"{old} -> {new}"


def _auth_text(text: str) -> str:
    """``sigv4 signingName=s3 signingRegion=us-east-1, sigv4a ...`` from the auth schemes' JSON."""
    import json

    try:
        schemes = json.loads(text) if text else []
    except ValueError:
        return text
    if not isinstance(schemes, list):
        return text
    out = []
    for scheme in schemes:
        if not isinstance(scheme, dict):
            return text
        rest = " ".join(f"{k}={v}" for k, v in sorted(scheme.items()) if k != "name")
        out.append(f"{scheme.get('name', '?')} {rest}".strip())
    return ", ".join(out) or "(none)"


def _parameter_text(spec: Mapping[str, Any] | None) -> str:
    if not spec:
        return ""
    bits = [str(spec.get("type", "?"))]
    if spec.get("builtIn"):
        bits.append(f"built-in {spec['builtIn']}")
    if spec.get("required"):
        bits.append("required")
    if "default" in spec:
        bits.append(f"default {spec['default']!r}")
    return ", ".join(bits)


def _parameters(ctx: RuleContext) -> Iterator[Any]:
    yield from ctx.diff.endpoints.parameters


@rule("AddedEndpointParameter", INFO, traits=_t(Kind.ADDITION, Subject.ENDPOINT, NEITHER, NONE))
def added_endpoint_parameter(ctx: RuleContext) -> Iterator[Change]:
    """A new endpoint rule-set parameter. botocore fills built-ins and context parameters by itself, so
    existing clients keep working (info); a required parameter with no default and no built-in to fill it
    can make resolution fail for calls that do not supply it (warning)."""
    for param in _parameters(ctx):
        if param.old is None and param.new is not None:
            spec = param.new
            risky = spec.get("required") and "default" not in spec and not spec.get("builtIn")
            yield Change(
                ctx.here(f"endpoints.parameters.{param.name}"),
                f"endpoint parameter {param.name} was added ({_parameter_text(spec)})",
                new=dict(spec),
                severity=WARNING if risky else INFO,
            )


@rule("RemovedEndpointParameter", DANGER, traits=_t(Kind.REMOVAL, Subject.ENDPOINT, SENDERS, WIRE))
def removed_endpoint_parameter(ctx: RuleContext) -> Iterator[Change]:
    """An endpoint rule-set parameter is gone. A built-in is set by clients through their configuration
    (FIPS, dual-stack, S3 path style, accelerate, ...): botocore now drops it silently, so the setting has
    no effect any more (danger). Other parameters are filled from request members or operation context;
    their loss only changes routing for those calls (warning)."""
    for param in _parameters(ctx):
        if param.new is None and param.old is not None:
            yield Change(
                ctx.here(f"endpoints.parameters.{param.name}"),
                f"endpoint parameter {param.name} was removed ({_parameter_text(param.old)})",
                old=dict(param.old),
                severity=DANGER if param.set_by_clients else WARNING,
            )


@rule("ChangedEndpointParameter", WARNING, traits=_t(Kind.CHANGE, Subject.ENDPOINT, NEITHER, WIRE))
def changed_endpoint_parameter(ctx: RuleContext) -> Iterator[Change]:
    """An endpoint parameter's type, default, required-ness, built-in or deprecation changed: clients that
    relied on the old default or passed the old type resolve differently (warning); the evaluated
    endpoints, reported by ChangedEndpoint, show the effect. Deprecation is info. Required-ness of a
    built-in or of a parameter with a default is not reported: botocore fills those either way."""
    for param in _parameters(ctx):
        if param.old is not None and param.new is not None:
            keys = sorted(k for k in param.old.keys() | param.new.keys()
                          if k != "documentation" and param.old.get(k) != param.new.get(k))
            # botocore fills a built-in from the client's configuration and a default when nothing is
            # given, so required-ness alone changes nothing a client gets.
            if set(keys) <= {"required"} and (param.set_by_clients or "default" in param.new):
                continue
            quiet = set(keys) <= {"required", "deprecated"}
            yield Change(
                ctx.here(f"endpoints.parameters.{param.name}"),
                f"endpoint parameter {param.name} changed ({_parameter_text(param.old)} -> "
                f"{_parameter_text(param.new)})",
                dict(param.old),
                dict(param.new),
                variant=keys[0].capitalize() if len(keys) == 1 else None,
                severity=INFO if quiet else None,
            )


@rule("AddedEndpointRuleSet", INFO, traits=_t(Kind.ADDITION, Subject.ENDPOINT, NEITHER, NONE))
def added_endpoint_rule_set(ctx: RuleContext) -> Iterator[Change]:
    """The service now ships an endpoint rule set (botocore 1.29 moved every service to them): endpoints
    are resolved by rules instead of the release-wide ``endpoints.json``; review ChangedEndpoint of later
    releases."""
    endpoints = ctx.diff.endpoints
    if ctx.diff.endpoint_rules_changed and not endpoints.old_present and endpoints.new_present:
        yield Change(ctx.here("endpoints"), "endpoint rule set was added")


@rule("RemovedEndpointRuleSet", DANGER, traits=_t(Kind.REMOVAL, Subject.ENDPOINT, BOTH, CLIENT))
def removed_endpoint_rule_set(ctx: RuleContext) -> Iterator[Change]:
    """The service's endpoint rule set is gone: botocore releases that resolve endpoints by rules cannot
    build a client for it (danger)."""
    endpoints = ctx.diff.endpoints
    if ctx.diff.endpoint_rules_changed and endpoints.old_present and not endpoints.new_present:
        yield Change(ctx.here("endpoints"), "endpoint rule set was removed")
