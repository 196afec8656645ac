"""Round-tripped SageMaker DescribeModel responses per second, beside botocore's parse alone.

Three figures from one run over the same generated responses:
  parse      botocore's JSON parser on already-encoded responses (the baseline);
  wire       encode + botocore parse + normalize + compare (what the data-file tests do);
  client     the full :func:`roundtrip`: wire, plus a real client call through ``before-send``.
Target: client >= 100 responses/s.

    python benchmarks/bench_roundtrip.py [--examples N] [--seconds S]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

from botocore.parsers import create_parser
from hypothesis import HealthCheck, given, seed, settings

from botocontract.generators.client import client_for, roundtrip
from botocontract.generators.strategies import responses
from botocontract.generators.wire import (
    encode_response,
    expected_value,
    parse_wire,
    parsed_value,
    wire_differences,
)

SERVICE, OPERATION = "sagemaker", "DescribeModel"


def generated(count: int) -> list[dict[str, Any]]:
    """``count`` generated responses, the same ones every run."""
    values: list[dict[str, Any]] = []

    @seed(0)
    @settings(max_examples=count, database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @given(responses(SERVICE, OPERATION))
    def collect(value: dict[str, Any]) -> None:
        values.append(value)

    collect()
    return values


def rate(work: Callable[[dict[str, Any]], object], values: list[dict[str, Any]], seconds: float) -> float:
    """Calls per second of ``work`` cycling through ``values`` for about ``seconds``."""
    done, started = 0, time.perf_counter()
    while True:
        for value in values:
            work(value)
        done += len(values)
        elapsed = time.perf_counter() - started
        if elapsed >= seconds:
            return done / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()

    op = client_for(SERVICE).meta.service_model.operation_model(OPERATION)
    values = generated(args.examples)
    wires = {id(v): encode_response(op, v) for v in values}
    json_parser = create_parser("json")
    for value in values:  # every value must round trip before it is timed
        assert roundtrip(SERVICE, OPERATION, value)[1] == [], value

    def parse_only(value: dict[str, Any]) -> object:
        return json_parser.parse(wires[id(value)], op.output_shape)

    def wire(value: dict[str, Any]) -> object:
        encoded = encode_response(op, value)
        return wire_differences(
            OPERATION, expected_value(op, value, encoded), parsed_value(op, parse_wire(op, encoded))
        )

    def client(value: dict[str, Any]) -> object:
        return roundtrip(SERVICE, OPERATION, value)

    base = rate(parse_only, values, args.seconds)
    print(f"{len(values)} generated {SERVICE} {OPERATION} responses, about {args.seconds:.0f} s each")
    print(f"parse  (botocore parser alone)        {base:9.0f}/s  1.00x")
    for label, work in (
        ("wire   (encode+parse+compare)", wire),
        ("client (wire + real client call)", client),
    ):
        figure = rate(work, values, args.seconds)
        print(
            f"{label:<37} {figure:9.0f}/s  {figure / base:.2f}x of parse   target >= 100/s: "
            f"{'met' if figure >= 100 else 'MISSED'}"
        )


if __name__ == "__main__":
    main()
