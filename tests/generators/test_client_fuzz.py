"""A real botocore client driven by encoded responses: round trips, errors, and the fuzz runner."""

from __future__ import annotations

import copy
import datetime as dt
import json

import botocore.session
import pytest
from botocore.exceptions import ClientError
from click.testing import CliRunner

from botocontract.cli import main
from botocontract.errors import UnknownNameError
from botocontract.generators.client import (
    call_with,
    client_for,
    fuzz_client,
    minimal_request,
    replay_command,
    roundtrip,
)
from botocontract.generators.wire import WireValueError, encode_error, protocol_of

UTC = dt.timezone.utc


def test_json_roundtrip_through_a_real_client() -> None:
    value = {
        "ModelName": "m",
        "ModelArn": "arn:aws:sagemaker:us-east-1:123456789012:model/m",
        "CreationTime": dt.datetime(2020, 8, 14, 10, 11, 12, 345000, tzinfo=UTC),
        "Containers": [{"Image": "img", "Environment": {"A": "1"}}],
        "EnableNetworkIsolation": False,
    }
    parsed, differences = roundtrip("sagemaker", "DescribeModel", value)
    assert differences == []
    assert parsed == value


def test_a_wrong_value_is_a_named_difference() -> None:
    # An integer where the model wants a string: the client hands it back unchanged, so nothing differs;
    # a timestamp with microseconds loses them on the JSON wire, which the normalization expects.
    value = {"CreationTime": dt.datetime(2020, 8, 14, 10, 11, 12, 345678, tzinfo=UTC)}
    parsed, differences = roundtrip("sagemaker", "DescribeModel", value)
    assert differences == []
    assert parsed["CreationTime"].microsecond == 345000


def test_rest_xml_streaming_headers_and_metadata() -> None:
    value = {
        "Body": b"\x00\x01binary\xff",
        "ContentLength": 99,  # need not match the body: streams are read whole
        "Metadata": {"Owner": "me"},
        "LastModified": dt.datetime(2020, 1, 1, 12, 0, 0, 500000, tzinfo=UTC),
        "ETag": '"abc"',
    }
    parsed, differences = roundtrip("s3", "GetObject", value)
    assert differences == []
    assert parsed["Body"] == value["Body"]
    assert parsed["LastModified"] == dt.datetime(2020, 1, 1, 12, 0, 0, tzinfo=UTC)  # http-date: seconds


@pytest.mark.parametrize(
    ("service", "operation", "value"),
    [
        (
            "iam",
            "GetUser",
            {
                "User": {
                    "Path": "/",
                    "UserName": "u",
                    "UserId": "AIDA",
                    "Arn": "arn:x",
                    "CreateDate": dt.datetime(2020, 1, 1, tzinfo=UTC),
                    "Tags": [{"Key": "k", "Value": "a\r\nb <&>"}],
                }
            },
        ),
        (
            "ec2",
            "DescribeAddresses",
            {"Addresses": [{"PublicIp": "1.2.3.4", "Tags": [{"Key": "a", "Value": "b"}]}]},
        ),
        (
            "route53",
            "ListHostedZones",
            {
                "HostedZones": [
                    {
                        "Id": "Z1",
                        "Name": "example.com.",
                        "CallerReference": "c",
                        "Config": {"PrivateZone": True},
                    }
                ],
                "Marker": "m",
                "IsTruncated": False,
                "MaxItems": "1",
            },
        ),
        (
            "lambda",
            "GetFunction",
            {
                "Configuration": {
                    "FunctionName": "f",
                    "Timeout": 3,
                    "Environment": {"Variables": {"A": "b"}},
                },
                "Tags": {"team": "x"},
            },
        ),
        (
            "dynamodb",
            "GetItem",
            {
                "Item": {
                    "pk": {"S": "a"},
                    "n": {"N": "1"},
                    "b": {"B": b"\x00"},
                    "l": {"L": [{"M": {"x": {"BOOL": True}}}]},
                }
            },
        ),
    ],
)
def test_one_operation_per_protocol(service: str, operation: str, value: dict) -> None:
    parsed, differences = roundtrip(service, operation, value)
    assert differences == []
    assert parsed == value


