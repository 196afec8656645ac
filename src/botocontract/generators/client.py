"""Drive a real botocore client with generated responses, and fuzz every operation of a service.

:func:`roundtrip` encodes a generated output with the protocol's wire encoder, hands it to a real client
through a ``before-send`` handler (no network), and compares what the client returns with what was
generated. Only what the wire legitimately changes is normalized before comparing:

* timestamps: compared in UTC, cut to their wire format's precision (``unixTimestamp`` milliseconds,
  ``iso8601`` microseconds, ``rfc822`` whole seconds);
* ``None`` members, list items and map values: absent (XML and CBOR cannot carry a null);
* streaming bodies: read whole, without botocore's Content-Length check, because a generated
  ``ContentLength`` need not match the generated body; blob and string payloads compare as bytes
  (botocore returns a non-streaming payload as ``str``), an absent one as empty bytes;
* an absent structure payload parses as ``{}``, an absent header map as ``{}``; event streams are
  read to their list of events (absent: no events), event-header timestamps keep milliseconds;
* XML: characters XML 1.0 cannot carry are dropped, flattened empty lists and maps are absent,
  ``xmlAttribute`` members come back as their text;
* header lists: items are split at commas and stripped, as botocore reads them (RFC 7230); an empty
  list is absent; header maps are merged case-insensitively and ignore other members' headers;
* a ``statusCode`` member is the status sent (one outside 200..299 cannot be sent on success);
* numbers compare by value (``1 == 1.0``), NaN equals NaN.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import tempfile
import time
import traceback
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import botocore.session
import click
from botocore import UNSIGNED, xform_name
from botocore.awsrequest import AWSResponse
from botocore.client import BaseClient
from botocore.config import Config
from botocore.eventstream import EventStream
from botocore.model import OperationModel, Shape, StructureShape
from botocore.parsers import create_parser
from botocore.response import StreamingBody
from botocore.serialize import create_serializer
from botocore.validate import ParamValidator
from deepdiff import DeepDiff
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from botocontract.errors import BotocontractError, UnknownNameError
from botocontract.generators.wire import WireResponse, encode_response, protocol_of
from botocontract.generators.wire._common import blob_bytes, header_text, scalar_text, to_utc, xml_safe
from botocontract.generators.wire.query import member_tag

__all__ = [
    "ClientFuzzReport",
    "Difference",
    "OperationResult",
    "call_with",
    "client_command",
    "client_for",
    "expected_value",
    "fuzz_all",
    "fuzz_client",
    "fuzz_operation",
    "minimal_request",
    "parse_wire",
    "parsed_value",
    "replay_command",
    "roundtrip",
    "wire_differences",
]

_XML = {"query", "ec2", "rest-xml"}
_REST = {"rest-json", "rest-xml"}
_ABSENT = "<absent>"
_MINIMAL_ENDPOINT_RULES = {
    "version": "1.0",
    "parameters": {
        "Region": {"builtIn": "AWS::Region", "required": False, "documentation": "", "type": "String"},
        "Endpoint": {"builtIn": "SDK::Endpoint", "required": False, "documentation": "", "type": "String"},
    },
    "rules": [
        {
            "conditions": [],
            "type": "endpoint",
            "endpoint": {"url": "https://service.us-east-1.amazonaws.com", "properties": {}, "headers": {}},
        }
    ],
}


# ------------------------------------------------------------------------------------------ results


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


@dataclass
class OperationResult:
    """What fuzzing one operation found: ``passed``, ``failed`` or ``skipped`` with a reason."""

    service: str
    operation: str
    status: str
    reason: str = ""
    replay: str = ""
    informational: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "service": self.service,
            "operation": self.operation,
            "status": self.status,
            "reason": self.reason,
            "replay": self.replay,
            "informational": self.informational,
            "seconds": round(self.seconds, 3),
        }


@dataclass
class ClientFuzzReport:
    """Per-operation results of :func:`fuzz_client` for one or more services."""

    seed: int
    examples: int
    results: list[OperationResult] = field(default_factory=list)

    def _count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def passed(self) -> int:
        return self._count("passed")

    @property
    def failed(self) -> int:
        return self._count("failed")

    @property
    def skipped(self) -> int:
        return self._count("skipped")

    @property
    def ok(self) -> bool:
        return self.failed == 0

    def skip_reasons(self) -> dict[str, int]:
        """Skip reasons with counts, most frequent first (reasons are short, without example data)."""
        counts: dict[str, int] = {}
        for r in self.results:
            if r.status == "skipped":
                counts[r.reason] = counts.get(r.reason, 0) + 1
        return dict(sorted(counts.items(), key=lambda kv: -kv[1]))

    def summary(self) -> str:
        return f"{self.passed} passed, {self.failed} failed, {self.skipped} skipped"

    def to_dict(self) -> dict[str, Any]:
        return {
            "seed": self.seed,
            "examples": self.examples,
            "passed": self.passed,
            "failed": self.failed,
            "skipped": self.skipped,
            "results": [r.to_dict() for r in self.results],
        }


# ------------------------------------------------------------------------------------------ clients


class _Raw:
    """The urllib3-like raw response AWSResponse and StreamingBody read from."""

    def __init__(self, body: bytes) -> None:
        self._io = io.BytesIO(body)

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._io.read()

    def read(self, amt: int | None = None) -> bytes:
        return self._io.read() if amt is None else self._io.read(amt)

    def close(self) -> None:
        self._io.close()


class _Replier:
    """A ``before-send`` handler answering each request with the next prepared wire response."""

    def __init__(self) -> None:
        self.response: WireResponse | None = None
        self.request: Any = None

    def __call__(self, request: Any, **_: Any) -> AWSResponse:
        if self.response is None:
            raise BotocontractError("the client sent a request with no prepared response")
        wire, self.response = self.response, None
        self.request = request
        return AWSResponse(request.url, wire["status_code"], wire["headers"], _Raw(wire["body"]))


@dataclass
class _Driven:
    client: BaseClient
    replier: _Replier


def _source_key(source: Any) -> str:
    return source if isinstance(source, str) else str(getattr(source, "label", source))


def _spec(service: str, source: Any) -> Any:
    from botocontract.specs import load_service

    return load_service(service, source=source)


def _client_config() -> Config:
    # One attempt: an encoded error must surface at once, not after retries with back-off. Requests
    # are not signed (nothing leaves the process), which saves a fifth of each call.
    return Config(retries={"total_max_attempts": 1}, parameter_validation=False, signature_version=UNSIGNED)


def _session_with_model(name: str, api_version: str, raw: Mapping[str, Any]) -> botocore.session.Session:
    """A session whose loader finds ``raw`` first; the endpoint rules are the installed ones or a stub."""
    root = Path(tempfile.mkdtemp(prefix="botocontract-model-"))
    folder = root / name / api_version
    folder.mkdir(parents=True)
    (folder / "service-2.json").write_text(json.dumps(raw), encoding="utf-8")
    installed = botocore.session.get_session().get_component("data_loader")
    try:
        rules = installed.load_service_model(name, "endpoint-rule-set-1")
    except Exception:  # any service installed botocore does not know
        rules = _MINIMAL_ENDPOINT_RULES
    (folder / "endpoint-rule-set-1.json").write_text(json.dumps(rules), encoding="utf-8")
    session = botocore.session.Session()
    session.set_config_variable("data_path", str(root))
    weakref.finalize(session, shutil.rmtree, root, True)
    return session


@lru_cache(maxsize=32)
def _driven(service: str, source_key: str, source: Any) -> _Driven:
    if source_key == "installed":
        session = botocore.session.get_session()
        known = session.get_available_services()
        if service not in known:
            raise UnknownNameError("service", service, known)
        api_version = None
    else:
        spec = source if hasattr(source, "raw") else _spec(service, source)
        session = _session_with_model(spec.name, spec.api_version, spec.raw)
        service, api_version = spec.name, spec.api_version
    client = session.create_client(
        service,
        region_name="us-east-1",
        api_version=api_version,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=_client_config(),
    )
    replier = _Replier()
    client.meta.events.register("before-send", replier)
    return _Driven(client, replier)


def client_for(service: str, source: Any = "installed") -> BaseClient:
    """A real botocore client of ``service`` from ``source`` (a source spec or a ``ServiceSpec``), cached.

    Its ``before-send`` answers from the response :func:`roundtrip` prepares, so it never touches the
    network.
    """
    return _driven(service, _source_key(source), source).client


# ------------------------------------------------------------------------------------ minimal input


def minimal_request(shape: StructureShape | None) -> dict[str, Any]:
    """The smallest request the client can serialize: required members only, at their minimum."""
    if shape is None:
        return {}
    return {name: _minimal(shape.members[name], 0) for name in shape.required_members}


def _minimal(shape: Shape, depth: int) -> Any:
    kind = shape.type_name
    low = shape.metadata.get("min")
    if kind == "string":
        if shape.enum:
            return shape.enum[0]
        if "arn" in shape.name.lower():  # endpoint rules parse ARN parameters
            return "arn:aws:service:us-east-1:123456789012:resource/x"
        return "x" * max(1, int(low or 1))
    if kind in ("integer", "long", "short", "byte"):
        return max(1, int(low or 1))
    if kind in ("float", "double"):
        return float(max(1, low or 1))
    if kind == "boolean":
        return False
    if kind == "timestamp":
        return dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)
    if kind == "blob":
        return b"x"
    if kind == "list":
        return [_minimal(shape.member, depth + 1) for _ in range(int(low or 0))] if depth < 8 else []
    if kind == "map":
        return {}
    if kind == "structure":
        if shape.is_document_type:
            return {}
        if shape.is_tagged_union and shape.members:
            name = next(iter(shape.members))
            return {name: _minimal(shape.members[name], depth + 1)}
        return {n: _minimal(shape.members[n], depth + 1) for n in shape.required_members}
    return "x"


# ---------------------------------------------------------------------------------- normalization


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
            generated = level.t1 if not _missing(level.t1) else _ABSENT
            parsed = level.t2 if not _missing(level.t2) else _ABSENT
            out.append(Difference(operation, level.path(), generated, parsed))
    return sorted(out, key=lambda d: d.path)


def _missing(value: Any) -> bool:
    return type(value).__name__ == "NotPresent"


# ------------------------------------------------------------------------------------------ roundtrip


def parse_wire(operation_model: OperationModel, wire: WireResponse) -> dict[str, Any]:
    """botocore's parser alone on ``wire``, with the body a client would hand it (a stream when streaming)."""
    body: Any = wire["body"]
    if operation_model.has_event_stream_output and wire["status_code"] < 300:
        body = _Raw(body)
    elif operation_model.has_streaming_output and wire["status_code"] < 300:
        body = StreamingBody(_Raw(body), None)
    response = {"status_code": wire["status_code"], "headers": wire["headers"], "body": body, "context": {}}
    parser = create_parser(protocol_of(operation_model))
    return dict(parser.parse(response, operation_model.output_shape))


