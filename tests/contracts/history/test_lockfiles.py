"""The botocore a lockfile installs, in every supported format, from files and from git refs."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from botocontract.contracts.history.lockfiles import locked_botocore
from botocontract.contracts.history.store import HistoryError

LOCKS = Path(__file__).parent / "data" / "locks"
NAMES = ["requirements.txt", "uv.lock", "poetry.lock", "Pipfile.lock", "pdm.lock", "pylock.toml"]


@pytest.mark.parametrize("name", NAMES)
def test_each_format_gives_the_locked_botocore(name: str) -> None:
    before, after = (
        locked_botocore(str(LOCKS / "before" / name)),
        locked_botocore(str(LOCKS / "after" / name)),
    )
    assert (before.botocore, after.botocore) == ("1.17.42", "1.17.43")
    assert before.package == "botocore"
    assert (
        before.format
        == {
            "requirements.txt": "requirements",
            "uv.lock": "uv",
            "poetry.lock": "poetry",
            "Pipfile.lock": "pipfile",
            "pdm.lock": "pdm",
            "pylock.toml": "pylock",
        }[name]
    )


def test_formats_are_recognised_by_content_under_other_names(tmp_path: Path) -> None:
    for name in ("pylock.toml", "Pipfile.lock", "uv.lock"):
        copy = tmp_path / f"renamed-{name}.lock"
        shutil.copy(LOCKS / "after" / name, copy)
        assert locked_botocore(str(copy)).botocore == "1.17.43"


@pytest.mark.network
def test_boto3_alone_maps_to_the_botocore_it_pins(tmp_path: Path) -> None:
    only = tmp_path / "requirements.txt"
    only.write_text("requests==2.31.0\nboto3==1.14.43 \\\n    --hash=sha256:00\n")
    locked = locked_botocore(str(only))
    assert (locked.botocore, locked.package, locked.version) == ("1.17.43", "boto3", "1.14.43")
    assert "pinned by boto3 1.14.43" in locked.describe()


def test_a_git_ref_gives_the_file_before_the_change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    monkeypatch.chdir(tmp_path)
    shutil.copy(LOCKS / "before" / "uv.lock", tmp_path / "uv.lock")
    subprocess.run(["git", "add", "uv.lock"], check=True)
    subprocess.run([*git, "commit", "-qm", "lock"], check=True)
    shutil.copy(LOCKS / "after" / "uv.lock", tmp_path / "uv.lock")
    assert locked_botocore("HEAD:uv.lock").botocore == "1.17.42"
    assert locked_botocore("uv.lock").botocore == "1.17.43"
    with pytest.raises(HistoryError, match="at git ref nosuchref"):
        locked_botocore("nosuchref:uv.lock")


def test_bad_lockfiles_are_one_line_errors(tmp_path: Path) -> None:
    with pytest.raises(HistoryError, match="no such lockfile"):
        locked_botocore(str(tmp_path / "missing.lock"))
    broken = tmp_path / "poetry.lock"
    broken.write_text("[[package]\nname = ")
    with pytest.raises(HistoryError, match="not valid TOML"):
        locked_botocore(str(broken))
    other = tmp_path / "requirements.txt"
    other.write_text("requests==2.31.0\n")
    with pytest.raises(HistoryError, match="locks neither botocore nor boto3"):
        locked_botocore(str(other))
