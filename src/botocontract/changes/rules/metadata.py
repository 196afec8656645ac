"""Rules on traits, service metadata, auth and protocol."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from botocontract.changes.diff import DOC_KEYS
from botocontract.changes.model import (
    Change,
    Kind,
    Subject,
)
from botocontract.changes.rules import (
    BOTH,
    DANGER,
    ERROR,
    INFO,
    NEITHER,
    NONE,
    READERS,
    WARNING,
    WIRE,
    RuleContext,
    _t,
    _trait_changes,
    rule,
)
from botocontract.changes.rules.services import _MEMBER_BINDINGS, _SHAPE_BINDINGS, _op_key_changes


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
