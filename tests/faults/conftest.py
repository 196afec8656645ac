"""Fault injection: the helpers every test here shares.

A fault must end in exit code 2 and exactly one stderr line ``botocontract: error: ...`` that says what
to do, never a traceback. Commands run in a child process (``botocontract`` as installed) whenever the
cache or the network is involved, so the in-process caches of one test cannot hide the next one's fault.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

#: Nothing listens on the discard port of the loopback address: connections are refused at once.
UNREACHABLE = "http://127.0.0.1:9"
#: The release pair of the README's first example, and the service it shows.
OLD, NEW, SERVICE = "1.17.42", "1.17.43", "sagemaker"


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if line.strip()]


def cli(*args: object, env: dict[str, str] | None = None, input: str | None = None) -> Run:
    """``botocontract ARGS`` in process through click's runner (fast; no cache state is shared by it)."""
    from botocontract.cli import main

    result = CliRunner().invoke(main, [str(a) for a in args], env=env, input=input)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a traceback: exactly what these tests must never see
    return Run(result.exit_code, result.stdout, result.stderr)


def run(*args: object, env: dict[str, str] | None = None, timeout: float = 300) -> Run:
    """``botocontract ARGS`` in a child process, as a user runs it."""
    code = "import sys; from botocontract.cli import main; sys.exit(main(prog_name='botocontract'))"
    full_env = {**os.environ, **(env or {})}
    proc = subprocess.run(
        [sys.executable, "-c", code, *map(str, args)],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
        check=False,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


def assert_one_line_error(result: Run, *needles: str) -> str:
    """Exit 2, one ``botocontract: error:`` line on stderr naming every needle, no traceback."""
    assert "Traceback" not in result.err, result.err
    assert result.code == 2, (result.code, result.err, result.out[:500])
    lines = result.err_lines
    assert len(lines) == 1, lines
    line = lines[0]
    assert line.startswith("botocontract: error: "), line
    for needle in needles:
        assert needle.lower() in line.lower(), (needle, line)
    return line


def _shared_wheel(version: str) -> Path:
    """The wheel of a release from the shared cache (downloaded once by the project's own source)."""
    from botocontract.specs.cache import cache_dir
    from botocontract.specs.sources import resolve_source

    resolve_source(version)
    found = sorted(cache_dir("wheels").glob(f"botocore-{version}-*.whl"))
    assert found, version
    return found[0]


@pytest.fixture(scope="session")
def shared_wheels() -> dict[str, Path]:
    return {v: _shared_wheel(v) for v in (OLD, NEW)}


@pytest.fixture
def cache(tmp_path: Path, shared_wheels: dict[str, Path]) -> Path:
    """A private cache seeded with the two wheels and the release list of the shared cache."""
    from botocontract.specs.cache import CACHE_VERSION, cache_dir

    root = tmp_path / "cache"
    (root / "wheels").mkdir(parents=True)
    for wheel in shared_wheels.values():
        shutil.copy2(wheel, root / "wheels" / wheel.name)  # keeps the mtime, so the CRC stamp still holds
        stamp = wheel.with_name(wheel.name + ".verified")
        if stamp.exists():
            shutil.copy2(stamp, root / "wheels" / stamp.name)
    index = cache_dir("index") / f"botocore.v{CACHE_VERSION}.json"
    (root / "index").mkdir()
    shutil.copyfile(index, root / "index" / index.name)
    return root


def cache_env(root: Path, *, index: str | None = None) -> dict[str, str]:
    env = {"BOTOCONTRACT_CACHE": str(root)}
    if index is not None:
        env["BOTOCONTRACT_INDEX_URL"] = index
    return env