def call_with(
    service: str,
    operation: str,
    wire: WireResponse,
    *,
    source: Any = "installed",
    request: Mapping[str, Any] | None = None,
) -> Any:
    """Call ``operation`` on a real client that receives ``wire`` (e.g. from ``encode_error``).

    Returns what the client method returns, or raises what it raises (``ClientError`` and the modeled
    exceptions for errors), so user error handling can be tested without a network.
    """
    driven = _driven(service, _source_key(source), source)
    model = driven.client.meta.service_model
    if operation not in model.operation_names:
        raise UnknownNameError("operation", operation, model.operation_names, where=service)
    params = (
        dict(request)
        if request is not None
        else minimal_request(model.operation_model(operation).input_shape)
    )
    driven.replier.response = wire
    try:
        return getattr(driven.client, xform_name(operation))(**params)
    finally:
        driven.replier.response = None


def _comparable(op: OperationModel, value: dict[str, Any]) -> dict[str, Any]:
    if protocol_of(op) in _XML and op.output_shape is not None:
        return dict(_unambiguous(op.output_shape, value))
    return value


def roundtrip(
    service: str,
    operation: str,
    value: Mapping[str, Any],
    *,
    source: Any = "installed",
    request: Mapping[str, Any] | None = None,
) -> tuple[dict[str, Any], list[Difference]]:
    """Send ``value`` through a real client's call of ``operation``; return (parsed, differences).

    ``parsed`` is the client's result without ``ResponseMetadata`` (bodies read, times in UTC);
    ``request`` defaults to :func:`minimal_request`. Differences botocore's parser alone already shows
    are ``wire`` differences; those only the client's handlers add are ``client`` differences (a handler
    that raises is one at path ``<call>``).
    """
    driven = _driven(service, _source_key(source), source)
    model = driven.client.meta.service_model
    if operation not in model.operation_names:
        raise UnknownNameError("operation", operation, model.operation_names, where=service)
    op = model.operation_model(operation)
    wire = encode_response(op, value)
    expected = _comparable(op, expected_value(op, value, wire))
    direct = _comparable(op, parsed_value(op, parse_wire(op, wire)))
    differences = wire_differences(operation, expected, direct)
    seen = {d.path for d in differences}
    try:
        parsed = _comparable(
            op, parsed_value(op, call_with(service, operation, wire, source=source, request=request))
        )
    except Exception as error:
        parsed = direct
        differences.append(
            Difference(operation, "<call>", _ABSENT, f"{type(error).__name__}: {error}", "client")
        )
    else:
        for d in wire_differences(operation, expected, parsed):
            if d.path not in seen:
                differences.append(Difference(d.operation, d.path, d.generated, d.parsed, "client"))
    return parsed, differences


