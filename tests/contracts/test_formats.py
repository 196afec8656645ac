import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from botocontract.contracts.contract import Contract, save_contract
from botocontract.contracts.formats import FORMATS, RenderContext, render
from botocontract.contracts.gate import gate
from botocontract.contracts.suppressions import Suppression, Suppressions
from botocontract.errors import UnknownNameError
from tests.contracts.factory import finding

TODAY = dt.date(2026, 6, 1)
SARIF_SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text())


@pytest.fixture
def contract_file(tmp_path):
    c = Contract()
    c.add("sagemaker", "CreateModel", request={"PrimaryContainer.ImageConfig.RepositoryAccessMode"})
    c.add("sagemaker", "DescribeModel", response={"PrimaryContainer.ImageConfig"})
    path = tmp_path / "contracts.yaml"
    save_contract(c, path)
    return path


@pytest.fixture
def result(contract_file):
    from botocontract.contracts.contract import load_contract

    findings = [
        finding(message="PrimaryContainer.ImageConfig was removed, 100% gone: really"),
        finding("RemovedMember.Request", "danger", operation="CreateModel", direction="request"),
        finding(
            "ChangedEnum.Added",
            "info",
            operation="CreateModel",
            direction="request",
            path="PrimaryContainer.ImageConfig.RepositoryAccessMode",
        ),
        finding("ChangedDocumentation", "info", operation="DescribeModel", path=""),
        finding("RemovedOperation", "error", operation="DeleteModel", path=""),
    ]
    suppressions = Suppressions.of(
        [
            Suppression(reason="docs do not matter", rule="ChangedDocumentation"),
            Suppression(reason="was fine for a while", rule="RemovedWaiter", expires=dt.date(2026, 1, 1)),
        ]
    )
    return gate(findings, load_contract(contract_file), suppressions, "error", today=TODAY)


def test_registry_names():
    assert FORMATS.names() == ["text", "github", "json", "junit", "markdown", "sarif"]
    with pytest.raises(UnknownNameError, match="did you mean sarif"):
        render(gate([]), "sariff")


def test_sarif_validates_against_the_published_schema(result, contract_file):
    log = json.loads(render(result, "sarif", RenderContext(str(contract_file), "s.yaml")))
    jsonschema.Draft7Validator(SARIF_SCHEMA).validate(log)
    run = log["runs"][0]
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    for res in run["results"]:
        assert rules[res["ruleIndex"]] == res["ruleId"]
    levels = {(r["ruleId"], r["level"]) for r in run["results"]}
    assert ("RemovedMember.Response", "error") in levels
    assert ("ExpiredSuppression", "error") in levels
    suppressed = [r for r in run["results"] if r.get("suppressions")]
    assert [r["ruleId"] for r in suppressed] == ["ChangedDocumentation"]
    # Untouched findings are left out; the contract line of the operation is pointed at.
    assert "RemovedOperation" not in rules
    line = contract_file.read_text().splitlines().index("      DescribeModel:") + 1
    hit = next(r for r in run["results"] if r["ruleId"] == "RemovedMember.Response")
    assert hit["locations"][0]["physicalLocation"]["region"]["startLine"] == line


def test_sarif_of_a_clean_run_is_valid():
    jsonschema.Draft7Validator(SARIF_SCHEMA).validate(json.loads(render(gate([]), "sarif")))


def test_junit_structure(result):
    root = ET.fromstring(render(result, "junit").encode())
    assert root.tag == "testsuites"
    [suite] = root.findall("testsuite")
    cases = suite.findall("testcase")
    failures = [c for c in cases if c.find("failure") is not None]
    skipped = [c for c in cases if c.find("skipped") is not None]
    assert int(suite.get("tests")) == len(cases) == int(root.get("tests"))
    assert int(suite.get("failures")) == len(failures) == int(root.get("failures"))
    assert int(suite.get("skipped")) == len(skipped) == 1
    assert {c.find("failure").get("type") for c in failures} == {
        "RemovedMember.Response",
        "RemovedMember.Request",
        "ExpiredSuppression",
    }
    assert all(c.get("classname") and c.get("name") for c in cases)


def test_junit_of_a_clean_run_has_one_passing_case():
    root = ET.fromstring(render(gate([]), "junit").encode())
    assert root.get("failures") == "0" and root.get("tests") == "1"
    [case] = root.iter("testcase")
    assert list(case) == []


GH_LINE = re.compile(r"^::(error|warning|notice)( [a-z]+=[^,:]*(,[a-z]+=[^,:]*)*)?::[^\r\n]*$")


def test_github_annotations_are_well_formed(result, contract_file):
    text = render(result, "github", RenderContext(str(contract_file), "s.yaml"))
    lines = text.splitlines()
    for line in lines:
        assert GH_LINE.match(line), line
    errors = [line for line in lines if line.startswith("::error ")]
    assert len(errors) == 3  # two counted findings and the expired suppression
    assert any(f"file={contract_file}".replace(":", "%3A") in e for e in errors)
    # Data escaping: '%' is encoded, ':' and ',' stay readable in the message.
    assert "100%25 gone: really" in text
    assert lines[-1].startswith("::notice title=botocontract gate::FAIL")


def test_json_text_markdown(result):
    data = json.loads(render(result, "json"))
    assert data["passed"] is False
    assert data["expired_suppressions"][0]["rule"] == "RemovedWaiter"
    raised = next(f for f in data["findings"] if f["rule"] == "RemovedMember.Request")
    assert (
        raised["severity"] == "error"
        and raised["original_severity"] == "danger"
        and "sends" in raised["note"]
    )
    text = render(result, "text")
    assert text.startswith("FAIL") and "Expired: suppression #2" in text and "1 finding(s) suppressed" in text
    md = render(result, "markdown")
    assert "| ❌ | error | `RemovedMember.Response`" in md
    assert "1 finding(s) do not touch the contract" in md
