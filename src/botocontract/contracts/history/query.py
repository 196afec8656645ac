"""Questions to a history store: filtered findings, or any read-only SQL, as a table, JSON or CSV."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from botocontract.contracts.history.store import HistoryError, Store

__all__ = ["FORMATS", "QueryResult", "query_findings", "query_sql", "render_rows"]

FORMATS = ("table", "json", "csv")
COLUMNS = (
    "release",
    "date",
    "service",
    "operation",
    "direction",
    "path",
    "rule",
    "severity",
    "traits",
    "fingerprint",
    "message",
)


@dataclass
class QueryResult:
    columns: list[str]
    rows: list[tuple[Any, ...]]


def _day(value: str | date | None, flag: str) -> str | None:
    if value is None:
        return None
    try:
        return (value if isinstance(value, date) else date.fromisoformat(value)).isoformat()
    except ValueError:
        raise HistoryError(f"{flag} {value!r} is not a date", hint="use YYYY-MM-DD") from None


def query_findings(
    store: Store,
    *,
    service: str | None = None,
    operation: str | None = None,
    rule: str | None = None,
    severity: str | None = None,
    since: str | date | None = None,
    until: str | date | None = None,
    limit: int | None = None,
) -> QueryResult:
    """Findings matching every filter given, oldest release first. ``rule`` matches the rule id and its
    dotted variants (``RemovedMember`` matches ``RemovedMember.Response``); ``severity`` is a minimum."""
    from botocontract.changes.model import Severity

    where, args = [], []
    for column, value in (("f.service", service), ("f.operation", operation)):
        if value:
            where.append(f"{column} = ?")
            args.append(value)
    if rule:
        # The id itself or a dotted variant of it, compared by SQL (no pattern characters to escape).
        where.append("(f.rule = ? OR substr(f.rule, 1, length(?) + 1) = ? || '.')")
        args += [rule, rule, rule]
    if severity:
        floor = Severity.parse(severity)
        allowed = [s.label for s in Severity if s >= floor]
        where.append(f"f.severity IN ({', '.join('?' for _ in allowed)})")
        args += allowed
    since_day, until_day = _day(since, "--since"), _day(until, "--until")
    if since_day:
        where.append("substr(r.uploaded, 1, 10) >= ?")
        args.append(since_day)
    if until_day:
        where.append("substr(r.uploaded, 1, 10) <= ?")
        args.append(until_day)
    sql = (
        "SELECT r.version, substr(r.uploaded, 1, 10), f.service, f.operation, f.direction, f.path, f.rule, "
        "f.severity, f.traits, f.fingerprint, f.message FROM findings f JOIN releases r ON r.seq = f.seq"
        + (" WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY f.seq, f.service, f.operation, f.direction, f.path, f.rule, f.fingerprint"
        + (f" LIMIT {int(limit)}" if limit else "")
    )
    return QueryResult(list(COLUMNS), store.db.execute(sql, args).fetchall())


def query_sql(store: Store, sql: str) -> QueryResult:
    """Any read-only SQL over the store's tables (releases, boto3, findings, presence, finding_rows)."""
    try:
        cursor = store.db.execute(sql)
        rows = cursor.fetchall()
    except sqlite3.Error as exc:
        raise HistoryError(
            f"--sql failed: {exc}",
            hint="tables: releases, boto3, findings, presence; the store is opened read-only",
        ) from None
    columns = [d[0] for d in cursor.description or ()]
    return QueryResult(columns, rows)


def render_rows(result: QueryResult, fmt: str) -> str:
    """The rows as an aligned text table, a JSON list of objects, or CSV with a header line."""
    if fmt == "json":
        objects = [dict(zip(result.columns, row, strict=True)) for row in result.rows]
        return json.dumps(objects, indent=2, default=str)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(result.columns)
        writer.writerows(result.rows)
        return out.getvalue().rstrip("\n")
    return _table(result.columns, result.rows)


def _table(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    text = [[("" if v is None else str(v)) for v in row] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in text]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()]
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip() for row in text]
    return "\n".join(lines)
