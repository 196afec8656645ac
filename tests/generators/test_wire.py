"""Wire encoders: data-file cases per protocol (parse(encode(value)) == value), errors, the registry."""

from __future__ import annotations

import base64
import datetime as dt
import json
from pathlib import Path
from typing import Any

import botocore.session
import pytest
from botocore.model import OperationModel, ServiceModel
from botocore.parsers import create_parser
from dateutil.parser import isoparse

from botocontract.errors import BotocontractError, UnknownNameError
from botocontract.generators.wire import (
    ENCODERS,
    REQUEST_ID,
    WireValueError,
    encode_error,
    encode_response,
    encoder_for,
    expected_value,
    parse_wire,
    parsed_value,
    protocol_of,
    wire_differences,
)

CASES = Path(__file__).parent / "wire_cases"
PROTOCOLS = ["json", "rest-json", "query", "ec2", "rest-xml", "smithy-rpc-v2-cbor"]


def _decode(value: Any) -> Any:
    """JSON case values to Python: ``$bytes`` (base64), ``$timestamp`` (ISO 8601), ``$float`` (NaN...)."""
    if isinstance(value, dict):
        if set(value) == {"$bytes"}:
            return base64.b64decode(value["$bytes"])
        if set(value) == {"$timestamp"}:
            return isoparse(value["$timestamp"]).astimezone(dt.timezone.utc)
        if set(value) == {"$float"}:
            return float(value["$float"])
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def _operation(case: dict[str, Any]) -> OperationModel:
    metadata = {
        "apiVersion": "2020-01-01",
        "endpointPrefix": "example",
        "serviceId": "Example",
        "signatureVersion": "v4",
        **case["metadata"],
    }
    http = {"method": "POST", "requestUri": "/", **case["http"]}
    raw = {
        "metadata": metadata,
        "operations": {"Op": {"name": "Op", "http": http, "output": case["output"]}},
        "shapes": case["shapes"],
    }
    return ServiceModel(raw, service_name="example").operation_model("Op")


def _cases() -> list[Any]:
    found = sorted(CASES.glob("*/*.json"))
    return [pytest.param(path, id=f"{path.parent.name}/{path.stem}") for path in found]


def test_every_protocol_has_cases() -> None:
    assert sorted(p.name for p in CASES.iterdir() if p.is_dir()) == sorted(PROTOCOLS)
    assert sorted(ENCODERS.names()) == sorted(PROTOCOLS)


