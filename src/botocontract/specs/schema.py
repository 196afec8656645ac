"""Export botocore shapes as JSON Schema (draft 2020-12).

Every named shape reachable from the root becomes one entry of ``$defs`` and every reference a ``$ref``, so
recursive shapes (DynamoDB ``AttributeValue``, Glue and Lex trees) stay finite. Constraints botocore's own
validator ignores (``max``, ``pattern``, ``enum``) are kept; Java patterns are translated to Python ``re``
syntax by :mod:`botocontract.specs.patterns` and the original stays under ``x-botocore-pattern``.
Timestamps and blobs are described in their JSON form and annotated with the Python types boto3 uses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from botocore.model import Shape

from botocontract.errors import UnknownNameError
from botocontract.specs.lookup import find_operation, resolve_model
from botocontract.specs.patterns import translate

if TYPE_CHECKING:
    from botocontract.specs.lookup import ServiceRef
    from botocontract.specs.sources import SourceLike

__all__ = ["DIRECTIONS", "SCHEMA_DIALECT", "resolve_model", "shape_json_schema", "to_json_schema"]

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
DIRECTIONS = ("input", "output")
Direction = Literal["input", "output"]

_TIMESTAMP_NOTE = {
    "input": "boto3 takes a datetime, a date, an ISO 8601 string or epoch seconds",
    "output": "boto3 returns a datetime",
}
_BLOB_NOTE = {
    "input": "boto3 takes bytes, bytearray, str or a binary file-like object",
    "output": "boto3 returns bytes",
}
_STREAM_NOTE = {
    "input": "boto3 takes bytes, str or a binary file-like object (streamed)",
    "output": "boto3 returns a botocore StreamingBody",
}


def check_direction(direction: str) -> Direction:
    if direction not in DIRECTIONS:
        raise UnknownNameError("direction", direction, DIRECTIONS)
    return direction  # type: ignore[return-value]


def to_json_schema(
    service: ServiceRef, operation: str, direction: str, *, source: SourceLike = "installed"
) -> dict[str, Any]:
    """The JSON Schema of an operation's request (``"input"``) or response (``"output"``) parameters."""
    direction = check_direction(direction)
    name, op = find_operation(service, operation, source=source)
    shape = op.input_shape if direction == "input" else op.output_shape
    head: dict[str, Any] = {
        "$schema": SCHEMA_DIALECT,
        "title": f"{name} {operation} {direction}",
    }
    if shape is None:
        return {**head, "type": "object", "properties": {}, "additionalProperties": False}
    builder = _Builder(direction)
    root = builder.ref(shape)
    return {**head, **root, "$defs": builder.definitions()}


def shape_json_schema(
    service: ServiceRef, shape_name: str, *, direction: str = "input", source: SourceLike = "installed"
) -> dict[str, Any]:
    """The JSON Schema of one named shape (``botocontract shapes ... --format jsonschema``)."""
    direction = check_direction(direction)
    name, model = resolve_model(service, source=source)
    if shape_name not in model.shape_names:
        raise UnknownNameError("shape", shape_name, model.shape_names, where=name)
    builder = _Builder(direction)
    root = builder.ref(model.shape_for(shape_name))
    head = {"$schema": SCHEMA_DIALECT, "title": f"{name} {shape_name}"}
    return {**head, **root, "$defs": builder.definitions()}


def _pointer(name: str) -> str:
    return "#/$defs/" + name.replace("~", "~0").replace("/", "~1")


def _bounds(shape: Shape, low: str, high: str) -> dict[str, Any]:
    out = {}
    meta = shape.metadata
    if "min" in meta:
        out[low] = meta["min"]
    if "max" in meta:
        out[high] = meta["max"]
    return out


