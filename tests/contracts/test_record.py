import boto3
import botocore.session
import pytest
from botocore.client import BaseClient
from botocore.exceptions import ClientError
from botocore.stub import Stubber

from botocontract.contracts.record import Recorder, member_paths


def test_member_paths_follow_shapes():
    model = botocore.session.get_session().get_service_model("sagemaker").operation_model("CreateModel")
    params = {
        "ModelName": "m",
        "PrimaryContainer": {"Image": "i", "Environment": {"K": "v"}, "NotModelled": 1},
        "Containers": [{"Image": "a"}, {"ModelDataUrl": "s3://b/c"}],
        "Tags": [{"Key": "k", "Value": "v"}],
    }
    assert set(member_paths(params, model.input_shape)) == {
        "ModelName",
        "PrimaryContainer",
        "PrimaryContainer.Image",
        "PrimaryContainer.Environment",
        "Containers",
        "Containers[].Image",
        "Containers[].ModelDataUrl",
        "Tags",
        "Tags[].Key",
        "Tags[].Value",
    }


def test_map_of_structures_is_written_with_braces():
    model = botocore.session.get_session().get_service_model("dynamodb").operation_model("BatchGetItem")
    params = {"RequestItems": {"t": {"Keys": [{"pk": {"S": "1"}}], "ProjectionExpression": "a"}}}
    paths = set(member_paths(params, model.input_shape))
    assert {
        "RequestItems",
        "RequestItems{}.Keys",
        "RequestItems{}.ProjectionExpression",
        "RequestItems{}.Keys[]{}.S",
    } <= paths


def test_records_stubbed_calls_on_every_new_client_and_uninstalls():
    original = BaseClient.__init__
    with Recorder() as rec:
        a = boto3.client("sagemaker", region_name="us-east-1")
        b = botocore.session.Session().create_client("sagemaker", region_name="eu-west-1")
        with Stubber(a) as sa, Stubber(b) as sb:
            sa.add_response(
                "describe_model",
                {
                    "ModelName": "m",
                    "ModelArn": "arn:aws:sagemaker:us-east-1:123456789012:model/m",
                    "ExecutionRoleArn": "arn:aws:iam::123456789012:role/r",
                    "CreationTime": "2020-01-01",
                    "PrimaryContainer": {"Image": "i"},
                },
            )
            sb.add_client_error("create_model", "ValidationException", "nope")
            described = a.describe_model(ModelName="m")
            assert described["PrimaryContainer"]["Image"] == "i" and described.get("ModelArn")
            with pytest.raises(ClientError):
                b.create_model(
                    ModelName="m",
                    ExecutionRoleArn="arn:aws:iam::123456789012:role/r",
                    PrimaryContainer={"Image": "x"},
                )
    assert BaseClient.__init__ is original
    describe = rec.contract.operation("sagemaker", "DescribeModel")
    assert describe.request == {"ModelName"}
    # What the code read, not what the stub sent back (ExecutionRoleArn, CreationTime were not read).
    assert describe.response == {"PrimaryContainer", "PrimaryContainer.Image", "ModelArn"}
    assert "ResponseMetadata" not in describe.response
    create = rec.contract.operation("sagemaker", "CreateModel")
    assert create.request == {"ModelName", "ExecutionRoleArn", "PrimaryContainer", "PrimaryContainer.Image"}
    assert create.response == set()  # an error response is not something the application reads
    assert rec.calls == 2
    # Clients created after uninstall are not recorded.
    c = boto3.client("sagemaker", region_name="us-east-1")
    with Stubber(c) as sc:
        sc.add_response("list_models", {"Models": []})
        c.list_models()
    assert rec.contract.operation("sagemaker", "ListModels") is None


def test_install_twice_is_harmless():
    rec = Recorder()
    rec.install()
    rec.install()
    try:
        c = boto3.client("sqs", region_name="us-east-1")
        with Stubber(c) as s:
            s.add_response("list_queues", {"QueueUrls": ["u"]})
            assert c.list_queues(QueueNamePrefix="p")["QueueUrls"] == ["u"]
    finally:
        rec.uninstall()
    assert rec.calls == 1
    assert rec.contract.operation("sqs", "ListQueues").response == {"QueueUrls"}


