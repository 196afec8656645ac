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
    rest_headers_and_status,
)
from botocontract.generators.wire.json import dump_json, json_body_value

__all__ = ["RestJSONEncoder"]


class RestJSONEncoder:
    """Responses and errors of the ``rest-json`` protocol."""

    name = "rest-json"

    def encode_response(
        self, operation_model: OperationModel, value: Mapping[str, Any], *, status: int | None = None
    ) -> WireResponse:
        shape = operation_model.output_shape
        headers = HeadersDict({"x-amzn-requestid": REQUEST_ID})
        code = default_status(operation_model, status)
        body = b""
        if shape is not None:
            code = rest_headers_and_status(shape, value, headers, code, explicit=status is not None)
            payload = shape.serialization.get("payload")
            members = body_members(shape, value)
            if payload is not None:
                member = shape.members[payload]
                item = members.get(payload)
                if member.type_name in ("blob", "string"):
                    body = b"" if item is None else blob_bytes(item)
                elif item is not None:
                    body = dump_json(json_body_value(member, item))
                    headers["content-type"] = "application/json"
            else:
                body = dump_json(
                    {
                        shape.members[k].serialization.get("name", k): json_body_value(shape.members[k], v)
                        for k, v in members.items()
                    }
                )
                headers["content-type"] = "application/json"
        return {"status_code": code, "headers": headers, "body": body}

    def encode_error(
        self, operation_model: OperationModel, code: str, message: str, status: int = 400
    ) -> WireResponse:
        headers = HeadersDict(
            {"x-amzn-requestid": REQUEST_ID, "x-amzn-errortype": code, "content-type": "application/json"}
        )
        return {"status_code": status, "headers": headers, "body": dump_json({"message": message})}
