"""Each invalid request breaks exactly the one constraint it names, where it says."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from botocore.validate import ParamValidator
from hypothesis import HealthCheck, Phase, given, settings

from botocontract.errors import UnknownNameError
from botocontract.generators.invalid import RULES, InvalidRequest, invalid_requests
from botocontract.generators.strategies import compiler_for
from botocontract.specs.validate import validate

FAST = settings(
    max_examples=40,
    database=None,
    deadline=None,
    phases=[Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
# botocore's own validator sees these rules; the others (enum, pattern, max) only the project's does.
BOTOCORE_RULES = {"required", "type", "union"}


@pytest.mark.parametrize(
    ("service", "operation"),
    [
        ("sagemaker", "CreateModel"),
        ("dynamodb", "PutItem"),
        ("lambda", "Invoke"),
        ("cloudwatch", "PutMetricData"),
        ("arc-region-switch", "CreatePlan"),
        ("s3", "PutObject"),
    ],
)
def test_each_invalid_request_breaks_exactly_its_rule(service: str, operation: str) -> None:
    op = compiler_for(service).model.operation_model(operation)
    rules: Counter[str] = Counter()

    @settings(FAST, derandomize=True)  # the count below is a claim about a sample: keep the sample fixed
    @given(invalid_requests(service, operation))
    def check(case: InvalidRequest) -> None:
        rules[case.rule] += 1
        found = validate(service, operation, "input", case.params)
        assert [(v.rule, v.path) for v in found] == [(case.rule, case.path)], (case, found)
        if case.rule in BOTOCORE_RULES:
            assert ParamValidator().validate(case.params, op.input_shape).has_errors(), case

    check()
    assert len(rules) >= 3, rules


def test_rules_can_be_chosen_and_all_of_them_occur() -> None:
    seen: set[str] = set()

    # "every rule came up" is a claim about a sample: fix the sample, or ~1% of random runs miss a rule.
    @settings(FAST, derandomize=True)
    @given(invalid_requests("arc-region-switch", "CreatePlan", rules=["union", "max", "pattern"]))
    def check(case: InvalidRequest) -> None:
        seen.add(case.rule)
        assert case.rule in {"union", "max", "pattern"}

    check()
    assert seen == {"union", "max", "pattern"}
    assert set(RULES) == {"required", "type", "enum", "min", "max", "pattern", "union"}


def test_unknown_rule_and_operation_fail_early() -> None:
    with pytest.raises(UnknownNameError, match="enum"):
        invalid_requests("sagemaker", "CreateModel", rules=["enun"])
    with pytest.raises(UnknownNameError):
        invalid_requests("sagemaker", "CreateModle")


def test_an_operation_without_input_members_has_nothing_to_break() -> None:
    assert invalid_requests("sts", "GetCallerIdentity").is_empty


def test_idempotency_tokens_are_never_reported_missing() -> None:
    # botocore fills a required ClientRequestToken in itself, so leaving it out breaks nothing.
    shape: Any = compiler_for("sagemaker").model.operation_model("DeletePipeline").input_shape
    assert shape.members["ClientRequestToken"].metadata.get("idempotencyToken")
    assert set(shape.required_members) == {"PipelineName", "ClientRequestToken"}
    paths: set[str] = set()

    @FAST
    @given(invalid_requests("sagemaker", "DeletePipeline", rules=["required"]))
    def check(case: InvalidRequest) -> None:
        paths.add(case.path)
        assert "PipelineName" not in case.params

    check()
    assert paths == {"$.PipelineName"}
