"""The JSON form of a :class:`ReleaseDiff`, its JSON Schema, and the way back (for the pair cache).

The public form lists sets (added enum values in change dicts) as sorted lists. The cache form
(``exact=True``) tags them as ``{"$set": [...]}`` so a cached diff renders exactly like a fresh one.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from botocontract.changes.model import (
    Audience,
    Enforcement,
    Finding,
    Kind,
    Location,
    OperationChange,
    ReleaseDiff,
    ServiceChange,
    Severity,
    Subject,
    Traits,
)

__all__ = ["SCHEMA_VERSION", "diff_json_schema", "from_dict", "render_json", "to_dict"]

#: Bumped when the JSON layout changes incompatibly.
SCHEMA_VERSION = 2
_SET = "$set"


def _value(value: Any, exact: bool) -> Any:
    if isinstance(value, (set, frozenset)):
        items = sorted((_value(v, exact) for v in value), key=repr)
        return {_SET: items} if exact else items
    if isinstance(value, dict):
        return {str(k): _value(v, exact) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_value(v, exact) for v in value]
    return value


def _unvalue(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {_SET}:
            return set(_unvalue(v) for v in value[_SET])
        return {k: _unvalue(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_unvalue(v) for v in value]
    return value


def _finding(finding: Finding) -> dict[str, Any]:
    return finding.as_dict()


def _summary(findings: list[Finding]) -> dict[str, int]:
    counts = {s.label: 0 for s in sorted(Severity, reverse=True)}
    for finding in findings:
        counts[finding.severity.label] += 1
    counts["breaking"] = sum(1 for f in findings if f.breaking)
    counts["total"] = len(findings)
    return counts


def to_dict(diff: ReleaseDiff, *, exact: bool = False) -> dict[str, Any]:
    """The JSON-ready dict of a release diff (``exact`` keeps sets distinguishable, for caching)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "old": {"label": diff.old_label, "version": diff.old_version},
        "new": {"label": diff.new_label, "version": diff.new_version},
        "released": diff.released.isoformat() if diff.released else None,
        "notes": diff.notes,
        "summary": _summary(diff.all_findings()),
        "services": [
            {
                "service": s.service,
                "full_name": s.full_name,
                "status": s.status,
                "old_api_version": s.old_api_version,
                "new_api_version": s.new_api_version,
                "findings": [_finding(f) for f in s.findings],
                "operations": [
                    {
                        "name": op.name,
                        "status": op.status,
                        "request": _value(op.request, exact),
                        "response": _value(op.response, exact),
                        "findings": [_finding(f) for f in op.findings],
                        "digest": op.digest,
                    }
                    for op in s.operations
                ],
            }
            for s in diff.services
        ],
    }


def render_json(diff: ReleaseDiff, *, indent: int | None = 2) -> str:
    """The public JSON text of a release diff (validates against :func:`diff_json_schema`)."""
    return json.dumps(to_dict(diff), indent=indent, default=str)


def _load_location(data: dict[str, Any]) -> Location:
    uses = tuple((u["operation"], u["side"], u["path"]) for u in data.get("uses", ()))
    return Location(**{**data, "uses": uses})


def _load_finding(data: dict[str, Any]) -> Finding:
    return Finding(
        rule=data["rule"],
        severity=Severity.parse(data["severity"]),
        location=_load_location(data["location"]),
        message=data["message"],
        old=_unvalue(data.get("old")),
        new=_unvalue(data.get("new")),
        traits=Traits.from_dict(data["traits"]) if "traits" in data else None,  # type: ignore[arg-type]
    )


def from_dict(data: dict[str, Any]) -> ReleaseDiff:
    """A release diff back from :func:`to_dict` output (exact or public)."""
    released = data.get("released")
    return ReleaseDiff(
        old_label=data["old"]["label"],
        new_label=data["new"]["label"],
        old_version=data["old"].get("version"),
        new_version=data["new"].get("version"),
        released=datetime.fromisoformat(released) if released else None,
        notes={k: list(v) for k, v in (data.get("notes") or {}).items()},
        services=[
            ServiceChange(
                service=s["service"],
                full_name=s["full_name"],
                status=s["status"],
                old_api_version=s.get("old_api_version"),
                new_api_version=s.get("new_api_version"),
                findings=[_load_finding(f) for f in s.get("findings", ())],
                operations=[
                    OperationChange(
                        name=op["name"],
                        status=op["status"],
                        request=_unvalue(op.get("request") or {}),
                        response=_unvalue(op.get("response") or {}),
                        findings=[_load_finding(f) for f in op.get("findings", ())],
                        digest=op.get("digest"),
                    )
                    for op in s.get("operations", ())
                ],
            )
            for s in data.get("services", ())
        ],
    )


