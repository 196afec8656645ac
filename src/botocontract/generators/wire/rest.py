"""What rest-json and rest-xml share: status code, headers, then a ``payload`` member or a body document.

Like botocore's ``BaseRestParser``, the REST layout is protocol-independent; subclasses say only how a
document is written (JSON or XML) and which request-id headers the protocol sends.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from botocore.awsrequest import HeadersDict
from botocore.model import OperationModel, Shape, StructureShape

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

__all__ = ["RestEncoder"]


class RestEncoder:
    """The response layout of the REST protocols; see :mod:`wire.restjson` and :mod:`wire.restxml`."""

    name: ClassVar[str]
    content_type: ClassVar[str]
    request_id_headers: ClassVar[tuple[str, ...]]
    #: Content type of an event-stream payload, when the protocol sends one.
    eventstream_content_type: ClassVar[str | None] = None
    event_payload: Callable[[Shape, Mapping[str, Any]], tuple[bytes, str]]

    def payload_document(self, operation_model: OperationModel, member: Shape, item: Any) -> bytes:
        """A structure ``payload`` member as the whole body."""
        raise NotImplementedError

    def members_document(
        self, operation_model: OperationModel, shape: StructureShape, members: Mapping[str, Any]
    ) -> bytes | None:
        """The body members (none bound to headers or the status code) as one document, or no body."""
        raise NotImplementedError

    def encode_response(
        self, operation_model: OperationModel, value: Mapping[str, Any], *, status: int | None = None
    ) -> WireResponse:
        shape = operation_model.output_shape
        headers = HeadersDict()
        code = default_status(operation_model, status)
        body = b""
        if shape is not None:
            code = rest_headers_and_status(shape, value, headers, code, explicit=status is not None)
        for header in self.request_id_headers:
            set_protocol_header(headers, shape, header, REQUEST_ID)
        if shape is None:
            return {"status_code": code, "headers": headers, "body": body}
        payload = shape.serialization.get("payload")
        members = body_members(shape, value)
        if payload is not None:
            member = shape.members[payload]
            item = members.get(payload)
            if member.serialization.get("eventstream"):
                body = event_stream_body(member, item, type(self).event_payload)
                if self.eventstream_content_type:
                    set_protocol_header(headers, shape, "content-type", self.eventstream_content_type)
            elif member.type_name in ("blob", "string"):
                body = b"" if item is None else blob_bytes(item)
            elif item is not None:
                body = self.payload_document(operation_model, member, item)
                set_protocol_header(headers, shape, "content-type", self.content_type)
        else:
            document = self.members_document(operation_model, shape, members)
            if document is not None:
                body = document
                set_protocol_header(headers, shape, "content-type", self.content_type)
        return {"status_code": code, "headers": headers, "body": body}