class _Builder:
    """Collects one ``$defs`` entry per named shape; members point at them with ``$ref``."""

    def __init__(self, direction: Direction) -> None:
        self.direction = direction
        self.defs: dict[str, dict[str, Any]] = {}

    def definitions(self) -> dict[str, dict[str, Any]]:
        return dict(sorted(self.defs.items()))

    def ref(self, shape: Shape) -> dict[str, Any]:
        """A reference to a member's target, plus the member-level traits that change its meaning."""
        if shape.serialization.get("jsonvalue"):
            return {"x-botocore-jsonvalue": True, "description": "any JSON value (sent as a JSON header)"}
        if shape.name not in self.defs:
            self.defs[shape.name] = {}  # placeholder first: recursion meets a $ref, never an expansion
            self.defs[shape.name] = self.shape(shape)
        out: dict[str, Any] = {"$ref": _pointer(shape.name)}
        if shape.serialization.get("streaming") or shape.metadata.get("streaming"):
            out["x-botocore-streaming"] = True
            out["description"] = _STREAM_NOTE[self.direction]
        return out

    def shape(self, shape: Shape) -> dict[str, Any]:
        kind = shape.type_name
        method = getattr(self, f"_{kind}", None)
        return method(shape) if method else {"x-botocore-type": kind}

    def _structure(self, shape: Shape) -> dict[str, Any]:
        if shape.is_document_type:
            return {"x-botocore-type": "document", "description": "any JSON value"}
        members = shape.members
        out: dict[str, Any] = {
            "type": "object",
            "properties": {name: self.ref(member) for name, member in members.items()},
            "additionalProperties": False,
        }
        required = required_members(shape, self.direction)
        if required:
            out["required"] = required
        if shape.is_tagged_union:
            out["minProperties"] = 1
            out["maxProperties"] = 1
            out["x-botocore-union"] = True
        if shape.serialization.get("eventstream"):
            out["x-botocore-eventstream"] = True
        if shape.metadata.get("exception"):
            out["x-botocore-exception"] = True
        return out

    def _list(self, shape: Shape) -> dict[str, Any]:
        return {"type": "array", "items": self.ref(shape.member), **_bounds(shape, "minItems", "maxItems")}

    def _map(self, shape: Shape) -> dict[str, Any]:
        key = _string_constraints(shape.key)
        out: dict[str, Any] = {
            "type": "object",
            "additionalProperties": self.ref(shape.value),
            **_bounds(shape, "minProperties", "maxProperties"),
        }
        if key:
            out["propertyNames"] = key
        return out

    def _string(self, shape: Shape) -> dict[str, Any]:
        return {"type": "string", **_string_constraints(shape)}

    def _integer(self, shape: Shape) -> dict[str, Any]:
        return {"type": "integer", **_bounds(shape, "minimum", "maximum")}

    _long = _integer

    def _float(self, shape: Shape) -> dict[str, Any]:
        return {"type": "number", **_bounds(shape, "minimum", "maximum")}

    _double = _float

    def _boolean(self, shape: Shape) -> dict[str, Any]:
        return {"type": "boolean"}

    def _timestamp(self, shape: Shape) -> dict[str, Any]:
        out = {
            "type": ["string", "number"],
            "x-botocore-type": "timestamp",
            "description": _TIMESTAMP_NOTE[self.direction],
        }
        fmt = shape.serialization.get("timestampFormat")
        if fmt:
            out["x-botocore-timestamp-format"] = fmt
        return out

    def _blob(self, shape: Shape) -> dict[str, Any]:
        out = {
            "type": "string",
            "contentEncoding": "base64",
            "x-botocore-type": "blob",
            "description": _BLOB_NOTE[self.direction],
        }
        for key in ("min", "max"):
            if key in shape.metadata:
                out[f"x-botocore-{key}-bytes"] = shape.metadata[key]
        return out


def _string_constraints(shape: Shape) -> dict[str, Any]:
    out: dict[str, Any] = {}
    meta = shape.metadata
    if shape.type_name == "string":
        if shape.enum:
            out["enum"] = list(shape.enum)
        out.update(_bounds(shape, "minLength", "maxLength"))
        java = meta.get("pattern")
        if java:
            translated = translate(java)
            if translated.python is not None:
                out["pattern"] = translated.python
            out["x-botocore-pattern"] = java
            if translated.status != "exact":
                out["x-botocore-pattern-status"] = translated.status
    return out


def required_members(shape: Shape, direction: str) -> list[str]:
    """Required members as boto3 sees them: idempotency tokens are filled in by botocore on input."""
    members = shape.members
    return [
        name
        for name in shape.required_members
        if name in members and not (direction == "input" and members[name].metadata.get("idempotencyToken"))
    ]
