"""The ``rest-xml`` protocol: status code, headers and an XML body or a ``payload`` member."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from botocore.awsrequest import HeadersDict
from botocore.model import OperationModel, Shape

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
from botocontract.generators.wire.query import (
    XmlNode,
    error_document,
    fill_structure,
    namespace_of,
    xml_bytes,
    xml_value,
)

__all__ = ["RestXMLEncoder"]


def xml_event_payload(shape: Shape, value: Mapping[str, Any]) -> tuple[bytes, str]:
    """An event's body members as an XML document."""
    return xml_bytes(xml_value(shape.serialization.get("name", shape.name), shape, value)), "text/xml"


class RestXMLEncoder:
    """Responses and errors of the ``rest-xml`` protocol (S3, Route 53, CloudFront)."""

    name = "rest-xml"

    def encode_response(
        self, operation_model: OperationModel, value: Mapping[str, Any], *, status: int | None = None
    ) -> WireResponse:
        shape = operation_model.output_shape
        headers = HeadersDict()
        code = default_status(operation_model, status)
        body = b""
        if shape is not None:
            code = rest_headers_and_status(shape, value, headers, code, explicit=status is not None)
        set_protocol_header(headers, shape, "x-amz-request-id", REQUEST_ID)
        set_protocol_header(headers, shape, "x-amz-id-2", REQUEST_ID)
        if shape is not None:
            payload = shape.serialization.get("payload")
            members = body_members(shape, value)
            if payload is not None:
                member = shape.members[payload]
                item = members.get(payload)
                if member.serialization.get("eventstream"):
                    body = event_stream_body(member, item, xml_event_payload)
                elif member.type_name in ("blob", "string"):
                    body = b"" if item is None else blob_bytes(item)
                elif item is not None:
                    root = xml_value(member.serialization.get("name", member.name), member, item)
                    namespace = namespace_of(operation_model, member)
                    if namespace:
                        root.attrib.setdefault("xmlns", namespace)
                    body = xml_bytes(root)
                    set_protocol_header(headers, shape, "content-type", "application/xml")
            elif members:
                root = XmlNode(shape.serialization.get("name", shape.name))
                namespace = namespace_of(operation_model, shape)
                if namespace:
                    root.attrib["xmlns"] = namespace
                fill_structure(root, shape, members, skip_located=True)
                body = xml_bytes(root)
                set_protocol_header(headers, shape, "content-type", "application/xml")
        return {"status_code": code, "headers": headers, "body": body}

    def encode_error(
        self, operation_model: OperationModel, code: str, message: str, status: int = 400
    ) -> WireResponse:
        body = error_document(code, message, status, namespace_of(operation_model))
        headers = HeadersDict({"x-amz-request-id": REQUEST_ID, "content-type": "application/xml"})
        return {"status_code": status, "headers": headers, "body": body}
