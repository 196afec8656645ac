"""The ``smithy-rpc-v2-cbor`` protocol: a CBOR body, timestamps as tag 1 epoch seconds."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import cbor2
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

__all__ = ["CBOREncoder", "cbor_body_value", "cbor_event_payload"]


def cbor_body_value(shape: Shape, value: Any) -> Any:
    """A value as botocore's RpcV2CBORParser reads it: member names as keys, blobs as byte strings."""
    kind = shape.type_name
    if kind == "structure":
        if shape.is_document_type:
            return value
        check_members(shape, value)
        return {
            name: cbor_body_value(shape.members[name], item)
            for name, item in value.items()
            if item is not None and name != "ResponseMetadata"
        }
    if kind == "list":
        if not isinstance(value, (list, tuple)):
            raise WireValueError(f"value for list {shape.name} is {type(value).__name__}, not a list")
        return [None if item is None else cbor_body_value(shape.member, item) for item in value]
    if kind == "map":
        if not isinstance(value, Mapping):
            raise WireValueError(f"value for map {shape.name} is {type(value).__name__}, not a dict")
        # botocore drops null map values while decoding, so they are not sent.
        return {k: cbor_body_value(shape.value, v) for k, v in value.items() if v is not None}
    if kind == "blob":
        return blob_bytes(value)
    if kind == "timestamp":
        return cbor2.CBORTag(1, timestamp_value(value, "unixTimestamp"))
    if kind in ("float", "double") and isinstance(value, int):
        return float(value)
    return value


def cbor_event_payload(shape: Shape, value: Mapping[str, Any]) -> tuple[bytes, str]:
    """An event's body members as CBOR."""
    return cbor2.dumps(cbor_body_value(shape, value)), "application/cbor"


def _headers() -> HeadersDict:
    return HeadersDict(
        {"x-amzn-requestid": REQUEST_ID, "smithy-protocol": "rpc-v2-cbor", "content-type": "application/cbor"}
    )


class CBOREncoder:
    """Responses and errors of the ``smithy-rpc-v2-cbor`` protocol."""

    name = "smithy-rpc-v2-cbor"

    def encode_response(
        self, operation_model: OperationModel, value: Mapping[str, Any], *, status: int | None = None
    ) -> WireResponse:
        shape = operation_model.output_shape
        stream = shape.event_stream_name if shape is not None else None
        if shape is None:
            body = cbor2.dumps({})
        elif stream:
            check_members(shape, value)
            rest = {k: v for k, v in value.items() if k != stream}
            body = initial_response(cbor2.dumps(cbor_body_value(shape, rest)), "application/cbor")
            body += event_stream_body(shape.members[stream], value.get(stream), cbor_event_payload)
        else:
            body = cbor2.dumps(cbor_body_value(shape, value))
        return {"status_code": default_status(operation_model, status), "headers": _headers(), "body": body}

    def encode_error(
        self, operation_model: OperationModel, code: str, message: str, status: int = 400
    ) -> WireResponse:
        body = cbor2.dumps({"__type": code, "message": message})
        return {"status_code": status, "headers": _headers(), "body": body}
