"""Outputs that cannot be written end in one line and leave nothing behind; writes are atomic."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.faults.conftest import NEW, OLD, SERVICE, UNREACHABLE, assert_one_line_error, cli

CONTRACT = "version: 1\nservices:\n  sqs:\n    operations:\n      SendMessage:\n        request: [QueueUrl]\n"


def _blocked(tmp_path: Path) -> dict[str, tuple[str, str]]:
    """Unwritable targets: (path, what the error must say)."""
    afile = tmp_path / "afile"
    afile.write_text("a file, not a folder")
    (tmp_path / "a-folder").mkdir()
    return {
        "under-a-file": (str(afile / "x.out"), "is a file, not a folder"),
        "proc": ("/proc/botocontract-x", "cannot write"),
        "folder": (str(tmp_path / "a-folder"), "a-folder"),
    }


def _leftovers(tmp_path: Path) -> list[Path]:
    return [p for p in tmp_path.rglob("*") if p.name.startswith(".") and p.name.endswith(".tmp")]


@pytest.mark.parametrize("target", ["under-a-file", "proc", "folder"])
@pytest.mark.parametrize(
    "command",
    ["services -o", "gate -o", "gate --report", "contract merge", "contract scan -o"],
)
def test_unwritable_output(tmp_path: Path, command: str, target: str) -> None:
    path, needle = _blocked(tmp_path)[target]
    contract = tmp_path / "contract.yaml"
    contract.write_text(CONTRACT)
    code = tmp_path / "app.py"
    code.write_text("import boto3\nboto3.client('sqs').send_message(QueueUrl='q', MessageBody='b')\n")
    gate = ["gate", "--from", "installed", "--to", "installed", "--contract", str(contract)]
    args = {
        "services -o": ["services", "-o", path],
        "gate -o": [*gate, "-o", path],
        "gate --report": [*gate, "--report", f"sarif={path}"],
        "contract merge": ["contract", "merge", path, str(contract)],
        "contract scan -o": ["contract", "scan", str(code), "-o", path],
    }[command]
    assert_one_line_error(cli(*args), needle)
    assert _leftovers(tmp_path) == []
    assert not Path(path).is_file()


def test_gate_reports_are_written_whole(tmp_path: Path) -> None:
    contract = tmp_path / "contract.yaml"
    contract.write_text(CONTRACT)
    sarif, text = tmp_path / "out" / "gate.sarif", tmp_path / "gate.txt"
    result = cli(
        "gate",
        "--from",
        "installed",
        "--to",
        "installed",
        "--contract",
        contract,
        "-o",
        text,
        "--report",
        f"sarif={sarif}",
    )
    assert result.code == 0, result.err
    import json

    assert json.loads(sarif.read_text())["version"] == "2.1.0"
    assert text.read_text().startswith("PASS")
    assert _leftovers(tmp_path) == []


@pytest.mark.network
def test_site_to_an_unwritable_folder(tmp_path: Path) -> None:
    afile = tmp_path / "afile"
    afile.write_text("x")
    for out, needle in (("/proc/site", "cannot write"), (str(afile / "site"), "is a file, not a folder")):
        result = cli("site", "--from", OLD, "--to", NEW, "--service", SERVICE, "--out", out)
        assert_one_line_error(result, needle)


def test_endpoint_unreachable_is_one_line() -> None:
    result = cli("fuzz", "endpoint", "sqs", "--endpoint-url", UNREACHABLE)
    assert_one_line_error(result, f"cannot connect to {UNREACHABLE}", "Connection refused", "--moto")


# -- the one atomic writer --------------------------------------------------------------------------------
def test_a_failed_write_keeps_the_old_file_and_leaves_no_temp(tmp_path: Path, monkeypatch) -> None:
    from botocontract.specs.cache import atomic_write_text

    target = tmp_path / "report.sarif"
    atomic_write_text(target, "old and whole")
    os.chmod(target, 0o640)

    def broken_replace(src: str, dst: str) -> None:
        raise KeyboardInterrupt  # the run is stopped between writing and renaming

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(KeyboardInterrupt):
        atomic_write_text(target, "new" * 100_000)
    monkeypatch.undo()
    assert target.read_text() == "old and whole"
    assert _leftovers(tmp_path) == []
    atomic_write_text(target, "new")
    assert target.read_text() == "new" and target.stat().st_mode & 0o777 == 0o640


def test_output_error_is_an_oserror_too(tmp_path: Path) -> None:
    from botocontract.errors import BotocontractError
    from botocontract.specs.cache import OutputError, atomic_write_bytes

    (tmp_path / "f").write_text("x")
    with pytest.raises(OutputError) as info:
        atomic_write_bytes(tmp_path / "f" / "g", b"data")
    assert isinstance(info.value, OSError) and isinstance(info.value, BotocontractError)
    assert info.value.exit_code == 2
