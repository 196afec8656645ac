"""The ``rest-json`` protocol: status code, headers and a JSON body or a ``payload`` member."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from botocore.awsrequest import HeadersDict
from botocore.model import OperationModel

from botocontract.generators.wire._common import (
    REQUEST_ID,
    WireResponse,
    blob_bytes,
    body_members,
    default_status,
    event_stream_body,
    rest_headers_and_status,
    set_protocol_header,
)
from botocontract.generators.wire.json import dump_json, json_body_value, json_event_payload

__all__ = ["RestJSONEncoder"]


class RestJSONEncoder:
    """Responses and errors of the ``rest-json`` protocol."""

    name = "rest-json"

    def encode_response(
        self, operation_model: OperationModel, value: Mapping[str, Any], *, status: int | None = None
    ) -> WireResponse:
        shape = operation_model.output_shape
        headers = HeadersDict()
        code = default_status(operation_model, status)
        body = b""
        if shape is not None:
            code = rest_headers_and_status(shape, value, headers, code, explicit=status is not None)
        set_protocol_header(headers, shape, "x-amzn-requestid", REQUEST_ID)
        if shape is not None:
            payload = shape.serialization.get("payload")
            members = body_members(shape, value)
            if payload is not None:
                member = shape.members[payload]
                item = members.get(payload)
                if member.serialization.get("eventstream"):
                    body = event_stream_body(member, item, json_event_payload)
                    set_protocol_header(headers, shape, "content-type", "application/vnd.amazon.eventstream")
                elif member.type_name in ("blob", "string"):
                    body = b"" if item is None else blob_bytes(item)
                elif item is not None:
                    body = dump_json(json_body_value(member, item))
                    set_protocol_header(headers, shape, "content-type", "application/json")
            else:
                body = dump_json(
                    {
                        shape.members[k].serialization.get("name", k): json_body_value(shape.members[k], v)
                        for k, v in members.items()
                    }
                )
                set_protocol_header(headers, shape, "content-type", "application/json")
        return {"status_code": code, "headers": headers, "body": body}

    def encode_error(
        self, operation_model: OperationModel, code: str, message: str, status: int = 400
    ) -> WireResponse:
        headers = HeadersDict(
            {"x-amzn-requestid": REQUEST_ID, "x-amzn-errortype": code, "content-type": "application/json"}
        )
        return {"status_code": status, "headers": headers, "body": dump_json({"message": message})}
