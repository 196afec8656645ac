"""Blame: since when botocore knows a service, operation, member or enum value, and what changed on it
since.

With a history store the answer is a lookup. Without one, the release index is bisected: about log2(N)
releases are read, which is exact as long as the item, once present, stays present in every later release
(the usual case; a removal and re-addition inside the range can hide the first appearance). The range is
bounded, so only a handful of wheels are downloaded.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from botocontract.contracts.history.boto3 import boto3_pinning
from botocontract.contracts.history.items import Item, item_present
from botocontract.contracts.history.store import HistoryError, Store

__all__ = ["DEFAULT_LOWER", "Bisector", "BlameResult", "NotInStore", "blame", "make_item", "render_blame"]

#: Default lower bound of a bisection: old enough for most questions, recent enough to stay cheap.
DEFAULT_LOWER = "1.16.0"


def make_item(
    service: str,
    operation: str | None = None,
    path: str | None = None,
    enum: str | None = None,
    direction: str = "",
) -> Item:
    """The item a blame question names; an enum value needs the member path that holds it."""
    if enum is not None and not path:
        raise HistoryError(
            "--enum needs the member PATH that holds the value",
            hint="e.g. blame sagemaker CreateAutoMLJob AutoMLJobObjective.MetricName --enum AUC",
        )
    if path and not operation:
        raise HistoryError("a member PATH needs its OPERATION", hint="blame SERVICE OPERATION PATH")
    from botocontract.contracts.contract import member_segments

    clean = ".".join(member_segments(path)) if path else ""
    kind = "enum" if enum is not None else "member" if clean else "operation" if operation else "service"
    return Item(kind, service, operation or "", direction, clean, enum or "")


@dataclass
class BlameResult:
    """When an item appeared, how that was found, and every later finding on it."""

    item: Item
    appeared: str
    appeared_date: str
    #: True when the item was already there at the first release looked at (it may be older).
    at_or_before: bool
    boto3: str | None
    boto3_date: str | None
    directions: list[str]
    gone: str | None = None
    method: str = "store"
    releases_read: int = 0
    searched: tuple[str, str, int] = ("", "", 0)
    findings: list[dict[str, Any]] = field(default_factory=list)
    #: Where the later findings come from when no store holds each release.
    findings_span: tuple[str, str] | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "item": {
                "kind": self.item.kind,
                "service": self.item.service,
                "operation": self.item.operation,
                "path": self.item.path,
                "value": self.item.value,
                "directions": self.directions,
            },
            "appeared": {
                "botocore": self.appeared,
                "date": self.appeared_date,
                "at_or_before": self.at_or_before,
                "boto3": self.boto3,
                "boto3_date": self.boto3_date,
            },
            "gone": self.gone,
            "method": self.method,
            "releases_read": self.releases_read,
            "searched": {"from": self.searched[0], "to": self.searched[1], "releases": self.searched[2]},
            "findings": self.findings,
        }


class NotInStore(HistoryError):
    """The store's releases do not hold the item (it may still be in releases the store does not cover)."""


# -- presence in one release, counted ---------------------------------------------------------------------


