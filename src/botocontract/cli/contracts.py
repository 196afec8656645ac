"""Commands of consumer contracts: ``gate`` and the ``contract`` group (scan, check, schema, merge)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from botocontract.cli._options import (
    contract_option,
    emit,
    format_option,
    output_option,
    parse_reports,
    report_option,
    source_option,
)

__all__ = ["contract", "gate"]

_LEVELS = ["error", "danger", "warning", "info"]


def _gate_formats() -> list[str]:
    from botocontract.contracts.formats import FORMATS

    return FORMATS.names()


@click.command("gate")
@click.option("--from", "old", default=None, metavar="SOURCE", help="The release in use now (e.g. 1.17.43).")
@click.option(
    "--to", "new", default="installed", show_default=True, metavar="SOURCE", help="The release to upgrade to."
)
@click.option(
    "--from-lock",
    metavar="FILE|REF:FILE",
    help="Take --from from a lockfile (requirements*.txt, uv.lock, poetry.lock, Pipfile.lock, pdm.lock, "
    "pylock.toml), or from it at a git ref (origin/main:uv.lock).",
)
@click.option("--to-lock", metavar="FILE|REF:FILE", help="Take --to from a lockfile, likewise.")
@contract_option("Consumer contract: only findings touching it count.")
@click.option(
    "--suppressions",
    "suppressions_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Accepted findings, each with a reason and optional expiry.",
)
@click.option(
    "--fail-on",
    type=click.Choice(_LEVELS),
    default="error",
    show_default=True,
    help="Fail when a finding at or above this severity remains.",
)
@click.option(
    "--service", "services", multiple=True, help="Only these services (default: the contract's, or all)."
)
@format_option(_gate_formats, help="The main report's format (one module each in contracts/formats/).")
@click.option(
    "--profile",
    type=click.Choice(["app", "wire"]),
    default="app",
    show_default=True,
    help="Whose code is protected: app (boto3 callers) or wire (emulators, proxies, recorded traffic).",
)
@output_option("Write the report here (atomically) instead of printing it.")
@report_option("Also write a report in another format (repeatable), e.g. --report sarif=gate.sarif.")
def gate(
    old: str | None,
    new: str,
    from_lock: str | None,
    to_lock: str | None,
    contract_path: str | None,
    suppressions_path: str | None,
    fail_on: str,
    services: tuple[str, ...],
    fmt: str,
    profile: str,
    output: str | None,
    reports: tuple[str, ...],
) -> None:
    """Gate an SDK upgrade: exit 0 when nothing at or above --fail-on breaks, 1 when something does."""
    from botocontract.contracts.contract import load_contract
    from botocontract.contracts.formats import FORMATS, RenderContext, render
    from botocontract.contracts.gate import gate_sources
    from botocontract.contracts.suppressions import load_suppressions
    from botocontract.errors import BotocontractError

    extra = parse_reports(reports, FORMATS.names())
    if (old is None) == (from_lock is None):
        raise click.UsageError("give the release in use with exactly one of --from or --from-lock")
    if from_lock or to_lock:
        from botocontract.contracts.history.lockfiles import locked_botocore

        before = locked_botocore(from_lock) if from_lock else None
        after = locked_botocore(to_lock) if to_lock else None
        old = before.botocore if before else old
        new = after.botocore if after else new
        click.echo(
            f"gate: {before.describe() if before else old} -> {after.describe() if after else new}", err=True
        )
    assert old is not None
    contract = load_contract(contract_path) if contract_path else None
    suppressions = load_suppressions(suppressions_path) if suppressions_path else None
    wanted = list(services) or (sorted(contract.services) if contract is not None else None)
    if contract is not None and not wanted:
        raise BotocontractError(
            f"contract {contract_path!r} lists no services", hint="record or scan one first"
        )
    result = gate_sources(old, new, contract, suppressions, fail_on, services=wanted, profile=profile)
    context = RenderContext(contract_path=contract_path, suppressions_path=suppressions_path)
    emit(render(result, fmt, context), output, newline=False)
    for name, path in extra:
        emit(render(result, name, context), path, newline=False)
    sys.exit(result.exit_code)


@click.group("contract")
def contract() -> None:
    """Consumer contracts: what an application uses, found by scanning, recording or by hand."""


@contract.command("scan")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@output_option("Merge the contract into this file (default: print it).")
@source_option("Release whose models name the operations.")
def scan(paths: tuple[str, ...], output: str | None, source: str) -> None:
    """Find boto3 client calls in Python files and folders (best effort, static)."""
    import yaml

    from botocontract.contracts.contract import save_contract
    from botocontract.contracts.scan import scan_paths

    result = scan_paths(paths, source=source)
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    if output:
        merged = save_contract(result.contract, output)
        click.echo(result.summary(), err=True)
        ops = sum(len(o) for o in merged.services.values())
        click.echo(f"scanned {result.files} file(s); {output} now lists {ops} operation(s)", err=True)
    else:
        click.echo(result.summary(), err=True)
        click.echo(yaml.safe_dump(result.contract.as_dict(), sort_keys=False), nl=False)


@contract.command("check")
@click.argument("contract_path", type=click.Path(dir_okay=False))
@source_option("Release to check against.")
def check(contract_path: str, source: str) -> None:
    """Check that every operation and member path in a contract exists in a release."""
    from botocontract.contracts.check import check_contract
    from botocontract.contracts.contract import load_contract
    from botocontract.errors import EXIT_FAILED, EXIT_OK

    result = check_contract(load_contract(contract_path), source)
    for problem in result.problems:
        click.echo(f"{contract_path}: {problem}")
    verdict = "ok" if result.ok else f"{len(result.problems)} problem(s)"
    click.echo(f"{verdict}: checked {result.checked_paths} path(s) against {result.source_label}", err=True)
    sys.exit(EXIT_OK if result.ok else EXIT_FAILED)


@contract.command("schema")
@click.option(
    "--suppressions", "which", flag_value="suppressions", help="The suppressions file's schema instead."
)
def schema(which: str | None) -> None:
    """Print the JSON Schema of contract files (or of suppressions files)."""
    from botocontract.contracts.contract import contract_json_schema
    from botocontract.contracts.suppressions import suppressions_json_schema

    document = suppressions_json_schema() if which == "suppressions" else contract_json_schema()
    emit(json.dumps(document, indent=2))


@contract.command("merge")
@click.argument("output", type=click.Path(dir_okay=False))
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
def merge(output: str, inputs: tuple[str, ...]) -> None:
    """Merge contract files (say, one per test worker) into OUTPUT."""
    from botocontract.contracts.contract import Contract, load_contract, save_contract

    merged = Contract()
    for path in inputs:
        merged.merge(load_contract(path))
    save_contract(merged, output, merge=Path(output).exists())
