"""Same inputs, same bytes: the diff's JSON (findings, order, fingerprints) for any hash seed, with a cold
or a warm pair cache.

Real releases, in subprocesses so that each run gets its own ``PYTHONHASHSEED``. SageMaker 1.17.43 ->
1.30.0 reaches heavily shared, recursive shapes: the member paths reported for them once depended on set
iteration order under a step budget.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.network


def _run(args: list[str], seed: int, env: dict[str, str] | None = None) -> bytes:
    full = {**os.environ, **(env or {}), "PYTHONHASHSEED": str(seed)}
    done = subprocess.run(
        [sys.executable, "-c", "from botocontract.cli import main; main(prog_name='botocontract')", *args],
        capture_output=True,
        env=full,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout


def test_pair_diff_json_is_byte_identical_under_three_hash_seeds() -> None:
    args = ["diff", "1.17.43", "1.30.0", "--service", "sagemaker", "--format", "json"]
    outputs = {seed: _run(args, seed) for seed in (0, 1, 2)}
    assert len(outputs[0]) > 100_000
    assert outputs[0] == outputs[1] == outputs[2]


def test_all_services_with_endpoint_rule_sets_are_byte_identical_under_three_hash_seeds() -> None:
    """Every service of a pair whose endpoint rule sets changed (dynamodb 1.29.24: ``local`` over http)."""
    args = ["diff", "1.29.23", "1.29.24", "--format", "json"]
    outputs = {seed: _run(args, seed) for seed in (5, 6, 7)}
    assert b"Endpoint" in outputs[5]
    assert outputs[5] == outputs[6] == outputs[7]


def test_walk_json_is_the_same_from_a_cold_and_a_warm_cache(tmp_path: Path) -> None:
    from botocontract.specs.cache import cache_dir

    shared = cache_dir("wheels").parent
    root = tmp_path / "cache"
    root.mkdir()
    for name in ("wheels", "index", "listings"):  # downloads are shared; derived pair diffs are not
        (root / name).symlink_to(cache_dir(name), target_is_directory=True)
    assert shared != root
    env = {"BOTOCONTRACT_CACHE": str(root)}
    args = ["diff", "--from", "1.17.41", "--to", "1.17.43", "--service", "sagemaker", "--format", "json"]
    cold = _run(args, 3, env)
    assert list((root / "diffs").glob("*.json")), "the walk should have cached its pair diffs"
    warm = _run(args, 4, env)
    assert cold == warm
    assert cold.count(b"\n") >= 2
