"""The ``json`` protocol (``x-amz-json-1.0``/``1.1``): one JSON body, the inverse of botocore's JSONParser."""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from typing import Any

from botocore.awsrequest import HeadersDict
from botocore.model import OperationModel, Shape

from botocontract.generators.wire._common import (
    REQUEST_ID,
    WireResponse,
    WireValueError,
    blob_bytes,
    check_members,
    default_status,
    event_stream_body,
    initial_response,
    timestamp_value,
)

__all__ = ["JSONEncoder", "dump_json", "json_body_value", "json_event_payload"]


def json_body_value(shape: Shape, value: Any, *, member_names: bool = True) -> Any:
    """A value as the JSON botocore's JSON parsers read: blobs base64, timestamps per ``timestampFormat``.

    Structure members use their ``locationName`` when ``member_names`` is true (json, rest-json).
    """
    kind = shape.type_name
    if kind == "structure":
        if shape.is_document_type:
            return value
        check_members(shape, value)
        out = {}
        for name, item in value.items():
            if item is None or name == "ResponseMetadata":
                continue
            member = shape.members[name]
            key = member.serialization.get("name", name) if member_names else name
            out[key] = json_body_value(member, item, member_names=member_names)
        return out
    if kind == "list":
        if not isinstance(value, (list, tuple)):
            raise WireValueError(f"value for list {shape.name} is {type(value).__name__}, not a list")
        return [
            None if item is None else json_body_value(shape.member, item, member_names=member_names)
            for item in value
        ]
    if kind == "map":
        if not isinstance(value, Mapping):
            raise WireValueError(f"value for map {shape.name} is {type(value).__name__}, not a dict")
        return {
            k: None if v is None else json_body_value(shape.value, v, member_names=member_names)
            for k, v in value.items()
        }
    if kind == "blob":
        return base64.b64encode(blob_bytes(value)).decode("ascii")
    if kind == "timestamp":
        return timestamp_value(value, shape.serialization.get("timestampFormat", "unixTimestamp"))
    return value


def dump_json(data: Any) -> bytes:
    """Compact UTF-8 JSON; NaN and Infinity stay as the bare words Python's (and botocore's) json reads."""
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def json_event_payload(shape: Shape, value: Mapping[str, Any]) -> tuple[bytes, str]:
    """An event's body members as JSON (json and rest-json event streams)."""
    return dump_json(json_body_value(shape, value)), "application/json"


class JSONEncoder:
    """Responses and errors of the ``json`` protocol."""

    name = "json"

    def _headers(self, operation_model: OperationModel) -> HeadersDict:
        version = operation_model.metadata.get("jsonVersion", "1.0")
        return HeadersDict(
            {"x-amzn-requestid": REQUEST_ID, "content-type": f"application/x-amz-json-{version}"}
        )

    def encode_response(
        self, operation_model: OperationModel, value: Mapping[str, Any], *, status: int | None = None
    ) -> WireResponse:
        shape = operation_model.output_shape
        stream = shape.event_stream_name if shape is not None else None
        if shape is None:
            body = b"{}"
        elif stream:
            check_members(shape, value)
            rest = {k: v for k, v in value.items() if k != stream}
            body = initial_response(dump_json(json_body_value(shape, rest)), "application/json")
            body += event_stream_body(shape.members[stream], value.get(stream), json_event_payload)
        else:
            body = dump_json(json_body_value(shape, value))
        return {
            "status_code": default_status(operation_model, status),
            "headers": self._headers(operation_model),
            "body": body,
        }

    def encode_error(
        self, operation_model: OperationModel, code: str, message: str, status: int = 400
    ) -> WireResponse:
        return {
            "status_code": status,
            "headers": self._headers(operation_model),
            "body": dump_json({"__type": code, "message": message}),
        }
