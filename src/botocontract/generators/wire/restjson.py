"""The ``rest-json`` protocol: status code, headers and a JSON body or a ``payload`` member."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from botocore.awsrequest import HeadersDict
from botocore.model import OperationModel, Shape, StructureShape

from botocontract.generators.wire._common import (
    REQUEST_ID,
    WireResponse,
)
from botocontract.generators.wire.json import dump_json, json_body_value, json_event_payload
from botocontract.generators.wire.rest import RestEncoder

__all__ = ["RestJSONEncoder"]


class RestJSONEncoder(RestEncoder):
    """Responses and errors of the ``rest-json`` protocol."""

    name = "rest-json"
    content_type = "application/json"
    request_id_headers = ("x-amzn-requestid",)
    eventstream_content_type = "application/vnd.amazon.eventstream"
    event_payload = staticmethod(json_event_payload)

    def payload_document(self, operation_model: OperationModel, member: Shape, item: Any) -> bytes:
        return dump_json(json_body_value(member, item))

    def members_document(
        self, operation_model: OperationModel, shape: StructureShape, members: Mapping[str, Any]
    ) -> bytes | None:
        return dump_json(
            {
                shape.members[k].serialization.get("name", k): json_body_value(shape.members[k], v)
                for k, v in members.items()
            }
        )

    def encode_error(
        self, operation_model: OperationModel, code: str, message: str, status: int = 400
    ) -> WireResponse:
        headers = HeadersDict(
            {"x-amzn-requestid": REQUEST_ID, "x-amzn-errortype": code, "content-type": "application/json"}
        )
        return {"status_code": status, "headers": headers, "body": dump_json({"message": message})}
