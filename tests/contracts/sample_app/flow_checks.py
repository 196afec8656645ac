"""The sample application's own tests, run in a subprocess with the botocontract recorder on.

``SAMPLE_APP_PRIVATE_REGISTRY=1`` makes the application send (and so read back) ``ImageConfig``.
"""

import os

import boto3
from moto import mock_aws

from tests.contracts.sample_app.app import access_mode, deploy, image_of


@mock_aws
def test_deploy_and_read_back() -> None:
    client = boto3.client("sagemaker", region_name="us-east-1")
    private = os.environ.get("SAMPLE_APP_PRIVATE_REGISTRY") == "1"
    arn = deploy(
        client, "sample-model", "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1", private_registry=private
    )
    assert arn.endswith("model/sample-model")
    assert image_of(client, "sample-model").endswith("/app:1")
    if private:
        access_mode(client, "sample-model")
