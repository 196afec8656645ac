"""botocore's release list from the package index, with upload dates.

Uses the index's JSON simple API (PEP 691, with PEP 700 ``upload-time``), honouring ``PIP_INDEX_URL`` and
``PIP_CERT`` like pip does. The list is cached; a stale cache is used when the index cannot be reached.
"""

from __future__ import annotations

import http.client
import json
import os
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

from packaging.version import InvalidVersion, Version

from botocontract.errors import SourceError, did_you_mean
from botocontract.specs.cache import CACHE_VERSION, cache_dir, read_cached_json, write_cached_json

__all__ = [
    "Release",
    "cached_rows",
    "find_release",
    "open_url",
    "parsed_rows",
    "release_on_or_before",
    "releases",
    "releases_between",
    "simple_files",
    "upload_rows",
]

PACKAGE = "botocore"
#: How long a cached release list is trusted before the index is asked again.
MAX_AGE_SECONDS = 3600


@dataclass(frozen=True, order=True)
class Release:
    """One botocore release: its version, when its wheel was uploaded, and the wheel's file name."""

    sort_key: Version
    version: str
    uploaded: datetime
    wheel: str | None = None

    @property
    def day(self) -> date:
        return self.uploaded.date()


def index_url() -> str:
    return (
        os.environ.get("BOTOCONTRACT_INDEX_URL")
        or os.environ.get("PIP_INDEX_URL")
        or "https://pypi.org/simple"
    ).rstrip("/")


def open_url(url: str, accept: str | None = None) -> bytes:
    """The body at ``url`` on the index, with pip's certificate settings."""
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    cafile = os.environ.get("PIP_CERT") or os.environ.get("SSL_CERT_FILE")
    context = ssl.create_default_context(cafile=cafile if cafile and os.path.exists(cafile) else None)
    with urllib.request.urlopen(request, timeout=30, context=context) as response:
        body: bytes = response.read()
        return body


def simple_files(package: str) -> list[dict[str, object]]:
    """The file entries of one package on the index's JSON simple API (PEP 691/700)."""
    url = f"{index_url()}/{package}/"
    payload = json.loads(open_url(url, "application/vnd.pypi.simple.v1+json"))
    if not isinstance(payload, dict) or not isinstance(payload.get("files"), list):
        raise ValueError(f"{url} did not answer with a JSON simple-API file list")
    return [entry for entry in payload["files"] if isinstance(entry, dict)]


def upload_rows(package: str, file_field: str) -> list[dict[str, str | None]]:
    """One row per version of ``package``: its upload time and, under ``file_field``, its wheel.

    ``file_field`` is ``"wheel"`` (the wheel's file name) or ``"url"`` (where the wheel is downloaded from);
    the upload time is the wheel's when there is one, else the first file's.
    """
    uploads: dict[str, dict[str, str | None]] = {}
    for entry in simple_files(package):
        name = str(entry.get("filename", ""))
        if entry.get("yanked") or not name.startswith(f"{package}-"):
            continue
        version = name[len(package) + 1 :].split("-")[0].removesuffix(".tar.gz").removesuffix(".zip")
        when = str(entry.get("upload-time") or "")
        if not when:
            continue
        row = uploads.setdefault(version, {"version": version, "uploaded": when, file_field: None})
        if name.endswith(".whl"):
            row[file_field] = name if file_field == "wheel" else str(entry.get("url") or "") or None
            row["uploaded"] = when
    return list(uploads.values())


def _valid_list(data: Any) -> bool:
    """The cached list's shape: when it was fetched, and rows with a version and an ISO upload time."""
    rows = data["releases"]
    float(data["fetched"])
    if not isinstance(rows, list) or not rows:
        return False
    for row in rows:
        if not (isinstance(row["version"], str) and isinstance(row["uploaded"], str)):
            return False
        datetime.fromisoformat(row["uploaded"].replace("Z", "+00:00"))
    return True