# ------------------------------------------------------------------------------------------- fuzzing


def _hypothesis_run(
    strategy: st.SearchStrategy[Any], check: Callable[[Any], None], examples: int, seed_value: int
) -> tuple[Any, BaseException] | None:
    """Run ``check`` on ``examples`` drawn values; the shrunk failing value and error, or None."""
    failure: list[tuple[Any, BaseException]] = []

    @seed(seed_value)
    @settings(
        max_examples=examples,
        database=None,
        deadline=None,
        derandomize=False,
        phases=(Phase.explicit, Phase.generate, Phase.shrink),
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )
    @given(strategy)
    def run(value: Any) -> None:
        try:
            check(value)
        except Exception as error:
            failure[:] = [(value, error)]
            raise

    try:
        run()
    except Exception as error:
        if failure:
            return failure[-1]
        raise _GenerationError(
            f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"
        ) from error
    return None


class _GenerationError(Exception):
    """The strategy itself failed to produce a value (reported as a skip, not as a client failure)."""


def _short(value: Any, limit: int = 300) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _violations(service: str, op: OperationModel, direction: str, data: Any, source: Any) -> list[Any]:
    """The project's strict validator (``botocontract.specs.validate``) on one request or response."""
    from botocontract.specs.validate import validate

    return list(validate(service, op.name, direction, data, source=source))


