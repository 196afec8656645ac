"""Record the sample application's contract through the pytest plugin, then gate 1.17.43 -> 1.17.42.

botocore 1.17.43 added ``ContainerDefinition.ImageConfig`` (SageMaker CreateModel/DescribeModel); going
back to 1.17.42 removes it. The gate must fail naming it when the application sends and reads it, and pass
when the application does not use it.
"""

import dataclasses
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from botocontract.contracts.contract import load_contract
from botocontract.contracts.gate import gate
from botocontract.contracts.suppressions import Suppression, Suppressions

pytestmark = [pytest.mark.network, pytest.mark.moto]

SAMPLE = Path(__file__).parent / "sample_app" / "flow_checks.py"


def record(tmp_path: Path, *, private_registry: bool) -> Path:
    out = tmp_path / ("with.yaml" if private_registry else "without.yaml")
    ini = tmp_path / "pytest.ini"
    ini.write_text("[pytest]\n")
    env = {
        **os.environ,
        "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
        "SAMPLE_APP_PRIVATE_REGISTRY": "1" if private_registry else "0",
    }
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-c", str(ini), "-p", "botocontract.contracts.plugin",
         "-p", "no:cacheprovider", "--botocontract-record", str(out), str(SAMPLE)],
        env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out


@pytest.fixture(scope="module")
def recorded(tmp_path_factory):
    """Contracts of the application with and without ImageConfig, recorded once for the module."""
    folder = tmp_path_factory.mktemp("recorded")
    return record(folder, private_registry=True), record(folder, private_registry=False)


@pytest.fixture(scope="module")
def downgrade():
    from botocontract.changes.engine import diff_sources

    return diff_sources("1.17.43", "1.17.42", services=["sagemaker"])


def test_gate_names_image_config_only_when_the_app_uses_it(recorded, downgrade):
    with_path, without_path = recorded
    used = load_contract(with_path)
    sent = used.operation("sagemaker", "CreateModel").request
    assert "PrimaryContainer.ImageConfig.RepositoryAccessMode" in sent
    assert "PrimaryContainer.ImageConfig" in used.operation("sagemaker", "DescribeModel").response
    unused = load_contract(without_path)
    assert "PrimaryContainer.Image" in unused.operation("sagemaker", "CreateModel").request
    assert not any("ImageConfig" in p for _, _, op in unused.operations() for p in op.request | op.response)

    failing = gate(downgrade, used, fail_on="error")
    assert not failing.passed
    assert failing.failures and all("ImageConfig" in i.finding.location.path for i in failing.failures)
    assert {i.finding.location.operation for i in failing.failures} == {"CreateModel", "DescribeModel"}
    # Findings elsewhere in SageMaker (AutoML enum values) are there but do not touch the app.
    assert any(not i.relevant for i in failing.items)

    assert gate(downgrade, unused, fail_on="error").passed


def test_suppressions_with_reason_pass_and_expired_ones_fail(recorded, downgrade):
    used = load_contract(recorded[0])
    today = dt.date.today()
    accepted = Suppressions.of(
        [Suppression(reason="we roll back only with the image pinned", rule="RemovedMember",
                     location="sagemaker:*ImageConfig", expires=today + dt.timedelta(days=30))]
    )  # fmt: skip
    assert gate(downgrade, used, accepted).passed
    lapsed = dataclasses.replace(accepted.entries[0], expires=today - dt.timedelta(days=1))
    stale = Suppressions.of([lapsed])
    result = gate(downgrade, used, stale)
    assert not result.passed
    assert result.expired and "expired on" in result.problems()[-1]