def cached_rows(
    package: str, file_field: str, hint: str, refresh: bool = False
) -> list[dict[str, str | None]]:
    """``upload_rows`` of ``package``, cached for ``MAX_AGE_SECONDS``; a stale cache serves when the index
    cannot be reached, and without one the one-line error ends with ``hint``."""
    path = cache_dir("index") / f"{package}.v{CACHE_VERSION}.json"
    cached = read_cached_json(path, "release-list", _valid_list)
    fresh = cached and not refresh and time.time() - cached.get("fetched", 0) < MAX_AGE_SECONDS
    rows: list[dict[str, str | None]] | None = cached["releases"] if fresh and cached is not None else None
    if rows is None:
        try:
            rows = upload_rows(package, file_field)
            if not rows:
                raise ValueError(f"the index lists no {package} files")
            stored = {"fetched": time.time(), "url": index_url(), "releases": rows}
            write_cached_json(path, "release-list", stored)
        except (urllib.error.URLError, OSError, ValueError, http.client.HTTPException) as exc:
            if not cached:
                raise SourceError(
                    f"cannot read {package}'s release list from {index_url()}: {_reason(exc)}", hint=hint
                ) from None
            rows = cached["releases"]
    return rows


def _load(refresh: bool = False) -> list[Release]:
    rows = cached_rows(
        PACKAGE,
        "wheel",
        "check the network or PIP_INDEX_URL, or use a local path or 'installed'",
        refresh,
    )
    return sorted(Release(v, text, when, row.get("wheel")) for v, text, when, row in parsed_rows(rows))


def parsed_rows(
    rows: Iterable[dict[str, str | None]],
) -> Iterator[tuple[Version, str, datetime, dict[str, str | None]]]:
    """The rows of :func:`cached_rows` whose version parses: (version, its text, upload time in UTC, row)."""
    for row in rows:
        try:
            parsed = Version(str(row["version"]))
        except InvalidVersion:
            continue
        uploaded = datetime.fromisoformat(str(row["uploaded"]).replace("Z", "+00:00"))
        yield parsed, str(row["version"]), uploaded.astimezone(timezone.utc), row


def _reason(exc: BaseException) -> str:
    """The innermost reason of a failed request, on one line (``Connection refused``, ``HTTP Error 404``)."""
    reason = getattr(exc, "reason", None)
    if isinstance(reason, BaseException):
        reason = getattr(reason, "strerror", None) or str(reason)
    return " ".join(str(reason or exc).split())


@lru_cache(maxsize=2)
def releases(refresh: bool = False) -> tuple[Release, ...]:
    """Every final botocore release, oldest first."""
    return tuple(r for r in _load(refresh) if not r.sort_key.is_prerelease)


def find_release(version: str) -> Release:
    """The release with this version; refreshes the list once if it is not in the cached one."""
    for refresh in (False, True):
        for release in releases(refresh):
            if release.version == version:
                return release
    known = [r.version for r in releases()]
    raise SourceError(
        f"botocore {version} is not a release on {index_url()}",
        hint=f"did you mean {', '.join(did_you_mean(version, known))}?"
        if did_you_mean(version, known)
        else f"releases run from {known[0]} to {known[-1]}",
    )


def release_on_or_before(day: date) -> Release:
    """The newest release uploaded on or before ``day`` (UTC)."""
    candidates = [r for r in releases() if r.day <= day]
    if not candidates:
        raise SourceError(
            f"no botocore release was uploaded on or before {day.isoformat()}",
            hint=f"the first release is {releases()[0].version} of {releases()[0].day}",
        )
    return max(candidates, key=lambda r: (r.uploaded, r.sort_key))


def releases_between(start: Release, end: Release) -> list[Release]:
    """Releases from ``start`` to ``end`` inclusive, in version order."""
    lo, hi = sorted((start.sort_key, end.sort_key))
    return [r for r in releases() if lo <= r.sort_key <= hi]


def pip_download(package: str, version: str, dest: str | Path) -> tuple[Path | None, str]:
    """One wheel of ``package==version`` into ``dest`` through pip (so the user's index, mirrors and
    certificates apply): the wheel, or None and pip's last error line."""
    cmd = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--only-binary=:all:",
        "--disable-pip-version-check",
        "--quiet",
        "-d",
        str(dest),
        f"{package}=={version}",
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    wheels = sorted(Path(dest).glob(f"{package}-*.whl"))
    if proc.returncode != 0 or not wheels:
        return None, (proc.stderr.strip().splitlines() or ["no wheel"])[-1].removeprefix("ERROR: ")
    return wheels[0], ""
