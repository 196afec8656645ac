"""How much the history store costs next to the plain walk it is built from, in one run.

1. ``history build`` over a range of consecutive releases (default 1.17.10 -> 1.17.60: 50 pairs) with the
   pair cache cleared, next to a plain walk of the same range with the pair cache cleared (target: within
   1.5x). Downloads happen before any clock starts; each timing runs in a fresh process.
2. Blame without a store: releases read and time of a bounded bisection (1.16.0 .. 1.40.20), wheels cached.
3. Blame with a store: time per query over items sampled from the store (target < 50 ms).
4. Database size per release, and what a full build since 2015 would cost (extrapolated from this range).

    python benchmarks/bench_history.py [--from 1.17.10 --to 1.17.60] [--queries 200]
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from botocontract.changes.walk import pair_cache_path, release_range
from botocontract.contracts.history.blame import blame_from_store
from botocontract.contracts.history.items import Item
from botocontract.contracts.history.store import _create, _record_boto3, open_store
from botocontract.specs import index, resolve_source


def in_process(code: str, *args: str) -> dict:
    """Run ``code`` in a fresh interpreter; it prints one JSON object last."""
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


WALK = """
import json, sys, time
from botocontract.changes.walk import walk
t = time.perf_counter(); n = sum(1 for _ in walk(sys.argv[1], sys.argv[2]))
print(json.dumps({"seconds": time.perf_counter() - t, "pairs": n}))
"""

BUILD = """
import json, sys, time
from botocontract.contracts.history.store import build
t = time.perf_counter(); marks = []
def progress(done, total, version):
    if not marks:
        marks.append(time.perf_counter() - t)  # the first release's snapshot is done
counts = build(sys.argv[3], from_version=sys.argv[1], until_version=sys.argv[2], progress=progress)
print(json.dumps({"seconds": time.perf_counter() - t, "snapshot": marks[0], **counts}))
"""

BLAME = """
import json, time
from botocontract.contracts.history.blame import blame, make_item
t = time.perf_counter()
item = make_item("sagemaker", "CreateModel", "PrimaryContainer.ImageConfig")
r = blame(item, lower="1.16.0", upper="1.40.20")
print(json.dumps({"seconds": time.perf_counter() - t, "read": r.releases_read, "of": r.searched[2],
                  "appeared": r.appeared}))
"""


def clear_pairs(span: list) -> None:
    for old, new in itertools.pairwise(span):
        pair_cache_path(old.version, new.version).unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="first", default="1.17.10")
    parser.add_argument("--to", dest="last", default="1.17.60")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument(
        "--recent",
        nargs=2,
        default=["1.40.10", "1.40.20"],
        metavar=("FROM", "TO"),
        help="A recent range, so the extrapolation sees today's model sizes too.",
    )
    args = parser.parse_args()

    span = release_range(args.first, args.last)
    pairs = len(span) - 1
    for release in span:  # downloads (and boto3 pins) before any clock starts
        resolve_source(release.version).service_names()
    with tempfile.TemporaryDirectory() as tmp:
        warm = _create(Path(tmp) / "pins.sqlite")
        _record_boto3(warm, span)
        warm.close()
        db = Path(tmp) / "history.sqlite"

        clear_pairs(span)
        walked = in_process(WALK, args.first, args.last)
        clear_pairs(span)
        built = in_process(BUILD, args.first, args.last, str(db))
        rebuilt = in_process(BUILD, args.first, args.last, str(Path(tmp) / "again.sqlite"))
        ratio = built["seconds"] / walked["seconds"]
        print(f"history build {args.first} -> {args.last}: {len(span)} releases, {pairs} pairs")
        print(f"  plain walk, no pair cache:      {walked['seconds']:7.2f} s")
        print(
            f"  history build, no pair cache:   {built['seconds']:7.2f} s  = {ratio:.2f}x the walk "
            f"(target <= 1.5x)"
        )
        print(f"  history build, pair cache warm: {rebuilt['seconds']:7.2f} s")
        print(
            f"  rows: {built['findings']} findings, {built['appeared']} presence intervals opened, "
            f"{built['gone']} closed"
        )

        size = db.stat().st_size
        check = open_store(db)
        assert check is not None
        built["rows"] = check.db.execute("SELECT count(*) FROM presence").fetchone()[0]
        built["snapshot_rows"] = check.db.execute(
            "SELECT count(*) FROM presence WHERE at_start = 1"
        ).fetchone()[0]
        check.close()
        print(
            f"  database: {size / 1e6:.1f} MB = {size / len(span) / 1e6:.2f} MB per release "
            f"(the first release's snapshot is most of it)"
        )

        store = open_store(db)
        assert store is not None
        rows = store.db.execute(
            "SELECT kind, service, operation, direction, path, value FROM presence "
            "WHERE kind IN ('member', 'enum', 'operation') ORDER BY kind, service, operation, path, value"
        ).fetchall()
        sample = random.Random(0).sample(rows, min(args.queries, len(rows)))
        times = []
        for row in sample:
            item = Item(*row)
            start = time.perf_counter()
            blame_from_store(store, item)
            times.append(time.perf_counter() - start)
        store.close()
        print(
            f"blame with a store: {len(times)} queries, median {statistics.median(times) * 1000:.1f} ms, "
            f"max {max(times) * 1000:.1f} ms per query (target < 50 ms)"
        )

    in_process(BLAME)  # downloads the ~13 wheels once
    bisect = in_process(BLAME)
    print(
        f"blame without a store: read {bisect['read']} of {bisect['of']} releases in "
        f"{bisect['seconds']:.2f} s (wheels cached), answer {bisect['appeared']}"
    )

    recent_span = release_range(*args.recent)
    for release in recent_span:
        resolve_source(release.version).service_names()
    clear_pairs(recent_span)
    with tempfile.TemporaryDirectory() as tmp:
        recent_db = Path(tmp) / "recent.sqlite"
        recent = in_process(BUILD, args.recent[0], args.recent[1], str(recent_db))
        recent_size = recent_db.stat().st_size
    recent_pairs = len(recent_span) - 1
    old_pair = (built["seconds"] - built["snapshot"]) / pairs
    new_pair = (recent["seconds"] - recent["snapshot"]) / recent_pairs
    print(
        f"recent sample {args.recent[0]} -> {args.recent[1]}: snapshot of {recent['appeared']} items "
        f"{recent['snapshot']:.1f} s, {new_pair:.2f} s per pair (the 1.17 sample: {built['snapshot']:.1f} s, "
        f"{old_pair:.2f} s per pair); database {recent_size / 1e6:.0f} MB"
    )

    since_2015 = [r for r in index.releases() if r.day >= date(2015, 1, 1)]
    n = len(since_2015)
    total = recent["snapshot"] + n * (old_pair + new_pair) / 2
    growth = (size - size * built["snapshot_rows"] / built["rows"]) / pairs if built.get("rows") else 0
    print(
        f"full build since 2015 ({n} releases), extrapolated (per-pair cost between the two samples): "
        f"~{total / 60:.0f} min on one machine plus downloads (~{n * 9 / 1000:.0f} GB of wheels); "
        f"database ~{(recent_size + n * growth) / 1e6:.0f} MB. Over an N-way CI matrix (history build "
        f"--shard I/N, then history merge): about {total / 60:.0f}/N min per job plus one snapshot each"
    )


if __name__ == "__main__":
    main()
