"""Validated responses per second: botocontract's validator beside botocore's ParamValidator and jsonschema.

Target (issue "Foundation"): at least 5,000 SageMaker ``DescribeModel``-sized responses per second, with
max, pattern and enum checked (which ParamValidator does not do). jsonschema runs the exported 2020-12
schema with a type checker that lets datetimes stand where the JSON form has strings.

    python benchmarks/bench_validate.py [--seconds 2]
"""

from __future__ import annotations

import argparse
import datetime
import time
from collections.abc import Callable
from typing import Any

from botocore.validate import ParamValidator
from jsonschema import Draft202012Validator, validators

from botocontract.specs import load_service
from botocontract.specs.schema import to_json_schema
from botocontract.specs.validate import Validator


def response(i: int) -> dict[str, Any]:
    """A DescribeModel response as boto3 returns it (varied so no cache of values helps)."""
    return {
        "ModelName": f"model-{i}",
        "PrimaryContainer": {
            "ContainerHostname": f"host-{i}",
            "Image": f"123456789012.dkr.ecr.us-east-1.amazonaws.com/image-{i}:latest",
            "ImageConfig": {"RepositoryAccessMode": "Platform"},
            "Mode": "SingleModel",
            "ModelDataUrl": f"s3://bucket/models/{i}/model.tar.gz",
            "Environment": {"SAGEMAKER_PROGRAM": "inference.py", "INDEX": str(i)},
        },
        "ExecutionRoleArn": "arn:aws:iam::123456789012:role/service-role/SageMakerRole",
        "VpcConfig": {"SecurityGroupIds": [f"sg-{i:08x}"], "Subnets": [f"subnet-{i:08x}", "subnet-0a1b2c3d"]},
        "CreationTime": datetime.datetime(2020, 8, 14, tzinfo=datetime.timezone.utc),
        "ModelArn": f"arn:aws:sagemaker:us-east-1:123456789012:model/model-{i}",
        "EnableNetworkIsolation": bool(i % 2),
        "DeploymentRecommendation": {"RecommendationStatus": "COMPLETED"},
    }


def rate(check: Callable[[dict[str, Any]], object], data: list[dict[str, Any]], seconds: float) -> float:
    """Responses validated per second over at least ``seconds``."""
    for item in data[:50]:
        check(item)  # warm up (compile, caches)
    done = 0
    start = time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        for item in data:
            check(item)
        done += len(data)
    return done / elapsed


def jsonschema_validator(schema: dict[str, Any]) -> Draft202012Validator:
    base = Draft202012Validator.TYPE_CHECKER
    checker = base.redefine(
        "string", lambda _checker, v: base.is_type(v, "string") or isinstance(v, datetime.datetime)
    )
    cls = validators.extend(Draft202012Validator, type_checker=checker)
    return cls(schema)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=2.0)
    args = parser.parse_args()

    service = load_service("sagemaker")
    shape = service.operation_model("DescribeModel").output_shape
    data = [response(i) for i in range(500)]

    ours = Validator.for_operation(service, "DescribeModel", "output")
    botocore_validator = ParamValidator()
    schema_validator = jsonschema_validator(to_json_schema(service, "DescribeModel", "output"))
    for item in data:
        assert ours.errors(item) == [], ours.errors(item)
        assert not botocore_validator.validate(item, shape).has_errors()
        assert schema_validator.is_valid(item), next(schema_validator.iter_errors(item)).message

    figures = {
        "botocontract Validator": rate(ours.errors, data, args.seconds),
        "botocore ParamValidator": rate(lambda d: botocore_validator.validate(d, shape), data, args.seconds),
        "jsonschema Draft202012Validator": rate(schema_validator.is_valid, data, args.seconds),
    }
    mine = figures["botocontract Validator"]
    print(f"SageMaker DescribeModel responses validated per second ({len(data)} distinct dicts):")
    for label, value in figures.items():
        print(f"  {label:34} {value:10,.0f}/s   botocontract is {mine / value:5.2f}x")
    print(f"  target 5,000/s: {'met' if mine >= 5000 else 'MISSED'}")


if __name__ == "__main__":
    main()