class Bisector:
    """Reads releases on demand (each once) and answers whether items are present in them."""

    def __init__(self, releases: Sequence[Any]) -> None:
        self.releases = list(releases)
        self.read: dict[str, Any] = {}

    def model(self, version: str, service: str) -> Any:
        from botocontract.errors import BotocontractError
        from botocontract.specs import resolve_source

        key = f"{version}:{service}"
        if key not in self.read:
            source = resolve_source(version)
            try:
                raw = source.service(service).raw
            except BotocontractError:
                raw = None
            self.read[key] = raw
            source.forget()
        return self.read[key]

    @property
    def releases_read(self) -> int:
        return len({k.split(":", 1)[0] for k in self.read})

    def present(self, index: int, items: Iterable[Item]) -> bool:
        version = self.releases[index].version
        return all(item_present(i, self.model(version, i.service)) for i in items)

    def missing(self, index: int, items: Iterable[Item]) -> list[Item]:
        return self.missing_in(self.releases[index].version, items)

    def missing_in(self, version: str, items: Iterable[Item]) -> list[Item]:
        """Items that release ``version`` lacks (read if not read yet)."""
        return [i for i in items if not item_present(i, self.model(version, i.service))]

    def first(self, items: Sequence[Item]) -> tuple[int, bool]:
        """Index of the oldest release holding every item, and whether it is the range's first (so the
        true first appearance may be older). Presence is assumed to be monotone over the range."""
        lo, hi = 0, len(self.releases) - 1
        if not self.present(hi, items):
            missing = ", ".join(str(i) for i in self.missing(hi, items))
            raise HistoryError(
                f"{missing} is not in botocore {self.releases[hi].version}",
                hint="check the names (botocontract shapes SERVICE OPERATION), or pass --upper an older "
                "release if it was removed",
            )
        if self.present(lo, items):
            return lo, True
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if self.present(mid, items):
                hi = mid
            else:
                lo = mid
        return hi, False


def bounded_releases(lower: str | None, upper: str | None) -> list[Any]:
    from botocontract.specs import index

    every = index.releases()
    first = index.find_release(lower or DEFAULT_LOWER)
    last = index.find_release(upper) if upper and upper != "latest" else every[-1]
    if last.sort_key < first.sort_key:
        raise HistoryError(
            f"--upper {last.version} is older than --lower {first.version}", hint="swap the two versions"
        )
    return index.releases_between(first, last)


# -- matching findings ------------------------------------------------------------------------------------


def _finding_matches(item: Item, operation: str, path: str, old: Any, new: Any) -> bool:
    """Whether a finding at (operation, path) is on ``item`` or on something that contains it."""
    if item.kind == "service":
        return operation == ""
    if operation != item.operation:
        return False
    if path == "":
        return True  # the operation itself changed (removed, deprecated, auth, ...)
    if item.kind == "operation":
        return False
    if item.kind == "member":
        return path == item.path or path.startswith(item.path + ".") or item.path.startswith(path + ".")
    # enum: findings on this member that name the value, or on a member containing it
    if path == item.path:
        return any(item.value == v or (isinstance(v, list) and item.value in v) for v in (old, new))
    return item.path.startswith(path + ".")


# -- the two ways of answering ----------------------------------------------------------------------------


def blame_from_store(store: Store, item: Item) -> BlameResult:
    rows = store.presence(item)
    first, last, count = store.searched()
    if not rows:
        raise HistoryError(
            f"{item} is in no release of the store ({first} .. {last})",
            hint="check the names, or blame without a store (--no-store) to search the index",
        )
    start = min(r[1] for r in rows)
    at_start = any(r[3] for r in rows if r[1] == start)
    appeared, uploaded = store.release(start)
    ends = [r[2] for r in rows if r[2] is not None]
    gone = store.release(max(ends))[0] if len(ends) == len(rows) else None
    boto3 = store.db.execute(
        "SELECT version, uploaded FROM boto3 WHERE min_seq >= ? ORDER BY min_seq LIMIT 1", (start,)
    ).fetchone()
    boto3_version, boto3_date = (boto3[0], boto3[1][:10]) if boto3 else boto3_pinning(appeared)
    found = store.db.execute(
        "SELECT r.version, substr(r.uploaded, 1, 10), f.operation, f.direction, f.path, f.rule, f.severity, "
        "f.message, f.old, f.new, f.fingerprint FROM findings f JOIN releases r ON r.seq = f.seq "
        "WHERE f.service = ? AND f.seq >= ? ORDER BY f.seq, f.direction, f.path, f.rule, f.fingerprint",
        (item.service, start),
    ).fetchall()
    findings = [
        {"release": v, "date": d, "direction": dr, "path": p, "rule": rule, "severity": sev, "message": msg}
        for v, d, op, dr, p, rule, sev, msg, old, new, _fp in found
        if _finding_matches(item, op, p, json.loads(old), json.loads(new))
    ]
    return BlameResult(
        item,
        appeared,
        uploaded[:10],
        bool(at_start),
        boto3_version,
        boto3_date,
        sorted({r[0] for r in rows if r[0]}),
        gone,
        "store",
        0,
        (first, last, count),
        findings,
    )


