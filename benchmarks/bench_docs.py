"""What the text format costs over the json format now that operation docs are cached, in one run.

The text format renders botocore's method documentation for every changed operation; with the
documentation cache (``botocontract.changes.docscache``) a rerun or a walk renders each distinct operation
once. This script times whole ``botocontract diff`` processes, warm (every release downloaded, pair diffs
and docs cached by a first run of each command), and prints text beside json:

* every service of 1.17.42 -> 1.17.43: target text within 1.3x of json;
* the August 2020 walk (``--since 2020-08-01 --until 2020-08-31``): target text within 2x of json.

The first text run after a json run is printed too (it renders whatever the cache did not hold yet).
Each warm figure is the best of ``--repeat`` interleaved runs, so that a busy machine disturbs it less;
CPU time (user + system of the process) is printed beside wall time for the same reason.

    python benchmarks/bench_docs.py [--repeat 3] [--skip-walk]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import time

PAIR = ["1.17.42", "1.17.43"]
WALK = ["--since", "2020-08-01", "--until", "2020-08-31"]
TARGETS = {"pair": 1.3, "walk": 2.0}


def command() -> list[str]:
    exe = shutil.which("botocontract")
    return [exe] if exe else [sys.executable, "-m", "botocontract.cli"]


def run(args: list[str]) -> tuple[float, float]:
    """(wall, CPU) seconds of one whole process; its output is read and discarded, as a pipe would."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([*command(), "diff", *args], capture_output=True, env=os.environ, check=False)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"botocontract diff {' '.join(args)} failed:\n{done.stderr.decode()[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def compare(label: str, args: list[str], repeat: int) -> float:
    json_args, text_args = [*args, "--format", "json"], [*args, "--format", "text"]
    run(json_args)  # downloads and pair diffs, before the clock
    first_text = run(text_args)[0]
    json_runs, text_runs = [], []
    for _ in range(repeat):  # interleaved, so that a burst of load hits both formats alike
        json_runs.append(run(json_args))
        text_runs.append(run(text_args))
    json_wall, json_cpu = min(r[0] for r in json_runs), min(r[1] for r in json_runs)
    text_wall, text_cpu = min(r[0] for r in text_runs), min(r[1] for r in text_runs)
    ratio = text_wall / json_wall
    verdict = "ok" if ratio <= TARGETS[label] else "MISSED"
    print(
        f"{label}: json {json_wall:6.2f} s   text {text_wall:6.2f} s   text/json {ratio:4.2f}x "
        f"(target <= {TARGETS[label]}x: {verdict});   CPU json {json_cpu:5.2f} s text {text_cpu:5.2f} s "
        f"= {text_cpu / json_cpu:4.2f}x;   first text run {first_text:6.2f} s"
    )
    return ratio


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-walk", action="store_true", help="only the 1.17.42 -> 1.17.43 pair")
    opts = parser.parse_args()
    compare("pair", PAIR, opts.repeat)
    if not opts.skip_walk:
        compare("walk", WALK, opts.repeat)


if __name__ == "__main__":
    main()
