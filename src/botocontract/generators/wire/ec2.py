"""The ``ec2`` protocol: like query's XML, without a result wrapper, with ``<requestId>`` in the root."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from botocore.model import OperationModel

from botocontract.generators.wire._common import REQUEST_ID, WireResponse, default_status
from botocontract.generators.wire.query import XmlNode, fill_structure, namespace_of, xml_bytes, xml_headers

__all__ = ["EC2Encoder"]


def _namespace(operation_model: OperationModel) -> str:
    return namespace_of(operation_model) or (
        f"http://ec2.amazonaws.com/doc/{operation_model.metadata.get('apiVersion', '')}/"
    )


class EC2Encoder:
    """``<OpResponse><requestId/>members</OpResponse>`` and ``<Response><Errors>`` documents."""

    name = "ec2"

    def encode_response(
        self, operation_model: OperationModel, value: Mapping[str, Any], *, status: int | None = None
    ) -> WireResponse:
        root = XmlNode(f"{operation_model.name}Response")
        root.attrib["xmlns"] = _namespace(operation_model)
        root.add("requestId", REQUEST_ID)
        shape = operation_model.output_shape
        if shape is not None:
            fill_structure(root, shape, value, skip_located=False)
        return {
            "status_code": default_status(operation_model, status),
            "headers": xml_headers(),
            "body": xml_bytes(root),
        }

    def encode_error(
        self, operation_model: OperationModel, code: str, message: str, status: int = 400
    ) -> WireResponse:
        root = XmlNode("Response")
        error = root.add("Errors").add("Error")
        error.add("Code", code)
        error.add("Message", message)
        root.add("RequestID", REQUEST_ID)
        return {"status_code": status, "headers": xml_headers(), "body": xml_bytes(root)}
