"""How long the ``botocontract`` command takes as a whole process, next to its baselines, in one run.

Each figure is the median wall time of a fresh process (interpreter start, imports, work, exit):

- ``botocontract --help`` next to ``python -c "import botocore.session"``: the command line must not
  import more than botocore itself (target: at most 2x).
- ``botocontract diff OLD NEW --format json`` (warm: the two wheels are cached) next to a process that
  only runs ``json.loads`` on every model of both releases, read from the same cached wheels
  (target: at most 1.5x).

    python benchmarks/bench_cli.py [--pair 1.17.42 1.17.43] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

#: Reads the newest ``service-2.json`` of every service from each wheel and parses it: nothing else.
PLAIN_PARSE = """
import gzip, json, sys, zipfile
for path in sys.argv[1:]:
    newest = {}
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            parts = name.split("/")
            if len(parts) == 5 and parts[1] == "data" and parts[4].startswith("service-2.json"):
                if parts[2] not in newest or name > newest[parts[2]]:
                    newest[parts[2]] = name
        for name in newest.values():
            data = zf.read(name)
            json.loads(gzip.decompress(data) if data[:2] == b"\\x1f\\x8b" else data)
"""


def command() -> list[str]:
    """The installed console script when it runs this checkout's code, else ``python -m botocontract.cli``."""
    script = shutil.which("botocontract")
    return [script] if script else [sys.executable, "-m", "botocontract.cli"]


def wall(argv: list[str], repeat: int) -> float:
    """Median seconds of ``repeat`` runs of ``argv`` (output discarded; a failure stops the benchmark)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def wheel(version: str) -> Path:
    from botocontract.specs import resolve_source
    from botocontract.specs.cache import cache_dir

    resolve_source(version)  # downloads into the cache when missing
    return sorted(cache_dir("wheels").glob(f"botocore-{version}-*.whl"))[0]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pair", nargs=2, default=["1.17.42", "1.17.43"], metavar=("OLD", "NEW"))
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    old, new = args.pair
    cli = command()
    wheels = [str(wheel(old)), str(wheel(new))]
    diff = [*cli, "diff", old, new, "--format", "json"]
    subprocess.run(diff, check=True, stdout=subprocess.DEVNULL)  # warm: wheels and listings cached

    rows = []
    # Interleave the pairs so a change of machine load hits figure and baseline alike.
    help_s = wall([*cli, "--help"], args.repeat)
    import_s = wall([sys.executable, "-c", "import botocore.session"], args.repeat)
    rows.append(("botocontract --help", help_s, "import botocore.session", import_s, 2.0))
    diff_s = wall(diff, args.repeat)
    parse_s = wall([sys.executable, "-c", PLAIN_PARSE, *wheels], args.repeat)
    rows.append((f"diff {old} {new} --format json", diff_s, "json.loads of both releases", parse_s, 1.5))

    print(
        f"whole processes, median of {args.repeat} (python {sys.version.split()[0]}, {os.cpu_count()} cpus)"
    )
    print(f"{'figure':<38} {'s':>7}   {'baseline':<30} {'s':>7}  {'ratio':>6}  target")
    for name, figure, base_name, base, target in rows:
        ratio = figure / base
        verdict = "ok" if ratio <= target else "MISSED"
        print(
            f"{name:<38} {figure:7.3f}   {base_name:<30} {base:7.3f}  {ratio:5.2f}x  <= {target}x {verdict}"
        )


if __name__ == "__main__":
    main()
