"""What the gate and the recorder cost, next to their baselines, in one run.

1. Gate: a contract limits the diff to the contract's services. Baseline: the same gate with no contract
   (every changed service of the pair diffed). Target: the contract gate at least 2x faster.
2. Recorder: client calls through a ``Stubber`` with the recorder installed. Baseline: the same calls
   without it. Target: at most 1.5x.

Downloads happen before the clock starts (the pair is resolved once first).

    python benchmarks/bench_gate.py [--pair 1.17.42 1.17.43] [--calls 2000]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

import boto3
from botocore.stub import Stubber

from botocontract.changes.engine import diff_sources
from botocontract.contracts import Contract, Recorder, gate


def timed(func: Callable[[], Any], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return best


def bench_gate(old: str, new: str) -> None:
    contract = Contract()
    contract.add("sagemaker", "CreateModel", request={"ModelName", "PrimaryContainer.Image"})
    contract.add("sagemaker", "DescribeModel", response={"PrimaryContainer.Image"})
    diff_sources(old, new, services=["sagemaker"])  # resolve (and download) before timing

    def with_contract() -> None:
        gate(diff_sources(old, new, services=sorted(contract.services)), contract)

    def without() -> None:
        gate(diff_sources(old, new))

    t_contract, t_all = timed(with_contract), timed(without)
    print(
        f"gate {old} -> {new}: with contract {t_contract:.3f} s, baseline (all services) {t_all:.3f} s, "
        f"speed-up {t_all / t_contract:.1f}x (target >= 2x)"
    )


def bench_recorder(calls: int) -> None:
    response = {
        "ModelName": "m",
        "ModelArn": "arn:aws:sagemaker:us-east-1:1:model/m",
        "CreationTime": "2020-01-01",
        "ExecutionRoleArn": "arn:aws:iam::1:role/r",
        "PrimaryContainer": {"Image": "i"},
    }

    def run() -> None:
        client = boto3.client(
            "sagemaker", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
        )
        with Stubber(client) as stub:
            for _ in range(calls):
                stub.add_response("describe_model", response, {"ModelName": "m"})
                client.describe_model(ModelName="m")

    baseline = timed(run)
    with Recorder():
        recorded = timed(run)
    print(
        f"{calls} stubbed calls: recorded {recorded:.3f} s, baseline {baseline:.3f} s, "
        f"ratio {recorded / baseline:.2f}x (target <= 1.5x)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pair", nargs=2, default=["1.17.42", "1.17.43"], metavar=("OLD", "NEW"))
    parser.add_argument("--calls", type=int, default=2000)
    args = parser.parse_args()
    bench_gate(*args.pair)
    bench_recorder(args.calls)


if __name__ == "__main__":
    main()
