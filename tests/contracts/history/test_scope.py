"""Release diffs cut down to one contract (what contract-scoped feeds and sites show)."""

from __future__ import annotations

import pytest

from botocontract.changes.engine import diff_sources
from botocontract.contracts.contract import Contract
from botocontract.contracts.history.scope import scope_diff


@pytest.mark.network
def test_scope_keeps_only_what_the_contract_uses(release_1_17_42, release_1_17_43) -> None:
    diff = diff_sources(release_1_17_42, release_1_17_43)
    assert {s.service for s in diff.services} >= {"sagemaker", "ec2"}
    contract = Contract()
    contract.add("sagemaker", "CreateModel", request=["PrimaryContainer.ImageConfig"])
    contract.add("sagemaker", "DescribeModel", response=["ModelArn"])
    scoped = scope_diff(diff, contract)
    assert [s.service for s in scoped.services] == ["sagemaker"]
    (sagemaker,) = scoped.services
    assert [op.name for op in sagemaker.operations] == ["CreateModel"]
    paths = {f.location.path for f in sagemaker.operations[0].findings}
    assert paths == {"PrimaryContainer.ImageConfig"}
    assert scoped.new_version == diff.new_version and scoped.released == diff.released
    assert len(diff.all_findings()) > len(scoped.all_findings())
    assert scope_diff(diff, Contract()).services == []