def _check_request(service: str, op: OperationModel, source: Any) -> Callable[[Any], None]:
    validator = ParamValidator()
    serializer = create_serializer(protocol_of(op))

    def check(params: Any) -> None:
        if op.input_shape is None:
            return
        report = validator.validate(params, op.input_shape)
        if report.has_errors():
            raise AssertionError(
                f"botocore's ParamValidator rejects a generated request: {report.generate_report()}"
            )
        serializer.serialize_to_request(params, op)
        problems = _violations(service, op, "input", params, source)
        if problems:
            raise AssertionError(f"the project's validator rejects a generated request: {problems[0]}")

    return check


def _check_response(service: str, op: OperationModel, source: Any, notes: list[str]) -> Callable[[Any], None]:
    def check(value: Any) -> None:
        _, differences = roundtrip(service, op.name, value, source=source)
        wire = [d for d in differences if d.stage == "wire"]
        if wire:
            raise AssertionError("; ".join(str(d) for d in wire[:5]))
        for d in differences:
            note = _short(str(d), 200)
            if note not in notes and len(notes) < 5:
                notes.append(note)
        if op.output_shape is not None:
            problems = _violations(service, op, "output", value, source)
            if problems:
                raise AssertionError(f"the project's validator rejects a generated response: {problems[0]}")

    return check


