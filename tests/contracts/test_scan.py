import textwrap

import pytest

from botocontract.contracts.scan import scan_paths, scan_source
from botocontract.errors import BotocontractError

APP = textwrap.dedent(
    """
    import boto3

    sm = boto3.client("sagemaker", region_name="us-east-1")

    class Store:
        def __init__(self, session):
            self.s3 = session.client(service_name="s3")

        def run(self):
            self.s3.put_object(Bucket="b", Key="k", Body=b"x")
            listing = self.s3.list_objects_v2(Bucket="b", Prefix="p/")
            first = listing["Contents"][0]["Key"]
            pages = self.s3.get_paginator("list_buckets")
            return first, pages

    def deploy(extra):
        sm.create_model(
            ModelName="m",
            PrimaryContainer={"Image": "i", "ImageConfig": {"RepositoryAccessMode": "Vpc"},
                              "Environment": {"A": "1"}},
            Tags=[{"Key": "k", "Value": "v"}],
            **extra,
        )
        described = sm.describe_model(ModelName="m")
        return described["PrimaryContainer"].get("Image"), described.get("ModelArn"), described["Nope"]

    boto3.client("not-a-service").do_things()
    boto3.client("sqs").send_message(QueueUrl="u", MessageBody="b")
    """
)


def test_scan_finds_operations_and_paths():
    result = scan_source(APP, filename="app.py")
    c = result.contract
    assert sorted(c.services) == ["s3", "sagemaker", "sqs"]
    assert c.operation("s3", "PutObject").request == {"Bucket", "Key", "Body"}
    assert c.operation("s3", "ListObjectsV2").request == {"Bucket", "Prefix"}
    assert c.operation("s3", "ListObjectsV2").response == {"Contents", "Contents[].Key"}
    assert c.operation("s3", "ListBuckets") is not None  # via get_paginator
    create = c.operation("sagemaker", "CreateModel")
    assert create.request == {
        "ModelName",
        "PrimaryContainer",
        "PrimaryContainer.Image",
        "PrimaryContainer.ImageConfig",
        "PrimaryContainer.ImageConfig.RepositoryAccessMode",
        "PrimaryContainer.Environment",
        "Tags",
        "Tags[].Key",
        "Tags[].Value",
    }
    # Unknown response keys are not invented; known ones are.
    assert c.operation("sagemaker", "DescribeModel").response == {
        "PrimaryContainer",
        "PrimaryContainer.Image",
        "ModelArn",
    }
    assert c.operation("sqs", "SendMessage").request == {"QueueUrl", "MessageBody"}
    notes = "\n".join(result.notes)
    assert "app.py:18: CreateModel: **kwargs not followed" in notes
    assert "unknown service 'not-a-service'" in notes


def test_scan_paths_walks_folders_and_skips_venvs(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "a.py").write_text('import boto3\nboto3.client("sqs").list_queues()\n')
    (tmp_path / ".venv" / "lib").mkdir(parents=True)
    (tmp_path / ".venv" / "lib" / "b.py").write_text('import boto3\nboto3.client("sns").list_topics()\n')
    (tmp_path / "broken.py").write_text("def (:\n")
    result = scan_paths([tmp_path])
    assert result.files == 1
    assert sorted(result.contract.services) == ["sqs"]
    assert any("broken.py:1: not Python" in n for n in result.notes)


def test_scan_missing_path_is_a_user_error(tmp_path):
    with pytest.raises(BotocontractError, match="nothing to scan"):
        scan_paths([tmp_path / "nope"])
