"""Examples per second of the native strategies beside hypothesis-jsonschema and a plain baseline.

Run: ``python benchmarks/bench_strategies.py [--examples 300]``. Every figure is a ``@given`` run with
``phases=[generate]`` (the engine's real per-example cost, no ``.example()``), warm (compiled), in
examples per CPU second of this process (the median of ``--repeat`` runs), so the ratios hold on a busy
machine. Targets: at least 300 valid
SageMaker CreateModel requests/s, and DescribeModel response generation well above 100/s so that
encode + parse still fit in a 100 round trips/s budget. Then the client-acceptance figure: the share of
generated requests a real botocore client would send (its handlers, endpoint resolution, validation and
serialization all run; a ``before-call`` handler stops it), for 20 operations chosen for their client-side
checks (S3 bucket names, ARN members bound to endpoint rules, host prefixes, checksums) and protocols.
Target: at least 99% for each.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
import warnings
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from botocontract.generators.strategies import compiler_for, requests, responses


def rate(strategy: SearchStrategy[Any], examples: int, sink: list[Any] | None = None) -> float:
    """Examples per CPU second (this process only, so other load on the machine does not count)."""
    count = [0]

    @settings(
        max_examples=examples,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def run(value: Any) -> None:
        count[0] += 1
        if sink is not None:
            sink.append(value)

    started = time.process_time()
    run()
    return count[0] / (time.process_time() - started)


def jsonschema_strategy(service: str, operation: str, direction: str) -> tuple[str, SearchStrategy[Any]]:
    """hypothesis-jsonschema on the project's exported schema, or a plain ``st.builds`` baseline."""
    try:
        from hypothesis_jsonschema import from_schema

        from botocontract.specs.schema import to_json_schema

        strategy = from_schema(to_json_schema(service, operation, direction))
        rate(strategy, 2)  # fails here on recursive refs, Java-only patterns or new hypothesis
        return "hypothesis-jsonschema", strategy
    except Exception as error:
        reason = f"{type(error).__name__}: {str(error)[:80]}"
        op = compiler_for(service).model.operation_model(operation)
        shape = op.input_shape if direction == "input" else op.output_shape
        members = {name: st.text(max_size=20) for name in shape.required_members}
        return f"plain st.builds baseline (hypothesis-jsonschema failed: {reason})", st.builds(
            dict, **members
        )


