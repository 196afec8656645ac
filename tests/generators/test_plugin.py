"""The pytest plugin: user code fed schema-valid responses through a real client."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError
from botocore.response import StreamingBody

from botocontract.errors import BotocontractError


def queue_url(client: Any, name: str) -> str:
    """A sample of user code with a real bug: QueueUrl is optional in the model."""
    return client.get_queue_url(QueueName=name)["QueueUrl"]


def summarize_safely(client: Any, name: str) -> str:
    model = client.describe_model(ModelName=name)
    image = (model.get("PrimaryContainer") or {}).get("Image", "?")
    return f"{model['ModelName']} runs {image}"


def test_fuzzing_finds_the_missing_optional_member(botocontract_responses: Any) -> None:
    fuzzer = botocontract_responses("sqs", "GetQueueUrl")
    with pytest.raises(KeyError) as info:
        fuzzer.check(lambda client, response: queue_url(client, "q"), max_examples=30)
    notes = "\n".join(getattr(info.value, "__notes__", []))
    # shrunk to the minimal response: the optional member left out
    assert "GetQueueUrl response: {}" in notes and "seed=0" in notes


def test_fuzzing_passes_robust_code(botocontract_responses: Any) -> None:
    seen: list[str] = []

    def check(client: Any, response: dict[str, Any]) -> None:
        seen.append(summarize_safely(client, "m"))
        assert seen[-1].startswith(response["ModelName"])

    botocontract_responses("sagemaker", "DescribeModel").check(check, max_examples=20)
    assert len(seen) >= 10


def test_fake_client_goes_through_the_wire(botocontract_fake: Any) -> None:
    fake = botocontract_fake("s3")
    fake.add_response("GetObject", {"Body": b"hello", "ContentLength": 5, "Metadata": {"k": "v"}})
    out = fake.client.get_object(Bucket="b", Key="k")
    assert isinstance(out["Body"], StreamingBody) and out["Body"].read() == b"hello"
    assert out["Metadata"] == {"k": "v"}
    fake.add_error("GetObject", "NoSuchKey", "gone", status=404)
    with pytest.raises(fake.client.exceptions.NoSuchKey):
        fake.client.get_object(Bucket="b", Key="k")
    with pytest.raises(BotocontractError, match="no queued response"):
        fake.client.get_object(Bucket="b", Key="k")
    fake.add_error("GetObject", "SlowDown", "later", status=503)
    with pytest.raises(ClientError):
        fake.client.get_object(Bucket="b", Key="k")


def test_fake_drops_a_response_an_earlier_example_left_unused(botocontract_fake: Any) -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    fake = botocontract_fake("sqs")
    answers: list[tuple[int, str]] = []

    @settings(max_examples=20, database=None, derandomize=True)
    @given(st.integers(0, 10_000))
    def example(n: int) -> None:
        fake.add_response("GetQueueUrl", {"QueueUrl": f"u{n}"})
        if n % 2:
            return  # this example ends before calling AWS: its response must not reach the next one
        answers.append((n, fake.client.get_queue_url(QueueName="q")["QueueUrl"]))

    example()
    assert answers and all(url == f"u{n}" for n, url in answers)


def test_responses_fixture_reports_the_response_the_code_saw(botocontract_responses: Any) -> None:
    calls: list[str] = []

    def sometimes(client: Any, response: dict[str, Any]) -> None:
        if len(calls) % 2 == 0:
            calls.append("skipped")
            return
        calls.append(client.get_queue_url(QueueName="q").get("QueueUrl", ""))
        assert calls[-1] == response.get("QueueUrl", "")

    botocontract_responses("sqs", "GetQueueUrl").check(sometimes, max_examples=10)


def test_a_crash_inside_botocores_own_handler_is_not_blamed_on_the_user(botocontract_responses: Any) -> None:
    """botocore's ListObjectsV2 url-decoding handler raises KeyError on a response with EncodingType but
    no Prefix: a botocore bug met by a schema-valid response, while the user's code only made the call."""
    from botocontract.generators.plugin import BotocoreCrash

    fuzzer = botocontract_responses("s3", "ListObjectsV2")
    with pytest.raises(BotocoreCrash, match=r"botocore/handlers\.py:\d+ in _decode_list_object") as info:
        fuzzer.check(lambda client, response: client.list_objects_v2(Bucket="b"), max_examples=30)
    assert isinstance(info.value.__cause__, KeyError)
    assert "not a bug in the function under test" in str(info.value)


def test_the_users_own_bug_is_still_theirs(botocontract_responses: Any) -> None:
    """A KeyError in the user's function (not inside botocore) keeps its type."""
    fuzzer = botocontract_responses("sqs", "GetQueueUrl")
    with pytest.raises(KeyError):
        fuzzer.check(lambda client, response: queue_url(client, "q"), max_examples=30)