def diff_json_schema() -> dict[str, Any]:
    """JSON Schema (2020-12) of :func:`render_json` output (``botocontract schema diff-json``)."""
    severity = {"enum": [s.label for s in Severity]}
    nullable_str = {"type": ["string", "null"]}
    location = {
        "type": "object",
        "required": ["service", "operation", "direction", "path", "shape"],
        "additionalProperties": False,
        "properties": {
            "service": {"type": "string"},
            "operation": nullable_str,
            "direction": {"enum": ["request", "response", "both", "service"]},
            "path": {"type": "string"},
            "shape": nullable_str,
            "uses": {
                "type": "array",
                "description": "on a shared shape: every operation side and member path reaching it",
                "items": {
                    "type": "object",
                    "required": ["operation", "side", "path"],
                    "additionalProperties": False,
                    "properties": {
                        "operation": {"type": "string"},
                        "side": {"enum": ["request", "response"]},
                        "path": {"type": "string"},
                    },
                },
            },
        },
    }
    traits = {
        "type": "object",
        "description": "what the finding means, as its rule declares it",
        "required": ["kind", "subject", "breaks", "enforced", "requires"],
        "additionalProperties": False,
        "properties": {
            "kind": {"enum": [k.value for k in Kind]},
            "subject": {"enum": [s.value for s in Subject]},
            "breaks": {"enum": [a.value for a in Audience], "description": "whose code it can break"},
            "enforced": {
                "enum": [e.value for e in Enforcement],
                "description": "who acts on it: botocore before sending, only the service, the wire "
                "format, or nobody",
            },
            "requires": {"type": "boolean", "description": "it makes a member required"},
        },
    }
    finding = {
        "type": "object",
        "required": [
            "rule",
            "severity",
            "breaking",
            "location",
            "where",
            "message",
            "traits",
            "fingerprint",
        ],
        "additionalProperties": False,
        "properties": {
            "rule": {"type": "string", "pattern": r"^[A-Z][A-Za-z]+(\.[A-Za-z0-9_]+)?$"},
            "severity": severity,
            "breaking": {"type": "boolean"},
            "location": {"$ref": "#/$defs/location"},
            "where": {"type": "string"},
            "operations": {
                "type": "array",
                "items": {"type": "string"},
                "description": "on a shared shape: the operations using it, sorted",
            },
            "message": {"type": "string"},
            "old": {},
            "new": {},
            "traits": {"$ref": "#/$defs/traits"},
            "fingerprint": {"type": "string", "pattern": "^[0-9a-f]{16}$"},
        },
    }
    operation = {
        "type": "object",
        "required": ["name", "status", "request", "response", "findings"],
        "additionalProperties": False,
        "properties": {
            "name": {"type": "string"},
            "status": {"enum": ["new", "updated", "removed"]},
            "request": {"type": "object", "description": "additions only, awsapichanges format"},
            "response": {"type": "object", "description": "additions only, awsapichanges format"},
            "findings": {"type": "array", "items": {"$ref": "#/$defs/finding"}},
            "digest": {
                "type": ["string", "null"],
                "description": "content digest of the operation in the new model (null when removed)",
            },
        },
    }
    service = {
        "type": "object",
        "required": [
            "service",
            "full_name",
            "status",
            "old_api_version",
            "new_api_version",
            "findings",
            "operations",
        ],
        "additionalProperties": False,
        "properties": {
            "service": {"type": "string"},
            "full_name": {"type": "string"},
            "status": {"enum": ["new", "removed", "updated", "docs-only"]},
            "old_api_version": nullable_str,
            "new_api_version": nullable_str,
            "findings": {"type": "array", "items": {"$ref": "#/$defs/finding"}},
            "operations": {"type": "array", "items": {"$ref": "#/$defs/operation"}},
        },
    }
    side = {
        "type": "object",
        "required": ["label", "version"],
        "additionalProperties": False,
        "properties": {"label": {"type": "string"}, "version": nullable_str},
    }
    counts = {label: {"type": "integer", "minimum": 0} for label in [*severity["enum"], "breaking", "total"]}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://botocontract.dev/schemas/diff.json",
        "title": "botocontract release diff",
        "type": "object",
        "required": ["schema_version", "old", "new", "released", "notes", "summary", "services"],
        "additionalProperties": False,
        "properties": {
            "schema_version": {"const": SCHEMA_VERSION},
            "old": side,
            "new": side,
            "released": {"type": ["string", "null"], "format": "date-time"},
            "notes": {
                "type": "object",
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
            },
            "summary": {
                "type": "object",
                "required": list(counts),
                "properties": counts,
                "additionalProperties": False,
            },
            "services": {"type": "array", "items": {"$ref": "#/$defs/service"}},
        },
        "$defs": {
            "location": location,
            "traits": traits,
            "finding": finding,
            "operation": operation,
            "service": service,
        },
    }
