"""What the wire legitimately changes, and the differences that remain after it.

:func:`expected_value` turns a generated output into what a faithful client returns once the value has
crossed the protocol's wire; :func:`parsed_value` readies a client's result for comparison;
:func:`wire_differences` names every member that still differs. The normalizations, each because the
wire cannot carry the value as generated:

* timestamps: compared in UTC, cut to their wire format's precision (``unixTimestamp`` milliseconds,
  ``iso8601`` microseconds, ``rfc822`` whole seconds);
* ``None`` members, list items and map values: absent (XML and CBOR cannot carry a null);
* streaming bodies: read whole, without botocore's Content-Length check, because a generated
  ``ContentLength`` need not match the generated body; blob and string payloads compare as bytes
  (botocore returns a non-streaming payload as ``str``), an absent one as empty bytes;
* an absent structure payload parses as ``{}``, an absent header map as ``{}``; event streams are
  read to their list of events (absent: no events), event-header timestamps keep milliseconds;
* XML: characters XML 1.0 cannot carry are dropped, flattened empty lists and maps are absent,
  ``xmlAttribute`` members come back as their text, members sharing one element name (S3's
  ``TopicConfiguration`` ``Event``/``Events``) are not compared;
* header lists: items are split at commas and stripped, as botocore reads them (RFC 7230); an empty
  list is absent; header maps are merged case-insensitively and ignore other members' headers;
* a ``statusCode`` member is the status sent (one outside 200..299 cannot be sent on success);
* numbers compare by value (``1 == 1.0``), NaN equals NaN.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from botocore.eventstream import EventStream
from botocore.model import OperationModel, Shape, StructureShape
from botocore.parsers import create_parser
from botocore.response import StreamingBody
from deepdiff import DeepDiff

from botocontract.generators.wire._common import (
    WireResponse,
    blob_bytes,
    header_text,
    protocol_of,
    scalar_text,
    to_utc,
    xml_safe,
)
from botocontract.generators.wire.query import member_tag

__all__ = [
    "ABSENT",
    "Difference",
    "RawBody",
    "comparable",
    "expected_value",
    "parse_wire",
    "parsed_value",
    "wire_differences",
]

_XML = {"query", "ec2", "rest-xml"}
_REST = {"rest-json", "rest-xml"}
#: Stands for a member one side of a :class:`Difference` does not have.
ABSENT = "<absent>"


@dataclass(frozen=True)
class Difference:
    """One member whose parsed value is not the generated one."""

    operation: str
    path: str
    generated: Any
    parsed: Any
    #: ``wire``: botocore's parser alone reads the encoded response differently (an encoder or parser
    #: fault); ``client``: only the client's handlers (customizations) change or reject the value.
    stage: str = "wire"

    def __str__(self) -> str:
        where = "" if self.stage == "wire" else " (client handler)"
        return f"{self.operation} {self.path}{where}: generated {self.generated!r}, parsed {self.parsed!r}"


class RawBody:
    """The urllib3-like raw response botocore's AWSResponse, StreamingBody and EventStream read from."""

    def __init__(self, body: bytes) -> None:
        self._io = io.BytesIO(body)

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._io.read()

    def read(self, amt: int | None = None) -> bytes:
        return self._io.read() if amt is None else self._io.read(amt)

    def close(self) -> None:
        self._io.close()


