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
            a.describe_model(ModelName="m")
            with pytest.raises(ClientError):
                b.create_model(
                    ModelName="m",
                    ExecutionRoleArn="arn:aws:iam::123456789012:role/r",
                    PrimaryContainer={"Image": "x"},
                )
    assert BaseClient.__init__ is original
    describe = rec.contract.operation("sagemaker", "DescribeModel")
    assert describe.request == {"ModelName"}
    assert {"PrimaryContainer", "PrimaryContainer.Image", "ModelArn"} <= describe.response
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
            c.list_queues(QueueNamePrefix="p")
    finally:
        rec.uninstall()
    assert rec.calls == 1
    assert rec.contract.operation("sqs", "ListQueues").response == {"QueueUrls"}
