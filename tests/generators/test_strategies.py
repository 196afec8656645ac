"""Generated requests and responses are what boto3 takes and returns, and what the model allows."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from typing import Any

import pytest
from botocore.serialize import create_serializer
from botocore.validate import ParamValidator
from click.testing import CliRunner
from hypothesis import HealthCheck, Phase, find, given, seed, settings
from hypothesis import strategies as st

from botocontract.cli import main
from botocontract.errors import BotocontractError, UnknownNameError
from botocontract.generators import strategies as strategies_module
from botocontract.generators.overrides import clear_overrides, register_strategy
from botocontract.generators.stats import stats
from botocontract.generators.strategies import (
    compiler_for,
    recursive_shapes,
    requests,
    responses,
    string_plan,
)
from botocontract.specs.validate import validate

FAST = settings(
    max_examples=25,
    database=None,
    deadline=None,
    phases=[Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# One or more per protocol and per hard feature: recursion, blobs, streaming, unions, cbor, headers.
SAMPLE = [
    ("sagemaker", "CreateModel"),  # json, patterns, nested lists of structures
    ("dynamodb", "PutItem"),  # recursive AttributeValue
    ("lambda", "Invoke"),  # rest-json, blob payload, headers
    ("s3", "PutObject"),  # rest-xml, streaming body, header maps
    ("ec2", "RunInstances"),  # ec2 protocol
    ("route53", "ChangeResourceRecordSets"),  # rest-xml, uri labels
    ("sqs", "SendMessage"),  # json (query formerly), map of structures
    ("cloudwatch", "PutMetricData"),  # smithy-rpc-v2-cbor, timestamps, doubles
    ("arc-region-switch", "CreatePlan"),  # cbor with unions
]


@pytest.fixture(autouse=True)
def _no_overrides() -> Any:
    clear_overrides()
    yield
    clear_overrides()


@pytest.mark.parametrize(("service", "operation"), SAMPLE)
def test_requests_pass_botocore_and_the_project_validator_and_serialize(service: str, operation: str) -> None:
    model = compiler_for(service).model
    op = model.operation_model(operation)
    serializer = create_serializer(model.metadata["protocol"])

    @FAST
    @given(requests(service, operation))
    def check(params: dict[str, Any]) -> None:
        report = ParamValidator().validate(params, op.input_shape)
        assert not report.has_errors(), report.generate_report()
        assert validate(service, operation, "input", params) == []
        serializer.serialize_to_request(params, op)

    check()


@pytest.mark.parametrize(
    ("service", "operation"),
    [*SAMPLE, ("sagemaker", "DescribeModel"), ("s3", "GetObject"), ("glue", "GetTable")],
)
def test_responses_pass_the_project_validator(service: str, operation: str) -> None:
    @FAST
    @given(responses(service, operation))
    def check(parsed: dict[str, Any]) -> None:
        assert validate(service, operation, "output", parsed) == []

    check()


def _walk(value: Any) -> Any:
    yield value
    if isinstance(value, dict):
        for item in value.values():
            yield from _walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item)


def test_response_timestamps_are_aware_utc_whole_seconds_and_blobs_are_bytes() -> None:
    values = _draws(responses("s3", "GetObject"), 30)
    stamps = [v["LastModified"] for v in values if "LastModified" in v]
    bodies = [v["Body"] for v in values if "Body" in v]
    assert stamps and bodies
    assert all(isinstance(b, bytes) for b in bodies)
    assert all(
        isinstance(t, datetime) and t.utcoffset() == timedelta(0) and t.microsecond == 0 for t in stamps
    )


def test_minimal_request_is_the_required_members_only() -> None:
    # Optional members come and go, so shrinking ends at exactly the required ones.
    op = compiler_for("sqs").model.operation_model("SendMessage")
    minimal = find(requests("sqs", "SendMessage"), lambda p: True, settings=settings(database=None))
    assert set(minimal) == set(op.input_shape.required_members) == {"QueueUrl", "MessageBody"}
    assert minimal["QueueUrl"] == "" and len(minimal["MessageBody"]) <= 1


def _nesting(value: Any) -> int:
    """How deep DynamoDB AttributeValues nest inside each other (M and L members)."""
    if isinstance(value, dict):
        inner = [_nesting(v) for key in ("M", "L") if key in value for v in _children(value[key])]
        return 1 + max(inner, default=0)
    return 0


def _children(value: Any) -> list[Any]:
    return list(value.values()) if isinstance(value, dict) else list(value)


def test_recursive_attribute_values_nest_but_stay_bounded() -> None:
    depth = strategies_module.DEFAULT_MAX_DEPTH
    deepest = [_nesting(v) for p in _draws(requests("dynamodb", "PutItem"), 40) for v in p["Item"].values()]
    # Each level may recurse until the guard's depth; below it only non-recursive members remain.
    assert 2 <= max(deepest) <= depth + 1


def test_recursive_shapes_are_found_in_cycles_only() -> None:
    raw = {
        "Root": {"type": "structure", "members": {"a": {"shape": "Node"}, "s": {"shape": "Str"}}},
        "Node": {"type": "structure", "members": {"kids": {"shape": "Nodes"}}},
        "Nodes": {"type": "list", "member": {"shape": "Node"}},
        "Self": {"type": "map", "key": {"shape": "Str"}, "value": {"shape": "Self"}},
        "Str": {"type": "string"},
    }
    assert recursive_shapes(raw) == {"Node", "Nodes", "Self"}
    assert "AttributeValue" in compiler_for("dynamodb").recursive


def _draws(strategy: st.SearchStrategy[Any], n: int = 15) -> list[Any]:
    seen: list[Any] = []

    @seed(1234)
    @settings(max_examples=n, database=None, deadline=None, phases=[Phase.generate])
    @given(strategy)
    def collect(value: Any) -> None:
        seen.append(value)

    collect()
    return seen


def test_same_seed_same_values() -> None:
    first = _draws(requests("sagemaker", "CreateModel"))
    second = _draws(requests("sagemaker", "CreateModel"))
    assert first == second
    assert len({json.dumps(v, sort_keys=True, default=str) for v in first}) > 1


def test_calling_is_cheap_and_unknown_names_fail_at_call_time() -> None:
    key_part = ("sqs", "ListQueues", "request")
    for key in [k for k in strategies_module._OPERATIONS if k[1:4] == key_part]:
        del strategies_module._OPERATIONS[key]  # other tests may have drawn it already
    strategy = requests("sqs", "ListQueues")
    assert not any(k[1:4] == key_part for k in strategies_module._OPERATIONS)
    _draws(strategy, 1)
    assert any(k[1:4] == key_part for k in strategies_module._OPERATIONS)
    with pytest.raises(UnknownNameError, match="CreateModel"):
        requests("sagemaker", "CreateModle")
    with pytest.raises(UnknownNameError, match="sagemaker"):
        responses("sagemakr", "CreateModel")


def test_pattern_contradicting_lengths_falls_back_to_lengths_and_is_counted() -> None:
    plan = string_plan("^[a-z]{1,3}$", 10, 12, "json")
    assert plan.conflict
    value = find(plan.strategy, lambda s: True, settings=settings(database=None))
    assert 10 <= len(value) <= 12


def test_lengths_steer_unbounded_repeats_instead_of_filtering() -> None:
    plan = string_plan("^arn:aws:iam::\\d{12}:role/[a-zA-Z_0-9+=,.@\\-_/]+$", 60, 64, "json")
    assert not plan.conflict and plan.pattern_status == "exact"
    values = _draws(plan.strategy, 20)
    arn = re.compile(r"arn:aws:iam::[0-9]{12}:role/[\w+=,.@\-/]+")
    assert all(60 <= len(v) <= 64 and arn.fullmatch(v) for v in values)


def test_header_values_survive_http() -> None:
    op = compiler_for("s3").model.operation_model("PutObject")
    headers = [n for n, m in op.input_shape.members.items() if m.serialization.get("location") == "header"]

    @FAST
    @given(requests("s3", "PutObject"))
    def check(params: dict[str, Any]) -> None:
        for name in headers:
            value = params.get(name)
            if isinstance(value, str):
                assert value == value.strip() and all(" " <= c <= "~" for c in value), (name, value)
        for key, value in params.get("Metadata", {}).items():
            assert key == key.lower() and value == value.strip()

    check()


def test_overrides_by_shape_name_and_by_member_path() -> None:
    register_strategy("sagemaker", "ModelName", st.just("my-model"))
    register_strategy("sagemaker", "CreateModel.PrimaryContainer.Image", st.just("image:latest"))
    register_strategy("sagemaker", "CreateModel.Containers.Image", st.just("other:1"))

    @FAST
    @given(requests("sagemaker", "CreateModel"))
    def check(params: dict[str, Any]) -> None:
        assert params["ModelName"] == "my-model"
        assert params.get("PrimaryContainer", {}).get("Image", "image:latest") == "image:latest"
        assert all(c.get("Image", "other:1") == "other:1" for c in params.get("Containers", []))

    check()
    images = [
        p["PrimaryContainer"].get("Image")
        for p in _draws(requests("sagemaker", "CreateModel"), 30)
        if "PrimaryContainer" in p
    ]
    assert "image:latest" in images
    clear_overrides()
    assert _draws(requests("sagemaker", "CreateModel"), 10)[-1]["ModelName"] != "my-model"


def test_override_names_are_checked() -> None:
    with pytest.raises(UnknownNameError, match="ModelName"):
        register_strategy("sagemaker", "ModelNam", st.just("x"))
    with pytest.raises(UnknownNameError, match="ExecutionRoleArn"):
        register_strategy("sagemaker", "CreateModel.ExecutionRoleArm", st.just("x"))
    with pytest.raises(BotocontractError, match="not a strategy"):
        register_strategy("sagemaker", "ModelName", "my-model")  # type: ignore[arg-type]


def test_stats_counts_patterns_recursion_and_operations() -> None:
    result = stats(services=["dynamodb", "sagemaker"])
    assert result.services == 2
    expected_ops = sum(len(compiler_for(s).model.operation_names) for s in ("dynamodb", "sagemaker"))
    assert result.operations == expected_ops and not result.failures
    assert result.recursive_shapes >= 1
    assert sum(result.patterns.values()) == result.string_shapes_with_pattern > 100
    output = CliRunner().invoke(main, ["generators", "stats", "--service", "dynamodb", "--json"])
    assert output.exit_code == 0, output.output
    assert json.loads(output.output)["services"] == 1


def test_response_event_streams_are_lists_of_one_key_events_and_requests_leave_them_out() -> None:
    op = compiler_for("sagemaker-runtime").model.operation_model("InvokeEndpointWithResponseStream")
    events = set(op.output_shape.members["Body"].members)
    values = _draws(responses("sagemaker-runtime", "InvokeEndpointWithResponseStream"), 20)
    streams = [v["Body"] for v in values]
    assert any(streams)
    for stream in streams:
        assert isinstance(stream, list)
        assert all(len(event) == 1 and set(event) <= events for event in stream)
    assert all(validate("sagemaker-runtime", op.name, "output", v) == [] for v in values)
    assert all(
        "body" not in p for p in _draws(requests("bedrock-runtime", "InvokeModelWithBidirectionalStream"), 5)
    )


def _string_shapes(service: str) -> list[tuple[str, int, int | None]]:
    """Every distinct (pattern, min, max) of the service's string shapes."""
    found = set()
    for body in compiler_for(service).model._service_description["shapes"].values():
        if body.get("type") == "string" and "pattern" in body and "enum" not in body:
            found.add((body["pattern"], int(body.get("min", 0)), body.get("max")))
    return sorted(found, key=repr)


