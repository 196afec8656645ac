"""The ``rest-xml`` protocol: status code, headers and an XML body or a ``payload`` member."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from botocore.awsrequest import HeadersDict
from botocore.model import OperationModel, Shape, StructureShape

from botocontract.generators.wire._common import (
    REQUEST_ID,
    WireResponse,
)
from botocontract.generators.wire.query import (
    XmlNode,
    error_document,
    fill_structure,
    namespace_of,
    xml_bytes,
    xml_value,
)
from botocontract.generators.wire.rest import RestEncoder

__all__ = ["RestXMLEncoder"]


def xml_event_payload(shape: Shape, value: Mapping[str, Any]) -> tuple[bytes, str]:
    """An event's body members as an XML document."""
    return xml_bytes(xml_value(shape.serialization.get("name", shape.name), shape, value)), "text/xml"


class RestXMLEncoder(RestEncoder):
    """Responses and errors of the ``rest-xml`` protocol (S3, Route 53, CloudFront)."""

    name = "rest-xml"
    content_type = "application/xml"
    request_id_headers = ("x-amz-request-id", "x-amz-id-2")
    event_payload = staticmethod(xml_event_payload)

    def payload_document(self, operation_model: OperationModel, member: Shape, item: Any) -> bytes:
        root = xml_value(member.serialization.get("name", member.name), member, item)
        namespace = namespace_of(operation_model, member)
        if namespace:
            root.attrib.setdefault("xmlns", namespace)
        return xml_bytes(root)

    def members_document(
        self, operation_model: OperationModel, shape: StructureShape, members: Mapping[str, Any]
    ) -> bytes | None:
        if not members:
            return None
        root = XmlNode(shape.serialization.get("name", shape.name))
        namespace = namespace_of(operation_model, shape)
        if namespace:
            root.attrib["xmlns"] = namespace
        fill_structure(root, shape, members, skip_located=True)
        return xml_bytes(root)

    def encode_error(
        self, operation_model: OperationModel, code: str, message: str, status: int = 400
    ) -> WireResponse:
        body = error_document(code, message, status, namespace_of(operation_model))
        headers = HeadersDict({"x-amz-request-id": REQUEST_ID, "content-type": "application/xml"})
        return {"status_code": status, "headers": headers, "body": body}