def _check_invalid(service: str, op: OperationModel, source: Any, notes: list[str]) -> Callable[[Any], None]:
    """An invalid request must be rejected by the project's validator for its rule, at its path.

    Where botocore's ParamValidator lets the same request through is noted, once per rule.
    """
    validator = ParamValidator()

    def check(case: Any) -> None:
        problems = _violations(service, op, "input", case.params, source)
        if not any(p.rule == case.rule and p.path == case.path for p in problems):
            found = ", ".join(f"{p.rule} at {p.path}" for p in problems) or "nothing"
            raise AssertionError(
                f"the project's validator finds {found}, not {case.rule} at {case.path} ({case.description})"
            )
        if op.input_shape is not None and not validator.validate(case.params, op.input_shape).has_errors():
            note = f"botocore's ParamValidator lets through: {case.rule}"
            if note not in notes:
                notes.append(note)

    return check


def replay_command(service: str, operation: str, seed_value: int, examples: int, source: Any) -> str:
    """The CLI line that reruns one operation exactly."""
    command = f"botocontract fuzz client {service} {operation} --seed {seed_value} --examples {examples}"
    key = _source_key(source)
    return command if key == "installed" else f"{command} --source {key}"


def fuzz_operation(
    service: str, operation: str, *, examples: int = 10, seed: int = 0, source: Any = "installed"
) -> OperationResult:
    """Fuzz one operation: valid requests serialize, invalid ones are rejected, responses round trip."""
    from botocontract.generators import strategies
    from botocontract.generators.invalid import invalid_requests

    started = time.perf_counter()
    replay = replay_command(service, operation, seed, examples, source)
    result = OperationResult(service, operation, "passed", replay=replay)
    try:
        op = _driven(service, _source_key(source), source).client.meta.service_model.operation_model(
            operation
        )
    except Exception as error:
        result.status, result.reason = "skipped", f"no client: {type(error).__name__}: {error}"
        return result
    stages: list[tuple[str, Callable[[], st.SearchStrategy[Any]], Callable[[Any], None]]] = [
        (
            "request",
            lambda: strategies.requests(service, operation, source),
            _check_request(service, op, source),
        ),
        (
            "response",
            lambda: strategies.responses(service, operation, source),
            _check_response(service, op, source, result.informational),
        ),
    ]
    if op.input_shape is not None and op.input_shape.members:
        stages.append(
            (
                "invalid request",
                lambda: invalid_requests(service, operation, source),
                _check_invalid(service, op, source, result.informational),
            )
        )
    failures: list[str] = []
    skips: list[str] = []
    for stage, make, check in stages:
        try:
            strategy = make()
        except Exception as error:
            skips.append(f"{stage}: no strategy: {type(error).__name__}: {error}")
            continue
        try:
            outcome = _hypothesis_run(strategy, check, examples, seed)
        except _GenerationError as error:
            skips.append(f"{stage}: the strategy cannot generate: {error}")
            continue
        if outcome is not None:
            value, error = outcome
            message = str(error).splitlines()[0] if str(error) else type(error).__name__
            if not isinstance(error, AssertionError):
                message = f"{type(error).__name__}: {message} at {_where(error)}"
            failures.append(f"{stage}: {message} (example {_short(value)})")
    if failures:
        result.status, result.reason = "failed", " | ".join(failures + skips)
    elif skips:
        result.status, result.reason = "skipped", " | ".join(skips)
    result.seconds = time.perf_counter() - started
    return result


def _where(error: BaseException) -> str:
    frames = traceback.extract_tb(error.__traceback__)
    return f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "?"


