"""Endpoint fuzzing without a server: safety, isolation, inference, checks and reports."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree
from collections import Counter
from pathlib import Path

import botocore.session
import pytest
from click.testing import CliRunner
from rich.console import Console

from botocontract.cli import main
from botocontract.errors import BotocontractError, UnknownNameError
from botocontract.fuzz.checks import CHECKS, Call, declared_error_codes, select_checks
from botocontract.fuzz.endpoint import (
    RealAwsError,
    _looks_not_implemented,
    check_endpoint,
    fuzz_endpoint,
)
from botocontract.fuzz.report import (
    EndpointReport,
    Failure,
    OperationResult,
    print_report,
    render,
    reproduction,
    write_report,
)
from botocontract.fuzz.stateful import infer_families, split_verb


def _model(service: str) -> botocore.model.ServiceModel:
    return botocore.session.get_session().get_service_model(service)


def _call(service: str, operation: str, **fields: object) -> Call:
    return Call(service, operation, {}, _model(service).operation_model(operation), **fields)  # type: ignore[arg-type]


# -- safety -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://api.sagemaker.us-east-1.amazonaws.com",
        "https://dynamodb.cn-north-1.amazonaws.com.cn",
        "https://sqs.us-east-1.api.aws",
        "https://SQS.US-EAST-1.AMAZONAWS.COM.",
        None,
    ],
)
def test_real_aws_is_refused_without_opt_in(url: str | None) -> None:
    with pytest.raises(RealAwsError):
        check_endpoint(url)
    check_endpoint(url, allow_real_aws=True)


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:4566", "http://localstack:4566", "http://amazonaws.com.example.org"]
)
def test_emulator_urls_are_accepted(url: str) -> None:
    check_endpoint(url)


def test_moto_and_url_together_is_a_usage_error() -> None:
    with pytest.raises(BotocontractError, match="both given"):
        check_endpoint("http://127.0.0.1:1", moto=True)


def test_cli_refuses_real_aws_in_one_line_with_exit_2() -> None:
    result = CliRunner().invoke(
        main, ["fuzz", "endpoint", "sqs", "--endpoint-url", "https://sqs.us-east-1.amazonaws.com"]
    )
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0
    assert "real AWS" in result.output and "--i-know-this-calls-real-aws" in result.output


def test_cli_without_endpoint_refuses() -> None:
    result = CliRunner().invoke(main, ["fuzz", "endpoint", "sqs"])
    assert result.exit_code == 2
    assert "no endpoint given" in result.output


def test_unknown_operation_and_check_names_suggest() -> None:
    with pytest.raises(UnknownNameError, match="DescribeModel"):
        fuzz_endpoint("sagemaker", endpoint_url="http://127.0.0.1:9", operations=["DescribeModle"])
    with pytest.raises(UnknownNameError, match="not_a_server_error"):
        select_checks(["not_a_server_eror"])


# -- isolation ----------------------------------------------------------------------------------------


# -- inference ----------------------------------------------------------------------------------------


def test_split_verb() -> None:
    assert split_verb("CreateModel") == ("Create", "Model")
    assert split_verb("DescribeEndpointConfig") == ("Describe", "EndpointConfig")
    assert split_verb("StopTrainingJob") == ("", "StopTrainingJob")


def test_families_come_from_names_and_identifiers() -> None:
    sagemaker = {f.noun: f for f in infer_families(_model("sagemaker"))}
    assert sagemaker["Model"].identifiers == ("ModelName",)
    assert sagemaker["Model"].deletes == ("DeleteModel",)
    assert sagemaker["Model"].probes == ("DescribeModel",)
    assert sagemaker["EndpointConfig"].identifiers == ("EndpointConfigName",)
    dynamodb = {f.noun: f for f in infer_families(_model("dynamodb"))}
    assert dynamodb["Table"].identifiers == ("TableName",)
    assert "Item" not in dynamodb  # TableName belongs to Table; PutItem only uses the table
    sqs = {f.noun: f for f in infer_families(_model("sqs"))}
    assert sqs["Queue"].from_output == frozenset({"QueueUrl"})


def test_families_are_limited_to_the_selection() -> None:
    families = infer_families(_model("sagemaker"), ["CreateModel", "DescribeModel"])
    assert [f.noun for f in families] == ["Model"]
    assert families[0].deletes == ()


# -- checks -------------------------------------------------------------------------------------------


def test_default_checks_leave_out_the_opt_in_one() -> None:
    names = [c.name for c in select_checks()]
    assert "positive_data_acceptance" not in names
    assert {
        "not_a_server_error",
        "response_schema_conformance",
        "declared_errors_only",
        "negative_data_rejection",
        "use_after_delete",
    } <= set(names)
    assert [c.name for c in select_checks(None, ["use_after_delete"])] == [
        n for n in names if n != "use_after_delete"
    ]


def test_not_a_server_error() -> None:
    check = CHECKS.get("not_a_server_error")
    assert check(_call("sqs", "ListQueues", status=200)) is None
    assert "HTTP 502" in (check(_call("sqs", "ListQueues", status=502)) or "")
    assert "no answer" in (check(_call("sqs", "ListQueues", transport_error="ConnectionClosedError")) or "")
    assert check(_call("sqs", "ListQueues", status=500, not_implemented=True)) is None


def test_declared_errors_only_knows_wire_codes() -> None:
    check = CHECKS.get("declared_errors_only")
    op = _model("iam").operation_model("GetRole")
    assert {"NoSuchEntityException", "NoSuchEntity"} <= declared_error_codes(op)
    assert check(_call("iam", "GetRole", status=404, error_code="NoSuchEntity")) is None
    assert check(_call("iam", "GetRole", status=400, error_code="Throttling")) is None
    message = check(_call("iam", "GetRole", status=400, error_code="NoSuchThing"))
    assert message and "NoSuchThing" in message


def test_response_schema_conformance_sees_what_the_parser_forgives() -> None:
    check = CHECKS.get("response_schema_conformance")
    ok = _call(
        "sqs", "CreateQueue", status=200, body=b'{"QueueUrl": "http://q"}', parsed={"QueueUrl": "http://q"}
    )
    assert check(ok) is None
    garbage = _call("sqs", "CreateQueue", status=200, body=b"not json at all", parsed={})
    assert "not JSON" in (check(garbage) or "")
    vpc = _call(
        "sagemaker",
        "DescribeModel",
        status=200,
        body=b"{}",
        parsed={
            "ModelName": "m",
            "ModelArn": "arn:aws:sagemaker:us-east-1:123456789012:model/m",
            "CreationTime": __import__("datetime").datetime(2020, 1, 1),
            "VpcConfig": {},
        },
    )
    assert "SecurityGroupIds" in (check(vpc) or "")


def test_an_answer_botocore_cannot_parse_is_a_schema_failure() -> None:
    check = CHECKS.get("response_schema_conformance")
    broken = _call("sqs", "CreateQueue", status=200, parse_error="ValueError: Invalid timestamp 'soon'")
    assert "cannot parse" in (check(broken) or "")


def test_negative_and_use_after_delete() -> None:
    negative = CHECKS.get("negative_data_rejection")
    assert negative(_call("sqs", "CreateQueue", kind="negative", status=400)) is None
    accepted = _call("sqs", "CreateQueue", kind="negative", status=200, rule="required", path="QueueName")
    assert "expected 4xx" in (negative(accepted) or "")
    assert negative(_call("sqs", "CreateQueue", kind="positive", status=200)) is None
    gone = CHECKS.get("use_after_delete")
    assert gone(_call("sagemaker", "DescribeModel", kind="use_after_delete", status=400)) is None
    assert "after the resource was deleted" in (
        gone(_call("sagemaker", "DescribeModel", kind="use_after_delete", status=200)) or ""
    )


def test_positive_data_acceptance_flags_validation_errors_only() -> None:
    check = CHECKS.get("positive_data_acceptance")
    assert check(_call("sqs", "CreateQueue", status=400, error_code="ValidationException")) is not None
    assert check(_call("sqs", "CreateQueue", status=400, error_code="QueueDeletedRecently")) is None


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"status": 501}, True),
        ({"status": 404, "body": b"<html>Not Found</html>"}, True),
        ({"status": 404, "error_code": "ResourceNotFoundException"}, False),
        ({"status": 400, "error_code": "InternalFailure", "error_message": "API not yet implemented"}, True),
        ({"status": 400, "error_code": "ValidationException"}, False),
        ({"status": 200}, False),
    ],
)
def test_not_implemented_answers(fields: dict[str, object], expected: bool) -> None:
    assert _looks_not_implemented(_call("sqs", "ListQueues", **fields)) is expected


# -- reports ------------------------------------------------------------------------------------------


def _report() -> EndpointReport:
    snippet = reproduction(
        "sagemaker",
        "http://127.0.0.1:5000",
        [("CreateModel", {"ModelName": "m<x>"}), ("DescribeModel", {"ModelName": "m<x>"})],
        seed=7,
        moto=True,
    )
    report = EndpointReport(
        "sagemaker",
        "http://127.0.0.1:5000",
        True,
        7,
        ["response_schema_conformance"],
        "botocore 1.43.11",
        5,
        10.0,
    )
    report.operations = {
        "CreateModel": OperationResult("CreateModel", 3, 3),
        "DescribeModel": OperationResult("DescribeModel", 3, 2, Counter({"response_schema_conformance": 1})),
        "ListActions": OperationResult("ListActions", 1, 0, Counter(), 1),
    }
    report.failures = [
        Failure(
            "DescribeModel",
            "response_schema_conformance",
            "$.VpcConfig: <missing>",
            "positive",
            {"ModelName": "m<x>"},
            200,
            None,
            7,
            snippet,
            steps=["CreateModel"],
        )
    ]
    return report


def test_reproduction_is_runnable_python() -> None:
    snippet = _report().failures[0].reproduction
    compile(snippet, "<reproduction>", "exec")
    assert "endpoint_url='http://127.0.0.1:5000'" in snippet
    assert "client.create_model(**{'ModelName': 'm<x>'})" in snippet
    assert "response = client.describe_model(**{'ModelName': 'm<x>'})" in snippet
    assert "--seed 7" in snippet


def test_terminal_report_lists_failures_with_reproductions() -> None:
    console = Console(record=True, width=120)
    print_report(_report(), console)
    text = console.export_text()
    assert "DescribeModel" in text and "response_schema_conformance ×1" in text
    assert "not implemented (1): ListActions" in text
    assert "FAILED sagemaker.DescribeModel [response_schema_conformance]" in text
    assert "response = client.describe_model(**{'ModelName': 'm<x>'})" in text
    assert "seed 7" in text


def test_json_junit_html_markdown(tmp_path: Path) -> None:
    report = _report()
    data = json.loads(render(report, "json"))
    assert data["summary"] == {
        "operations": 3,
        "passed": 1,
        "failed": 1,
        "not_implemented": 1,
        "skipped": 0,
        "not_run": 0,
        "calls": 7,
        "failures": 1,
    }
    assert data["failures"][0]["steps"] == ["CreateModel"]
    suite = ElementTree.fromstring(render(report, "junit"))
    assert suite.get("failures") == "1" and suite.get("skipped") == "1"
    failure = suite.find("testcase[@name='DescribeModel']/failure")
    assert failure is not None and "describe_model" in (failure.text or "")
    html = render(report, "html")
    assert "m&lt;x&gt;" in html and "m<x>" not in html
    markdown = render(report, "markdown")
    assert "| DescribeModel | failed | 3 | 2 | response_schema_conformance (1) |" in markdown
    assert "Not implemented (1): ListActions." in markdown
    out = write_report(report, "junit", tmp_path / "r.xml")
    assert out.read_text().startswith("<?xml") and not list(tmp_path.glob("*.tmp*"))
    with pytest.raises(UnknownNameError):
        render(report, "yaml")
