"""``fuzz endpoint --contract``: only what the application uses is fuzzed and judged; a parity matrix."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from botocontract.cli import main
from botocontract.fuzz.scope import Scope, path_segments, prune
from botocontract.generators import strategies
from botocontract.specs import load_service

SAGEMAKER = load_service("sagemaker").model


def _scope(**uses: tuple[list[str], list[str]]) -> Scope:
    def paths(names: list[str]) -> list[tuple[str, ...]]:
        return [tuple(p.split(".")) for p in names]

    return Scope.from_paths(
        "sagemaker", {op: (paths(req), paths(resp), False) for op, (req, resp) in uses.items()}
    )


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(st.data())
def test_scoped_requests_carry_only_sent_and_required_members(data: st.DataObject) -> None:
    scope = _scope(CreateModel=(["ModelName", "PrimaryContainer.Image", "Tags"], []))
    request = data.draw(
        scope.requests(SAGEMAKER, "CreateModel", strategies.requests("sagemaker", "CreateModel"))
    )
    assert set(request) <= {"ModelName", "PrimaryContainer", "Tags"}
    assert "ModelName" in request  # required, always sent
    if "PrimaryContainer" in request:
        assert set(request["PrimaryContainer"]) <= {"Image"}


def test_prune_keeps_whole_values_under_a_used_path_and_drops_the_rest() -> None:
    shape = SAGEMAKER.operation_model("CreateModel").input_shape
    params = {
        "ModelName": "m",
        "ExecutionRoleArn": "arn:aws:iam::123456789012:role/x",
        "Containers": [{"Image": "i", "Environment": {"K": "V"}, "Mode": "SingleModel"}],
        "VpcConfig": {"SecurityGroupIds": ["sg-1"], "Subnets": ["s-1"]},
    }
    used = frozenset({("Containers", "Environment"), ("VpcConfig",)})
    assert prune(shape, params, used) == {
        "ModelName": "m",
        "Containers": [{"Environment": {"K": "V"}}],
        "VpcConfig": {"SecurityGroupIds": ["sg-1"], "Subnets": ["s-1"]},
    }
    assert prune(shape, params, frozenset({("*",)})) == params
    assert prune(shape, params, frozenset({("Containers", "*")}))["Containers"] == params["Containers"]


def test_responses_are_judged_on_read_members_and_their_ancestors() -> None:
    reads = _scope(DescribeModel=([], ["ModelArn", "VpcConfig.Subnets"])).reads("DescribeModel")
    assert path_segments("$.Containers[0].Environment['k']") == ("Containers", "Environment")
    assert reads("$.VpcConfig.Subnets") and reads("$.VpcConfig") and reads("$.VpcConfig.Subnets[0]")
    assert not reads("$.VpcConfig.SecurityGroupIds") and not reads("$.ExecutionRoleArn")


def test_creates_a_used_operation_needs_are_added_as_setup() -> None:
    scope = _scope(DescribeModel=(["ModelName"], [])).with_creates(SAGEMAKER)
    assert scope.operations["CreateModel"].setup and not scope.operations["DescribeModel"].setup
    assert not scope.breakable(SAGEMAKER, "CreateModel")  # setup: its rejections are not the app's concern
    assert scope.breakable(SAGEMAKER, "DescribeModel")


def test_a_contract_without_the_service_is_one_error_line(tmp_path: Path) -> None:
    contract = tmp_path / "contract.yaml"
    contract.write_text("version: 1\nservices:\n  sqs:\n    operations:\n      SendMessage: {}\n")
    result = CliRunner().invoke(
        main, ["fuzz", "endpoint", "sagemaker", "--moto", "--contract", str(contract)]
    )
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert lines[0].startswith("botocontract: error: contract ") and "sqs" in lines[0], result.output
    assert "Traceback" not in result.output


CONTRACT = """version: 1
services:
  sagemaker:
    operations:
      DescribeModel:
        request: [ModelName]
        response: [{reads}]
      ListModels:
        response: ["Models[].ModelName"]
"""


@pytest.mark.moto
def test_parity_depends_on_what_the_application_reads(tmp_path: Path) -> None:
    pytest.importorskip("moto.server")
    verdicts = {}
    for reads in ("ModelArn", "VpcConfig.Subnets"):
        contract = tmp_path / f"{reads}.yaml"
        contract.write_text(CONTRACT.format(reads=reads))
        out = tmp_path / f"{reads}.json"
        args = ["fuzz", "endpoint", "sagemaker", "--moto", "--contract", str(contract), "--seed", "1"]
        args += ["--max-examples", "3", "--time-budget", "8", "--report", f"json={out}"]
        result = CliRunner().invoke(main, args)
        assert result.exit_code in (0, 1), result.output
        assert "parity of sagemaker" in result.output
        parity = json.loads(out.read_text())["parity"]
        rows = {r["operation"]: r for r in parity["operations"]}
        assert set(rows) == {"CreateModel", "DescribeModel", "ListModels"}  # the create comes as setup
        assert rows["CreateModel"]["role"] == "setup" and rows["DescribeModel"]["role"] == "app"
        assert rows["DescribeModel"]["implemented"] is True and rows["DescribeModel"]["calls"] > 0
        verdicts[reads] = (rows["DescribeModel"], parity["good_enough"], result.output)
    # moto's DescribeModel answers VpcConfig: {} - a problem only for an application that reads it
    arn_row, arn_ok, _ = verdicts["ModelArn"]
    assert arn_row["conforms"] is True and arn_ok is True, verdicts["ModelArn"][2]
    vpc_row, vpc_ok, output = verdicts["VpcConfig.Subnets"]
    assert vpc_row["failed_checks"] == ["response_schema_conformance"] and vpc_ok is False, output
    assert "VpcConfig.Subnets: required member 'Subnets' is missing" in output
    assert "not good enough: of 2 operations the application uses, 1 deviates" in output
