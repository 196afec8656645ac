"""Blame and the minimum-version solver on real releases, by bisection (bounded) and from a store."""

from __future__ import annotations

from pathlib import Path

import pytest

from botocontract.contracts.contract import Contract
from botocontract.contracts.history.blame import blame, make_item, render_blame
from botocontract.contracts.history.minversion import (
    contract_items,
    declared_floor,
    min_version,
    missing_at,
    render_min_version,
)
from botocontract.contracts.history.store import HistoryError, build, open_store

#: A bounded range keeps bisection to ~13 wheels, and a fixed upper bound keeps the midpoints (and so the
#: cached wheels) the same as new releases appear.
LOWER, UPPER = "1.16.0", "1.40.20"


def _image_contract() -> Contract:
    contract = Contract()
    contract.add(
        "sagemaker",
        "CreateModel",
        request=["ModelName", "PrimaryContainer.ImageConfig"],
        response=["ModelArn"],
    )
    contract.add("sagemaker", "DescribeModel", response=["Containers[].Image"])
    return contract


def test_make_item_rejects_half_questions() -> None:
    assert make_item("s3").kind == "service"
    assert make_item("sagemaker", "CreateModel", "Containers[].Image").path == "Containers.Image"
    with pytest.raises(HistoryError, match="--enum needs"):
        make_item("sagemaker", "CreateAutoMLJob", None, "AUC")
    with pytest.raises(HistoryError, match="needs its OPERATION"):
        make_item("sagemaker", None, "A.B")


@pytest.mark.network
@pytest.mark.parametrize(
    ("operation", "path", "enum"),
    [
        ("CreateModel", "PrimaryContainer.ImageConfig", None),
        ("CreateAutoMLJob", "AutoMLJobObjective.MetricName", "AUC"),
    ],
)
def test_blame_by_bisection_finds_1_17_43(operation: str, path: str, enum: str | None) -> None:
    result = blame(make_item("sagemaker", operation, path, enum), lower=LOWER, upper=UPPER)
    assert (result.appeared, result.appeared_date, result.at_or_before) == ("1.17.43", "2020-08-14", False)
    assert result.boto3 == "1.14.43"
    assert result.method == "bisect"
    assert 10 <= result.releases_read <= 14  # ~log2(1287) + both bounds, not a walk
    text = render_blame(result)
    assert "appeared in botocore 1.17.43 (2020-08-14)" in text and "boto3 1.14.43" in text
    assert f"read {result.releases_read} releases" in text


@pytest.mark.network
def test_blame_at_the_lower_bound_says_so_and_absent_items_are_errors() -> None:
    result = blame(make_item("sagemaker", "CreateModel"), lower=LOWER, upper=UPPER)
    assert result.at_or_before and result.appeared == LOWER
    assert "present at or before botocore 1.16.0" in render_blame(result)
    with pytest.raises(HistoryError, match=r"not in botocore 1\.40\.20"):
        blame(make_item("sagemaker", "CreateModel", "NoSuchMember"), lower=LOWER, upper=UPPER)


@pytest.mark.network
def test_min_version_by_bisection_names_the_item_that_sets_the_floor() -> None:
    contract = _image_contract()
    result = min_version(contract, lower=LOWER, upper=UPPER)
    assert (result.botocore, result.boto3) == ("1.17.43", "1.14.43")
    assert [str(i) for i in result.setters] == [
        "sagemaker CreateModel PrimaryContainer.ImageConfig (request)"
    ]
    assert "minimum boto3:    1.14.43" in render_min_version(result)
    declared = declared_floor("boto3>=1.14.0")
    assert (declared.package, declared.version, declared.botocore) == ("boto3", "1.14.0", "1.17.0")
    assert [i.path for i in missing_at(result, declared.botocore)] == ["PrimaryContainer.ImageConfig"]
    assert missing_at(result, "1.17.43") == []


@pytest.mark.network
def test_blame_and_min_version_from_a_store(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite"
    build(db, from_version="1.17.41", until_version="1.17.44")
    store = open_store(db)
    assert store is not None
    try:
        result = blame(
            make_item("sagemaker", "CreateAutoMLJob", "AutoMLJobObjective.MetricName", "AUC"), store=store
        )
        assert (result.appeared, result.appeared_date, result.boto3) == ("1.17.43", "2020-08-14", "1.14.43")
        assert result.method == "store" and result.directions == ["request"]
        assert [f["release"] for f in result.findings] == ["1.17.43"]
        floor = min_version(_image_contract(), store=store)
        assert floor.botocore == "1.17.43" and floor.method == "store"
        assert [i.path for i in missing_at(floor, "1.17.42")] == ["PrimaryContainer.ImageConfig"]
        with pytest.raises(HistoryError, match="in no release of the store"):
            blame(make_item("sagemaker", "CreateModel", "Nope"), store=store)
    finally:
        store.close()


def test_contract_items_cover_services_operations_and_paths() -> None:
    contract = Contract()
    contract.add("s3", "GetObject", request=["Bucket"], response=["*", "Body", "Metadata{}.Key"])
    kinds = sorted((i.kind, i.path) for i in contract_items(contract))
    assert kinds == [
        ("member", "Body"),
        ("member", "Bucket"),
        ("member", "Metadata"),
        ("member", "Metadata.Key"),
        ("operation", ""),
        ("service", ""),
    ]
    with pytest.raises(HistoryError):
        contract_items(Contract())


@pytest.mark.network
def test_declared_floor_from_project_files(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "app"\ndependencies = ["requests", "boto3>=1.14.43,<2"]\n'
    )
    (tmp_path / "requirements-dev.txt").write_text("# tools\nbotocore>=1.17.10  # pinned\n-r other.txt\n")
    floor = declared_floor(str(tmp_path))
    assert (floor.package, floor.botocore) == ("boto3", "1.17.43")  # the higher of the two floors
    cfg = tmp_path / "setup.cfg"
    cfg.write_text("[options]\ninstall_requires =\n    botocore>=1.17.20\n")
    assert declared_floor(str(cfg)).botocore == "1.17.20"
    poetry = tmp_path / "poetry" / "pyproject.toml"
    poetry.parent.mkdir()
    poetry.write_text('[tool.poetry.dependencies]\npython = "^3.10"\nboto3 = "^1.14.43"\n')
    assert declared_floor(str(poetry)).version == "1.14.43"
    with pytest.raises(HistoryError, match="neither a file nor a requirement"):
        declared_floor("boto3 >>> 1")
    with pytest.raises(HistoryError, match="declares no botocore or boto3"):
        declared_floor("requests>=2")
