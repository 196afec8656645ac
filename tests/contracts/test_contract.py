import jsonschema
import pytest
import yaml

from botocontract.contracts.contract import (
    Contract,
    ContractError,
    contract_json_schema,
    load_contract,
    member_segments,
    save_contract,
)
from botocontract.errors import EXIT_USAGE


def sample() -> Contract:
    c = Contract()
    c.add("sagemaker", "CreateModel", request={"ModelName", "PrimaryContainer.Image"}, response={"ModelArn"})
    c.add("s3", "ListObjectsV2", request={"Bucket"}, response={"Contents[].Key"})
    return c


def test_schema_is_valid_draft_2020_12_and_accepts_what_we_write():
    schema = contract_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(sample().as_dict(), schema)


def test_round_trip(tmp_path):
    path = tmp_path / "contracts.yaml"
    save_contract(sample(), path)
    loaded = load_contract(path)
    assert loaded.as_dict() == sample().as_dict()
    assert loaded.operation("s3", "ListObjectsV2").response == {"Contents[].Key"}


def test_save_merges_with_existing_file(tmp_path):
    path = tmp_path / "contracts.yaml"
    save_contract(sample(), path)
    extra = Contract()
    extra.add("sagemaker", "CreateModel", request={"Tags[].Key"})
    extra.add("sagemaker", "DescribeModel", response={"PrimaryContainer.Image"})
    merged = save_contract(extra, path)
    on_disk = load_contract(path)
    assert on_disk.as_dict() == merged.as_dict()
    assert on_disk.operation("sagemaker", "CreateModel").request == {
        "ModelName",
        "PrimaryContainer.Image",
        "Tags[].Key",
    }
    assert on_disk.operation("sagemaker", "DescribeModel").response == {"PrimaryContainer.Image"}
    assert on_disk.operation("s3", "ListObjectsV2") is not None


def test_save_without_merge_replaces(tmp_path):
    path = tmp_path / "c.yaml"
    save_contract(sample(), path)
    only = Contract()
    only.add("sqs", "SendMessage", request={"QueueUrl"})
    save_contract(only, path, merge=False)
    assert sorted(load_contract(path).services) == ["sqs"]


def test_operation_without_body_and_empty_file(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("version: 1\nservices:\n  sqs:\n    operations:\n      SendMessage:\n")
    assert load_contract(path).operation("sqs", "SendMessage").request == set()
    empty = tmp_path / "empty.yaml"
    empty.write_text("")
    assert not load_contract(empty)


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("version: 2\nservices: {}\n", "version"),
        (
            "version: 1\nservices:\n  sqs:\n    operations:\n      SendMessage:\n        request: ['a..b']\n",
            "a..b",
        ),
        ("version: 1\nservices:\n  sqs:\n    ops: {}\n", "ops"),
        ("version: 1\nservices: [1, 2]\n", "services"),
        ("- just\n- a list\n", "mapping"),
        ("version: 1\nservices: {a: [\n", "YAML"),
    ],
)
def test_bad_files_are_user_errors(tmp_path, text, needle):
    path = tmp_path / "c.yaml"
    path.write_text(text)
    with pytest.raises(ContractError) as info:
        load_contract(path)
    assert needle in str(info.value)
    assert info.value.exit_code == EXIT_USAGE


def test_missing_file_is_a_user_error(tmp_path):
    with pytest.raises(ContractError, match="cannot read"):
        load_contract(tmp_path / "nope.yaml")


def test_member_segments_drop_list_and_map_marks():
    assert member_segments("Containers[].ImageConfig") == ("Containers", "ImageConfig")
    assert member_segments("Tags{}.Value") == ("Tags", "Value")
    assert member_segments("A[0].B") == ("A", "B")
    assert member_segments("") == ()


def test_written_file_is_yaml_with_header(tmp_path):
    path = tmp_path / "c.yaml"
    save_contract(sample(), path)
    text = path.read_text()
    assert text.startswith("# botocontract consumer contract")
    assert yaml.safe_load(text)["version"] == 1