@pytest.fixture(scope="module")
def cbor_source(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A data folder holding CloudWatch's model switched to smithy-rpc-v2-cbor alone.

    No installed service resolves to CBOR (botocore prefers json where both are listed).
    """
    raw = copy.deepcopy(
        botocore.session.get_session()
        .get_component("data_loader")
        .load_service_model("cloudwatch", "service-2")
    )
    raw["metadata"]["protocols"] = ["smithy-rpc-v2-cbor"]
    raw["metadata"]["protocol"] = "smithy-rpc-v2-cbor"
    root = tmp_path_factory.mktemp("cbor-data")
    folder = root / "cloudwatch" / raw["metadata"]["apiVersion"]
    folder.mkdir(parents=True)
    (folder / "service-2.json").write_text(json.dumps(raw), encoding="utf-8")
    return str(root)


def test_cbor_roundtrip_through_a_client_built_from_a_raw_model(cbor_source: str) -> None:
    spec = cbor_source
    client = client_for("cloudwatch", spec)
    assert protocol_of(client.meta.service_model) == "smithy-rpc-v2-cbor"
    value = {
        "MetricDataResults": [
            {
                "Id": "q1",
                "Label": "CPU",
                "Timestamps": [dt.datetime(2024, 1, 1, 0, 0, 1, 250000, tzinfo=UTC)],
                "Values": [1.5, 0.0],
                "StatusCode": "Complete",
            }
        ],
        "NextToken": "t",
    }
    parsed, differences = roundtrip("cloudwatch", "GetMetricData", value, source=spec)
    assert differences == []
    assert parsed == value


def test_client_handlers_are_client_differences_not_wire_ones() -> None:
    # botocore's IAM customization JSON-decodes policy documents after parsing.
    value = {"UserName": "u", "PolicyName": "p", "PolicyDocument": '{"Version": "2012-10-17"}'}
    parsed, differences = roundtrip("iam", "GetUserPolicy", value)
    assert parsed["PolicyDocument"] == {"Version": "2012-10-17"}
    assert [(d.path, d.stage) for d in differences] == [("root['PolicyDocument']", "client")]
    assert "GetUserPolicy root['PolicyDocument'] (client handler)" in str(differences[0])


@pytest.mark.parametrize(
    ("service", "operation", "code", "modeled"),
    [
        ("sagemaker", "DescribeModel", "ResourceNotFound", "ResourceNotFound"),
        ("lambda", "GetFunction", "ResourceNotFoundException", "ResourceNotFoundException"),
        ("iam", "GetUser", "NoSuchEntity", "NoSuchEntityException"),
        ("ec2", "DescribeAddresses", "InvalidAddress.NotFound", None),
        ("s3", "HeadBucket", "NoSuchBucket", "NoSuchBucket"),
    ],
)
def test_errors_raise_the_clients_exceptions(
    service: str, operation: str, code: str, modeled: str | None
) -> None:
    client = client_for(service)
    op = client.meta.service_model.operation_model(operation)
    with pytest.raises(ClientError) as raised:
        call_with(service, operation, encode_error(op, code, "not here", 404))
    assert raised.value.response["Error"]["Code"] == code
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    if modeled:
        assert isinstance(raised.value, getattr(client.exceptions, modeled))


def test_minimal_request_is_accepted_by_the_serializer() -> None:
    model = botocore.session.get_session().get_service_model("s3")
    params = minimal_request(model.operation_model("PutObject").input_shape)
    assert set(params) == {"Bucket", "Key"}


def test_unknown_operation_suggests_names() -> None:
    with pytest.raises(UnknownNameError, match="DescribeModel"):
        roundtrip("sagemaker", "DescribeModle", {})


def test_fuzz_is_deterministic_and_reports_per_operation() -> None:
    ops = ["DescribeModel", "ListModels"]
    first = fuzz_client("sagemaker", ops, examples=3, seed=7)
    second = fuzz_client("sagemaker", ops, examples=3, seed=7)
    assert [r.operation for r in first.results] == ops
    assert [(r.status, r.reason) for r in first.results] == [(r.status, r.reason) for r in second.results]
    assert first.summary() == f"{first.passed} passed, {first.failed} failed, {first.skipped} skipped"
    assert first.results[0].replay == replay_command("sagemaker", "DescribeModel", 7, 3, "installed")
    assert first.results[0].replay == "botocontract fuzz client sagemaker DescribeModel --seed 7 --examples 3"


def test_invalid_requests_are_rejected_and_botocore_gaps_are_noted() -> None:
    report = fuzz_client("sagemaker", ["CreateModel"], examples=10, seed=0)
    result = report.results[0]
    assert result.status == "passed", result.reason
    # ParamValidator checks types, required and min only: every note names another rule.
    noted = {n.rsplit(": ", 1)[1] for n in result.informational if "lets through" in n}
    assert noted
    assert noted <= {"max", "pattern", "enum"}


@pytest.mark.parametrize(
    ("service", "operation", "value"),
    [
        (
            "lambda",
            "InvokeWithResponseStream",
            {
                "StatusCode": 200,
                "ExecutedVersion": "1",
                "ResponseStreamContentType": "application/json",
                "EventStream": [
                    {"PayloadChunk": {"Payload": b"\x00abc"}},
                    {"InvokeComplete": {"ErrorCode": "E", "LogResult": "bG9n"}},
                ],
            },
        ),
        (
            "s3",
            "SelectObjectContent",
            {
                "Payload": [
                    {"Records": {"Payload": b"a,b\n"}},
                    {"Stats": {"Details": {"BytesScanned": 10, "BytesProcessed": 5, "BytesReturned": 2}}},
                    {"End": {}},
                ]
            },
        ),
        (
            "kinesis",
            "SubscribeToShard",
            {
                "EventStream": [
                    {
                        "SubscribeToShardEvent": {
                            "Records": [
                                {
                                    "SequenceNumber": "1",
                                    "Data": b"d",
                                    "PartitionKey": "p",
                                    "ApproximateArrivalTimestamp": dt.datetime(
                                        2020, 1, 1, 0, 0, 0, 123000, tzinfo=UTC
                                    ),
                                }
                            ],
                            "ContinuationSequenceNumber": "2",
                            "MillisBehindLatest": 0,
                        }
                    }
                ]
            },
        ),
    ],
)
def test_event_streams_round_trip(service: str, operation: str, value: dict) -> None:
    parsed, differences = roundtrip(service, operation, value)
    assert [d for d in differences if d.stage == "wire"] == []
    assert parsed == value


def test_cli_runs_one_operation() -> None:
    args = ["fuzz", "client", "lambda", "GetFunction", "--examples", "2", "--seed", "1"]
    result = CliRunner().invoke(main, args)
    assert result.output.strip().endswith("1 passed, 0 failed, 0 skipped"), result.output
    assert result.exit_code == 0


def test_cli_needs_a_service_or_all() -> None:
    result = CliRunner().invoke(main, ["fuzz", "client"])
    assert result.exit_code == 2
    assert "SERVICE or pass --all" in result.output


SWEEP = [
    ("sagemaker", 40),
    ("dynamodb", None),
    ("lambda", None),
    ("iam", 60),
    ("ec2", 60),
    ("s3", None),
    ("route53", None),
]


@pytest.mark.slow
@pytest.mark.parametrize(("service", "limit"), SWEEP, ids=[s for s, _ in SWEEP])
def test_sweep_one_service_per_protocol(service: str, limit: int | None) -> None:
    names = botocore.session.get_session().get_service_model(service).operation_names
    report = fuzz_client(service, names[:limit] if limit else None, examples=2, seed=0)
    # Every failure counts, request side included (a generated value its own pattern rejects, a request
    # botocore refuses), unless it is listed below with its reason. Model defects are skips, not failures.
    failures = {
        r.operation: r.reason
        for r in report.results
        if r.status == "failed" and (service, r.operation) not in KNOWN_CLIENT_FAILURES
    }
    assert not failures, failures
    skipped = [r for r in report.results if r.status == "skipped"]
    assert all(r.reason for r in skipped)
    assert report.passed > 0


#: (service, operation) -> why it fails on the client today. Empty: every swept operation passes.
KNOWN_CLIENT_FAILURES: dict[tuple[str, str], str] = {}


@pytest.mark.slow
def test_sweep_cbor_service(cbor_source: str) -> None:
    report = fuzz_client("cloudwatch", examples=2, seed=0, source=cbor_source)
    assert report.failed == 0, [r.reason for r in report.results if r.status == "failed"]
    assert report.passed > 0


@pytest.mark.network
def test_a_release_source_drives_a_client_of_that_release() -> None:
    # DeploymentRecommendation came after 1.17.43: the old client's model has no such member.
    value = {"ModelName": "m", "CreationTime": dt.datetime(2020, 8, 14, tzinfo=UTC)}
    parsed, differences = roundtrip("sagemaker", "DescribeModel", value, source="1.17.43")
    assert (parsed, differences) == (value, [])
    with pytest.raises(WireValueError, match="DeploymentRecommendation"):
        roundtrip("sagemaker", "DescribeModel", {"DeploymentRecommendation": {}}, source="1.17.43")
    report = fuzz_client("sagemaker", ["DescribeModel"], examples=2, source="1.17.43")
    assert report.results[0].replay.endswith("--source 1.17.43")


def test_model_defects_are_skipped_with_their_reason_not_failed() -> None:
    """apprunner's ServiceId (length 32, a 36-character pattern) makes every Service response invalid;
    ec2's PlacementGroupArn (a ^ in the middle) is optional, so requests simply leave it out."""
    report = fuzz_client("apprunner", ["DescribeService", "ListServices"], examples=5, seed=0)
    by_name = {r.operation: r for r in report.results}
    described = by_name["DescribeService"]
    assert described.status == "skipped"
    assert "model defect" in described.reason and "ServiceId PatternLongerThanMax" in described.reason
    assert by_name["ListServices"].status == "passed"
    ec2 = fuzz_client(
        "ec2", ["CreateCapacityReservation", "DescribeCapacityReservations"], examples=25, seed=0
    )
    assert [r.status for r in ec2.results] == ["passed", "passed"], ec2.results
