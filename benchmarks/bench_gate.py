"""What the gate and the recorder cost, next to their baselines, in one run.

1. Gate: a contract limits the diff to the contract's services. Baseline: the same gate with no contract
   (every changed service of the pair diffed). Target: the contract gate at least 2x faster.
1b. Contract gate at scale: ~100 operations over 10 services across one minor version (1.34.0 -> 1.35.0),
   warm cache. Target: under 3 s and 300 MB (peak of Python allocations), printed next to the full
   computation (every service, change dicts included) measured in the same run.
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


SERVICES = ["s3", "dynamodb", "sqs", "sns", "ec2", "lambda", "glue", "iam", "sts", "kms"]


def _fresh_process(args: list[str]) -> tuple[float, float]:
    """(seconds, peak RSS MB) of one ``botocontract`` command in a new process, as CI runs it."""
    import resource
    import subprocess
    import sys

    code = "import sys; from botocontract.cli import main; sys.argv[0] = 'botocontract'; main()"
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, *args], stdout=subprocess.DEVNULL, check=False)
    elapsed = time.perf_counter() - start
    peak = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before) / 1024
    return elapsed, peak


def bench_contract_gate(old: str, new: str) -> None:
    import tempfile

    from botocontract.contracts import save_contract
    from botocontract.specs import load_service

    contract = Contract()
    for name in SERVICES:
        spec = load_service(name, old)
        for op in sorted(spec.model.operation_names)[:10]:
            model = spec.model.operation_model(op)
            request = set(model.input_shape.required_members) if model.input_shape is not None else set()
            response = set(list(model.output_shape.members)[:3]) if model.output_shape is not None else set()
            contract.add(name, op, request=request, response=response)
    ops = sum(len(o) for o in contract.services.values())
    with tempfile.TemporaryDirectory() as tmp:
        path = f"{tmp}/contract.yaml"
        save_contract(contract, path, merge=False)
        gate_args = ["gate", "--from", old, "--to", new, "--format", "json"]
        _fresh_process([*gate_args, "--contract", path])  # warm the disk cache (downloads, listings)
        t_contract, m_contract = _fresh_process([*gate_args, "--contract", path])
        # Peak RSS of children is a high-water mark: measure the smaller run first.
        t_full, m_full = _fresh_process(gate_args)
    print(
        f"contract gate {old} -> {new}, {ops} operations in {len(contract.services)} services, "
        "fresh process: "
        f"{t_contract:.2f} s, {m_contract:.0f} MB peak RSS (target < 3 s, < 300 MB); full computation "
        f"(all services, no contract) {t_full:.2f} s, {m_full:.0f} MB; {t_full / t_contract:.0f}x faster"
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
    parser.add_argument("--minor", nargs=2, default=["1.34.0", "1.35.0"], metavar=("OLD", "NEW"))
    parser.add_argument("--calls", type=int, default=2000)
    args = parser.parse_args()
    bench_gate(*args.pair)
    bench_contract_gate(*args.minor)
    bench_recorder(args.calls)


if __name__ == "__main__":
    main()
