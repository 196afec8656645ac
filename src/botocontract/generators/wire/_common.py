"""What every wire encoder shares: the response type, timestamps, scalars as text, REST headers.

Each helper mirrors what a botocore parser expects to read back, so that
``create_parser(protocol).parse(encode_response(...), output_shape)`` returns the value encoded.
"""

from __future__ import annotations

import base64
import calendar
import datetime as dt
import email.utils
import json
import math
import re
import struct
import zlib
from collections.abc import Callable, Mapping
from typing import Any, Protocol, TypedDict

from botocore.awsrequest import HeadersDict
from botocore.model import OperationModel, ServiceModel, Shape, StructureShape
from botocore.parsers import ResponseParser
from botocore.utils import parse_timestamp

from botocontract.errors import BotocontractError

__all__ = [
    "REQUEST_ID",
    "Encoder",
    "WireResponse",
    "WireValueError",
    "blob_bytes",
    "body_members",
    "default_status",
    "event_stream_body",
    "float_text",
    "header_member_names",
    "header_text",
    "initial_response",
    "protocol_of",
    "rest_headers_and_status",
    "set_protocol_header",
    "timestamp_value",
    "to_utc",
    "xml_safe",
]

#: The request id every encoded response carries, so parsed ``ResponseMetadata`` is predictable.
REQUEST_ID = "botocontract-request-0001"

_XML_INVALID = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class WireResponse(TypedDict):
    """The dict botocore's parsers take: ``parse(response, shape)``."""

    status_code: int
    headers: HeadersDict
    body: bytes


class WireValueError(BotocontractError):
    """A value does not fit the shape it is encoded for (wrong type or unknown member)."""


class Encoder(Protocol):
    """One protocol's response and error encoders."""

    @property
    def name(self) -> str:
        """The protocol name, as in a model's ``metadata.protocol``."""

    def encode_response(
        self, operation_model: OperationModel, value: Mapping[str, Any], *, status: int | None = None
    ) -> WireResponse: ...

    def encode_error(
        self, operation_model: OperationModel, code: str, message: str, status: int = 400
    ) -> WireResponse: ...


def protocol_of(model: ServiceModel | OperationModel) -> str:
    """The protocol botocore's client speaks: ``protocols`` by botocore's priority, else ``protocol``."""
    service = model.service_model if isinstance(model, OperationModel) else model
    resolved = getattr(service, "resolved_protocol", None)
    return str(resolved or service.protocol)


def default_status(operation_model: OperationModel, status: int | None) -> int:
    """The status a successful call answers with: given, else the model's ``http.responseCode``, else 200."""
    if status is not None:
        return status
    return int(operation_model.http.get("responseCode", 200))


