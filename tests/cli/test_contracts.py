"""The click commands, run offline against two local model folders that differ in one member."""

import datetime as dt
import json
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner

from botocontract.cli import main
from botocontract.contracts.contract import Contract, load_contract, save_contract
from tests.cli.conftest import model_pair


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def sources(tmp_path_factory):
    """old/ and new/ data folders: sagemaker as installed, and without ContainerDefinition.ImageConfig."""
    return model_pair(
        tmp_path_factory.mktemp("sources"),
        "sagemaker",
        lambda model: model["shapes"]["ContainerDefinition"]["members"].pop("ImageConfig"),
    )


def contract_file(tmp_path, *, image_config):
    c = Contract()
    request = {"ModelName", "PrimaryContainer", "PrimaryContainer.Image"}
    if image_config:
        request |= {"PrimaryContainer.ImageConfig", "PrimaryContainer.ImageConfig.RepositoryAccessMode"}
    c.add("sagemaker", "CreateModel", request=request, response={"ModelArn"})
    path = tmp_path / "contracts.yaml"
    save_contract(c, path)
    return path


def test_gate_fails_on_a_member_the_app_sends_and_writes_reports(sources, tmp_path):
    old, new = sources
    contract = contract_file(tmp_path, image_config=True)
    sarif, junit = tmp_path / "gate.sarif", tmp_path / "gate.xml"
    result = invoke(
        "gate",
        "--from",
        old,
        "--to",
        new,
        "--contract",
        contract,
        "--report",
        f"sarif={sarif}",
        "--report",
        f"junit={junit}",
    )
    assert result.exit_code == 1, result.output
    assert result.output.startswith("FAIL")
    assert "CreateModel:request:PrimaryContainer.ImageConfig" in result.output
    # botocore rejects a removed request member before sending: an error by itself, nothing to raise.
    assert "[error] RemovedMember.Request" in result.output
    assert json.loads(sarif.read_text())["version"] == "2.1.0"
    assert ET.parse(junit).getroot().get("failures") == "1"


def test_gate_passes_when_the_app_does_not_use_it(sources, tmp_path):
    old, new = sources
    result = invoke(
        "gate", "--from", old, "--to", new, "--contract", contract_file(tmp_path, image_config=False)
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith("PASS")


def test_gate_without_contract_and_thresholds(sources):
    old, new = sources
    assert invoke("gate", "--from", old, "--to", new).exit_code == 1
    # Removing a member is not breaking in the other direction at error level ...
    assert invoke("gate", "--from", new, "--to", old).exit_code == 0
    # ... but adding one is still reported at info.
    assert invoke("gate", "--from", new, "--to", old, "--fail-on", "info").exit_code == 1


def test_gate_suppressions(sources, tmp_path):
    old, new = sources
    contract = contract_file(tmp_path, image_config=True)
    supp = tmp_path / "s.yaml"
    supp.write_text(
        "suppressions:\n  - rule: RemovedMember\n    location: 'sagemaker:*.ImageConfig'\n"
        "    reason: we pin the image registry\n    expires: 2999-01-01\n"
    )
    ok = invoke(
        "gate", "--from", old, "--to", new, "--contract", contract, "--suppressions", supp, "-f", "json"
    )
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.output)["passed"] is True
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    supp.write_text(supp.read_text().replace("2999-01-01", yesterday))
    expired = invoke(
        "gate", "--from", old, "--to", new, "--contract", contract, "--suppressions", supp, "-f", "github"
    )
    assert expired.exit_code == 1
    assert f"expired on {yesterday}" in expired.output


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--report", "sarif"], "FORMAT=PATH"),
        (["--report", "sarf=x.sarif"], "did you mean sarif"),
        (["-f", "markdwn"], "did you mean markdown"),
        (["--fail-on", "fatal"], "fatal"),
        (["--contract", "missing.yaml"], "cannot read contract"),
    ],
)
def test_gate_usage_errors_exit_2(sources, args, needle):
    old, new = sources
    result = CliRunner().invoke(main, ["gate", "--from", str(old), "--to", str(new), *args])
    assert result.exit_code == 2
    assert needle in result.output


def test_contract_schema_and_check(tmp_path):
    schema = json.loads(invoke("contract", "schema").output)
    assert schema["title"] == "botocontract consumer contract"
    assert "suppressions" in json.loads(invoke("contract", "schema", "--suppressions").output)["properties"]
    good = contract_file(tmp_path, image_config=True)
    assert invoke("contract", "check", good).exit_code == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text(good.read_text().replace("CreateModel", "CreateModle"))
    result = invoke("contract", "check", bad)
    assert result.exit_code == 1
    assert "did you mean CreateModel" in result.output


def test_contract_scan_and_merge(tmp_path):
    app = tmp_path / "app.py"
    app.write_text('import boto3\nboto3.client("sqs").send_message(QueueUrl="u", MessageBody="b")\n')
    printed = invoke("contract", "scan", app)
    assert "SendMessage" in printed.output
    out = tmp_path / "contracts.yaml"
    assert invoke("contract", "scan", app, "-o", out).exit_code == 0
    other = tmp_path / "other.yaml"
    extra = Contract()
    extra.add("sqs", "ListQueues")
    save_contract(extra, other)
    merged = tmp_path / "merged.yaml"
    assert invoke("contract", "merge", merged, out, other).exit_code == 0
    assert sorted(load_contract(merged).services["sqs"]) == ["ListQueues", "SendMessage"]
