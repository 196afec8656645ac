"""``--export-tests``: failures found on a real moto server become pytest tests that fail the same way."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("moto.server")

from click.testing import CliRunner

from botocontract.cli import main
from botocontract.fuzz.regressions import render_tests

pytestmark = pytest.mark.moto


def test_exported_tests_fail_for_the_same_check_on_a_fresh_moto(tmp_path: Path) -> None:
    out = tmp_path / "tests" / "test_regressions.py"
    out.parent.mkdir()
    report = tmp_path / "report.json"
    result = CliRunner().invoke(
        main,
        [
            "fuzz", "endpoint", "sagemaker", "--moto",
            "--operations", "CreateModel,DescribeModel,DeleteModel",
            "--max-examples", "3", "--time-budget", "6", "--seed", "1",
            "--exclude-checks", "negative_data_rejection",
            "--report", f"json={report}", "--export-tests", str(out),
        ],
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    text = out.read_text()
    assert "def test_sagemaker_describemodel_response_schema_conformance(" in text
    assert "('CreateModel', {" in text  # the create that makes the model exist comes first
    compile(text, str(out), "exec")
    assert not list(out.parent.glob("*.tmp*"))  # written atomically, no temp file left behind

    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rf", str(out)],
        capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path,
    )  # fmt: skip
    assert run.returncode == 1, run.stdout + run.stderr
    failed = [line for line in run.stdout.splitlines() if line.startswith("FAILED")]
    assert any("describemodel_response_schema_conformance" in line for line in failed), run.stdout
    # the same deviation as in the fuzz: moto's DescribeModel answers VpcConfig: {}
    assert "VpcConfig.SecurityGroupIds" in run.stdout, run.stdout
    assert "passed" not in run.stdout.splitlines()[-1], run.stdout  # every exported test still fails


def test_endpoint_url_export_names_the_url_and_is_stable(tmp_path: Path) -> None:
    from botocontract.fuzz.report import EndpointReport, Failure

    failure = Failure(
        operation="GetQueueUrl", check="not_a_server_error", message='HTTP 500: """x\\y', kind="positive",
        params={"QueueName": "q"}, status=500, error_code=None, seed=3, reproduction="",
        calls=[("CreateQueue", {"QueueName": "q"}), ("GetQueueUrl", {"QueueName": "q"})],
    )  # fmt: skip
    report = EndpointReport("sqs", "http://127.0.0.1:4566", False, 3, [], "installed", 1, 1.0)
    report.failures = [failure, failure]
    text = render_tests(report)
    assert text == render_tests(report)
    compile(text, "exported.py", "exec")
    assert "'http://127.0.0.1:4566'" in text and "MotoServer() as server" not in text
    assert "def test_sqs_getqueueurl_not_a_server_error(" in text
    assert "def test_sqs_getqueueurl_not_a_server_error_2(" in text
