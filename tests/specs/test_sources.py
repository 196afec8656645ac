"""Model sources: the resolver, releases from the index, local paths, the cache and clear errors."""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import pytest

from botocontract.errors import ModelError, SourceError, UnknownNameError
from botocontract.specs import index, resolve_source
from botocontract.specs.sources import Source


def test_installed_lists_services_with_metadata(installed: Source) -> None:
    infos = {i.name: i for i in installed.services()}
    assert len(infos) > 300
    assert infos["sagemaker"].full_name == "Amazon SageMaker Service"
    assert infos["sagemaker"].protocol == "json"
    assert infos["s3"].protocol == "rest-xml"
    assert infos["ec2"].protocol == "ec2"


def test_service_versions_and_unknown_names(installed: Source) -> None:
    spec = installed.service("dynamodb")
    assert spec.api_version == installed.api_versions("dynamodb")[-1]
    assert installed.service(f"dynamodb@{spec.api_version}") is spec
    with pytest.raises(UnknownNameError, match="did you mean sagemaker"):
        installed.service("sagemakr")
    with pytest.raises(UnknownNameError, match="api-version"):
        installed.service("dynamodb@1999-01-01")


@pytest.mark.network
def test_release_image_config_added(release_1_17_42: Source, release_1_17_43: Source) -> None:
    old = release_1_17_42.service("sagemaker")
    new = release_1_17_43.service("sagemaker")
    assert "ImageConfig" not in old.shapes
    assert new.shapes["ContainerDefinition"].members["ImageConfig"].target == "ImageConfig"
    assert release_1_17_43.released is not None and release_1_17_43.released.date() == date(2020, 8, 14)
    assert release_1_17_43.label == "botocore 1.17.43"


@pytest.mark.network
def test_signature_matches_equal_models(release_1_17_42: Source, release_1_17_43: Source) -> None:
    # sqs did not change between these releases, sagemaker did
    assert release_1_17_42.signature("sqs") == release_1_17_43.signature("sqs")
    assert release_1_17_42.signature("sagemaker") != release_1_17_43.signature("sagemaker")


@pytest.mark.network
def test_date_resolves_to_newest_release_on_or_before() -> None:
    assert resolve_source("2020-08-14").version == "1.17.43"
    assert index.release_on_or_before(date(2020, 8, 14)).version == "1.17.43"
    assert resolve_source("botocore==1.17.43") is not None


@pytest.mark.network
def test_unknown_release_is_one_clear_error() -> None:
    with pytest.raises(SourceError, match="not a release"):
        resolve_source("1.17.999")


def test_path_sources(tmp_path: Path, installed: Source) -> None:
    spec = installed.service("sqs")
    raw = json.dumps(dict(spec.raw)).encode()
    folder = tmp_path / "data" / "sqs" / spec.api_version
    folder.mkdir(parents=True)
    (folder / "service-2.json").write_bytes(raw)
    from_folder = resolve_source(str(tmp_path / "data"))
    assert from_folder.service_names() == ["sqs"]
    assert from_folder.service("sqs").operation_names == spec.operation_names
    lone = tmp_path / "lone" / "service-2.json.gz"
    lone.parent.mkdir()
    lone.write_bytes(gzip.compress(raw))
    from_file = resolve_source(str(lone))
    assert from_file.service("sqs").full_name == spec.full_name
    # the same JSON gives the same signature, compressed or not
    assert from_file.signature("sqs") == from_folder.signature("sqs")
    wheel = tmp_path / "botocore-9.9.9-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as zf:
        zf.writestr(f"botocore/data/sqs/{spec.api_version}/service-2.json", raw)
    from_wheel = resolve_source(str(wheel))
    assert from_wheel.version == "9.9.9"
    assert from_wheel.signature("sqs") == from_folder.signature("sqs")


def test_bad_paths_and_corrupt_models(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no such file"):
        resolve_source(str(tmp_path / "missing"))
    bad = tmp_path / "x" / "2020-01-01" / "service-2.json"
    bad.parent.mkdir(parents=True)
    bad.write_text("{not json")
    with pytest.raises(ModelError):
        resolve_source(str(bad)).service("x")
    notwheel = tmp_path / "broken.whl"
    notwheel.write_bytes(b"PK\x03\x04garbage")
    with pytest.raises(SourceError, match="not a readable wheel"):
        resolve_source(str(notwheel))
    with pytest.raises(SourceError, match="cannot understand"):
        resolve_source("not a source at all")


def test_offline_without_cache_is_a_source_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOTOCONTRACT_CACHE", str(tmp_path))
    monkeypatch.setenv("BOTOCONTRACT_INDEX_URL", "http://127.0.0.1:9/simple")
    index.releases.cache_clear()
    try:
        with pytest.raises(SourceError, match="cannot read botocore's release list"):
            resolve_source("1.2.3")
    finally:
        index.releases.cache_clear()


@pytest.mark.network
def test_concurrent_downloads_share_one_cache(tmp_path: Path) -> None:
    """Two processes fetching the same release into an empty cache both succeed; one wheel remains."""
    code = (
        "from botocontract.specs import resolve_source;"
        "print(len(resolve_source('1.17.40').service('sagemaker').operations))"
    )
    env = {**__import__("os").environ, "BOTOCONTRACT_CACHE": str(tmp_path)}
    procs = [
        subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=300)[0].strip() for p in procs]
    assert all(p.returncode == 0 for p in procs)
    assert outs[0] == outs[1] and int(outs[0]) > 100
    wheels = list((tmp_path / "wheels").glob("*.whl"))
    assert len(wheels) == 1
    assert not [p for p in (tmp_path / "wheels").iterdir() if p.name.startswith(".")]
    shutil.rmtree(tmp_path / "wheels")


def test_sdk_extras_are_merged_like_botocore(installed: Source) -> None:
    """boto3 sees s3 ``Expires`` as a timestamp only because botocore merges service-2.sdk-extras.json."""
    import botocore.session

    spec = installed.service("s3")
    target = spec.shapes["GetObjectOutput"].members["Expires"].target
    boto = botocore.session.get_session().get_service_model("s3")
    expected = boto.operation_model("GetObject").output_shape.members["Expires"].type_name
    assert spec.shapes[target].type == expected
    assert "+" in installed.signature("s3")
