"""How fast the structural diff is, next to its baselines, in one run.

Pair mode (default) diffs every service of a consecutive release pair and prints, beside it, (a) a plain
``json.loads`` of every model of both releases and (b) a naive ``DeepDiff`` of every changed raw model.
Targets: at most 1.5x (a), at least 5x faster than (b).

Walk mode (``--walk FROM TO``) diffs every consecutive pair of a release range with the pair cache
cleared, then again from the cache. Targets for 1.17.14 -> 1.17.63 (50 releases): under 30 s, rerun
under 3 s. Downloads happen before the clock starts.

    python benchmarks/bench_diff.py [--pair 1.17.42 1.17.43] [--no-naive]
    python benchmarks/bench_diff.py --walk 1.17.14 1.17.63

Pair mode also runs the diff and the ``json.loads`` baseline each as a whole new process (warm cache), and
prints what evaluating the changed endpoint rule sets costs: their number, the inputs botocore's resolver
evaluated, and the time with the evaluation cache bypassed. Pairs worth running for that:
``--pair 1.40.37 1.40.38`` (one rule set) and ``--pair 1.31.53 1.31.54 --no-naive`` (222 rule sets).
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


def _plain(data: bytes) -> bytes:
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


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
    # Compare uncompressed bytes: gzip headers carry a timestamp, so every .gz differs between releases.
    changed = [s for s in after if s in before and _plain(before[s]) != _plain(after[s])]
    for service in changed:
        DeepDiff(parse(before[service]), parse(after[service]), threshold_to_diff_deeper=0)
    return len(changed)


def endpoint_cost(old_version: str, new_version: str) -> tuple[int, int, float, float]:
    """(rule sets evaluated, inputs per side, seconds evaluating them with no cache, seconds of the whole
    diff with the evaluation cache cold). The evaluation cache is bypassed, not deleted."""
    from botocontract.changes import endpoints

    original = endpoints.diff_endpoints
    spent = [0.0, 0, 0]

    seen: dict[Any, Any] = {}

    def uncached(*args: Any, **kwargs: Any) -> Any:
        # Evaluated once per rule-set pair and run (as the disk cache would within one run).
        key = kwargs.pop("cache_key", None) or id(args[0])
        if key not in seen:
            start = time.perf_counter()
            seen[key] = original(*args, cache_key=None, **kwargs)
            spent[0] += time.perf_counter() - start
            spent[1] += 1
            spent[2] += seen[key].evaluated
        return seen[key]

    cached = endpoints.cached_endpoints
    endpoints.diff_endpoints, endpoints.cached_endpoints = uncached, lambda key: None
    try:
        total, _ = timed(lambda: diff_sources(resolve_source(old_version), resolve_source(new_version)))
    finally:
        endpoints.diff_endpoints, endpoints.cached_endpoints = original, cached
    return int(spent[1]), int(spent[2]), spent[0], total


def whole_process(code: str, *args: str) -> float:
    """Seconds of a new interpreter running ``code`` (start-up and imports included)."""
    command = [sys.executable, "-c", code, *args]
    elapsed, _ = timed(lambda: subprocess.run(command, check=True, capture_output=True))
    return elapsed


_OURS = (
    "import sys; from botocontract.changes.engine import diff_sources; diff_sources(sys.argv[1], sys.argv[2])"
)
_PLAIN = (
    "import sys, gzip, json, zipfile\n"
    "for path in sys.argv[1:]:\n"
    "    with zipfile.ZipFile(path) as zf:\n"
    "        for name in zf.namelist():\n"
    "            parts = name.split('/')\n"
    "            if len(parts) == 5 and parts[1] == 'data' and parts[4].startswith('service-2.json'):\n"
    "                data = zf.read(name)\n"
    "                json.loads(gzip.decompress(data) if name.endswith('.gz') else data)\n"
)


def pair_mode(old_version: str, new_version: str, naive: bool = True) -> None:
    old_wheel, new_wheel = wheel(old_version), wheel(new_version)
    # Warm the OS file cache so that no contender pays for the first disk read, and the listing and
    # endpoint-evaluation caches (a warm cache is the normal state of a second run).
    models(old_wheel), models(new_wheel)
    diff_sources(resolve_source(old_version), resolve_source(new_version))
    ours, result = timed(lambda: diff_sources(resolve_source(old_version), resolve_source(new_version)))
    parse_time, count = timed(lambda: plain_parse(old_wheel, new_wheel))
    ours_process = whole_process(_OURS, old_version, new_version)
    plain_process = whole_process(_PLAIN, str(old_wheel), str(new_wheel))
    rule_sets, inputs, evaluation, cold_total = endpoint_cost(old_version, new_version)
    print(f"release pair {old_version} -> {new_version}: {count} models parsed by (a)")
    print(
        f"  botocontract diff (all services):     {ours:7.3f} s  "
        f"({len(result.services)} services, {len(result.all_findings())} findings)"
    )
    print(
        f"  (a) json.loads of both releases:      {parse_time:7.3f} s  -> ratio {ours / parse_time:5.2f}x "
        f"(target <= 1.5x)"
    )
    print(
        f"  whole process, warm cache: diff {ours_process:7.3f} s, json.loads {plain_process:7.3f} s"
        f"  -> ratio {ours_process / plain_process:5.2f}x (target <= 1.5x)"
    )
    print(
        f"  endpoint rule sets: {rule_sets} changed, {inputs} inputs evaluated per side by botocore's "
        f"resolver in {evaluation:7.3f} s ({evaluation / max(rule_sets, 1) * 1000:.0f} ms each); "
        f"diff with them uncached {cold_total:7.3f} s ({evaluation / cold_total:.0%} of it), "
        f"cached {ours:7.3f} s"
    )
    if naive:
        naive_time, changed = timed(lambda: naive_deepdiff(old_wheel, new_wheel))
        print(
            f"  (b) naive DeepDiff of {changed} changed models: {naive_time:7.3f} s  -> "
            f"{naive_time / ours:5.1f}x faster (target >= 5x)"
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
    parser.add_argument("--no-naive", action="store_true", help="skip the naive DeepDiff baseline")
    args = parser.parse_args()
    if args.walk:
        walk_mode(*args.walk)
    else:
        pair_mode(*args.pair, naive=not args.no_naive)


if __name__ == "__main__":
    main()
