"""The strict validator: every rule, boto3's Python types, recursion, caching, and what botocore misses."""

from __future__ import annotations

import datetime
import decimal
import io
from typing import Any

import pytest
from botocore.response import StreamingBody
from botocore.validate import ParamValidator

from botocontract.errors import UnknownNameError
from botocontract.specs import ServiceSpec, load_service
from botocontract.specs.validate import Validator, Violation, validate
from tests.specs.test_schema import MODEL

GOOD: dict[str, Any] = {"Name": "ab-1", "Kind": "small"}


@pytest.fixture(scope="module")
def toy() -> ServiceSpec:
    return ServiceSpec.from_dict(MODEL, "toy")


def errors(toy: ServiceSpec, params: dict[str, Any], direction: str = "input") -> list[Violation]:
    return validate(toy, "PutThing", direction, params)


def rules(found: list[Violation]) -> list[tuple[str, str]]:
    return [(v.path, v.rule) for v in found]


def test_valid_request_passes(toy: ServiceSpec) -> None:
    full = {
        **GOOD,
        "Token": "t",
        "Count": 10,
        "Ratio": decimal.Decimal("0.5"),
        "Enabled": False,
        "Data": b"abcd",
        "Tags": {"k": "large"},
        "Labels": ["a", "b"],
        "Choice": {"B": 3},
        "Tree": {"Value": "r", "Children": [{"Value": "c", "Children": []}]},
        "Extra": {"any": [1, "two", None, {"x": True}]},
        "Meta": {"json": ["header"]},
    }
    assert errors(toy, full) == []


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"Kind": "small"}, [("$.Name", "required")]),
        ({**GOOD, "Kind": "huge"}, [("$.Kind", "enum")]),
        ({**GOOD, "Name": ""}, [("$.Name", "min"), ("$.Name", "pattern")]),
        ({**GOOD, "Name": "abcdefghi"}, [("$.Name", "max")]),
        ({**GOOD, "Name": "a b"}, [("$.Name", "pattern")]),
        ({**GOOD, "Name": 5}, [("$.Name", "type")]),
        ({**GOOD, "Count": 0}, [("$.Count", "min")]),
        ({**GOOD, "Count": 11}, [("$.Count", "max")]),
        ({**GOOD, "Count": True}, [("$.Count", "type")]),
        ({**GOOD, "Count": 1.5}, [("$.Count", "type")]),
        ({**GOOD, "Ratio": 2}, [("$.Ratio", "max")]),
        ({**GOOD, "Enabled": "yes"}, [("$.Enabled", "type")]),
        ({**GOOD, "When": "not a date"}, [("$.When", "type")]),
        ({**GOOD, "Data": b"abcde"}, [("$.Data", "max")]),
        ({**GOOD, "Data": 12}, [("$.Data", "type")]),
        ({**GOOD, "Tags": {"k": "small", "l": "small", "m": "small"}}, [("$.Tags", "max")]),
        (
            {**GOOD, "Tags": {"bad key": "tiny"}},
            [("$.Tags['bad key']", "pattern"), ("$.Tags['bad key']", "enum")],
        ),
        ({**GOOD, "Labels": []}, [("$.Labels", "min")]),
        ({**GOOD, "Labels": "a"}, [("$.Labels", "type")]),
        ({**GOOD, "Labels": ["a", "!"]}, [("$.Labels[1]", "pattern")]),
        ({**GOOD, "Choice": {}}, [("$.Choice", "union")]),
        ({**GOOD, "Choice": {"A": "a", "B": 1}}, [("$.Choice", "union")]),
        (
            {**GOOD, "Tree": {"Children": [{"Value": "x", "Children": [{}]}]}},
            [("$.Tree.Value", "required"), ("$.Tree.Children[0].Children[0].Value", "required")],
        ),
        ({**GOOD, "Extra": {"when": datetime.datetime(2020, 1, 1)}}, [("$.Extra", "type")]),
        ({**GOOD, "Bogus": 1}, [("$.Bogus", "unknown")]),
    ],
)
def test_each_rule(toy: ServiceSpec, params: dict[str, Any], expected: list[tuple[str, str]]) -> None:
    assert rules(errors(toy, params)) == expected


def test_violation_carries_expected_and_actual(toy: ServiceSpec) -> None:
    (found,) = errors(toy, {**GOOD, "Name": "abcdefghij"})
    assert (found.expected, found.actual) == (8, 10)
    assert "$.Name" in str(found) and "[max]" in str(found)


@pytest.mark.parametrize(
    "when",
    [
        datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc),
        datetime.date(2020, 1, 1),
        "2020-08-14T12:00:00Z",
        1597406400,
        1597406400.5,
    ],
)
def test_timestamps_in_boto3_forms(toy: ServiceSpec, when: Any) -> None:
    assert errors(toy, {**GOOD, "When": when}) == []


@pytest.mark.parametrize("data", [b"ab", bytearray(b"ab"), "ab", io.BytesIO(b"a" * 100)])
def test_blobs_in_boto3_forms(toy: ServiceSpec, data: Any) -> None:
    assert errors(toy, {**GOOD, "Data": data}) == []


