"""Rules on services, operations, their errors, auth and HTTP bindings."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from botocontract.changes.model import (
    Change,
    Kind,
    Subject,
)
from botocontract.changes.rules import (
    BOTH,
    CLIENT,
    DANGER,
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
    _t,
    rule,
)


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
