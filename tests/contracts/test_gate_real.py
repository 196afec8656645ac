"""Golden gate cases on real releases: botocore 1.34.0 -> 1.35.0 (SQS moved from query to JSON)."""

import pytest
from click.testing import CliRunner

from botocontract.contracts import Contract
from botocontract.contracts.gate import gate_sources

pytestmark = pytest.mark.network


def _contract() -> Contract:
    c = Contract()
    c.add("sqs", "SendMessage", request={"QueueUrl", "MessageBody"})
    c.add("sqs", "ReceiveMessage", request={"QueueUrl"}, response={"Messages", "Messages[].Body"})
    c.add("dynamodb", "PutItem", request={"TableName", "Item"})
    c.add("dynamodb", "DescribeTable", request={"TableName"}, response={"Table", "Table.TableStatus"})
    return c


def test_sqs_protocol_switch_fails_wire_not_app():
    app = gate_sources("1.34.0", "1.35.0", _contract(), services=["sqs"])
    wire = gate_sources("1.34.0", "1.35.0", _contract(), services=["sqs"], profile="wire")
    assert app.passed, app.problems()
    assert not wire.passed
    assert any(i.finding.location.path == "metadata.protocol" for i in wire.failures)


def test_dynamodb_table_name_loosening_is_not_an_error():
    result = gate_sources("1.34.0", "1.35.0", _contract(), services=["dynamodb"])
    table_name = [i for i in result.items if i.finding.location.path == "TableName"]
    assert table_name and all(i.severity.label in ("info", "warning") for i in table_name)
    assert not any(i.finding.location.path == "TableName" for i in result.failures)


def test_a_contract_service_missing_from_both_releases_is_a_finding_not_exit_2(tmp_path):
    from botocontract.cli import main

    path = tmp_path / "c.yaml"
    path.write_text(
        "version: 1\nservices:\n  sqs: {operations: {SendMessage: {request: [QueueUrl]}}}\n"
        "  bedrock-agentcore: {operations: {ListEvents: {}}}\n"
    )
    run = CliRunner().invoke(
        main, ["gate", "--from", "1.34.0", "--to", "1.35.0", "--contract", str(path), "--format", "json"]
    )
    assert run.exit_code == 0, run.output
    assert "bedrock-agentcore of the contract is in neither" in run.output