def validity(service: str, operation: str, direction: str, values: list[Any]) -> str:
    from botocontract.specs.validate import validate

    valid = sum(not validate(service, operation, direction, v) for v in values)
    return f"{valid}/{len(values)} valid"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--examples", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure; the median is shown")
    parser.add_argument(
        "--baseline-examples", type=int, default=20, help="hypothesis-jsonschema needs seconds per example"
    )
    parser.add_argument("--acceptance-examples", type=int, default=100, help="requests per operation")
    args = parser.parse_args()
    n = args.examples
    warnings.simplefilter("ignore")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; examples per CPU second")

    rows: list[tuple[str, float, str]] = []

    def measure(
        label: str,
        make: Callable[[], SearchStrategy[Any]],
        check: tuple[str, str, str] | None,
        count: int = n,
        repeat: int = args.repeat,
    ) -> float:
        strategy = make()
        started = time.process_time()
        rate(strategy, 1)
        cold = time.process_time() - started
        sink: list[Any] = []
        value = statistics.median(rate(strategy, count, sink) for _ in range(max(1, repeat)))
        note = f"{count} examples, first {cold * 1000:.0f} ms"
        if check is not None:
            note += ", " + validity(*check, sink[:count])
        rows.append((label, value, note))
        print(f"  {label}: {value:.1f} examples/s ({note})", flush=True)
        return value

    ours_req = measure(
        "ours: sagemaker CreateModel requests",
        lambda: requests("sagemaker", "CreateModel"),
        ("sagemaker", "CreateModel", "input"),
    )
    name, other = jsonschema_strategy("sagemaker", "CreateModel", "input")
    theirs_req = measure(
        f"{name}: CreateModel",
        lambda: other,
        ("sagemaker", "CreateModel", "input"),
        args.baseline_examples,
        repeat=1,  # seconds per example: one run is enough to see the ratio
    )
    ours_resp = measure(
        "ours: sagemaker DescribeModel responses",
        lambda: responses("sagemaker", "DescribeModel"),
        ("sagemaker", "DescribeModel", "output"),
    )
    name, other = jsonschema_strategy("sagemaker", "DescribeModel", "output")
    theirs_resp = measure(f"{name}: DescribeModel", lambda: other, None, args.baseline_examples, repeat=1)
    floor = measure("hypothesis floor: st.text()", st.text, None)

    width = max(len(r[0]) for r in rows)
    for label, value, note in rows:
        print(f"{label:<{width}}  {value:8.1f} examples/CPU-s   ({note})")
    print(f"ratio CreateModel ours / other:     {ours_req / theirs_req:6.2f}x")
    print(f"ratio DescribeModel ours / other:   {ours_resp / theirs_resp:6.2f}x")
    print(f"ours CreateModel vs engine floor:   {ours_req / floor:6.2f} of st.text()'s rate")
    print(f"target >= 300 CreateModel/s: {'met' if ours_req >= 300 else 'NOT met'} ({ours_req:.0f}/s)")
    budget = 1 / 100 - 1 / ours_resp
    print(
        f"DescribeModel: generation leaves {budget * 1000:.1f} ms of each 10 ms round trip for encode+parse"
    )
    client_acceptance_figure(args.acceptance_examples)


#: Operations whose clients check more than the model says (and one per protocol).
ACCEPTANCE_OPERATIONS = [
    ("s3", "PutObject"),  # bucket-name handler, checksum algorithm, rest-xml
    ("s3", "ListObjectsV2"),
    ("s3", "PutBucketLifecycleConfiguration"),  # required content checksum
    ("s3control", "GetAccessPoint"),  # host-prefix label, AccountId bound to the rule set
    ("s3control", "ListRegionalBuckets"),  # OutpostId resolved only together with AccountId
    ("kinesis", "PutRecord"),  # StreamARN bound to the rule set
    ("kinesis", "SubscribeToShard"),  # ConsumerARN
    ("events", "PutEvents"),  # EndpointId: multi-region endpoints need SigV4a
    ("sagemaker", "CreateModel"),
    ("lambda", "Invoke"),  # rest-json, blob payload
    ("lambda", "GetAlias"),
    ("dynamodb", "PutItem"),  # recursive AttributeValue
    ("sqs", "SendMessage"),  # json with query compatibility
    ("sns", "Publish"),  # query
    ("ec2", "RunInstances"),  # ec2 protocol, base64 user data handler
    ("iam", "CreateRole"),
    ("route53", "ChangeResourceRecordSets"),  # id-fixing handler
    ("glacier", "UploadArchive"),  # account-id handler, tree hash
    ("cloudwatch", "PutMetricData"),  # smithy-rpc-v2-cbor or query, request compression
    ("apigateway", "CreateRestApi"),
]


def client_acceptance_figure(examples: int) -> None:
    from botocontract.generators.acceptance import client_acceptance

    print(f"\nclient acceptance ({examples} generated requests each; real botocore client, no network):")
    shares = []
    for service, operation in ACCEPTANCE_OPERATIONS:
        result = client_acceptance(service, operation, examples=examples)
        shares.append(result.share)
        print(f"  {result.line()}", flush=True)
    below = sum(share < 0.99 for share in shares)
    verdict = "met" if not below else f"NOT met for {below}"
    print(f"target >= 99% accepted per operation: {verdict} (lowest {min(shares):.0%})")


if __name__ == "__main__":
    main()
