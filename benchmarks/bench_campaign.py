"""What a full fuzz campaign costs: CPU seconds per operation on a sample of services, extrapolated.

    python benchmarks/bench_campaign.py [--examples 3] [--per-service 8] [SERVICE ...]

Times ``fuzz client``'s per-operation test (what ``fuzz campaign client`` runs once per operation) on
the first operations of each sampled service, in process CPU seconds (wall time on a busy machine
says little), then multiplies the mean by the number of operations in the installed release. Divide
by the worker count (``-n``) and the shard count for the wall time of a parallel campaign.
"""

from __future__ import annotations

import argparse
import statistics
import time

import botocore.session

from botocontract.generators.client import fuzz_operation

SAMPLE = ["sqs", "dynamodb", "s3", "lambda", "sagemaker", "ec2", "sso", "kinesis", "apigatewayv2", "glue"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("services", nargs="*", default=SAMPLE)
    parser.add_argument("--examples", type=int, default=3)
    parser.add_argument("--per-service", type=int, default=8)
    args = parser.parse_args()

    session = botocore.session.get_session()
    all_services = session.get_available_services()
    total_ops = sum(len(session.get_service_model(s).operation_names) for s in all_services)
    fuzz_operation("sso", "Logout", examples=1)  # imports and caches outside the measurement

    per_op: list[float] = []
    for service in args.services:
        names = sorted(session.get_service_model(service).operation_names)[: args.per_service]
        cpu = time.process_time()
        statuses = [fuzz_operation(service, op, examples=args.examples).status for op in names]
        spent = time.process_time() - cpu
        per_op.extend([spent / len(names)] * len(names))
        print(f"{service:14s} {len(names):3d} ops  {spent:7.2f} CPU s  {spent / len(names):6.3f} s/op  "
              f"{statuses.count('passed')} passed {statuses.count('failed')} failed "
              f"{statuses.count('skipped')} skipped")  # fmt: skip
    mean = statistics.fmean(per_op)
    print(f"sample: {len(per_op)} operations, mean {mean:.3f} CPU s/op (examples={args.examples})")
    print(f"full sweep: {len(all_services)} services, {total_ops} operations -> {mean * total_ops / 60:.0f} "
          f"CPU minutes; on 2 cores (-n 2) about {mean * total_ops / 120:.0f} min, "
          f"on a 4-job CI matrix of 2 cores each about {mean * total_ops / 480:.0f} min")  # fmt: skip


if __name__ == "__main__":
    main()
