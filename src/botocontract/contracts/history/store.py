"""The history store: every release, every finding and every item's presence, in one SQLite file.

``build`` walks consecutive releases with :func:`botocontract.changes.walk` (so cached pair diffs are
reused) and records, per pair, the findings and which items appeared or disappeared. Presence intervals
start from a snapshot of the range's first release (``at_start`` marks items already there, whose real
first release may be older). Each release pair is one transaction, so an interrupted build leaves the
store at a release boundary and the next run continues there; a new store is built under a temporary name
and moved into place. Shards build disjoint parts of a range; :func:`merge` joins them into exactly the rows
one build makes.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from botocontract.contracts.history.items import MAX_DEPTH, Item, model_rows
from botocontract.errors import BotocontractError

if TYPE_CHECKING:
    from botocontract.changes.model import ReleaseDiff
    from botocontract.specs.index import Release
    from botocontract.specs.sources import Source

__all__ = [
    "HistoryError",
    "Store",
    "build",
    "default_db",
    "merge",
    "open_store",
    "parse_shard",
]

#: Bumped when the tables change; an older store is rebuilt rather than misread.
STORE_VERSION = 1

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE releases (seq INTEGER PRIMARY KEY, version TEXT NOT NULL UNIQUE, uploaded TEXT NOT NULL);
CREATE TABLE boto3 (
    version TEXT PRIMARY KEY, uploaded TEXT NOT NULL, botocore_min TEXT NOT NULL, botocore_max TEXT,
    min_seq INTEGER NOT NULL
);
CREATE TABLE findings (
    seq INTEGER NOT NULL, service TEXT NOT NULL, operation TEXT NOT NULL, direction TEXT NOT NULL,
    path TEXT NOT NULL, rule TEXT NOT NULL, severity TEXT NOT NULL, traits TEXT NOT NULL,
    fingerprint TEXT NOT NULL, message TEXT NOT NULL, old TEXT NOT NULL, new TEXT NOT NULL
);
CREATE TABLE presence (
    kind TEXT NOT NULL, service TEXT NOT NULL, operation TEXT NOT NULL, direction TEXT NOT NULL,
    path TEXT NOT NULL, value TEXT NOT NULL, first_seq INTEGER NOT NULL, gone_seq INTEGER,
    at_start INTEGER NOT NULL
);
CREATE VIEW finding_rows AS
    SELECT r.version AS release, r.uploaded AS uploaded, f.service, f.operation, f.direction, f.path,
           f.rule, f.severity, f.traits, f.fingerprint, f.message
    FROM findings f JOIN releases r ON r.seq = f.seq;
"""

#: Made after a new store's first snapshot is in (bulk inserts into indexed tables are slower).
_INDEXES = """
CREATE INDEX IF NOT EXISTS findings_where ON findings (service, operation, path);
CREATE INDEX IF NOT EXISTS findings_seq ON findings (seq);
CREATE INDEX IF NOT EXISTS presence_op ON presence (service, operation);
CREATE INDEX IF NOT EXISTS presence_open ON presence (service, gone_seq);
"""

#: Tables compared when two stores must hold the same rows (``meta`` says how they were built).
DATA_TABLES = ("releases", "boto3", "findings", "presence")


class HistoryError(BotocontractError):
    """A history store is missing, of another version, or cannot hold what was asked."""


def default_db() -> Path:
    """The store in the cache (``$BOTOCONTRACT_CACHE/history/history.sqlite``)."""
    from botocontract.specs.cache import cache_dir

    return cache_dir("history") / "history.sqlite"


def parse_shard(text: str | None) -> tuple[int, int] | None:
    """``"2/3"`` -> (2, 3); shards count from 1."""
    if not text:
        return None
    try:
        i, n = (int(p) for p in text.split("/"))
    except ValueError:
        raise HistoryError(f"--shard {text!r} is not I/N", hint="write e.g. --shard 2/3") from None
    if not 1 <= i <= n:
        raise HistoryError(f"--shard {text}: I must be from 1 to N", hint="write e.g. --shard 2/3")
    return i, n