def to_utc(value: Any) -> dt.datetime:
    """A timestamp value as an aware UTC datetime; naive datetimes are UTC, as botocore assumes."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.timezone.utc)
        return value.astimezone(dt.timezone.utc)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.timezone.utc)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc) + dt.timedelta(seconds=value)
    if isinstance(value, str) and value.strip():
        try:  # botocore's clients take timestamp strings too
            return to_utc(parse_timestamp(value))
        except ValueError:
            pass
    raise WireValueError(f"timestamp value {value!r} is not a datetime, epoch number or timestamp string")


def timestamp_value(value: Any, fmt: str) -> str | int | float:
    """A timestamp in one of the model's ``timestampFormat`` values (case-insensitive).

    ``unixTimestamp`` keeps milliseconds (smithy's precision), ``iso8601`` microseconds, ``rfc822``
    (HTTP date) whole seconds.
    """
    when = to_utc(value)
    fmt = fmt.lower()
    if fmt == "unixtimestamp":
        seconds = calendar.timegm(when.utctimetuple())
        millis = when.microsecond // 1000
        return seconds + millis / 1000 if millis else seconds
    if fmt == "rfc822":
        return email.utils.formatdate(calendar.timegm(when.utctimetuple()), usegmt=True)
    if fmt == "iso8601":
        text = (
            f"{when.year:04d}-{when.month:02d}-{when.day:02d}T"
            f"{when.hour:02d}:{when.minute:02d}:{when.second:02d}"
        )
        return f"{text}.{when.microsecond:06d}Z" if when.microsecond else f"{text}Z"
    raise WireValueError(f"unknown timestampFormat {fmt!r}", hint="use iso8601, unixTimestamp or rfc822")


def float_text(value: float) -> str:
    """A float as text that ``float()`` reads back exactly, with smithy's names for the specials."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return repr(float(value))


def blob_bytes(value: Any) -> bytes:
    """Blob values as bytes: botocore accepts str (UTF-8), bytes, bytearray and readable objects."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    if isinstance(value, str):
        return value.encode("utf-8")
    if hasattr(value, "read"):
        data = value.read()
        return data.encode("utf-8") if isinstance(data, str) else bytes(data)
    raise WireValueError(f"blob value {value!r} is not bytes, str or a file object")


def xml_safe(text: str) -> str:
    """Drop the characters XML 1.0 cannot carry at all (most C0 controls, lone surrogates, U+FFFE/F)."""
    return _XML_INVALID.sub("", text)


def scalar_text(shape: Shape, value: Any, default_timestamp: str) -> str:
    """A scalar as the text of an XML element or HTTP header."""
    kind = shape.type_name
    if kind == "boolean":
        return "true" if value else "false"
    if kind in ("integer", "long", "short", "byte", "bigInteger"):
        return str(int(value))
    if kind in ("float", "double", "bigDecimal"):
        return float_text(value)
    if kind == "timestamp":
        return str(timestamp_value(value, shape.serialization.get("timestampFormat", default_timestamp)))
    if kind == "blob":
        return base64.b64encode(blob_bytes(value)).decode("ascii")
    return str(value)


def header_text(shape: Shape, value: Any) -> str:
    """A member bound to one header; lists are comma-joined, ``jsonvalue`` strings base64 JSON."""
    if shape.serialization.get("jsonvalue"):
        return base64.b64encode(json.dumps(value, separators=(",", ":")).encode("utf-8")).decode("ascii")
    if shape.type_name == "list":
        return ", ".join(header_text(shape.member, item) for item in value)
    return scalar_text(shape, value, "rfc822")


def rest_headers_and_status(
    shape: StructureShape | None,
    value: Mapping[str, Any],
    headers: HeadersDict,
    status: int,
    *,
    explicit: bool = False,
) -> int:
    """Write ``header``/``headers`` members into ``headers``; return the status to send.

    That is a ``statusCode`` member's value unless the caller chose the status (``explicit``); one
    outside 200..299 cannot be sent in a successful response, so it leaves the status as it is.
    """
    if shape is None:
        return status
    for name, member in shape.members.items():
        item = value.get(name)
        if item is None:
            continue
        location = member.serialization.get("location")
        if location == "statusCode":
            if not explicit and isinstance(item, int) and 200 <= item <= 299:
                status = item
        elif location == "header":
            if member.type_name == "list" and not item:
                continue
            headers[member.serialization.get("name", name)] = header_text(member, item)
        elif location == "headers":
            prefix = member.serialization.get("name", "")
            for key, text in item.items():
                if text is not None:
                    headers[f"{prefix}{key}"] = str(text)
    return status


def header_member_names(shape: StructureShape | None) -> set[str]:
    """The lower-cased header names the output's own members are read from."""
    if shape is None:
        return set()
    return {
        m.serialization.get("name", n).lower()
        for n, m in shape.members.items()
        if m.serialization.get("location") == "header"
    }


def set_protocol_header(headers: HeadersDict, shape: StructureShape | None, name: str, value: str) -> None:
    """Add a header the protocol sends unless a member is read from it (its value is the member's).

    A header map with an empty prefix reads every header, so nothing of the encoder's own may be added
    (dataexchange ``SendApiAsset`` ``ResponseHeaders``): the map would come back with it.
    """
    if name.lower() not in header_member_names(shape) and not _reads_every_header(shape):
        headers[name] = value


def _reads_every_header(shape: StructureShape | None) -> bool:
    return shape is not None and any(
        m.serialization.get("location") == "headers" and not m.serialization.get("name")
        for m in shape.members.values()
    )


#: Where a response member can live outside the body: botocore's parsers read every other member (also
#: ``uri``/``querystring`` ones of a structure shared by input and output) from the body.
RESPONSE_LOCATIONS = frozenset(ResponseParser.KNOWN_LOCATIONS)


def body_members(shape: StructureShape, value: Mapping[str, Any]) -> dict[str, Any]:
    """The members of ``value`` that travel in the body (not headers, status or event headers)."""
    check_members(shape, value)
    out: dict[str, Any] = {}
    for name, item in value.items():
        if item is None or name == "ResponseMetadata":
            continue
        member = shape.members[name]
        # ``uri``/``querystring`` bind a member only in a request: in a response (a structure shared by
        # input and output) AWS sends it in the body, where botocore's parsers read it.
        location = member.serialization.get("location")
        if location in RESPONSE_LOCATIONS or member.serialization.get("eventheader"):
            continue
        out[name] = item
    return out


def check_members(shape: StructureShape, value: Any) -> None:
    """Reject a value that is not a dict of the structure's members, naming the first stray key."""
    if not isinstance(value, Mapping):
        raise WireValueError(f"value for structure {shape.name} is {type(value).__name__}, not a dict")
    for name in value:
        if name not in shape.members and name != "ResponseMetadata":
            raise WireValueError(
                f"{name!r} is not a member of {shape.name}",
                hint=f"members are {', '.join(shape.members) or 'none'}",
            )


# Event-stream header value types (the binary framing of ``application/vnd.amazon.eventstream``).
_HEADER_TYPES = {
    "boolean": None,
    "byte": 2,
    "short": 3,
    "integer": 4,
    "long": 5,
    "blob": 6,
    "string": 7,
    "timestamp": 8,
}
_HEADER_FORMATS = {2: ">b", 3: ">h", 4: ">i", 5: ">q", 8: ">q"}


def event_header(name: str, kind: str, value: Any) -> bytes:
    """One header of an event-stream message; timestamps travel as epoch milliseconds."""
    encoded = name.encode("utf-8")
    out = bytes([len(encoded)]) + encoded
    code = _HEADER_TYPES.get(kind, 7)
    if code is None:
        return out + bytes([0 if value else 1])
    if code == 8:
        when = to_utc(value)
        value = calendar.timegm(when.utctimetuple()) * 1000 + when.microsecond // 1000
    if code in _HEADER_FORMATS:
        return out + bytes([code]) + struct.pack(_HEADER_FORMATS[code], int(value))
    data = blob_bytes(value) if code == 6 else str(value).encode("utf-8")
    return out + bytes([code]) + struct.pack(">H", len(data)) + data


def event_message(headers: bytes, payload: bytes) -> bytes:
    """One framed message: prelude (lengths and their CRC-32), headers, payload, message CRC-32."""
    total = 12 + len(headers) + len(payload) + 4
    prelude = struct.pack(">II", total, len(headers))
    prelude += struct.pack(">I", zlib.crc32(prelude) & 0xFFFFFFFF)
    message = prelude + headers + payload
    return message + struct.pack(">I", zlib.crc32(message) & 0xFFFFFFFF)


def event_stream_body(
    stream_shape: Shape,
    events: Any,
    payload_of: Callable[[Shape, Mapping[str, Any]], tuple[bytes, str]],
) -> bytes:
    """The messages for ``events`` (a list of ``{EventName: {...}}``) of an event-stream union.

    ``payload_of(event_shape, members)`` serializes an event's body members for the protocol; an
    ``eventpayload`` blob or string member is the raw payload instead, ``eventheader`` members are headers.
    """
    out = []
    for event in events or ():
        if not isinstance(event, Mapping) or len(event) != 1:
            raise WireValueError(f"an event of {stream_shape.name} must be a one-key dict, not {event!r}")
        ((name, members),) = event.items()
        if name not in stream_shape.members:
            raise WireValueError(f"{name!r} is not an event of {stream_shape.name}")
        shape = stream_shape.members[name]
        check_members(shape, members)
        headers = event_header(":message-type", "string", "event") + event_header(
            ":event-type", "string", name
        )
        body_values: dict[str, Any] = {}
        payload, content_type = b"", "application/octet-stream"
        for key, item in members.items():
            member = shape.members[key]
            if item is None:
                continue
            if member.serialization.get("eventheader"):
                headers += event_header(key, member.type_name, item)
            elif member.serialization.get("eventpayload") and member.type_name in ("blob", "string"):
                payload = blob_bytes(item)
            elif member.serialization.get("eventpayload"):
                payload, content_type = payload_of(member, item)
            else:
                body_values[key] = item
        if body_values:
            payload, content_type = payload_of(shape, body_values)
        headers += event_header(":content-type", "string", content_type)
        out.append(event_message(headers, payload))
    return b"".join(out)


def initial_response(payload: bytes, content_type: str) -> bytes:
    """The ``initial-response`` message RPC protocols open an event stream with."""
    headers = (
        event_header(":message-type", "string", "event")
        + event_header(":event-type", "string", "initial-response")
        + event_header(":content-type", "string", content_type)
    )
    return event_message(headers, payload)
