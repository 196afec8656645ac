"""Clients on a chosen model: isolated from the environment, on the model asked for, cleaned up after."""

from __future__ import annotations

import gc
import json
from pathlib import Path

import pytest
from botocore.config import Config

from botocontract.errors import UnknownNameError
from botocontract.generators.session import isolated_session, model_client, model_folder, session_with_model


def test_isolated_session_ignores_environment_and_config_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config"
    config.write_text("[profile other]\nregion = eu-west-1\nmax_attempts = 9\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_PROFILE", "does-not-exist")
    monkeypatch.setenv("AWS_ENDPOINT_URL", "https://sqs.us-east-1.amazonaws.com")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "7")
    session = isolated_session()
    assert session.get_config_variable("profile") is None
    assert session.get_config_variable("max_attempts") is None
    assert session.full_config == {"profiles": {}}
    client = session.create_client(
        "sqs",
        region_name="us-east-1",
        endpoint_url="http://127.0.0.1:9",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    assert client.meta.endpoint_url == "http://127.0.0.1:9"
    assert "total_max_attempts" not in client.meta.config.retries  # AWS_MAX_ATTEMPTS=7 ignored


def test_a_client_speaks_the_model_it_was_given(sts_raw: dict) -> None:
    raw = json.loads(json.dumps(sts_raw))
    raw["operations"]["InventedOperation"] = dict(
        raw["operations"]["GetCallerIdentity"], name="InventedOperation"
    )
    version = raw["metadata"]["apiVersion"]
    session = session_with_model("sts", version, raw)
    folder = Path(session.get_config_variable("data_path"))
    assert (folder / "sts" / version / "endpoint-rule-set-1.json").exists()
    client = session.create_client(
        "sts", region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing"
    )
    assert hasattr(client, "invented_operation")
    del client, session
    gc.collect()
    assert not folder.exists()  # the data folder goes with the session


def test_model_client_on_the_installed_models_and_unknown_names() -> None:
    client = model_client("sts", config=Config(retries={"total_max_attempts": 1}))
    assert client.meta.service_model.service_name == "sts"
    with pytest.raises(UnknownNameError, match="did you mean sts"):
        model_client("stz", config=Config())


def test_a_service_the_installed_botocore_lacks_gets_stub_endpoint_rules(sts_raw: dict) -> None:
    folder = model_folder("not-a-real-service", "2020-01-01", sts_raw)
    try:
        rules = json.loads(
            (folder / "not-a-real-service" / "2020-01-01" / "endpoint-rule-set-1.json").read_text()
        )
        assert rules["rules"][0]["endpoint"]["url"].startswith("https://")
    finally:
        import shutil

        shutil.rmtree(folder)


@pytest.fixture(scope="module")
def sts_raw() -> dict:
    import botocore.session

    loader = botocore.session.get_session().get_component("data_loader")
    return loader.load_service_model("sts", "service-2")
