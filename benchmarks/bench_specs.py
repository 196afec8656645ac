"""Listing + normalizing every service of a release, beside a plain ``json.loads`` of the same files.

Targets (issue "Foundation"): normalizing everything costs at most 3x the plain parse; loading one
service from a cached release wheel takes under 50 ms.

    python benchmarks/bench_specs.py [--source 1.40.20]
"""

from __future__ import annotations

import argparse
import gzip
import json
import time

from botocontract.specs import resolve_source
from botocontract.specs.sources import Source


def plain_parse(source: Source, keep: bool = True) -> float:
    """json.loads of every newest-version service-2 file, the floor any loader pays.

    ``keep`` holds every parsed model until the end, as any loader of all models must (the normalized
    specs are held too); dropping each one lets the allocator reuse memory, which no real loader gets.
    """
    kept = []
    start = time.perf_counter()
    for name in source.service_names():
        version = source.api_versions(name)[-1]
        rel = source._tree[name][version]["service"]
        data = source._files.read(rel)
        parsed = json.loads(gzip.decompress(data) if rel.endswith(".gz") else data)
        if keep:
            kept.append(parsed)
    elapsed = time.perf_counter() - start
    del kept
    return elapsed


def normalize_all(label: str) -> float:
    """A fresh source: list services, load and normalize every one (shapes and operations)."""
    from botocontract.specs import sources

    sources._SOURCES.clear()
    start = time.perf_counter()
    source = resolve_source(label)
    for info in source.services():
        spec = source.service(info.name)
        _ = spec.shapes, spec.operations
    return time.perf_counter() - start


def one_service(label: str, name: str) -> float:
    from botocontract.specs import sources

    sources._SOURCES.clear()
    start = time.perf_counter()
    spec = resolve_source(label).service(name)
    _ = spec.shapes, spec.operations
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--source", default="installed")
    parser.add_argument("--release", default="1.17.43", help="a cached release for the one-service figure")
    parser.add_argument("--service", default="sagemaker")
    args = parser.parse_args()
    source = resolve_source(args.source)
    source.services()  # warm the listing cache and the OS page cache once
    base = min(plain_parse(source) for _ in range(3))
    dropped = min(plain_parse(source, keep=False) for _ in range(3))
    ours = min(normalize_all(args.source) for _ in range(3))
    print(f"source: {source.label} ({len(source.service_names())} services)")
    print(f"plain json.loads of every model, kept   : {base:7.3f} s   (baseline 1.00x)")
    print(f"plain json.loads of every model, dropped: {dropped:7.3f} s   ({dropped / base:.2f}x, reference)")
    print(
        f"list + load + normalize all             : {ours:7.3f} s   ({ours / base:.2f}x, target <= 3.00x; "
        f"{ours / dropped:.2f}x of the dropped parse)"
    )
    resolve_source(args.release)  # download once, outside the timing
    one = min(one_service(args.release, args.service) for _ in range(5))
    print(
        f"one service ({args.service}) from cached {args.release} wheel: {one * 1000:6.1f} ms   "
        f"(target < 50 ms, {one * 1000 / 50:.2f}x of target)"
    )


if __name__ == "__main__":
    main()
