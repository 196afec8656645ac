"""The pytest plugin, run in a real pytest subprocess over a small Stubber-based test file."""

import os
import subprocess
import sys
import textwrap

from botocontract.contracts.contract import Contract, load_contract, save_contract

TEST_FILE = textwrap.dedent(
    """
    import boto3
    from botocore.stub import Stubber

    def test_list_queues():
        client = boto3.client("sqs", region_name="us-east-1")
        with Stubber(client) as stub:
            stub.add_response("list_queues", {"QueueUrls": ["https://q/1"]})
            assert client.list_queues(QueueNamePrefix="app")["QueueUrls"]
    """
)


def run_pytest(tmp_path, *args, test_file=TEST_FILE):
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "test_app.py").write_text(test_file)
    env = {
        **os.environ,
        "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
        "AWS_ACCESS_KEY_ID": "x",
        "AWS_SECRET_ACCESS_KEY": "x",
    }
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "botocontract.contracts.plugin",
            "-p",
            "no:cacheprovider",
            *args,
            "test_app.py",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_records_and_merges_with_an_existing_file(tmp_path):
    existing = Contract()
    existing.add("sqs", "SendMessage", request={"QueueUrl", "MessageBody"})
    save_contract(existing, tmp_path / "contracts.yaml")
    proc = run_pytest(tmp_path, "--botocontract-record", "contracts.yaml")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (
        "botocontract: recorded contract to contracts.yaml (1 operation(s) from 1 call(s) in tests"
        in proc.stdout
    )
    contract = load_contract(tmp_path / "contracts.yaml")
    assert contract.operation("sqs", "ListQueues").request == {"QueueNamePrefix"}
    assert contract.operation("sqs", "ListQueues").response == {"QueueUrls"}
    assert contract.operation("sqs", "SendMessage").request == {"QueueUrl", "MessageBody"}


def test_off_by_default(tmp_path):
    proc = run_pytest(tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "botocontract" not in proc.stdout
    assert not (tmp_path / "contracts.yaml").exists()


def test_plugin_import_is_cheap():
    code = (
        "import sys, botocontract.contracts.plugin; print('botocore' in sys.modules, 'yaml' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


FIXTURE_AND_MOCK = textwrap.dedent(
    """
    from unittest import mock

    import boto3
    import pytest
    from botocore.stub import Stubber

    @pytest.fixture
    def queue():
        client = boto3.client("sqs", region_name="us-east-1")
        with Stubber(client) as stub:
            stub.add_response("create_queue", {"QueueUrl": "https://q/1"})
            url = client.create_queue(QueueName="q")["QueueUrl"]
            stub.add_response("send_message", {"MessageId": "m"})
            yield client, url

    def test_send(queue):
        client, url = queue
        assert client.send_message(QueueUrl=url, MessageBody="b")["MessageId"] == "m"
    """
)

ONLY_MOCKS = textwrap.dedent(
    """
    from unittest import mock

    def test_mocked():
        client = mock.MagicMock()
        client.list_queues.return_value = {"QueueUrls": []}
        assert client.list_queues()["QueueUrls"] == []
    """
)


def test_fixture_calls_are_marked_setup(tmp_path):
    proc = run_pytest(tmp_path, "--botocontract-record", "c.yaml", test_file=FIXTURE_AND_MOCK)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "1 operation(s) only from fixtures/setup, marked setup" in proc.stdout
    contract = load_contract(tmp_path / "c.yaml")
    assert contract.operation("sqs", "CreateQueue").setup
    send = contract.operation("sqs", "SendMessage")
    assert not send.setup and send.request == {"QueueUrl", "MessageBody"} and send.response == {"MessageId"}


def test_a_run_without_botocore_calls_says_so(tmp_path):
    proc = run_pytest(tmp_path, "--botocontract-record", "c.yaml", test_file=ONLY_MOCKS)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "no botocore call was seen in this run, so c.yaml was not written" in proc.stdout
    assert not (tmp_path / "c.yaml").exists()
