"""Endpoint fuzzing against a real moto server on loopback: it must find moto's known non-conformances."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("moto.server")

from click.testing import CliRunner

from botocontract.cli import main
from botocontract.fuzz.endpoint import fuzz_endpoint
from botocontract.fuzz.moto_server import MotoServer

pytestmark = pytest.mark.moto

SAGEMAKER = [
    "CreateModel",
    "DescribeModel",
    "DeleteModel",
    "ListModels",
    "CreateEndpointConfig",
    "DescribeEndpointConfig",
    "DeleteEndpointConfig",
    "CreateTrainingJob",
    "DescribeTrainingJob",
]
DYNAMODB = ["CreateTable", "DescribeTable", "DeleteTable", "PutItem", "GetItem", "DeleteItem", "ListTables"]


def test_sagemaker_describe_model_vpc_config_is_found_with_a_runnable_reproduction() -> None:
    report = fuzz_endpoint(
        "sagemaker", moto=True, operations=SAGEMAKER, max_examples=6, time_budget=20, seed=1
    )
    assert set(report.operations) == set(SAGEMAKER)
    assert report.operations["DescribeModel"].exercised > 0
    found = [
        f
        for f in report.failures
        if f.operation == "DescribeModel" and f.check == "response_schema_conformance"
    ]
    assert found, [(f.operation, f.check, f.message) for f in report.failures]
    failure = found[0]
    assert "VpcConfig" in failure.message and "SecurityGroupIds" in failure.message
    assert failure.steps[-1] == "CreateModel"  # the sequence that made the model exist
    assert failure.seed == 1
    snippet = failure.reproduction
    assert f"endpoint_url={report.endpoint_url!r}" in snippet
    assert "client.create_model(**" in snippet and "response = client.describe_model(**" in snippet

    # The reproduction runs on its own against a fresh moto server and shows the bad response.
    with MotoServer() as server:
        namespace: dict[str, object] = {"print": lambda *_: None}
        exec(compile(snippet.replace(report.endpoint_url, server.url), "<reproduction>", "exec"), namespace)
    response = namespace["response"]
    assert isinstance(response, dict) and response["VpcConfig"] == {}


def test_dynamodb_tables_and_items_with_a_report(tmp_path: Path) -> None:
    out = tmp_path / "dynamodb.xml"
    result = CliRunner().invoke(
        main,
        [
            "fuzz",
            "endpoint",
            "dynamodb",
            "--moto",
            "--operations",
            ",".join(DYNAMODB),
            "--max-examples",
            "6",
            "--time-budget",
            "20",
            "--report",
            "junit",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 1, result.output
    # moto answers requests missing a required member (TableName, KeySchema) with a 500 (KeyError).
    assert "[not_a_server_error]" in result.output and "KeyError" in result.output
    assert "response = client." in result.output
    assert "boto3.client('dynamodb'" in result.output
    assert out.read_text().count("<failure") >= 1


def test_endpoint_url_mode_uses_the_given_server_and_resets_it(tmp_path: Path) -> None:
    with MotoServer() as server:
        report = fuzz_endpoint(
            "sqs",
            endpoint_url=server.url,
            operations=["CreateQueue", "ListQueues", "DeleteQueue", "GetQueueAttributes"],
            max_examples=4,
            time_budget=10,
            checks=["not_a_server_error", "declared_errors_only"],
        )
        assert report.endpoint_url == server.url
        assert report.checks == ["not_a_server_error", "declared_errors_only"]
        # SQS is awsQueryCompatible: its legacy codes (AWS.SimpleQueueService.NonExistentQueue) are
        # judged by the modelled name they stand for (QueueDoesNotExist), not flagged as undeclared.
        assert not [f for f in report.failures if "AWS.SimpleQueueService" in f.message]
        assert report.operations["GetQueueAttributes"].exercised > 0
        assert report.operations["CreateQueue"].exercised > 0
        out = tmp_path / "sqs.json"
        from botocontract.fuzz.report import write_report

        data = json.loads(write_report(report, "json", out).read_text())
        assert data["summary"]["calls"] == sum(o["exercised"] for o in data["operations"])


def test_not_implemented_is_the_same_through_a_url_as_with_moto() -> None:
    """Through a URL there is no server log: moto's bare HTML 500 is read against moto's dispatch table."""
    ops = ["ListTables", "DescribeContributorInsights", "DescribeKinesisStreamingDestination"]
    kwargs = dict(operations=ops, max_examples=2, time_budget=20, stateful=False, negative=False, seed=1)
    with_moto = fuzz_endpoint("dynamodb", moto=True, **kwargs)  # type: ignore[arg-type]
    with MotoServer() as server:
        by_url = fuzz_endpoint("dynamodb", endpoint_url=server.url, **kwargs)  # type: ignore[arg-type]
    statuses = {op: r.status for op, r in by_url.operations.items()}
    assert statuses == {op: r.status for op, r in with_moto.operations.items()}
    assert statuses["DescribeContributorInsights"] == "not implemented"
    assert statuses["ListTables"] == "passed"
    assert not by_url.failures


def test_an_unreachable_endpoint_is_one_error_line() -> None:
    with MotoServer() as server:
        url = server.url  # a port that was just free, and is closed again below
    result = CliRunner().invoke(main, ["fuzz", "endpoint", "dynamodb", "--endpoint-url", url])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"botocontract: error: cannot connect to {url}")


def test_a_seed_bounds_the_run_by_examples_and_repeats_its_failures() -> None:
    """No time budget: every phase runs all its examples, so two runs agree call for call."""

    def run() -> tuple[list[tuple[str, str, str]], dict[str, int]]:
        report = fuzz_endpoint(
            "sagemaker", moto=True, operations=SAGEMAKER[:3], max_examples=4, time_budget=None, seed=5
        )
        assert report.time_budget is None
        failures = sorted((f.operation, f.check, f.message) for f in report.failures)
        return failures, {op: r.exercised for op, r in report.operations.items()}

    first, second = run(), run()
    assert first == second
    assert first[0]  # moto's DescribeModel answer breaks the model (VpcConfig: {})
