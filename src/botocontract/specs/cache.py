"""The cache directory and atomic file writes.

Releases never change once published, so everything derived from one (wheels, service listings, pair
diffs) is cached for good. Writers go through a temporary name and ``os.replace`` so that concurrent runs
and interrupted runs never leave a half-written file behind.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import platformdirs

__all__ = ["atomic_write_bytes", "atomic_write_json", "atomic_write_text", "cache_dir", "read_json"]


def cache_dir(*parts: str) -> Path:
    """``$BOTOCONTRACT_CACHE`` or the platform's user cache dir, with ``parts`` joined and created."""
    root = os.environ.get("BOTOCONTRACT_CACHE") or platformdirs.user_cache_dir("botocontract")
    path = Path(root, *parts)
    path.mkdir(parents=True, exist_ok=True)
    return path


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write via a temporary file in the same folder and rename, so readers never see half a file.

    A file that exists keeps its permission bits; a new one gets 0644 (not ``mkstemp``'s 0600), so
    reports and site pages stay readable by the web server or CI step that publishes them.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, mode)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def atomic_write_text(path: str | os.PathLike[str], text: str) -> Path:
    return atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_json(path: str | os.PathLike[str], data: Any, *, indent: int | None = None) -> Path:
    return atomic_write_text(path, json.dumps(data, indent=indent, sort_keys=indent is not None, default=str))


def read_json(path: Path) -> Any | None:
    """The JSON in ``path``, or None when missing or unreadable (a cache miss, never an error)."""
    try:
        return json.loads(Path(path).read_bytes())
    except (OSError, ValueError):
        return None