@pytest.mark.parametrize("service", ["sagemaker", "iam", "s3"])
def test_every_pattern_of_a_service_is_matched_within_its_lengths(service: str) -> None:
    from botocontract.specs.patterns import compile_pattern

    kind = compiler_for(service).kind
    checks = []
    for pattern, low, high in _string_shapes(service):
        plan = string_plan(pattern, low, high, kind)
        regex = compile_pattern(pattern)
        if plan.pattern_status != "exact" or plan.conflict or plan.lookarounds or regex is None:
            continue
        checks.append((pattern, low, high, regex, plan.strategy))
    assert checks
    for start in range(0, len(checks), 40):
        _check_chunk(checks[start : start + 40])


def _check_chunk(chunk: list[tuple[str, int, int | None, re.Pattern[str], st.SearchStrategy[str]]]) -> None:
    @settings(FAST, max_examples=8)
    @given(st.tuples(*(c[4] for c in chunk)))
    def check(values: tuple[str, ...]) -> None:
        for (pattern, low, high, regex, _), value in zip(chunk, values, strict=True):
            assert regex.search(value), (pattern, value)
            assert low <= len(value) <= (high if high is not None else len(value)), (pattern, value)

    check()


@pytest.mark.parametrize(
    ("pattern", "low", "high"),
    [
        ("^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}", 1, 63),  # repeated groups: one run, ends repaired
        ("^[a-zA-Z0-9]([\\-a-zA-Z0-9]*[a-zA-Z0-9])?$", 1, 63),  # optional tail
        ("^[a-zA-Z0-9]([a-zA-Z0-9-]){0,62}(?<!-)$", 1, 63),  # a lookbehind folded into the run's end
        ("^[a-z0-9](-*[a-z0-9])*$", 3, 20),  # unbounded, steered by the lengths
        ("^[a-zA-Z0-9]([a-zA-Z0-9\\-]{0,61}[a-zA-Z0-9])?$", 1, 63),  # a host name label
        ("^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,256}$", 33, 256),  # a bounded run raised to the minimum
    ],
)
def test_repeated_groups_fold_into_runs_that_match(pattern: str, low: int, high: int) -> None:
    from botocontract.specs.patterns import compile_pattern

    plan = string_plan(pattern, low, high, "json")
    regex = compile_pattern(pattern)
    assert regex is not None and not plan.lookarounds and not plan.conflict
    assert "filter" not in repr(plan.strategy)
    values = _draws(plan.strategy, 60)
    assert all(regex.search(v) and low <= len(v) <= high for v in values), values
    # The middle keeps its own characters.
    dashed = find(plan.strategy, lambda v: "-" in v, settings=settings(database=None, max_examples=500))
    assert regex.search(dashed) and low <= len(dashed) <= high


