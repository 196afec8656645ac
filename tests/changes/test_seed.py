"""Golden test: SageMaker, botocore 1.17.42 -> 1.17.43 renders exactly as the awsapichanges.info page text.

The reference text is the user's example; these tests download the two releases once (cached).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from botocontract.changes.changedict import change_dicts
from botocontract.changes.model import OperationChange, ReleaseDiff, ServiceChange
from botocontract.changes.render_text import render_text

ROOT = Path(__file__).resolve().parents[2]
CANDIDATES = [
    ROOT / "tests" / "changes" / "data" / "sagemaker-1.17.43.txt",
    ROOT.parent / "shared" / "seeds" / "000_2d429405a0228c39.txt",
]

pytestmark = pytest.mark.network


@pytest.fixture(scope="module")
def seed() -> str:
    for path in CANDIDATES:
        if path.is_file():
            return path.read_text(encoding="utf-8")
    pytest.skip("the reference text is not present")


@pytest.fixture(scope="module")
def sources() -> tuple[object, object]:
    from botocontract.specs import resolve_source

    return resolve_source("1.17.42"), resolve_source("1.17.43")


def _by_hand(old: object, new: object) -> ReleaseDiff:
    """The release entry built from change dicts alone, independent of the diff engine."""
    old_spec, new_spec = old.service("sagemaker"), new.service("sagemaker")  # type: ignore[attr-defined]
    ops = []
    for name in sorted(new_spec.operation_names):
        request, response = change_dicts(old_spec.operation_model(name), new_spec.operation_model(name))
        if request or response:
            ops.append(OperationChange(name, "updated", request, response))
    service = ServiceChange(
        "sagemaker",
        new_spec.full_name,
        "updated",
        operations=ops,
        old_api_version=old_spec.api_version,
        new_api_version=new_spec.api_version,
    )
    return ReleaseDiff(
        old.label,
        new.label,
        old.version,
        new.version,  # type: ignore[attr-defined]
        released=new.released,
        services=[service],
    )  # type: ignore[attr-defined]


def test_change_dicts_and_docs_reproduce_the_reference(seed: str, sources: tuple[object, object]) -> None:
    old, new = sources
    assert render_text(_by_hand(old, new), source=new) == seed


def test_diff_engine_output_renders_as_the_reference(seed: str, sources: tuple[object, object]) -> None:
    from botocontract.changes.engine import diff_sources

    old, new = sources
    diff = diff_sources(old, new, ["sagemaker"])
    assert render_text(diff, source=new) == seed
    # The additions the engine found are all shown by the dicts, so no Findings block appeared.
    assert diff.all_findings()