def fuzz_client(
    service: str,
    operations: Iterable[str] | None = None,
    *,
    examples: int = 10,
    seed: int = 0,
    source: Any = "installed",
    deadline: float | None = None,
) -> ClientFuzzReport:
    """Fuzz every operation (or ``operations``) of ``service``; deterministic per ``seed``.

    ``deadline`` (a ``time.monotonic()`` value) skips the operations not reached in time.
    """
    model = _driven(service, _source_key(source), source).client.meta.service_model
    names = list(operations) if operations else list(model.operation_names)
    for name in names:
        if name not in model.operation_names:
            raise UnknownNameError("operation", name, model.operation_names, where=service)
    report = ClientFuzzReport(seed=seed, examples=examples)
    for name in names:
        if deadline is not None and time.monotonic() > deadline:
            report.results.append(OperationResult(service, name, "skipped", "time limit reached"))
            continue
        report.results.append(fuzz_operation(service, name, examples=examples, seed=seed, source=source))
    return report


def fuzz_all(
    *,
    examples: int = 3,
    seed: int = 0,
    source: Any = "installed",
    deadline: float | None = None,
    services: Iterable[str] | None = None,
    progress: Callable[[str, ClientFuzzReport], None] | None = None,
) -> ClientFuzzReport:
    """:func:`fuzz_client` over every service of ``source``, in one report."""
    if services is None:
        if _source_key(source) == "installed":
            services = botocore.session.get_session().get_available_services()
        else:
            from botocontract.specs import resolve_source

            services = resolve_source(source).service_names()
    report = ClientFuzzReport(seed=seed, examples=examples)
    for name in services:
        if deadline is not None and time.monotonic() > deadline:
            report.results.append(OperationResult(name, "*", "skipped", "time limit reached"))
            continue
        try:
            part = fuzz_client(name, examples=examples, seed=seed, source=source, deadline=deadline)
        except Exception as error:
            part = ClientFuzzReport(
                seed, examples, [OperationResult(name, "*", "skipped", f"no client: {error}")]
            )
        report.results.extend(part.results)
        if progress is not None:
            progress(name, part)
    return report


# ----------------------------------------------------------------------------------------------- CLI


@click.command("client")
@click.argument("service", required=False)
@click.argument("operation", required=False)
@click.option("--examples", default=10, show_default=True, help="Examples per operation and check.")
@click.option("--seed", "seed_value", default=0, show_default=True, help="Hypothesis seed (replays exactly).")
@click.option("--all", "all_services", is_flag=True, help="Every service of the source.")
@click.option("--source", default="installed", show_default=True, help="Model source (version, path...).")
@click.option("--time-limit", type=float, default=None, help="Seconds; operations not reached are skipped.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def client_command(
    service: str | None,
    operation: str | None,
    examples: int,
    seed_value: int,
    all_services: bool,
    source: str,
    time_limit: float | None,
    as_json: bool,
) -> None:
    """Fuzz a real botocore client: requests serialize, responses round trip through the wire.

    ``botocontract fuzz client SERVICE [OPERATION] [--examples N] [--seed S] [--all]``
    """
    deadline = time.monotonic() + time_limit if time_limit else None
    if all_services:
        report = fuzz_all(examples=examples, seed=seed_value, source=source, deadline=deadline)
    elif service:
        ops = [operation] if operation else None
        report = fuzz_client(
            service, ops, examples=examples, seed=seed_value, source=source, deadline=deadline
        )
    else:
        raise click.UsageError("name a SERVICE or pass --all")
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2, default=str))
    else:
        skipped = [r for r in report.results if r.status == "skipped"]
        for r in report.results:
            if r.status == "failed" or (r.status == "skipped" and len(skipped) <= 20):
                click.echo(f"{r.status.upper()} {r.service}.{r.operation}: {r.reason}")
            if r.status == "failed":
                click.echo(f"  replay: {r.replay}")
        if len(skipped) > 20:
            for reason, count in report.skip_reasons().items():
                click.echo(f"SKIPPED x{count}: {reason}")
        click.echo(report.summary())
    raise SystemExit(0 if report.ok else 1)