def test_unbounded_runs_share_the_length_limit_instead_of_a_filter() -> None:
    plan = string_plan("(https|s3)://([^/]+)/?(.*)", 0, 40, "json")
    assert "filter" not in repr(plan.strategy)
    values = _draws(plan.strategy, 40)
    assert all(re.fullmatch(r"(https|s3)://[^/]+/?.*", v, re.DOTALL) and len(v) <= 40 for v in values)


def test_lookarounds_before_an_anchor_are_still_checked() -> None:
    assert string_plan("(?!^[.-])^([a-zA-Z0-9-_.]+)", 1, 128, "json").lookarounds


def test_optional_members_come_and_go() -> None:
    values = _draws(requests("sagemaker", "CreateModel"), 40)
    present = [("ExecutionRoleArn" in v, "Tags" in v) for v in values]
    assert {p[0] for p in present} == {True, False} and {p[1] for p in present} == {True, False}


def test_long_minimums_add_whole_repetitions_of_fixed_width_groups() -> None:
    # Base64 of at least 256 characters: a filter on a few 4-character groups would never pass.
    pattern = "^(?:[A-Za-z0-9+\\/]{4})*(?:[A-Za-z0-9+\\/]{2}==|[A-Za-z0-9+\\/]{3}=)?$"
    plan = string_plan(pattern, 256, 4096, "json")
    values = _draws(plan.strategy, 10)
    assert all(re.fullmatch(pattern.strip("^$"), v) and 256 <= len(v) <= 4096 for v in values)


