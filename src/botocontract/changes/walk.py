"""Diffs of consecutive botocore releases over a range, with each pair's diff cached on disk.

A pair of published releases never changes, so its :class:`ReleaseDiff` is stored as JSON (atomic writes)
under the cache dir, keyed by the two versions, the options and the rule set. Reruns and overlapping
ranges only compute the pairs they have not seen.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from botocontract.changes.engine import diff_sources
from botocontract.changes.model import ReleaseDiff
from botocontract.changes.render_json import SCHEMA_VERSION, from_dict, to_dict
from botocontract.changes.rules import RULES
from botocontract.errors import BotocontractError

if TYPE_CHECKING:
    from botocontract.specs.index import Release

__all__ = [
    "pair_cache_path",
    "release_range",
    "walk",
]

#: Bumped whenever rule logic changes, so cached pair diffs computed by older rules are not reused.
RULESET_VERSION = 2


def release_range(
    from_version: str | None = None,
    to_version: str | None = None,
    *,
    since: date | str | None = None,
    until: date | str | None = None,
) -> list[Release]:
    """Releases (``botocontract.specs.Release``) to walk, oldest first, including the one before the
    first in range so that every release in range gets its own diff.

    Versions pick releases inclusively (``from`` is the old side of the first pair); dates pick releases
    uploaded on ``since`` .. ``until`` (UTC, inclusive).
    """
    from botocontract.specs import index

    if (from_version or to_version) and (since or until):
        raise BotocontractError("give either --from/--to versions or --since/--until dates, not both")
    every = index.releases()
    if since or until:
        today = datetime.now(timezone.utc).date()
        first = every[0]
        start = _day(since) if since else first.day
        end = _day(until) if until else today
        if start > today:
            raise BotocontractError(
                f"--since {start} is in the future (today is {today} UTC)", hint="pick a day up to today"
            )
        if end < first.day:
            raise BotocontractError(
                f"--until {end} is before botocore's first release ({first.version} of {first.day})",
                hint=f"pick a day from {first.day} on",
            )
        if end < start:
            raise BotocontractError(f"--until {end} is before --since {start}", hint="swap the two dates")
        inside = [i for i, r in enumerate(every) if start <= r.day <= end]
        if not inside:
            raise BotocontractError(
                f"no botocore release was uploaded from {start} to {end}", hint="widen the date range"
            )
        return list(every[max(inside[0] - 1, 0) : inside[-1] + 1])
    if not from_version:
        raise BotocontractError("a release range needs --from VERSION or --since DATE")
    first = index.find_release(from_version)
    last = index.find_release(to_version) if to_version else every[-1]
    if last.sort_key < first.sort_key:
        raise BotocontractError(
            f"--to {last.version} is older than --from {first.version}", hint="swap the two versions"
        )
    return index.releases_between(first, last)


def _day(value: date | str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise BotocontractError(f"{value!r} is not a date", hint="use YYYY-MM-DD") from None


@functools.lru_cache(maxsize=1)
def _ruleset_key() -> str:
    """Names the rule set: its version, ids, and the code that decides findings, so a cached pair diff
    made by other rules or severities is never read back."""
    from botocontract.changes import diff, engine, rules
    from botocontract.specs import patterns, ranges, sampling

    ids = ",".join(RULES.names())
    digest = hashlib.blake2b(f"{RULESET_VERSION}:{SCHEMA_VERSION}:{ids}".encode(), digest_size=6)
    sources = [Path(m.__file__ or "") for m in (diff, engine, patterns, ranges, sampling)]
    sources += sorted(Path(rules.__file__ or "").parent.glob("*.py"))  # every module of the rules package
    for source in sources:
        digest.update(source.read_bytes())
    return digest.hexdigest()


def pair_cache_path(
    old: str, new: str, services: Sequence[str] | None = None, *, include_docs: bool = False
) -> Path:
    """Where the diff of one release pair is cached (options and rule set are part of the name)."""
    from botocontract.specs.cache import CACHE_VERSION, cache_dir

    parts = [old, new, _ruleset_key(), f"v{CACHE_VERSION}"]
    if include_docs:
        parts.append("docs")
    if services:
        parts.append(hashlib.blake2b(",".join(sorted(services)).encode(), digest_size=6).hexdigest())
    return cache_dir("diffs") / ("_".join(parts) + ".json")


def _pair(
    old: Release, new: Release, services: Sequence[str] | None, include_docs: bool, use_cache: bool
) -> ReleaseDiff:
    from botocontract.specs import resolve_source
    from botocontract.specs.cache import read_cached_json, write_cached_json

    path = pair_cache_path(old.version, new.version, services, include_docs=include_docs)
    if use_cache:
        loaded: list[ReleaseDiff] = []

        def valid(data: Any) -> bool:
            """The stored diff parses and is the diff of this very pair."""
            diff = from_dict(data)
            loaded.append(diff)
            return data["schema_version"] == SCHEMA_VERSION and (diff.old_version, diff.new_version) == (
                old.version,
                new.version,
            )

        if read_cached_json(path, "pair-diff", valid) is not None:
            return loaded[-1]
    old_src, new_src = resolve_source(old.version), resolve_source(new.version)
    present = None
    if services:
        known = {i.name for i in old_src.services()} | {i.name for i in new_src.services()}
        present = [s for s in services if s in known]
    diff = diff_sources(old_src, new_src, present if services else None, include_docs=include_docs)
    # The old release is not needed again in a forward walk; drop its parsed models so memory stays flat.
    forget = getattr(old_src, "forget", None)
    if callable(forget):
        forget()
    diff.old_version = diff.old_version or old.version
    diff.new_version = diff.new_version or new.version
    if diff.released is None:
        diff.released = new.uploaded
    write_cached_json(path, "pair-diff", to_dict(diff, exact=True))
    return diff


def walk(
    from_version: str | None = None,
    to_version: str | None = None,
    *,
    since: date | str | None = None,
    until: date | str | None = None,
    services: Iterable[str] | None = None,
    include_docs: bool = False,
    use_cache: bool = True,
    progress: Callable[[int, int, str], None] | None = None,
) -> Iterator[ReleaseDiff]:
    """One :class:`ReleaseDiff` per consecutive release pair in the range, oldest first.

    ``services`` limits every pair to those services (names absent from a release are skipped there, so
    a service added mid-range appears from the release that adds it). ``progress(done, total, version)``
    is called before each pair (the CLI draws a progress bar with it).
    """
    chosen = sorted(set(services)) if services else None
    span = release_range(from_version, to_version, since=since, until=until)
    pairs = list(itertools.pairwise(span))
    for done, (old, new) in enumerate(pairs):
        if progress is not None:
            progress(done, len(pairs), new.version)
        yield _pair(old, new, chosen, include_docs, use_cache)
    if progress is not None:
        progress(len(pairs), len(pairs), "")
