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


def run_pytest(tmp_path, *args):
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "test_app.py").write_text(TEST_FILE)
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
    assert "botocontract: recorded contract to contracts.yaml (1 operation(s) from 1 call(s))" in proc.stdout
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