def test_members_no_value_can_satisfy_are_never_generated() -> None:
    seen: list[dict] = []

    @FAST
    @given(requests("ec2", "CreateCapacityReservation"))
    def run(params: dict) -> None:
        seen.append(params)
        assert "PlacementGroupArn" not in params
        assert not validate("ec2", "CreateCapacityReservation", "input", params)

    run()
    assert seen
    assert compiler_for("ec2").counts["lint_unsatisfiable_skipped"] >= 1


def test_an_operation_with_no_valid_response_says_why() -> None:
    from botocontract.generators.strategies import ModelDefectError, model_defect

    assert "ServiceId PatternLongerThanMax" in (
        model_defect("apprunner", "DescribeService", "response") or ""
    )
    assert model_defect("apprunner", "DescribeService", "request") is None
    with pytest.raises(ModelDefectError, match="ServiceId PatternLongerThanMax"):
        compiler_for("apprunner").operation("DescribeService", "response")


ORACLE = [
    ("sagemaker", "DescribeModel"),  # json
    ("dynamodb", "GetItem"),  # recursive AttributeValue, blobs
    ("lambda", "GetFunction"),  # rest-json
    ("sqs", "ReceiveMessage"),  # json with query compatibility
    ("ec2", "DescribeVpcs"),  # ec2
    ("route53", "ListHostedZones"),  # rest-xml
]


def _json_document(value: Any) -> Any:
    """A boto3 value in the JSON form the exported schema describes (ISO 8601 times, base64 blobs)."""
    import base64

    if isinstance(value, dict):
        return {k: _json_document(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_document(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    return value


@pytest.mark.parametrize(("service", "operation"), ORACLE, ids=[f"{s}.{o}" for s, o in ORACLE])
def test_responses_pass_independent_oracles(service: str, operation: str) -> None:
    """Judged by others than the generator's own validator: ``jsonschema`` on the exported JSON Schema,
    and botocore's own parser reading the response back from the wire."""
    from jsonschema import Draft202012Validator

    from botocontract.generators.client import roundtrip
    from botocontract.specs.schema import to_json_schema

    schema = Draft202012Validator(to_json_schema(service, operation, "output"))
    seen = [0]

    @FAST
    @given(responses(service, operation))
    def run(value: dict) -> None:
        seen[0] += 1
        problems = [f"{e.json_path}: {e.message}" for e in schema.iter_errors(_json_document(value))]
        assert not problems, problems[:3]
        _, differences = roundtrip(service, operation, value)
        assert not [d for d in differences if d.stage == "wire"], differences[:3]

    run()
    assert seen[0] == 25
