"""Wire-level response encoders: the inverse of botocore's response parsers, one per protocol.

``encode_response(operation_model, value)`` returns the ``{"status_code", "headers", "body"}`` dict that
``botocore.parsers.create_parser(protocol).parse(response, operation_model.output_shape)`` turns back into
``value``; ``encode_error`` builds the error document each protocol's error parser reads.
:func:`expected_value`, :func:`parsed_value` and :func:`wire_differences` compare a value with what came
back, allowing only for what the wire legitimately changes (see :mod:`.compare`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from botocore.model import OperationModel

from botocontract.errors import UnknownNameError
from botocontract.generators.wire._common import (
    REQUEST_ID,
    Encoder,
    WireResponse,
    WireValueError,
    protocol_of,
)
from botocontract.generators.wire.cbor import CBOREncoder
from botocontract.generators.wire.compare import (
    Difference,
    expected_value,
    parse_wire,
    parsed_value,
    wire_differences,
)
from botocontract.generators.wire.ec2 import EC2Encoder
from botocontract.generators.wire.json import JSONEncoder
from botocontract.generators.wire.query import QueryEncoder
from botocontract.generators.wire.restjson import RestJSONEncoder
from botocontract.generators.wire.restxml import RestXMLEncoder
from botocontract.registry import Registry

__all__ = [
    "ENCODERS",
    "REQUEST_ID",
    "Difference",
    "Encoder",
    "WireResponse",
    "WireValueError",
    "encode_error",
    "encode_response",
    "encoder_for",
    "expected_value",
    "parse_wire",
    "parsed_value",
    "protocol_of",
    "wire_differences",
]

#: protocol name -> encoder, like botocore's ``SERIALIZERS`` and ``PROTOCOL_PARSERS``.
ENCODERS: Registry[Encoder] = Registry("protocol")
for _encoder in (
    JSONEncoder(),
    RestJSONEncoder(),
    QueryEncoder(),
    EC2Encoder(),
    RestXMLEncoder(),
    CBOREncoder(),
):
    ENCODERS.add(_encoder.name, _encoder)


def encoder_for(protocol: str) -> Encoder:
    """The encoder of a protocol; an unknown one is an :class:`UnknownNameError` naming the known ones."""
    try:
        return ENCODERS.get(protocol)
    except UnknownNameError as error:
        raise UnknownNameError("protocol", protocol, ENCODERS.names(), where="the wire encoders") from error


def encode_response(
    operation_model: OperationModel,
    value: Mapping[str, Any],
    *,
    status: int | None = None,
    protocol: str | None = None,
) -> WireResponse:
    """The HTTP response a service of ``operation_model``'s protocol sends for the output ``value``."""
    encoder = encoder_for(protocol or protocol_of(operation_model))
    return encoder.encode_response(operation_model, value, status=status)


def encode_error(
    operation_model: OperationModel,
    code: str,
    message: str,
    status: int = 400,
    *,
    protocol: str | None = None,
) -> WireResponse:
    """The error response a service of ``operation_model``'s protocol sends for ``code``/``message``."""
    encoder = encoder_for(protocol or protocol_of(operation_model))
    return encoder.encode_error(operation_model, code, message, status)