def blame_by_bisection(item: Item, *, lower: str | None = None, upper: str | None = None) -> BlameResult:
    from botocontract.changes.engine import diff_sources
    from botocontract.specs import resolve_source

    releases = bounded_releases(lower, upper)
    bisector = Bisector(releases)
    at, at_start = bisector.first([item])
    release, last = releases[at], releases[-1]
    raw = bisector.model(release.version, item.service)
    directions = [
        d
        for d in ("request", "response")
        if item.kind in ("member", "enum") and item_present(Item(**{**vars(item), "direction": d}), raw)
    ]
    boto3_version, boto3_date = boto3_pinning(release.version)
    findings: list[dict[str, Any]] = []
    span = None
    if release.version != last.version:
        # One diff from the appearance to the upper bound: both releases were read by the bisection.
        diff = diff_sources(resolve_source(release.version), resolve_source(last.version), [item.service])
        for f in diff.all_findings():
            loc = f.location
            if _finding_matches(item, loc.operation or "", loc.path, _plain(f.old), _plain(f.new)):
                findings.append(
                    {
                        "release": last.version,
                        "date": last.day.isoformat(),
                        "direction": loc.direction,
                        "path": loc.path,
                        "rule": f.rule,
                        "severity": f.severity.label,
                        "message": f.message,
                    }
                )
        span = (release.version, last.version)
    return BlameResult(
        item,
        release.version,
        release.day.isoformat(),
        at_start,
        boto3_version,
        boto3_date,
        directions,
        None,
        "bisect",
        bisector.releases_read,
        (releases[0].version, last.version, len(releases)),
        findings,
        span,
    )


def _plain(value: Any) -> Any:
    if isinstance(value, (set, frozenset, tuple)):
        return sorted(str(v) for v in value)
    return value


def blame(
    item: Item, *, store: Store | None = None, lower: str | None = None, upper: str | None = None
) -> BlameResult:
    """Answer from ``store`` when given, else by bisecting releases ``lower`` .. ``upper``."""
    if store is not None:
        return blame_from_store(store, item)
    return blame_by_bisection(item, lower=lower, upper=upper)


def render_blame(result: BlameResult, echo: Callable[[str], None] | None = None) -> str:
    """The answer as text: appearance, how it was found, then the later findings."""
    lines = [str(result.item) + (f" [{', '.join(result.directions)}]" if result.directions else "")]
    when = "present at or before" if result.at_or_before else "appeared in"
    lines.append(f"{when} botocore {result.appeared} ({result.appeared_date})")
    if result.boto3:
        lines.append(
            f"first boto3 that pins it: boto3 {result.boto3} ({result.boto3_date}), "
            f"which requires botocore>={result.appeared}"
            if not result.at_or_before
            else f"first boto3 that pins that release: boto3 {result.boto3} ({result.boto3_date})"
        )
    if result.gone:
        lines.append(f"gone since botocore {result.gone}")
    lo, hi, count = result.searched
    if result.method == "store":
        lines.append(f"answered from the history store ({lo} .. {hi}, {count} releases)")
    else:
        lines.append(
            f"found by bisecting botocore {lo} .. {hi} ({count} releases): read {result.releases_read} "
            "releases, assuming that once present it stays present"
        )
    if result.at_or_before:
        lines.append("(it is in the first release searched; pass an older lower bound to look further back)")
    if result.findings_span:
        lines.append(
            f"findings on it from {result.findings_span[0]} to {result.findings_span[1]} (one diff; "
            "a history store lists them release by release):"
        )
    else:
        lines.append("findings on it since:")
    for f in result.findings:
        where = f" {f['direction']}" if f["direction"] not in ("service", "both") else ""
        lines.append(f"  {f['release']}  {f['date']}  {f['severity']:<7}  {f['rule']}{where}: {f['message']}")
    if not result.findings:
        lines.append("  none")
    return "\n".join(lines)
