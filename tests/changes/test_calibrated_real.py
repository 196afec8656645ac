"""Calibrated verdicts on the real release pairs that showed each miscalibration (releases are cached)."""

from __future__ import annotations

import pytest

from botocontract.changes.engine import diff_sources
from botocontract.changes.model import Kind, Severity

pytestmark = pytest.mark.network


def test_min_zero_is_no_error_sagemaker_1_17_43_to_1_40_0() -> None:
    """548 of 549 errors here were "min tightened from None to 0": a bound that constrains nothing."""
    found = diff_sources("1.17.43", "1.40.0", ["sagemaker"]).all_findings()
    restated = [f for f in found if f.rule == "ChangedLengthTrait.Restated"]
    assert len(restated) > 100
    assert all(f.severity is Severity.INFO and f.traits.kind is Kind.EQUIVALENT for f in restated)
    assert all(f.old is None and f.new == 0 for f in restated if "min" in f.message)
    assert not [f for f in found if f.severity is Severity.ERROR and "to 0" in f.message]


def test_dynamodb_table_name_3_255_to_1_1024_is_a_loosening() -> None:
    found = diff_sources("1.34.0", "1.35.0", ["dynamodb"]).all_findings()
    table = [f for f in found if f.location.path == "TableName" and f.rule.startswith("ChangedLengthTrait")]
    assert table
    assert {f.rule for f in table} == {"ChangedLengthTrait.Loosened"}
    assert {(f.old, f.new) for f in table} >= {(3, 1), (255, 1024)}
    assert all(f.severity < Severity.DANGER and f.traits.kind is Kind.LOOSENING for f in table)


def test_cloud9_looser_pattern_is_info() -> None:
    found = diff_sources("1.33.6", "1.33.7", ["cloud9"]).all_findings()
    patterns = [f for f in found if f.rule.startswith("ChangedPattern")]
    assert patterns
    assert all(f.severity is Severity.INFO for f in patterns)
    assert {f.rule for f in patterns} <= {"ChangedPattern.Loosened", "ChangedPattern.Equivalent"}


def test_json_version_dropped_on_rest_json_is_info() -> None:
    diff = diff_sources("1.27.47", "1.27.48", ["sagemaker-a2i-runtime"])
    meta = [f for f in diff.all_findings() if f.rule == "ChangedMetadata.jsonVersion"]
    assert meta and all(f.severity is Severity.INFO for f in meta)
    assert all(f.traits.kind is Kind.EQUIVALENT for f in meta)
