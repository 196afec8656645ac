"""The cache directory, atomic file writes and self-checking cache files.

Releases never change once published, so everything derived from one (wheels, service listings, pair
diffs) is cached for good. Writers go through a temporary name and ``os.replace`` so that concurrent runs
and interrupted runs never leave a half-written file behind. Readers trust nothing: a cache file that is
unreadable, of the wrong shape or of another format version is a miss (said once on stderr and removed),
and the caller rebuilds it.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from pathlib import Path
from typing import Any, Generic, TypeVar

import platformdirs

from botocontract.errors import BotocontractError

__all__ = [
    "CACHE_VERSION",
    "Memo",
    "OutputError",
    "atomic_write_bytes",
    "atomic_write_json",
    "atomic_write_text",
    "cache_dir",
    "cache_notice",
    "read_cached_json",
    "read_json",
    "write_cached_json",
]

#: Format version of the JSON cache files; part of their names and stamped inside them.
CACHE_VERSION = 2


class OutputError(BotocontractError, OSError):
    """A file cannot be written (a folder in its path is a file, no permission, a read-only file system).

    It is an :class:`OSError` too, so code that already handles failed writes keeps working."""


def cache_dir(*parts: str) -> Path:
    """``$BOTOCONTRACT_CACHE`` or the platform's user cache dir, with ``parts`` joined and created."""
    root = os.environ.get("BOTOCONTRACT_CACHE") or platformdirs.user_cache_dir("botocontract")
    path = Path(root, *parts)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"cannot create the cache folder {str(path)!r}: {exc.strerror or exc}",
            hint="set BOTOCONTRACT_CACHE to a writable folder",
        ) from None
    return path


def _cannot_write(path: Path, exc: OSError) -> OutputError:
    why = exc.strerror or str(exc)
    blocker = next((p for p in path.parents if p.exists() and not p.is_dir()), None)
    if blocker is not None:
        why = f"{str(blocker)!r} is a file, not a folder"
    elif path.is_dir():
        why = "it is a folder"
    return OutputError(f"cannot write {str(path)!r}: {why}", hint="choose a path in a writable folder")


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write via a temporary file in the same folder and rename, so readers never see half a file.

    A file that exists keeps its permission bits; a new one gets 0644 (not ``mkstemp``'s 0600), so
    reports and site pages stay readable by the web server or CI step that publishes them. A failure
    raises :class:`OutputError` and leaves nothing behind.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise _cannot_write(path, exc) from None
    try:
        os.chmod(tmp, mode)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError) and not isinstance(exc, OutputError):
            raise _cannot_write(path, exc) from None
        raise
    return path


def atomic_write_text(path: str | os.PathLike[str], text: str) -> Path:
    return atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_json(path: str | os.PathLike[str], data: Any, *, indent: int | None = None) -> Path:
    return atomic_write_text(path, json.dumps(data, indent=indent, sort_keys=indent is not None, default=str))


def read_json(path: str | os.PathLike[str]) -> Any | None:
    """The JSON in ``path``, or None when missing or unreadable (a cache miss, never an error)."""
    try:
        return json.loads(Path(path).read_bytes())
    except (OSError, ValueError, RecursionError):
        return None


def cache_notice(message: str) -> None:
    """One line on stderr about the cache healing itself (never on stdout, which holds results)."""
    print(f"botocontract: note: {message}", file=sys.stderr, flush=True)


def _discard(path: Path, why: str) -> None:
    cache_notice(f"ignoring the damaged cache file {str(path)!r} ({why}); rebuilding it")
    with contextlib.suppress(OSError):
        path.unlink()


def read_cached_json(
    path: str | os.PathLike[str], kind: str, valid: Callable[[Any], object] | None = None
) -> Any | None:
    """The data of a cache file written by :func:`write_cached_json`, or None for a miss.

    A missing file is a quiet miss. A file that cannot be read or parsed, carries another stamp, or whose
    data ``valid`` rejects (or raises on) is damaged: it is removed with a one-line notice and is a miss.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        _discard(path, exc.strerror or str(exc))
        return None
    try:
        doc = json.loads(raw)
    except (ValueError, RecursionError):
        _discard(path, "not JSON")
        return None
    stamp = {"botocontract-cache": CACHE_VERSION, "kind": kind}
    if not isinstance(doc, dict) or any(doc.get(k) != v for k, v in stamp.items()) or "data" not in doc:
        _discard(path, f"not a version {CACHE_VERSION} {kind} file")
        return None
    data = doc["data"]
    try:
        ok = valid is None or bool(valid(data))
    except (KeyError, TypeError, ValueError, AttributeError, IndexError):
        ok = False
    if not ok:
        _discard(path, f"unexpected {kind} content")
        return None
    return data


def write_cached_json(path: str | os.PathLike[str], kind: str, data: Any) -> Path:
    """Store ``data`` atomically, stamped with the cache version and ``kind`` for :func:`read_cached_json`."""
    return atomic_write_json(path, {"botocontract-cache": CACHE_VERSION, "kind": kind, "data": data})


K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Memo(Generic[K, V]):
    """An in-process memo holding at most ``size`` entries, the least recently used dropped first.

    Parsed models, validators and strategies are large (tens of MB for one big service); a sweep over
    every service or a whole test session would otherwise keep all of them alive at once."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._data: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K, default: V | None = None) -> V | None:
        with self._lock:
            if key not in self._data:
                return default
            self._data.move_to_end(key)
            return self._data[key]

    def setdefault(self, key: K, value: V) -> V:
        """The value already held for ``key``, else ``value`` (stored)."""
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key]
            self._data[key] = value
            while len(self._data) > self.size:
                self._data.popitem(last=False)
            return value

    def __setitem__(self, key: K, value: V) -> None:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)

    def __getitem__(self, key: K) -> V:
        found = self.get(key, _MISSING)
        if found is _MISSING:
            raise KeyError(key)
        return found  # type: ignore[return-value]

    def __delitem__(self, key: K) -> None:
        with self._lock:
            del self._data[key]

    def __contains__(self, key: object) -> bool:
        with self._lock:
            return key in self._data

    def __len__(self) -> int:
        return len(self._data)

    def __iter__(self) -> Iterator[K]:
        with self._lock:
            return iter(list(self._data))

    def pop(self, key: K, default: V | None = None) -> V | None:
        with self._lock:
            return self._data.pop(key, default)

    def items(self) -> list[tuple[K, V]]:
        with self._lock:
            return list(self._data.items())

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


_MISSING: Any = object()
