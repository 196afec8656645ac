"""Rules on value constraints: enums, length and range bounds, patterns."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from botocontract.changes.model import (
    Change,
    Kind,
    Location,
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
    RuleContext,
    _member_changes,
    _shape_changes,
    _side,
    _t,
    rule,
)
from botocontract.specs.sampling import compare_patterns


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