def _shard_span(span: Sequence[Any], shard: tuple[int, int] | None) -> list[Any]:
    """The releases one shard covers: the pairs split into N contiguous runs (neighbours share a release)."""
    if shard is None:
        return list(span)
    i, n = shard
    pairs = len(span) - 1
    if pairs < n:
        raise HistoryError(f"{pairs} release pairs cannot be split into {n} shards", hint="use fewer shards")
    start, stop = (pairs * (i - 1)) // n, (pairs * i) // n
    return list(span[start : stop + 1])


@dataclass
class Store:
    """An open history store (read-only unless built)."""

    path: Path
    db: sqlite3.Connection

    def meta(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT key, value FROM meta").fetchall())

    def span(self) -> tuple[str, str]:
        meta = self.meta()
        return meta["first"], meta["last"]

    def release(self, seq: int) -> tuple[str, str]:
        row = self.db.execute("SELECT version, uploaded FROM releases WHERE seq = ?", (seq,)).fetchone()
        return (row[0], row[1]) if row else ("?", "?")

    def seq_of(self, version: str) -> int | None:
        row = self.db.execute("SELECT seq FROM releases WHERE version = ?", (version,)).fetchone()
        return row[0] if row else None

    def searched(self) -> tuple[str, str, int]:
        """First and last release and how many releases the store holds: what an answer from it read."""
        first, last = self.span()
        return first, last, self.db.execute("SELECT count(*) FROM releases").fetchone()[0]

    def presence(self, item: Item, *, open_only: bool = False) -> list[tuple[str, int, int | None, int]]:
        """The intervals ``item`` is present in, oldest first: (direction, first_seq, gone_seq, at_start);
        an item without a direction matches every direction. ``open_only``: still present at the end."""
        sql = (
            "SELECT direction, first_seq, gone_seq, at_start FROM presence WHERE kind = ? AND service = ? "
            "AND operation = ? AND path = ? AND value = ?"
        )
        args: list[Any] = [item.kind, item.service, item.operation, item.path, item.value]
        if item.direction:
            sql += " AND direction = ?"
            args.append(item.direction)
        if open_only:
            sql += " AND gone_seq IS NULL"
        return self.db.execute(sql + " ORDER BY first_seq, direction", args).fetchall()

    def close(self) -> None:
        self.db.close()


def open_store(path: str | os.PathLike[str] | None = None, *, must_exist: bool = True) -> Store | None:
    """Open a store read-only; None when there is none and ``must_exist`` is false."""
    path = Path(path) if path else default_db()
    if not path.exists():
        if must_exist:
            raise HistoryError(
                f"no history store at {path}", hint="build one with `botocontract history build`"
            )
        return None
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        version = db.execute("SELECT value FROM meta WHERE key = 'store_version'").fetchone()
    except sqlite3.DatabaseError as exc:
        raise HistoryError(
            f"{path} is not a history store: {exc}", hint="rebuild it with `history build`"
        ) from None
    if not version or int(version[0]) != STORE_VERSION:
        raise HistoryError(
            f"{path} is a history store of another version",
            hint="rebuild it with `botocontract history build`",
        )
    return Store(path, db)


# -- building -------------------------------------------------------------------------------------------


def _finding_rows(seq: int, diff: ReleaseDiff) -> Iterator[tuple[Any, ...]]:
    for service in diff.services:
        for f in service.all_findings():
            loc = f.location
            traits = getattr(f, "traits", None)
            as_dict = getattr(traits, "as_dict", None)
            traits_text = json.dumps(as_dict() if callable(as_dict) else {}, sort_keys=True)
            yield (
                seq,
                loc.service,
                loc.operation or "",
                loc.direction,
                loc.path,
                f.rule,
                f.severity.label,
                traits_text,
                f.fingerprint,
                f.message,
                _json(f.old),
                _json(f.new),
            )


def _json(value: Any) -> str:
    from botocontract.changes.model import _jsonable

    return json.dumps(_jsonable(value), sort_keys=True, default=str)


def _service_items(source: Source, name: str) -> set[tuple[str, ...]]:
    try:
        spec = source.service(name)
    except BotocontractError:
        return set()
    return model_rows(name, spec.raw, MAX_DEPTH)


def _insert_items(db: sqlite3.Connection, rows: Iterable[tuple[str, ...]], seq: int, at_start: int) -> None:
    db.executemany(
        "INSERT INTO presence VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?)",
        ((*row, seq, at_start) for row in sorted(rows)),
    )


def _open_items(db: sqlite3.Connection) -> dict[str, set[tuple[str, ...]]]:
    """Every item present at the store's last release, per service (read once when a build resumes)."""
    state: dict[str, set[tuple[str, ...]]] = {}
    for row in db.execute(
        "SELECT kind, service, operation, direction, path, value FROM presence WHERE gone_seq IS NULL"
    ):
        state.setdefault(row[1], set()).add(row)
    return state


def _close_items(db: sqlite3.Connection, rows: Iterable[tuple[str, ...]], seq: int) -> None:
    db.executemany(
        "UPDATE presence SET gone_seq = ? WHERE kind = ? AND service = ? AND operation = ? AND direction = ? "
        "AND path = ? AND value = ? AND gone_seq IS NULL",
        ((seq, *row) for row in sorted(rows)),
    )


def _record_boto3(db: sqlite3.Connection, span: Sequence[Any]) -> None:
    """boto3 releases whose botocore floor is a release of ``span`` (looked up in a window of upload dates
    around it, so the rows depend only on the span)."""
    from datetime import timedelta

    from botocontract.contracts.history.boto3 import boto3_releases, pin_of

    seqs = {r.version: _seq(r) for r in span}
    lo, hi = span[0].uploaded - timedelta(days=3), span[-1].uploaded + timedelta(days=10)
    for release in boto3_releases():
        if not lo <= release.uploaded <= hi:
            continue
        pin = pin_of(release)
        if pin.low in seqs:
            db.execute(
                "INSERT OR IGNORE INTO boto3 VALUES (?, ?, ?, ?, ?)",
                (release.version, release.uploaded.isoformat(), pin.low, pin.high, seqs[pin.low]),
            )


def _seq(release: Release) -> int:
    """A release's position in botocore's whole release list: equal in every store and shard."""
    from botocontract.specs import index

    return _positions(index.releases())[release.version]


_POSITIONS: dict[int, dict[str, int]] = {}


def _positions(every: Sequence[Any]) -> dict[str, int]:
    key = id(every)
    if key not in _POSITIONS:
        _POSITIONS[key] = {r.version: i for i, r in enumerate(every)}
    return _POSITIONS[key]


def _create(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, isolation_level=None)
    db.executescript(_SCHEMA)
    db.execute("INSERT INTO meta VALUES ('store_version', ?)", (str(STORE_VERSION),))
    db.execute("INSERT INTO meta VALUES ('max_depth', ?)", (str(MAX_DEPTH),))
    return db


@contextlib.contextmanager
def _transaction(db: sqlite3.Connection) -> Iterator[None]:
    db.execute("BEGIN")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _set_meta(db: sqlite3.Connection, **values: str) -> None:
    db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", sorted(values.items()))


def build(
    db_path: str | os.PathLike[str] | None = None,
    *,
    from_version: str | None = None,
    until_version: str | None = None,
    since: date | str | None = None,
    until: date | str | None = None,
    shard: tuple[int, int] | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> dict[str, int]:
    """Build or extend the store at ``db_path`` over a release range; returns counts of what was added.

    A store already covering the start of the range is extended from its last release (only new pairs are
    walked); a range starting before the store's first release, or another shard, is rejected.
    """
    from botocontract.changes.walk import release_range, walk
    from botocontract.specs import resolve_source

    path = Path(db_path) if db_path else default_db()
    existing = open_store(path, must_exist=False)
    meta = existing.meta() if existing is not None else {}
    if existing is not None:
        existing.close()
        if meta.get("shard") or shard:
            raise HistoryError(
                f"{path} already exists; shards are built into new files and merged",
                hint="give --db a new path per shard, then `botocontract history merge`",
            )
        if not (from_version or since):
            from_version = meta["first"]  # a bare rerun continues the store up to the newest release
    span = _shard_span(release_range(from_version, until_version, since=since, until=until), shard)
    if len(span) < 2:
        raise HistoryError("the range holds a single release", hint="widen it to at least two releases")
    resume_from: str | None = None
    if existing is not None:
        first, last = meta["first"], meta["last"]
        if _seq(span[0]) < _seq_of_version(first):
            raise HistoryError(
                f"{path} starts at {first}, after this range's start {span[0].version}",
                hint="give --db a new path, or delete the store to rebuild it",
            )
        versions = [r.version for r in span]
        if last not in versions:
            if _seq(span[-1]) <= _seq_of_version(last):
                return {"releases": 0, "findings": 0, "appeared": 0, "gone": 0}
            raise HistoryError(
                f"{path} ends at {last}, before this range starts",
                hint="give a range that continues it, or a new --db path",
            )
        resume_from = last
        span = span[versions.index(last) :]
        if len(span) < 2:
            return {"releases": 0, "findings": 0, "appeared": 0, "gone": 0}
        db = sqlite3.connect(path, isolation_level=None)
        final: Path | None = None
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        final, path = path, path.with_name(f".{path.name}.{os.getpid()}.tmp")
        path.unlink(missing_ok=True)
        db = _create(path)
    counts = {"releases": 0, "findings": 0, "appeared": 0, "gone": 0}
    try:
        db.execute("PRAGMA synchronous = NORMAL")
        old_source = resolve_source(span[0].version)
        # What is present at the last release recorded, per service: kept in memory while building.
        state: dict[str, set[tuple[str, ...]]] = {}
        if resume_from is None:
            with _transaction(db):
                _record_release(db, span[0])
                for name in old_source.service_names():
                    rows = state[name] = _service_items(old_source, name)
                    _insert_items(db, rows, _seq(span[0]), 1)
                    counts["appeared"] += len(rows)
                old_source.forget()
                _set_meta(
                    db,
                    first=span[0].version,
                    last=span[0].version,
                    shard=f"{shard[0]}/{shard[1]}" if shard else "",
                )
                counts["releases"] += 1
        else:
            state = _open_items(db)
        db.executescript(_INDEXES)
        pairs = list(itertools.pairwise(span))
        previous: Any = None
        diffs = walk(span[0].version, span[-1].version)
        for done, ((_old, new), diff) in enumerate(zip(pairs, diffs, strict=True)):
            if progress is not None:
                progress(done, len(pairs), new.version)
            seq = _seq(new)
            with _transaction(db):
                _record_release(db, new)
                found = list(_finding_rows(seq, diff))
                db.executemany("INSERT INTO findings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", found)
                counts["findings"] += len(found)
                changed = sorted({s.service for s in diff.services if s.status != "docs-only"})
                if changed:
                    # The walk reads this release again as the old side of the next pair: keep its parsed
                    # models until then (it drops them itself), and drop the one kept before.
                    source = resolve_source(new.version)
                    if previous is not None and previous is not source:
                        previous.forget()
                    previous = source
                    for name in changed:
                        before = state.get(name, set())
                        after = state[name] = _service_items(source, name)
                        gone, new_rows = before - after, after - before
                        _close_items(db, gone, seq)
                        _insert_items(db, new_rows, seq, 0)
                        counts["appeared"] += len(new_rows)
                        counts["gone"] += len(gone)
                _set_meta(db, last=new.version)
                counts["releases"] += 1
        if previous is not None:
            previous.forget()
        if progress is not None:
            progress(len(pairs), len(pairs), "")
        with _transaction(db):
            _record_boto3(db, span)
    except BaseException:
        db.close()
        if final is not None:
            path.unlink(missing_ok=True)
        raise
    db.close()
    if final is not None:
        os.replace(path, final)
    return counts


def _seq_of_version(version: str) -> int:
    from botocontract.specs import index

    return _positions(index.releases()).get(version, -1)


def _record_release(db: sqlite3.Connection, release: Release) -> None:
    db.execute(
        "INSERT OR IGNORE INTO releases VALUES (?, ?, ?)",
        (_seq(release), release.version, release.uploaded.isoformat()),
    )


# -- merging shards -------------------------------------------------------------------------------------


def merge(out: str | os.PathLike[str], parts: Sequence[str | os.PathLike[str]]) -> dict[str, int]:
    """Join shard stores covering consecutive ranges into one store holding the rows one build makes."""
    stores = [open_store(p) for p in parts]
    assert all(s is not None for s in stores)
    ordered = sorted((s for s in stores if s is not None), key=lambda s: _first_seq(s))
    for before, after in itertools.pairwise(ordered):
        if before.span()[1] != after.span()[0]:
            raise HistoryError(
                f"{before.path} ends at {before.span()[1]} but {after.path} starts at {after.span()[0]}",
                hint="merge shards of one range (history build --shard I/N), all of them",
            )
    target = Path(out)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    db = _create(tmp)
    db.executescript(_INDEXES)
    try:
        for i, store in enumerate(ordered):
            db.execute("ATTACH DATABASE ? AS part", (f"{store.path.resolve().as_uri()}?mode=ro",))
            with _transaction(db):
                _merge_part(db, i, _first_seq(store))
            db.execute("DETACH DATABASE part")
        with _transaction(db):
            _set_meta(db, first=ordered[0].span()[0], last=ordered[-1].span()[1], shard="")
        db.close()
        os.replace(tmp, target)
    except BaseException:
        db.close()
        tmp.unlink(missing_ok=True)
        raise
    finally:
        for store in ordered:
            store.close()
    return {"parts": len(ordered)}


def _merge_part(db: sqlite3.Connection, index: int, start: int) -> None:
    db.execute("INSERT OR IGNORE INTO releases SELECT * FROM part.releases")
    db.execute("INSERT OR IGNORE INTO boto3 SELECT * FROM part.boto3")
    db.execute("INSERT INTO findings SELECT * FROM part.findings")
    if index == 0:
        db.execute("INSERT INTO presence SELECT * FROM part.presence")
        return
    # Items there at this part's start continue an interval the parts before it left open; only those
    # the part saw go need an update.
    closed = db.execute(
        "SELECT gone_seq, kind, service, operation, direction, path, value FROM part.presence "
        "WHERE at_start = 1 AND first_seq = ? AND gone_seq IS NOT NULL",
        (start,),
    ).fetchall()
    db.executemany(
        "UPDATE presence SET gone_seq = ? WHERE kind = ? AND service = ? AND operation = ? AND direction = ? "
        "AND path = ? AND value = ? AND gone_seq IS NULL",
        sorted(closed),
    )
    db.execute(
        "INSERT INTO presence SELECT * FROM part.presence WHERE NOT (at_start = 1 AND first_seq = ?)",
        (start,),
    )


def _first_seq(store: Store) -> int:
    seq = store.seq_of(store.span()[0])
    return seq if seq is not None else -1


def table_rows(path: str | os.PathLike[str]) -> dict[str, list[tuple[Any, ...]]]:
    """Every data row of a store, sorted, per table: what "the same rows" means for shards and builds."""
    store = open_store(path)
    assert store is not None
    try:
        return {t: sorted(store.db.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in DATA_TABLES}
    finally:
        store.close()