@pytest.mark.parametrize("path", _cases())
def test_wire_case(path: Path) -> None:
    case = json.loads(path.read_text(encoding="utf-8"))
    assert case["metadata"]["protocol"] == path.parent.name
    op = _operation(case)
    value = _decode(case["value"])
    wanted = _decode(case.get("expected", case["value"]))

    wire = encode_response(op, value)

    shown = case.get("wire", {})
    if "status_code" in shown:
        assert wire["status_code"] == shown["status_code"]
    for name, text in shown.get("headers", {}).items():
        assert wire["headers"][name] == text, name
    body = wire["body"]
    for fragment in shown.get("body_contains", []):
        assert fragment.encode("utf-8") in body, (fragment, body)
    if "body_base64" in shown:
        assert body == base64.b64decode(shown["body_base64"])

    parsed = parsed_value(op, parse_wire(op, wire))
    assert parsed.keys() == expected_value(op, wanted, wire).keys()
    assert wire_differences("Op", expected_value(op, wanted, wire), parsed) == []
    # The documented normalizations turn the generated value into what the case says comes back.
    assert wire_differences("Op", expected_value(op, value, wire), expected_value(op, wanted, wire)) == []


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_errors_parse_back(protocol: str) -> None:
    case = {
        "metadata": {"protocol": protocol},
        "http": {},
        "output": {"shape": "Out"},
        "shapes": {"Out": {"type": "structure", "members": {}}},
    }
    op = _operation(case)
    wire = encode_error(op, "ThrottlingException", "slow down", 400)
    parsed = create_parser(protocol).parse(wire, None)
    assert wire["status_code"] == 400
    assert parsed["Error"]["Code"] == "ThrottlingException"
    assert parsed["Error"]["Message"] == "slow down"
    assert parsed["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_unknown_protocol_is_a_clear_error() -> None:
    with pytest.raises(UnknownNameError, match="unknown protocol 'rest-jsn'") as raised:
        encoder_for("rest-jsn")
    assert isinstance(raised.value, BotocontractError)
    assert "rest-json" in str(raised.value)


def test_stray_member_names_the_member() -> None:
    op = botocore.session.get_session().get_service_model("sagemaker").operation_model("DescribeModel")
    with pytest.raises(WireValueError, match="'ModelNam' is not a member of DescribeModelOutput"):
        encode_response(op, {"ModelNam": "x"})


def test_installed_services_use_their_resolved_protocol() -> None:
    session = botocore.session.get_session()
    for service, protocol in [
        ("sagemaker", "json"),
        ("lambda", "rest-json"),
        ("iam", "query"),
        ("ec2", "ec2"),
        ("s3", "rest-xml"),
    ]:
        assert protocol_of(session.get_service_model(service)) == protocol


def test_request_id_reaches_response_metadata() -> None:
    op = botocore.session.get_session().get_service_model("iam").operation_model("GetUser")
    wire = encode_response(op, {"User": {"UserName": "u"}})
    parsed = create_parser("query").parse(wire, op.output_shape)
    assert parsed["ResponseMetadata"]["RequestId"] == REQUEST_ID
    assert parsed["User"] == {"UserName": "u"}


def test_an_explicit_status_wins_over_the_status_code_member() -> None:
    case = json.loads((CASES / "rest-json" / "header_map_and_status.json").read_text(encoding="utf-8"))
    op = _operation(case)
    wire = encode_response(op, _decode(case["value"]), status=201)
    assert wire["status_code"] == 201
    assert parse_wire(op, wire)["Status"] == 201


@pytest.mark.parametrize("protocol", ["json", "query", "smithy-rpc-v2-cbor"])
def test_status_reaches_response_metadata(protocol: str) -> None:
    op = _operation(
        {
            "metadata": {"protocol": protocol},
            "http": {},
            "output": {"shape": "Out"},
            "shapes": {"Out": {"type": "structure", "members": {}}},
        }
    )
    assert parse_wire(op, encode_response(op, {}, status=202))["ResponseMetadata"]["HTTPStatusCode"] == 202


@pytest.mark.parametrize("protocol", ["rest-json", "rest-xml"])
def test_a_uri_member_of_a_shared_structure_travels_in_the_response_body(protocol: str) -> None:
    """``uri``/``querystring`` bind a member only in requests; botocore reads it from a response body."""
    from botocore.model import ServiceModel

    from botocontract.generators.wire.compare import parse_wire

    raw = {
        "metadata": {"protocol": protocol, "apiVersion": "2000-01-01", "endpointPrefix": "x"},
        "operations": {
            "Op": {
                "name": "Op",
                "http": {"method": "GET", "requestUri": "/{Id}"},
                "input": {"shape": "Thing"},
                "output": {"shape": "Thing"},
            }
        },
        "shapes": {
            "Thing": {
                "type": "structure",
                "required": ["Id"],
                "members": {
                    "Id": {"shape": "S", "location": "uri", "locationName": "Id"},
                    "Tag": {"shape": "S", "location": "querystring", "locationName": "tag"},
                    "Name": {"shape": "S"},
                },
            },
            "S": {"type": "string"},
        },
    }
    op = ServiceModel(raw, "x").operation_model("Op")
    parsed = parse_wire(op, encode_response(op, {"Id": "abc", "Tag": "t", "Name": "n"}))
    parsed.pop("ResponseMetadata", None)
    assert parsed == {"Id": "abc", "Tag": "t", "Name": "n"}


def test_a_header_map_with_no_prefix_gets_no_headers_of_the_encoders_own() -> None:
    """dataexchange SendApiAsset's ResponseHeaders reads every header: request ids must not leak in."""
    from botocontract.generators.wire.compare import parse_wire

    op = botocore.session.get_session().get_service_model("dataexchange").operation_model("SendApiAsset")
    wire = encode_response(op, {"ResponseHeaders": {"x-a": "1"}, "Body": "hi"})
    assert parse_wire(op, wire)["ResponseHeaders"] == {"x-a": "1"}
