"""Rules on endpoint rule sets and their parameters."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from botocontract.changes.model import (
    Change,
    Kind,
    Location,
    Severity,
    Subject,
)
from botocontract.changes.rules import (
    BOTH,
    CLIENT,
    DANGER,
    INFO,
    NEITHER,
    NONE,
    SENDERS,
    WARNING,
    WIRE,
    RuleContext,
    _t,
    rule,
)

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
            keys = sorted(
                k
                for k in param.old.keys() | param.new.keys()
                if k != "documentation" and param.old.get(k) != param.new.get(k)
            )
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
