"""Atomic writes: whole files or none, no temporary files left, permissions kept or readable."""

from __future__ import annotations

import os
import stat

from botocontract.specs.cache import atomic_write_text


def test_atomic_write_keeps_mode_and_leaves_no_temp_files(tmp_path):
    path = tmp_path / "out.txt"
    path.write_text("old")
    os.chmod(path, 0o640)
    atomic_write_text(path, "new")
    assert path.read_text() == "new"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_a_new_file_is_readable_by_others(tmp_path):
    path = tmp_path / "deep" / "report.xml"
    atomic_write_text(path, "<x/>")
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
