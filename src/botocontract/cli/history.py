"""Commands of API history: the ``history`` group (build, merge, query), ``blame`` and ``min-version``."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import click

from botocontract.cli._options import contract_option, emit, format_option, output_option

__all__ = ["blame", "history", "min_version"]

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")

_DB_HELP = "The history store (default: history/history.sqlite in the cache)."


def _progress() -> Any:
    """A progress callback drawing on stderr when it is a terminal (the same bar as range diffs)."""
    if not sys.stderr.isatty():
        return None

    def update(done: int, total: int, version: str) -> None:
        click.echo(f"\rhistory: {done}/{total} {version:<12}", err=True, nl=not version)

    return update


@click.group("history")
def history() -> None:
    """A SQLite store of every release's findings and of when each service, operation, member path and
    enum value was present."""


@history.command("build")
@click.option(
    "--from", "from_version", metavar="VERSION", help="First release (the old side of the first pair)."
)
@click.option("--to", "to_version", metavar="VERSION", help="Last release (default: latest).")
@click.option("--since", metavar="YYYY-MM-DD", help="Releases uploaded on or after this day (UTC) ...")
@click.option("--until", metavar="YYYY-MM-DD", help="... up to this day.")
@click.option("--db", "db_path", type=click.Path(dir_okay=False), default=None, help=_DB_HELP)
@click.option("--shard", metavar="I/N", help="Build only part I of N of the range (merge the parts later).")
def build(
    from_version: str | None,
    to_version: str | None,
    since: str | None,
    until: str | None,
    db_path: str | None,
    shard: str | None,
) -> None:
    """Walk consecutive releases into the store; a rerun adds only new releases."""
    from botocontract.contracts.history.store import build as run_build
    from botocontract.contracts.history.store import default_db, parse_shard

    counts = run_build(
        db_path,
        from_version=from_version,
        until_version=to_version,
        since=since,
        until=until,
        shard=parse_shard(shard),
        progress=_progress(),
    )
    click.echo(
        f"{db_path or default_db()}: {counts['releases']} release(s) added, {counts['findings']} "
        f"finding(s), {counts['appeared']} item(s) appeared, {counts['gone']} gone",
        err=True,
    )


@history.command("merge")
@click.argument("parts", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--db", "db_path", type=click.Path(dir_okay=False), required=True, help="The merged store.")
def merge(parts: tuple[str, ...], db_path: str) -> None:
    """Join shard stores (history build --shard I/N) into one store with the rows of one build."""
    from botocontract.contracts.history.store import merge as run_merge

    run_merge(db_path, list(parts))
    click.echo(f"{db_path}: merged {len(parts)} part(s)", err=True)


@history.command("query")
@click.option("--service")
@click.option("--operation")
@click.option("--rule", help="A rule id; matches its dotted variants too.")
@click.option("--severity", type=click.Choice(["error", "danger", "warning", "info"]), help="At least this.")
@click.option("--since", metavar="YYYY-MM-DD")
@click.option("--until", metavar="YYYY-MM-DD")
@click.option("--sql", help="Any read-only SQL (tables: releases, boto3, findings, presence).")
@click.option(
    "--format", "-f", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True
)
@click.option("--db", "db_path", type=click.Path(dir_okay=False), default=None, help=_DB_HELP)
@output_option()
def query(
    service: str | None,
    operation: str | None,
    rule: str | None,
    severity: str | None,
    since: str | None,
    until: str | None,
    sql: str | None,
    fmt: str,
    db_path: str | None,
    output: str | None,
) -> None:
    """Findings of the store by service, operation, rule, severity and date, or any --sql."""
    from botocontract.contracts.history.query import query_findings, query_sql, render_rows
    from botocontract.contracts.history.store import open_store

    if sql and any((service, operation, rule, severity, since, until)):
        raise click.UsageError("give --sql or filters, not both")
    store = open_store(db_path)
    assert store is not None
    try:
        result = (
            query_sql(store, sql)
            if sql
            else query_findings(
                store,
                service=service,
                operation=operation,
                rule=rule,
                severity=severity,
                since=since,
                until=until,
            )
        )
    finally:
        store.close()
    emit(render_rows(result, fmt), output)


_ANSWER_OPTIONS = (
    click.option(
        "--db",
        "db_path",
        type=click.Path(dir_okay=False),
        default=None,
        help="Answer from this store (default: the cache's, when built).",
    ),
    click.option("--no-store", is_flag=True, help="Bisect the release index even when a store exists."),
    click.option("--lower", metavar="VERSION", help="Oldest release a bisection reads (default: 1.16.0)."),
    click.option("--upper", metavar="VERSION", help="Newest release a bisection reads (default: latest)."),
    format_option(["text", "json"]),
)


def _answer_options(command: F) -> F:
    """The options ``blame`` and ``min-version`` share: where the answer comes from, and its format."""
    for option in reversed(_ANSWER_OPTIONS):
        command = option(command)
    return command


@contextmanager
def _answered(db_path: str | None, no_store: bool, run: Callable[[Any], T]) -> Iterator[T]:
    """``run(store)`` on the --db store, the cache's or none (bisection); when the cache's store lacks an
    item, bisect instead. The store stays open inside the block and is closed after it."""
    from botocontract.contracts.history.blame import NotInStore
    from botocontract.contracts.history.store import open_store

    store = None if no_store else open_store(db_path, must_exist=db_path is not None)
    try:
        try:
            result = run(store)
        except NotInStore:
            if db_path is not None or store is None:
                raise
            store.close()
            store = None
            result = run(None)  # the cache's store covers other releases
        yield result
    finally:
        if store is not None:
            store.close()


@click.command("blame")
@click.argument("service")
@click.argument("operation", required=False)
@click.argument("path", required=False)
@click.option("--enum", "enum", metavar="VALUE", help="An enum value of the member PATH.")
@_answer_options
def blame(
    service: str,
    operation: str | None,
    path: str | None,
    enum: str | None,
    db_path: str | None,
    no_store: bool,
    lower: str | None,
    upper: str | None,
    fmt: str,
) -> None:
    """When a service, operation, member PATH or --enum value appeared, and every finding on it since."""
    import json

    from botocontract.contracts.history.blame import blame as run_blame
    from botocontract.contracts.history.blame import make_item, render_blame

    item = make_item(service, operation, path, enum)
    with _answered(db_path, no_store, lambda s: run_blame(item, store=s, lower=lower, upper=upper)) as result:
        emit(json.dumps(result.as_dict(), indent=2) if fmt == "json" else render_blame(result))


@click.command("min-version")
@contract_option("The consumer contract whose operations and member paths must exist.", required=True)
@click.option(
    "--check",
    "check",
    is_flag=False,
    flag_value=".",
    default=None,
    metavar="SPEC|FILE",
    help='Exit 1 when the declared floor is too low: a specifier ("boto3>=1.14"), a file '
    "(pyproject.toml, requirements*.txt, setup.cfg), or, alone, the project files here.",
)
@_answer_options
def min_version(
    contract_path: str,
    check: str | None,
    db_path: str | None,
    no_store: bool,
    lower: str | None,
    upper: str | None,
    fmt: str,
) -> None:
    """The oldest botocore and boto3 holding every operation and member path of a contract."""
    import json

    from packaging.version import Version

    from botocontract.contracts.contract import load_contract
    from botocontract.contracts.history.minversion import (
        declared_floor,
        missing_at,
        render_min_version,
    )
    from botocontract.contracts.history.minversion import (
        min_version as solve,
    )
    from botocontract.errors import EXIT_FAILED

    contract = load_contract(contract_path)
    with _answered(db_path, no_store, lambda s: solve(contract, store=s, lower=lower, upper=upper)) as result:
        declared = declared_floor(check) if check is not None else None
        missing = missing_at(result, declared.botocore) if declared is not None else []
        too_low = declared is not None and (Version(declared.botocore) < Version(result.botocore) or missing)
    if fmt == "json":
        body = result.as_dict()
        if declared is not None:
            body["check"] = {
                "declared": declared.requirement,
                "origin": declared.origin,
                "botocore": declared.botocore,
                "ok": not too_low,
                "missing": [str(i) for i in missing],
            }
        emit(json.dumps(body, indent=2))
    else:
        emit(render_min_version(result))
        if declared is not None:
            where = f"{declared.requirement} ({declared.origin})"
            if too_low:
                names = ", ".join(str(i) for i in missing) or "none found"
                click.echo(
                    f"declared floor {where} means botocore {declared.botocore}, lower than "
                    f"{result.botocore}; missing there: {names}"
                )
            else:
                click.echo(f"declared floor {where} means botocore {declared.botocore}: enough")
    if too_low:
        sys.exit(EXIT_FAILED)


def contract_scope(contract_path: str) -> Any:
    """A function cutting release diffs down to what the contract uses (for ``feed`` and ``site``)."""
    from botocontract.contracts.contract import load_contract
    from botocontract.contracts.history.scope import scope_diff
    from botocontract.errors import BotocontractError

    contract = load_contract(contract_path)
    if not contract:
        raise BotocontractError(
            f"contract {contract_path!r} lists no services", hint="record or scan one first"
        )
    return contract, lambda diff: scope_diff(diff, contract)


@click.command("feed")
@contract_option("Only changes touching the operations and member paths this contract uses.", required=True)
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), help="First day (UTC) of releases.")
@click.option("--until", type=click.DateTime(formats=["%Y-%m-%d"]), help="Last day (UTC) of releases.")
@click.option("--from", "from_version", metavar="VERSION", help="Old side of the first release pair.")
@click.option("--to", "to_version", metavar="VERSION", help="Last release.")
@click.option("--title", default="AWS API changes that touch this application", show_default=True)
@click.option("--base-url", help="Public URL of a site built with `site --contract`, for absolute links.")
@output_option("Write the Atom feed here (atomically) instead of printing it.")
def feed(
    contract_path: str,
    since: Any,
    until: Any,
    from_version: str | None,
    to_version: str | None,
    title: str,
    base_url: str | None,
    output: str | None,
) -> None:
    """An Atom feed of the changes, release by release, that touch what a contract uses."""
    from botocontract.site.builder import build_feed

    if not (since or from_version):
        raise click.UsageError("give the range with --since DATE or --from VERSION")
    contract, scope = contract_scope(contract_path)
    body = build_feed(
        since.date() if since else None,
        until.date() if until else None,
        from_version=from_version,
        to_version=to_version,
        services=sorted(contract.services),
        scope=scope,
        feed_id="urn:botocontract:contract-changes",
        title=title,
        base_url=base_url,
    )
    emit(body.decode("utf-8"), output)
