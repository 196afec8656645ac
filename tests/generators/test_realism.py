"""Generated requests are ones a real botocore client sends: measured with the client's own checks."""

from __future__ import annotations

import pytest
from botocore.exceptions import EndpointResolutionError, ParamValidationError

from botocontract.generators.acceptance import _Accepted, client_acceptance, real_client, refusal
from botocontract.generators.realism import arn_pattern, realism_for
from botocontract.specs.lookup import service_model


@pytest.mark.parametrize(
    ("service", "operation"),
    [
        ("s3", "PutObject"),  # bucket-name handler
        ("s3", "PutBucketTagging"),  # checksum algorithm member
        ("kinesis", "PutRecord"),  # ARN member bound to the endpoint rule set
        ("s3control", "GetAccessPoint"),  # host-prefix label and account id
        ("sagemaker", "CreateModel"),
    ],
)
def test_a_real_client_accepts_generated_requests(service: str, operation: str) -> None:
    result = client_acceptance(service, operation, examples=60)
    assert result.total == 60
    assert result.share >= 0.99, result.line()


def test_the_measurement_sees_what_the_client_refuses() -> None:
    """The before-call cut-off is reached only by requests the client would send."""
    s3 = real_client("s3")
    with pytest.raises(_Accepted):
        s3.put_object(Bucket="my-bucket", Key="k", Body=b"")
    with pytest.raises(ParamValidationError) as bad_bucket:
        s3.put_object(Bucket="not a bucket!", Key="k", Body=b"")
    assert "bucket name" in refusal(bad_bucket.value)
    with pytest.raises(EndpointResolutionError):
        real_client("kinesis").put_record(
            StreamARN="arn:awsX:kinesis::123456789012:stream/s", Data=b"", PartitionKey="p"
        )


def test_client_side_rules_are_read_from_botocore_data() -> None:
    put = realism_for("s3", service_model("s3").operation_model("PutObject"))
    assert put["Bucket"].pattern  # botocore's VALID_BUCKET
    assert "CRC32" in (put["ChecksumAlgorithm"].enum or ())
    record = realism_for("kinesis", service_model("kinesis").operation_model("PutRecord"))
    assert record["StreamARN"].pattern == r"arn:aws:kinesis:us\-east\-1:\d{12}:stream/\S+"
    assert realism_for("sagemaker", service_model("sagemaker").operation_model("CreateModel")) == {}


@pytest.mark.parametrize(
    ("pattern", "steered"),
    [
        (
            r"^arn:aws[a-z-]*:kinesis:[a-z0-9-]+:[0-9]{12}:stream/.+$",
            r"^arn:aws:kinesis:us\-east\-1:[0-9]{12}:stream/.+$",
        ),
        (r"arn:(aws|aws-cn):s3:::[a-z]+", r"arn:aws:s3:::[a-z]+"),  # region must stay empty: kept
        (r"[a-z]+", None),
        (r"arn:aws:iam::[0-9]{12}:role/(?:[a-z]+:)?x", None),  # no region field to fix, partition fixed
    ],
)
def test_arn_patterns_take_the_clients_partition_and_region(pattern: str, steered: str | None) -> None:
    assert arn_pattern(pattern) == steered
