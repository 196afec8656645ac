"""Rules on members and shapes: added, removed, required, retyped, retargeted."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from botocontract.changes.model import (
    Change,
    Direction,
    Kind,
    Severity,
    Subject,
)
from botocontract.changes.rules import (
    BOTH,
    CLIENT,
    ERROR,
    INFO,
    NEITHER,
    NONE,
    READERS,
    SENDERS,
    SERVICE,
    WARNING,
    WIRE,
    RuleContext,
    _member_changes,
    _shape_changes,
    _side,
    _t,
    rule,
)
from botocontract.changes.rules.services import _op_key_changes


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
        for loc, _ in ctx.sites(delta.name, member.name):
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
        for loc, _ in ctx.sites(delta.name):
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