def test_streaming_output(toy: ServiceSpec) -> None:
    body = StreamingBody(io.BytesIO(b"payload"), 7)
    assert errors(toy, {"Body": body}, "output") == []
    assert rules(errors(toy, {"Body": 7}, "output")) == [("$.Body", "type")]
    # botocore reports union members the installed model does not know under this key.
    assert errors(toy, {"Choice": {"SDK_UNKNOWN_MEMBER": {"name": "C"}}}, "output") == []


def test_response_metadata_is_part_of_boto3_responses(toy: ServiceSpec) -> None:
    metadata = {"RequestId": "r", "HTTPStatusCode": 200, "HTTPHeaders": {}, "RetryAttempts": 0}
    assert errors(toy, {"When": 0, "ResponseMetadata": metadata}, "output") == []
    assert validate(toy, "Ping", "output", {"ResponseMetadata": metadata}) == []
    assert rules(errors(toy, {**GOOD, "ResponseMetadata": metadata})) == [("$.ResponseMetadata", "unknown")]


def test_idempotency_token_is_not_required_on_input(toy: ServiceSpec) -> None:
    assert "Token" not in {v.path for v in errors(toy, GOOD)}


def test_operation_without_input(toy: ServiceSpec) -> None:
    assert validate(toy, "Ping", "input", {}) == []
    assert rules(validate(toy, "Ping", "input", {"x": 1})) == [("$.x", "unknown")]
    assert rules(validate(toy, "Ping", "output", [])) == [("$", "type")]


def test_validators_are_compiled_once(toy: ServiceSpec) -> None:
    first = Validator.for_operation(toy, "PutThing", "input")
    assert Validator.for_operation(toy, "PutThing", "input") is first
    assert Validator.for_operation(toy, "PutThing", "output") is not first
    assert first.is_valid(GOOD)
    assert not first.is_valid({})
    by_name = Validator.for_operation("sagemaker", "DescribeModel", "output")
    assert Validator.for_operation("sagemaker", "DescribeModel", "output") is by_name


def test_unknown_names(toy: ServiceSpec) -> None:
    with pytest.raises(UnknownNameError, match="did you mean PutThing"):
        validate(toy, "PutThin", "input", {})
    with pytest.raises(UnknownNameError):
        validate(toy, "PutThing", "sideways", {})


def describe_model_response() -> dict[str, Any]:
    return {
        "ModelName": "my-model",
        "PrimaryContainer": {
            "Image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/img:latest",
            "ImageConfig": {"RepositoryAccessMode": "Platform"},
            "Mode": "SingleModel",
            "ModelDataUrl": "s3://bucket/model.tar.gz",
            "Environment": {"KEY": "value"},
        },
        "ExecutionRoleArn": "arn:aws:iam::123456789012:role/Role",
        "VpcConfig": {"SecurityGroupIds": ["sg-0123abcd"], "Subnets": ["subnet-0123abcd"]},
        "CreationTime": datetime.datetime(2020, 8, 14, tzinfo=datetime.timezone.utc),
        "ModelArn": "arn:aws:sagemaker:us-east-1:123456789012:model/my-model",
        "EnableNetworkIsolation": False,
    }


def test_catches_what_botocore_misses() -> None:
    """botocore's ParamValidator passes max, enum and pattern violations that this validator reports."""
    service = load_service("sagemaker")
    shape = service.operation_model("DescribeModel").output_shape
    good = describe_model_response()
    assert validate(service, "DescribeModel", "output", good) == []
    bad = describe_model_response()
    bad["ModelName"] = "x" * 64
    bad["PrimaryContainer"]["ImageConfig"]["RepositoryAccessMode"] = "Somewhere"
    bad["ModelArn"] = "arn:aws:s3:::not-a-model-arn-at-all"
    assert not ParamValidator().validate(bad, shape).has_errors()
    assert rules(validate(service, "DescribeModel", "output", bad)) == [
        ("$.ModelName", "max"),
        ("$.PrimaryContainer.ImageConfig.RepositoryAccessMode", "enum"),
        ("$.ModelArn", "pattern"),
    ]


def test_agrees_with_botocore_where_botocore_checks() -> None:
    """Whatever ParamValidator rejects (types, required, min) is rejected here too."""
    service = load_service("sagemaker")
    shape = service.operation_model("DescribeModel").output_shape
    for change in [
        {"ModelName": 5},
        {"ExecutionRoleArn": "arn"},
        {"VpcConfig": {"Subnets": ["subnet-1"]}},
        {"CreationTime": object()},
        {"PrimaryContainer": []},
    ]:
        data = {**describe_model_response(), **change}
        assert ParamValidator().validate(data, shape).has_errors(), change
        assert validate(service, "DescribeModel", "output", data), change


def test_recursive_dynamodb_item() -> None:
    item = {"a": {"M": {"b": {"L": [{"S": "x"}, {"N": "1"}, {"M": {"c": {"BOOL": "no"}}}]}}}}
    found = validate("dynamodb", "PutItem", "input", {"TableName": "table", "Item": item})
    assert rules(found) == [("$.Item['a'].M['b'].L[2].M['c'].BOOL", "type")]