def _timestamp(value: Any, fmt: str) -> dt.datetime:
    when = to_utc(value)
    fmt = fmt.lower()
    if fmt == "rfc822":
        return when.replace(microsecond=0)
    if fmt == "unixtimestamp":
        return when.replace(microsecond=when.microsecond // 1000 * 1000)
    return when


def _default_format(protocol: str, location: str | None) -> str:
    if location == "header":
        return "rfc822"
    return "iso8601" if protocol in _XML else "unixTimestamp"


def _norm(shape: Shape, value: Any, protocol: str, location: str | None = None) -> Any:
    """``value`` as it must come back through ``protocol`` (see the module docstring)."""
    kind = shape.type_name
    xml = protocol in _XML
    if kind == "structure":
        if shape.is_document_type:
            return value
        out: dict[str, Any] = {}
        for name, item in value.items():
            if item is None or name not in shape.members:
                continue
            member = shape.members[name]
            if member.serialization.get("eventheader") and member.type_name == "timestamp":
                out[name] = _timestamp(item, "unixTimestamp")  # event headers carry milliseconds
                continue
            if xml and member.serialization.get("xmlAttribute"):
                out[name] = xml_safe(scalar_text(member, item, "iso8601"))
                continue
            normalized = _norm(member, item, protocol)
            if xml and member.serialization.get("flattened") and not normalized:
                continue
            out[name] = normalized
        return out
    if kind == "list":
        items = [i for i in value if not (i is None and (xml or protocol == "smithy-rpc-v2-cbor"))]
        return [None if i is None else _norm(shape.member, i, protocol) for i in items]
    if kind == "map":
        skip_null = xml or protocol == "smithy-rpc-v2-cbor"
        return {
            (xml_safe(k) if xml and isinstance(k, str) else k): (
                None if v is None else _norm(shape.value, v, protocol)
            )
            for k, v in value.items()
            if not (v is None and skip_null)
        }
    if kind == "timestamp":
        return _timestamp(
            value, shape.serialization.get("timestampFormat", _default_format(protocol, location))
        )
    if kind == "blob":
        return blob_bytes(value)
    if kind == "string" and xml and isinstance(value, str):
        return xml_safe(value)
    return value


@lru_cache(maxsize=4096)
def _ambiguous(shape: StructureShape) -> frozenset[str]:
    """Members of an XML structure sharing an element name with another: the wire cannot tell them apart."""
    tags: dict[str, list[str]] = {}
    for name, member in shape.members.items():
        if member.serialization.get("location") or member.serialization.get("xmlAttribute"):
            continue
        tags.setdefault(member_tag(member, name), []).append(name)
    return frozenset(n for names in tags.values() if len(names) > 1 for n in names)


def _unambiguous(shape: Shape | None, value: Any) -> Any:
    """``value`` without the members :func:`_ambiguous` finds, at every depth (XML protocols only)."""
    if shape is None or value is None:
        return value
    kind = shape.type_name
    if kind == "structure" and isinstance(value, dict) and not shape.is_document_type:
        skip = _ambiguous(shape)
        return {
            k: _unambiguous(shape.members[k], v) if k in shape.members else v
            for k, v in value.items()
            if k not in skip
        }
    if kind == "list" and isinstance(value, list):
        return [_unambiguous(shape.member, v) for v in value]
    if kind == "map" and isinstance(value, dict):
        return {k: _unambiguous(shape.value, v) for k, v in value.items()}
    return value


def _header_list(member: Shape, value: list[Any], protocol: str) -> Any:
    if member.member.type_name != "string":
        return [_norm(member.member, i, protocol, "header") for i in value]
    return [part.strip() for part in header_text(member, value).split(",")]


def expected_value(
    operation_model: OperationModel, value: Mapping[str, Any], wire: WireResponse
) -> dict[str, Any]:
    """What a faithful client returns for ``value`` sent as ``wire`` (the normalizations above)."""
    shape = operation_model.output_shape
    if shape is None:
        return {}
    protocol = protocol_of(operation_model)
    payload = shape.serialization.get("payload") if protocol in _REST else None
    out: dict[str, Any] = {}
    header_names = {
        m.serialization.get("name", n).lower()
        for n, m in shape.members.items()
        if m.serialization.get("location") == "header"
    }
    for name, member in shape.members.items():
        item = value.get(name)
        location = member.serialization.get("location") if protocol in _REST else None
        if member.serialization.get("eventstream"):
            out[name] = [
                {event: _norm(member.members[event], fields, protocol) for event, fields in entry.items()}
                for entry in item or ()
            ]
        elif location == "statusCode":
            out[name] = wire["status_code"]
        elif location == "headers":
            merged: dict[str, Any] = {}
            first_key: dict[str, str] = {}
            for key, text in (item or {}).items():
                if text is not None:  # header names are case-insensitive: the first spelling stays
                    merged[first_key.setdefault(key.lower(), key)] = text
            out[name] = _header_map_view(member, merged, header_names)
        elif name == payload and member.type_name in ("blob", "string"):
            out[name] = b"" if item is None else blob_bytes(item)
        elif name == payload and member.type_name == "structure":
            out[name] = {} if item is None else _norm(member, item, protocol)
        elif item is None:
            continue
        elif location == "header":
            if member.type_name == "list":
                if item:
                    out[name] = _header_list(member, item, protocol)
            else:
                out[name] = _norm(member, item, protocol, "header")
        else:
            normalized = _norm(member, item, protocol)
            if protocol in _XML and member.serialization.get("flattened") and not normalized:
                continue
            out[name] = normalized
    return out


def parsed_value(operation_model: OperationModel, parsed: Mapping[str, Any]) -> dict[str, Any]:
    """A client's result ready to compare: no ResponseMetadata, bodies read to bytes, times in UTC."""
    shape = operation_model.output_shape
    protocol = protocol_of(operation_model)
    payload = shape.serialization.get("payload") if shape is not None and protocol in _REST else None
    header_names = set()
    if shape is not None:
        header_names = {
            m.serialization.get("name", n).lower()
            for n, m in shape.members.items()
            if m.serialization.get("location") in ("header",)
        }
    out: dict[str, Any] = {}
    for name, item in parsed.items():
        if name == "ResponseMetadata":
            continue
        if isinstance(item, EventStream):
            item = list(item)
        if isinstance(item, StreamingBody):
            # The raw stream, not read(): read() checks a generated Content-Length against the body.
            item = item._raw_stream.read()
        if name == payload and isinstance(item, str):
            item = item.encode("utf-8")
        if shape is not None and name in shape.members:
            member = shape.members[name]
            if member.serialization.get("location") == "headers" and isinstance(item, dict):
                item = _header_map_view(member, item, header_names)
        out[name] = _utc(item)
    return out


_PROTOCOL_HEADERS = frozenset(
    {"x-amzn-requestid", "x-amz-request-id", "x-amz-id-2", "content-type", "smithy-protocol"}
)


def _header_map_view(member: Shape, mapping: Mapping[str, Any], header_names: set[str]) -> dict[str, Any]:
    """A header map without the entries other members' headers or the protocol's own headers own."""
    prefix = member.serialization.get("name", "").lower()
    taken = header_names | _PROTOCOL_HEADERS
    return {k: v for k, v in mapping.items() if f"{prefix}{k}".lower() not in taken}


def _utc(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return to_utc(value)
    if isinstance(value, dict):
        return {k: _utc(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_utc(v) for v in value]
    return value


def wire_differences(operation: str, expected: Any, actual: Any) -> list[Difference]:
    """Every member where ``actual`` differs from ``expected``, by member path."""
    if expected == actual:  # the common case, without DeepDiff's cost
        return []
    diff = DeepDiff(
        expected,
        actual,
        threshold_to_diff_deeper=0,
        ignore_numeric_type_changes=True,
        ignore_nan_inequality=True,
        verbose_level=2,
    )
    out = []
    for levels in diff.tree.values():
        for level in levels:
            generated = level.t1 if not _missing(level.t1) else ABSENT
            parsed = level.t2 if not _missing(level.t2) else ABSENT
            out.append(Difference(operation, level.path(), generated, parsed))
    return sorted(out, key=lambda d: d.path)


def _missing(value: Any) -> bool:
    return type(value).__name__ == "NotPresent"


def parse_wire(operation_model: OperationModel, wire: WireResponse) -> dict[str, Any]:
    """botocore's parser alone on ``wire``, with the body a client would hand it (a stream when streaming)."""
    body: Any = wire["body"]
    if operation_model.has_event_stream_output and wire["status_code"] < 300:
        body = RawBody(body)
    elif operation_model.has_streaming_output and wire["status_code"] < 300:
        body = StreamingBody(RawBody(body), None)
    response = {"status_code": wire["status_code"], "headers": wire["headers"], "body": body, "context": {}}
    parser = create_parser(protocol_of(operation_model))
    return dict(parser.parse(response, operation_model.output_shape))


def comparable(op: OperationModel, value: dict[str, Any]) -> dict[str, Any]:
    if protocol_of(op) in _XML and op.output_shape is not None:
        return dict(_unambiguous(op.output_shape, value))
    return value
