"""How fast the structural diff is, next to its baselines, in one run.

Pair mode (default) diffs every service of a consecutive release pair and prints, beside it, (a) a plain
``json.loads`` of every model of both releases and (b) a naive ``DeepDiff`` of every changed raw model.
Targets: at most 1.5x (a), at least 5x faster than (b).

Walk mode (``--walk FROM TO``) diffs every consecutive pair of a release range with the pair cache
cleared, then again from the cache. Targets for 1.17.14 -> 1.17.63 (50 releases): under 30 s, rerun
under 3 s. Downloads happen before the clock starts.

    python benchmarks/bench_diff.py [--pair 1.17.42 1.17.43]
    python benchmarks/bench_diff.py --walk 1.17.14 1.17.63
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import resource
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from deepdiff import DeepDiff

from botocontract.changes.engine import diff_sources
from botocontract.changes.walk import pair_cache_path, release_range, walk
from botocontract.specs import resolve_source
from botocontract.specs.cache import cache_dir


def timed(func: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = func()
    return time.perf_counter() - start, result


def wheel(version: str) -> Path:
    resolve_source(version)  # downloads into the cache when missing
    (path,) = sorted(cache_dir("wheels").glob(f"botocore-{version}-*.whl"))[:1]
    return path


def models(path: Path) -> dict[str, bytes]:
    """Raw bytes of the newest api-version model of every service in a wheel (read, not parsed)."""
    newest: dict[str, str] = {}
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            parts = name.split("/")
            model = len(parts) == 5 and parts[1] == "data" and parts[4].startswith("service-2.json")
            if model and (parts[2] not in newest or name > newest[parts[2]]):
                newest[parts[2]] = name
        return {svc: zf.read(name) for svc, name in newest.items()}


def parse(data: bytes) -> Any:
    return json.loads(gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data)


def plain_parse(old: Path, new: Path) -> int:
    count = 0
    for path in (old, new):
        for data in models(path).values():
            parse(data)
            count += 1
    return count


def naive_deepdiff(old: Path, new: Path) -> int:
    before, after = models(old), models(new)
    changed = [s for s in after if s in before and before[s] != after[s]]
    for service in changed:
        DeepDiff(parse(before[service]), parse(after[service]), threshold_to_diff_deeper=0)
    return len(changed)


def pair_mode(old_version: str, new_version: str) -> None:
    old_wheel, new_wheel = wheel(old_version), wheel(new_version)
    # Warm the OS file cache so that no contender pays for the first disk read.
    models(old_wheel), models(new_wheel)
    ours, result = timed(lambda: diff_sources(resolve_source(old_version), resolve_source(new_version)))
    parse_time, count = timed(lambda: plain_parse(old_wheel, new_wheel))
    naive_time, changed = timed(lambda: naive_deepdiff(old_wheel, new_wheel))
    print(f"release pair {old_version} -> {new_version}: {count} models parsed by (a), {changed} changed")
    print(
        f"  botocontract diff (all services):     {ours:7.3f} s  "
        f"({len(result.services)} services, {len(result.all_findings())} findings)"
    )
    print(
        f"  (a) json.loads of both releases:      {parse_time:7.3f} s  -> ratio {ours / parse_time:5.2f}x "
        f"(target <= 1.5x)"
    )
    print(
        f"  (b) naive DeepDiff of changed models: {naive_time:7.3f} s  -> {naive_time / ours:5.1f}x faster "
        f"(target >= 5x)"
    )


def walk_mode(from_version: str, to_version: str) -> None:
    span = release_range(from_version, to_version)
    download, _ = timed(lambda: [wheel(r.version) for r in span])
    for old, new in itertools.pairwise(span):
        pair_cache_path(old.version, new.version).unlink(missing_ok=True)
    first, diffs = timed(lambda: list(walk(from_version, to_version)))
    # A rerun is a new process (the next CLI call); time it whole, interpreter start and imports included.
    script = (
        "import sys; from botocontract.changes.walk import walk; "
        "print(sum(len(d.all_findings()) for d in walk(sys.argv[1], sys.argv[2])))"
    )
    rerun, proc = timed(
        lambda: subprocess.run(
            [sys.executable, "-c", script, from_version, to_version],
            capture_output=True,
            text=True,
            check=True,
        )
    )
    assert int(proc.stdout) == sum(len(d.all_findings()) for d in diffs)
    services = sum(len(d.services) for d in diffs)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"walk {from_version} -> {to_version}: {len(span)} releases, {len(diffs)} pairs, {services} service "
        f"entries (downloads/listing before the clock: {download:.1f} s)"
    )
    print(f"  first walk (no pair cache): {first:7.2f} s  (target < 30 s)")
    print(f"  rerun (pair cache, new process): {rerun:7.2f} s  (target < 3 s)  -> {first / rerun:.0f}x")
    print(f"  peak RSS: {rss:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pair", nargs=2, metavar=("OLD", "NEW"), default=["1.17.42", "1.17.43"])
    parser.add_argument("--walk", nargs=2, metavar=("FROM", "TO"))
    args = parser.parse_args()
    if args.walk:
        walk_mode(*args.walk)
    else:
        pair_mode(*args.pair)


if __name__ == "__main__":
    main()
