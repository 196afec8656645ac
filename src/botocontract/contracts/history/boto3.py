"""boto3 releases and the botocore release each one pins.

Every boto3 wheel's METADATA says ``Requires-Dist: botocore (>=1.17.43,<1.18.0)``; the lower bound is the
botocore a boto3 release guarantees. The release list comes from the same package index as botocore's
(cached for an hour); each release's pin is read once from the index's PEP 658 metadata file (or, where
the index has none, from the wheel pip downloads) and cached for good, since a published release never
changes.
"""

from __future__ import annotations

import re
import tempfile
import urllib.error
import zipfile
from bisect import bisect_left
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from packaging.requirements import InvalidRequirement, Requirement
from packaging.version import Version

from botocontract.errors import SourceError
from botocontract.specs import index
from botocontract.specs.cache import atomic_write_json, cache_dir, read_json

__all__ = [
    "Boto3Release",
    "Pin",
    "boto3_pinning",
    "boto3_releases",
    "find_boto3",
    "first_boto3_pinning",
    "pin_of",
]

PACKAGE = "boto3"


@dataclass(frozen=True, order=True)
class Boto3Release:
    """One boto3 release: version, upload time and the URL of its wheel on the index."""

    sort_key: Version
    version: str
    uploaded: datetime
    url: str | None = None


@dataclass(frozen=True)
class Pin:
    """The botocore range one boto3 release requires: ``>=low,<high`` (``high`` may be None)."""

    boto3: str
    low: str
    high: str | None


@lru_cache(maxsize=1)
def boto3_releases() -> tuple[Boto3Release, ...]:
    """Every final boto3 release, oldest first."""
    rows = index.cached_rows(PACKAGE, "url", "check the network or PIP_INDEX_URL")
    return tuple(
        sorted(
            Boto3Release(v, text, when, row.get("url"))
            for v, text, when, row in index.parsed_rows(rows)
            if not v.is_prerelease
        )
    )


def find_boto3(version: str) -> Boto3Release:
    for release in boto3_releases():
        if release.version == version:
            return release
    raise SourceError(
        f"boto3 {version} is not a release on {index.index_url()}",
        hint="give a released boto3 version such as 1.14.43",
    )


_REQUIRES = re.compile(r"^Requires-Dist:\s*(.+)$", re.MULTILINE)


def _parse_pin(version: str, metadata: str) -> Pin:
    for line in _REQUIRES.findall(metadata):
        try:
            req = Requirement(line.strip())
        except InvalidRequirement:
            continue
        if req.name.lower() != "botocore" or (req.marker and "extra" in str(req.marker)):
            continue
        low = high = None
        for spec in req.specifier:
            if spec.operator in (">=", "==", "~="):
                low = spec.version
            elif spec.operator == "<":
                high = spec.version
        if low:
            return Pin(version, low, high)
    raise SourceError(
        f"boto3 {version} declares no botocore lower bound in its METADATA", hint="pick another boto3 release"
    )


def _metadata_text(release: Boto3Release) -> str:
    if release.url:
        try:
            return index.open_url(release.url.split("#")[0] + ".metadata").decode("utf-8", "replace")
        except (urllib.error.URLError, OSError):
            pass  # no PEP 658 file on this index: read the wheel itself
    with tempfile.TemporaryDirectory(prefix="boto3-") as tmp:
        wheel, last = index.pip_download("boto3", release.version, tmp)
        if wheel is None:
            raise SourceError(
                f"cannot read boto3 {release.version}'s metadata: {last}",
                hint="check the network or pip's index settings",
            )
        with zipfile.ZipFile(wheel) as zf:
            name = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
            return zf.read(name).decode("utf-8", "replace")


def pin_of(release: Boto3Release | str) -> Pin:
    """The botocore range a boto3 release requires (cached for good once read)."""
    if isinstance(release, str):
        release = find_boto3(release)
    path = cache_dir("boto3-pins") / f"{release.version}.json"
    cached = read_json(path)
    if cached is not None:
        return Pin(release.version, cached["low"], cached.get("high"))
    pin = _parse_pin(release.version, _metadata_text(release))
    atomic_write_json(path, {"low": pin.low, "high": pin.high})
    return pin


def first_boto3_pinning(botocore: str) -> Boto3Release | None:
    """The oldest boto3 release that requires at least ``botocore`` (so every install of it has that
    botocore or newer), found by bisection over boto3 releases (their pins only ever rise)."""
    releases = [r for r in boto3_releases() if r.sort_key >= Version("1.0.0")]
    wanted = Version(botocore)

    class _Keys:
        def __len__(self) -> int:
            return len(releases)

        def __getitem__(self, i: int) -> Version:
            return Version(pin_of(releases[i]).low)

    at = bisect_left(_Keys(), wanted)  # type: ignore[call-overload]
    return releases[at] if at < len(releases) else None


def boto3_pinning(botocore: str) -> tuple[str | None, str | None]:
    """The version and upload day of :func:`first_boto3_pinning`, or ``(None, None)``."""
    release = first_boto3_pinning(botocore)
    return (release.version, release.uploaded.date().isoformat()) if release else (None, None)