def _table(client):
    return {
        "Table": {
            "TableName": "tab",
            "TableStatus": "ACTIVE",
            "ItemCount": 3,
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        }
    }


def test_only_the_members_the_code_reads_are_recorded():
    with Recorder() as rec:
        c = boto3.client("dynamodb", region_name="us-east-1")
        with Stubber(c) as s:
            s.add_response("describe_table", _table(c))
            table = c.describe_table(TableName="t")["Table"]
            assert table["TableName"] == "tab"
    assert rec.contract.operation("dynamodb", "DescribeTable").response == {"Table", "Table.TableName"}


def test_reads_through_lists_maps_get_and_iteration():
    with Recorder() as rec:
        c = boto3.client("dynamodb", region_name="us-east-1")
        with Stubber(c) as s:
            s.add_response("describe_table", _table(c))
            s.add_response("get_item", {"Item": {"pk": {"S": "1"}}})
            out = c.describe_table(TableName="t")
            keys = [k["AttributeName"] for k in out["Table"]["KeySchema"]]
            missing = out["Table"].get("TableArn")
            item = c.get_item(TableName="t", Key={"pk": {"S": "1"}})
            values = [v.get("S") for v in item["Item"].values()]
    assert keys == ["pk"] and missing is None and values == ["1"]
    assert rec.contract.operation("dynamodb", "DescribeTable").response == {
        "Table",
        "Table.KeySchema",
        "Table.KeySchema[].AttributeName",
        "Table.TableArn",
    }
    assert rec.contract.operation("dynamodb", "GetItem").response == {"Item", "Item{}", "Item{}.S"}


def test_tracked_responses_still_behave_like_dicts():
    import copy
    import json

    with Recorder():
        c = boto3.client("dynamodb", region_name="us-east-1")
        with Stubber(c) as s:
            s.add_response("describe_table", _table(c))
            out = c.describe_table(TableName="t")
    assert isinstance(out, dict) and out["Table"]["ItemCount"] == 3
    assert json.loads(json.dumps(out, default=str))["Table"]["TableName"] == "tab"
    assert type(copy.deepcopy(out)) is dict and copy.deepcopy(out) == out


def test_setup_calls_are_marked_and_dropped_once_the_code_uses_them():
    rec = Recorder()
    with rec:
        c = boto3.client("sqs", region_name="us-east-1")
        with Stubber(c) as s:
            rec.phase = "setup"
            s.add_response("create_queue", {"QueueUrl": "u"})
            s.add_response("list_queues", {"QueueUrls": ["u"]})
            c.create_queue(QueueName="q")["QueueUrl"]
            c.list_queues()
            rec.phase = "call"
            s.add_response("list_queues", {"QueueUrls": ["u"]})
            c.list_queues(QueueNamePrefix="p")
    assert rec.contract.operation("sqs", "CreateQueue").setup is True
    listing = rec.contract.operation("sqs", "ListQueues")
    assert listing.setup is False and listing.request == {"QueueNamePrefix"}
    assert rec.contract.as_dict()["services"]["sqs"]["operations"]["CreateQueue"]["setup"] is True


def test_paginators_and_waiters_are_contract_entries():
    original = BaseClient.get_paginator
    with Recorder() as rec:
        c = boto3.client("s3", region_name="us-east-1")
        with Stubber(c) as s:
            s.add_response("list_objects_v2", {"Contents": [{"Key": "a"}], "IsTruncated": False})
            s.add_response("head_object", {"ContentLength": 1, "ResponseMetadata": {"HTTPStatusCode": 200}})
            keys = [o["Key"] for page in c.get_paginator("list_objects_v2").paginate(Bucket="b")
                    for o in page["Contents"]]  # fmt: skip
            c.get_waiter("object_exists").wait(Bucket="b", Key="a")
    assert keys == ["a"] and BaseClient.get_paginator is original
    assert rec.contract.paginators == {"s3": {"ListObjectsV2"}}
    assert rec.contract.waiters == {"s3": {"ObjectExists"}}
    assert "Contents[].Key" in rec.contract.operation("s3", "ListObjectsV2").response
    assert rec.contract.operation("s3", "HeadObject").request == {"Bucket", "Key"}
