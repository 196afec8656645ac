"""Loose model files get botocore's own service names; date ranges out of botocore's history say so."""

from __future__ import annotations

import datetime as dt
import gzip
from pathlib import Path

import botocore
import pytest

from tests.faults.conftest import assert_one_line_error, cli


def _installed_model(service: str) -> bytes:
    folder = Path(botocore.__file__).parent / "data" / service
    newest = sorted(p for p in folder.iterdir() if p.is_dir())[-1]
    model = next(newest.glob("service-2.json*"))
    return gzip.decompress(model.read_bytes()) if model.suffix == ".gz" else model.read_bytes()


@pytest.mark.parametrize("file_name", ["service-2.json", "sagemaker.json", "model.json"])
def test_a_loose_sagemaker_model_is_named_sagemaker(tmp_path: Path, file_name: str) -> None:
    path = tmp_path / file_name
    path.write_bytes(_installed_model("sagemaker"))  # its endpoint prefix is api.sagemaker
    (tmp_path / "copy").mkdir()
    (tmp_path / "copy" / "service-2.json").write_bytes(path.read_bytes())
    listed = cli("services", "--source", path)
    assert listed.code == 0 and listed.out.split()[0] == "sagemaker", listed.out
    for name in ("sagemaker", "api.sagemaker"):
        shown = cli("shapes", name, "--source", path)
        assert shown.code == 0 and shown.out.startswith("Amazon SageMaker Service (sagemaker@"), shown.err
        same = cli("diff", path, tmp_path / "copy" / "service-2.json", "--service", name)
        assert same.code == 0 and "No service changed" in same.out, same.out[:300]


def test_a_new_service_gets_its_hyphenated_service_id(tmp_path: Path) -> None:
    import json

    raw = json.loads(_installed_model("sqs"))
    raw["metadata"].update(serviceId="Brand New Thing", endpointPrefix="bnt")
    path = tmp_path / "service-2.json"
    path.write_text(json.dumps(raw))
    listed = cli("services", "--source", path)
    assert listed.out.split()[0] == "brand-new-thing"
    assert cli("shapes", "bnt", "--source", path).code == 0


def test_a_model_in_botocores_layout_keeps_its_folder_name(tmp_path: Path) -> None:
    path = tmp_path / "my-sagemaker" / "2017-07-24" / "service-2.json"
    path.parent.mkdir(parents=True)
    path.write_bytes(_installed_model("sagemaker"))
    assert cli("services", "--source", path).out.split()[0] == "my-sagemaker"


@pytest.mark.network
def test_date_bounds_outside_botocores_history() -> None:
    assert_one_line_error(cli("diff", "--since", "2099-01-01"), "--since 2099-01-01 is in the future")
    assert_one_line_error(cli("diff", "--until", "2010-01-01"), "before botocore's first release")
    assert_one_line_error(cli("diff", "--since", "2020-02-30"), "2020-02-30")
    tomorrow = (dt.datetime.now(dt.timezone.utc).date() + dt.timedelta(days=1)).isoformat()
    assert_one_line_error(cli("diff", "--since", tomorrow), "in the future")


@pytest.mark.network
def test_until_defaults_to_today() -> None:
    from botocontract.changes.walk import release_range
    from botocontract.specs import index

    newest = index.releases()[-1]
    span = release_range(since=newest.day)
    assert span[-1] == newest  # today (UTC) is on or after the newest release's day
    assert release_range(since=newest.day, until=dt.datetime.now(dt.timezone.utc).date()) == span
