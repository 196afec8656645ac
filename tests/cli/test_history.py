"""The history commands end to end: build/merge/query, blame, min-version, gate from lockfiles, feeds."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from botocontract.cli import main
from botocontract.contracts.history.store import table_rows

ROOT = Path(__file__).resolve().parents[2]
LOCKS = ROOT / "tests" / "contracts" / "history" / "data" / "locks"
BOUNDS = ["--lower", "1.16.0", "--upper", "1.40.20"]
ATOM = "{http://www.w3.org/2005/Atom}"


def invoke(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def contract(tmp_path: Path) -> Path:
    path = tmp_path / "contracts.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "version": 1,
                "services": {
                    "sagemaker": {
                        "operations": {
                            "CreateModel": {
                                "request": ["ModelName", "PrimaryContainer.ImageConfig"],
                                "response": ["ModelArn"],
                            },
                            "DescribeModel": {"request": ["ModelName"], "response": ["ModelName"]},
                        }
                    }
                },
            }
        )
    )
    return path


@pytest.mark.network
def test_blame_examples_answer_1_17_43() -> None:
    image = invoke("blame", "sagemaker", "CreateModel", "PrimaryContainer.ImageConfig", "--no-store", *BOUNDS)
    assert image.exit_code == 0, image.output
    assert "appeared in botocore 1.17.43 (2020-08-14)" in image.output
    assert "boto3 1.14.43" in image.output and "releases, assuming that once present" in image.output
    auc = invoke(
        "blame",
        "sagemaker",
        "CreateAutoMLJob",
        "AutoMLJobObjective.MetricName",
        "--enum",
        "AUC",
        "--no-store",
        *BOUNDS,
        "-f",
        "json",
    )
    assert auc.exit_code == 0, auc.output
    body = json.loads(auc.output)
    assert body["appeared"] == {
        "botocore": "1.17.43",
        "date": "2020-08-14",
        "at_or_before": False,
        "boto3": "1.14.43",
        "boto3_date": "2020-08-14",
    }
    assert body["method"] == "bisect" and body["releases_read"] <= 14


@pytest.mark.network
def test_min_version_and_its_check(contract: Path) -> None:
    found = invoke("min-version", "--contract", contract, "--no-store", *BOUNDS)
    assert found.exit_code == 0, found.output
    assert "minimum botocore: 1.17.43 (2020-08-14)" in found.output
    assert "minimum boto3:    1.14.43" in found.output
    assert "set by: sagemaker CreateModel PrimaryContainer.ImageConfig (request)" in found.output
    low = invoke("min-version", "--contract", contract, "--no-store", *BOUNDS, "--check", "boto3>=1.14.0")
    assert low.exit_code == 1, low.output
    assert "missing there: sagemaker CreateModel PrimaryContainer.ImageConfig (request)" in low.output
    enough = invoke("min-version", "--contract", contract, "--no-store", *BOUNDS, "--check", "boto3>=1.14.43")
    assert enough.exit_code == 0, enough.output
    assert "enough" in enough.output


@pytest.mark.network
def test_build_merge_and_query(tmp_path: Path) -> None:
    single, parts = tmp_path / "one.sqlite", [tmp_path / "a.sqlite", tmp_path / "b.sqlite"]
    assert invoke("history", "build", "--from", "1.17.42", "--to", "1.17.44", "--db", single).exit_code == 0
    for i, part in enumerate(parts, 1):
        done = invoke(
            "history", "build", "--from", "1.17.42", "--to", "1.17.44", "--shard", f"{i}/2", "--db", part
        )
        assert done.exit_code == 0, done.output
    merged = tmp_path / "merged.sqlite"
    assert invoke("history", "merge", *parts, "--db", merged).exit_code == 0
    assert table_rows(merged) == table_rows(single)
    rows = invoke(
        "history",
        "query",
        "--db",
        merged,
        "--service",
        "sagemaker",
        "--operation",
        "CreateModel",
        "-f",
        "json",
    )
    assert rows.exit_code == 0, rows.output
    assert {(r["release"], r["path"]) for r in json.loads(rows.output)} >= {
        ("1.17.43", "PrimaryContainer.ImageConfig")
    }
    sql = invoke(
        "history", "query", "--db", merged, "--sql", "SELECT version FROM releases ORDER BY seq", "-f", "csv"
    )
    assert sql.output.split() == ["version", "1.17.42", "1.17.43", "1.17.44"]
    blamed = invoke("blame", "sagemaker", "CreateModel", "PrimaryContainer.ImageConfig", "--db", merged)
    assert "answered from the history store (1.17.42 .. 1.17.44" in blamed.output


def test_bad_history_input_is_one_line_exit_2(tmp_path: Path) -> None:
    for args in (
        ["history", "query", "--db", tmp_path / "none.sqlite"],
        ["history", "build", "--shard", "x", "--from", "1.17.42", "--db", tmp_path / "x.sqlite"],
        ["blame", "sagemaker", "--enum", "AUC"],
        ["gate", "--from", "1.17.42", "--from-lock", LOCKS / "before" / "uv.lock"],
        ["gate", "--from-lock", tmp_path / "missing.lock"],
        ["min-version", "--contract", tmp_path / "none.yaml"],
    ):
        result = invoke(*args)
        assert result.exit_code == 2, (args, result.output)
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("botocontract: error: "), result.output


@pytest.mark.network
@pytest.mark.parametrize("name", ["uv.lock", "Pipfile.lock"])
def test_gate_from_lockfiles(name: str, contract: Path) -> None:
    result = invoke(
        "gate",
        "--from-lock",
        LOCKS / "before" / name,
        "--to-lock",
        LOCKS / "after" / name,
        "--contract",
        contract,
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    assert "gate: botocore 1.17.42 (" in result.output and "-> botocore 1.17.43 (" in result.output


@pytest.mark.network
def test_contract_feed_and_site_show_only_what_the_contract_uses(contract: Path, tmp_path: Path) -> None:
    out = tmp_path / "feed.xml"
    done = invoke("feed", "--contract", contract, "--from", "1.17.42", "--to", "1.17.43", "-o", out)
    assert done.exit_code == 0, done.output
    entries = ET.parse(out).getroot().findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [
        "Amazon SageMaker Service: 1 updated api methods (botocore 1.17.43)"
    ]
    content = entries[0].findtext(f"{ATOM}content") or ""
    assert "PrimaryContainer.ImageConfig was added" in content and "Containers.ImageConfig" not in content
    site = tmp_path / "site"
    built = invoke("site", "--contract", contract, "--from", "1.17.42", "--to", "1.17.43", "-o", site)
    assert built.exit_code == 0, built.output
    assert (site / "1.17.43" / "sagemaker.html").exists()
    assert not (site / "1.17.43" / "ec2.html").exists()


def test_the_action_calls_flags_the_gate_has() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    script = next(s["run"] for s in action["runs"]["steps"] if s.get("id") == "gate")
    help_text = invoke("gate", "--help").output
    for flag in (
        "--from-lock",
        "--to-lock",
        "--fail-on",
        "--format",
        "--report",
        "--contract",
        "--suppressions",
    ):
        assert flag in script and flag in help_text
