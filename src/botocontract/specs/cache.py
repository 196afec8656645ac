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


def atomic_write_bytes(path: Path, data: bytes) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def atomic_write_text(path: Path, text: str) -> Path:
    return atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_json(path: Path, data: Any, *, indent: int | None = None) -> Path:
    return atomic_write_text(path, json.dumps(data, indent=indent, sort_keys=indent is not None, default=str))


def read_json(path: Path) -> Any | None:
    """The JSON in ``path``, or None when missing or unreadable (a cache miss, never an error)."""
    try:
        return json.loads(Path(path).read_bytes())
    except (OSError, ValueError):
        return None
