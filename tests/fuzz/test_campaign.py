"""Campaigns as pytest sessions: one test per operation, shards that add up, xdist, one merged report."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from botocontract.cli import main
from botocontract.fuzz import campaign_tests
from botocontract.fuzz.campaign import Shard
from botocontract.generators.client import fuzz_operation
from botocontract.specs import load_service

SERVICES = ["sso", "sagemaker-metrics"]


def _campaign(tmp_path: Path, name: str, *extra: str) -> tuple[subprocess.CompletedProcess[str], dict]:
    report = tmp_path / f"{name}.json"
    command = [sys.executable, "-m", "pytest", "-p", "botocontract.fuzz.campaign", campaign_tests.__file__]
    command += ["-q", "-p", "no:cacheprovider", "--campaign", "client", "--campaign-examples", "2"]
    command += [f"--campaign-services={','.join(SERVICES)}", "--campaign-report", str(report), *extra]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    run = subprocess.run(command, capture_output=True, text=True, timeout=300, env=env, cwd=tmp_path)
    assert report.exists(), run.stdout + run.stderr
    return run, json.loads(report.read_text())


def test_shards_add_up_to_the_whole_campaign_and_merge_into_one_report(tmp_path: Path) -> None:
    expected = sorted((s, op) for s in SERVICES for op in load_service(s).model.operation_names)
    first, one = _campaign(tmp_path, "one", "--shard", "1/2")
    second, two = _campaign(tmp_path, "two", "--shard", "2/2")
    assert first.returncode == 0 and second.returncode == 0, first.stdout + second.stdout
    assert "deselected" in first.stdout and one["shard"] == "1/2"
    ran = [(r["service"], r["operation"]) for r in one["results"] + two["results"]]
    assert sorted(ran) == expected and len(set(ran)) == len(expected)  # disjoint, nothing lost
    assert one["summary"]["operations"] == len(one["results"]) >= len(expected) // 2

    merged_path = tmp_path / "merged.json"
    result = CliRunner().invoke(
        main,
        [
            "fuzz",
            "merge-reports",
            str(tmp_path / "two.json"),
            str(tmp_path / "one.json"),
            "-o",
            str(merged_path),
        ],
    )
    assert result.exit_code == 0, result.output
    merged = json.loads(merged_path.read_text())
    assert [(r["service"], r["operation"]) for r in merged["results"]] == expected
    assert (
        merged["summary"]["operations"]
        == len(expected)
        == sum(v for k, v in merged["summary"].items() if k != "operations")
    )
    # each test is the same fuzz a direct call makes
    service, operation = expected[0]
    direct = fuzz_operation(service, operation, examples=2, seed=0)
    assert merged["results"][0]["status"] == direct.status and merged["results"][0]["replay"] == direct.replay


def test_shard_and_merge_errors_are_one_line(tmp_path: Path) -> None:
    assert [Shard(2, 3).keeps(n) for n in range(6)] == [False, True, False, False, True, False]
    with pytest.raises(pytest.UsageError, match="1 <= I <= N"):
        Shard.parse("4/3")
    bogus = tmp_path / "bogus.json"
    bogus.write_text("{}")
    result = CliRunner().invoke(main, ["fuzz", "merge-reports", str(bogus)])
    assert result.exit_code == 2 and result.output.startswith("botocontract: error: ")
    assert len(result.output.strip().splitlines()) == 1
    result = CliRunner().invoke(main, ["fuzz", "campaign", "endpoint", "sqs"])
    assert result.exit_code == 2 and "--moto or --endpoint-url" in result.output


@pytest.mark.moto
def test_endpoint_campaign_on_moto_fails_the_deviating_operation(tmp_path: Path) -> None:
    pytest.importorskip("moto.server")
    report = tmp_path / "endpoint.json"
    command = [sys.executable, "-m", "botocontract.cli", "fuzz", "campaign", "endpoint", "sagemaker"]
    command += ["--moto"]
    command += ["--operations", "DescribeModel,CreateAlgorithm", "--examples", "3", "--time-budget", "6"]
    command += ["--report", str(report), "--pytest-arg=-q"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    run = subprocess.run(command, capture_output=True, text=True, timeout=300, env=env, cwd=tmp_path)
    assert run.returncode == 1, run.stdout + run.stderr
    results = {r["operation"]: r for r in json.loads(report.read_text())["results"]}
    assert results["CreateAlgorithm"]["status"] == "not implemented"  # moto lacks it: not a failure
    assert results["DescribeModel"]["status"] == "failed"
    assert "VpcConfig.SecurityGroupIds" in results["DescribeModel"]["reason"]
    assert "127.0.0.1:5000" in results["DescribeModel"]["replay"]  # a fixed port: reports compare equal


@pytest.mark.slow
def test_xdist_spreads_a_campaign_and_the_report_is_the_same(tmp_path: Path) -> None:
    pytest.importorskip("xdist")
    plain_run, plain = _campaign(tmp_path, "plain")
    spread_run, spread = _campaign(tmp_path, "spread", "-n", "2")
    assert plain_run.returncode == spread_run.returncode == 0, spread_run.stdout + spread_run.stderr
    assert "bringing up nodes" in spread_run.stdout  # really two worker processes
    assert spread == plain  # merged on the controller: byte-for-byte the same report
