import pytest

from botocontract.contracts.check import check_contract
from botocontract.contracts.contract import Contract


def test_valid_contract_has_no_problems():
    c = Contract()
    c.add(
        "sagemaker",
        "CreateModel",
        request={
            "ModelName",
            "PrimaryContainer.ImageConfig.RepositoryAccessMode",
            "Containers[].Image",
            "Tags[].Key",
            "PrimaryContainer.Environment",
        },
    )
    c.add("dynamodb", "BatchGetItem", request={"RequestItems{}.Keys[]{}.S", "RequestItems{}.*"})
    c.add("sagemaker", "ListModels", response={"*"})
    result = check_contract(c)
    assert result.ok, [str(p) for p in result.problems]
    assert result.checked_paths == 8
    assert result.source_label.startswith("installed botocore")


@pytest.mark.parametrize(
    ("service", "operation", "request_path", "needle"),
    [
        ("sagemakr", "CreateModel", "ModelName", "did you mean sagemaker"),
        ("sagemaker", "CreateModl", "ModelName", "did you mean CreateModel"),
        (
            "sagemaker",
            "CreateModel",
            "PrimaryContainer.Imag",
            "no member 'Imag' in ContainerDefinition (did you mean Image",
        ),
        ("sagemaker", "CreateModel", "PrimaryContainer[].Image", "is a structure, not a list (drop '[]')"),
        ("sagemaker", "CreateModel", "Containers.Image", "Containers is a list: write Containers[].Image"),
        ("sagemaker", "CreateModel", "ModelName.Length", "cannot follow a string"),
    ],
)
def test_typos_get_suggestions(service, operation, request_path, needle):
    c = Contract()
    c.add(service, operation, request={request_path})
    [problem] = check_contract(c).problems
    assert needle in str(problem)


def test_response_paths_are_checked_against_the_output_shape():
    c = Contract()
    c.add("sagemaker", "DescribeModel", request={"ModelArn"}, response={"ModelArn"})
    [problem] = check_contract(c).problems
    assert problem.direction == "request" and "did you mean ModelName" in problem.message


def test_waiters_and_paginators_must_exist_too():
    from botocontract.contracts.check import check_contract
    from botocontract.contracts.contract import Contract

    c = Contract()
    c.add_waiter("s3", "ObjectExists", "HeadObject")
    c.add_waiter("s3", "ObjectExist")
    c.add_paginator("s3", "ListObjectsV2")
    c.paginators["s3"].add("ListObjectz")
    problems = [str(p) for p in check_contract(c).problems]
    assert problems == [
        "s3: no paginator 'ListObjectz' (did you mean ListObjects, ListObjectsV2, ListObjectVersions?)",
        "s3: no waiter 'ObjectExist' (did you mean ObjectExists, ObjectNotExists, BucketExists?)",
    ]
