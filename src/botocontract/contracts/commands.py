"""Click commands of the contracts layer: ``gate`` and the ``contract`` group (scan, check, schema, merge).

They only parse options, call the library and print; ``cli.py`` adds them to the main group.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

import click

from botocontract.errors import EXIT_FAILED, EXIT_OK, BotocontractError

__all__ = ["contract_group", "gate_command"]

_LEVELS = ["error", "danger", "warning", "info"]


def _user_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn a :class:`BotocontractError` into its one-line message and exit code 2, not a traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except BotocontractError as exc:
            click.echo(f"botocontract: error: {exc.one_line()}", err=True)
            sys.exit(exc.exit_code)

    return wrapper


def _emit(text: str, output: str | None) -> None:
    if output:
        from botocontract.contracts.contract import atomic_write_text

        atomic_write_text(output, text)
    else:
        click.echo(text, nl=False)


@click.command("gate")
@click.option("--from", "old", required=True, metavar="SOURCE", help="The release in use now (e.g. 1.17.43).")
@click.option(
    "--to", "new", default="installed", show_default=True, metavar="SOURCE", help="The release to upgrade to."
)
@click.option(
    "--contract",
    "contract_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Consumer contract: only findings touching it count.",
)
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
@click.option(
    "-f",
    "--format",
    "fmt",
    default="text",
    show_default=True,
    help="text, json, markdown, github, junit or sarif.",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="Write the report here.")
@click.option(
    "--report",
    "reports",
    multiple=True,
    metavar="FORMAT=PATH",
    help="Also write a report in another format (repeatable), e.g. --report sarif=gate.sarif.",
)
@_user_errors
def gate_command(
    old: str,
    new: str,
    contract_path: str | None,
    suppressions_path: str | None,
    fail_on: str,
    services: tuple[str, ...],
    fmt: str,
    output: str | None,
    reports: tuple[str, ...],
) -> None:
    """Gate an SDK upgrade: exit 0 when nothing at or above --fail-on breaks, 1 when something does."""
    from botocontract.changes.engine import diff_sources
    from botocontract.contracts.contract import load_contract
    from botocontract.contracts.gate import gate
    from botocontract.contracts.outputs import OUTPUTS, RenderContext, render
    from botocontract.contracts.suppressions import load_suppressions

    extra: list[tuple[str, str]] = []
    for spec in reports:
        name, sep, path = spec.partition("=")
        if not sep or not path:
            raise BotocontractError(
                f"--report {spec!r} is not FORMAT=PATH", hint="e.g. --report sarif=gate.sarif"
            )
        OUTPUTS.get(name)
        extra.append((name, path))
    OUTPUTS.get(fmt)
    contract = load_contract(contract_path) if contract_path else None
    suppressions = load_suppressions(suppressions_path) if suppressions_path else None
    wanted = list(services) or (sorted(contract.services) if contract is not None else None)
    if contract is not None and not wanted:
        raise BotocontractError(
            f"contract {contract_path!r} lists no services", hint="record or scan one first"
        )
    diff = diff_sources(old, new, services=wanted)
    result = gate(diff, contract, suppressions, fail_on)
    context = RenderContext(contract_path=contract_path, suppressions_path=suppressions_path)
    _emit(render(result, fmt, context), output)
    for name, path in extra:
        _emit(render(result, name, context), path)
    sys.exit(result.exit_code)


@click.group("contract")
def contract_group() -> None:
    """Consumer contracts: what an application uses, found by scanning, recording or by hand."""


@contract_group.command("scan")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    default=None,
    help="Merge the contract into this file (default: print it).",
)
@click.option(
    "--source", default="installed", show_default=True, help="Release whose models name the operations."
)
@_user_errors
def scan_command(paths: tuple[str, ...], output: str | None, source: str) -> None:
    """Find boto3 client calls in Python files and folders (best effort, static)."""
    import yaml

    from botocontract.contracts.contract import save_contract
    from botocontract.contracts.scan import scan_paths

    result = scan_paths(paths, source=source)
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    click.echo(result.summary(), err=True)
    if output:
        merged = save_contract(result.contract, output)
        ops = sum(len(o) for o in merged.services.values())
        click.echo(f"scanned {result.files} file(s); {output} now lists {ops} operation(s)", err=True)
    else:
        click.echo(yaml.safe_dump(result.contract.as_dict(), sort_keys=False), nl=False)


@contract_group.command("check")
@click.argument("contract_path", type=click.Path(dir_okay=False))
@click.option("--source", default="installed", show_default=True, help="Release to check against.")
@_user_errors
def check_command(contract_path: str, source: str) -> None:
    """Check that every operation and member path in a contract exists in a release."""
    from botocontract.contracts.check import check_contract
    from botocontract.contracts.contract import load_contract

    result = check_contract(load_contract(contract_path), source)
    for problem in result.problems:
        click.echo(f"{contract_path}: {problem}")
    verdict = "ok" if result.ok else f"{len(result.problems)} problem(s)"
    click.echo(f"{verdict}: checked {result.checked_paths} path(s) against {result.source_label}", err=True)
    sys.exit(EXIT_OK if result.ok else EXIT_FAILED)


@contract_group.command("schema")
@click.option(
    "--suppressions", "which", flag_value="suppressions", help="The suppressions file's schema instead."
)
def schema_command(which: str | None) -> None:
    """Print the JSON Schema of contract files (or of suppressions files)."""
    from botocontract.contracts.contract import contract_json_schema
    from botocontract.contracts.suppressions import suppressions_json_schema

    schema = suppressions_json_schema() if which == "suppressions" else contract_json_schema()
    click.echo(json.dumps(schema, indent=2))


@contract_group.command("merge")
@click.argument("output", type=click.Path(dir_okay=False))
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@_user_errors
def merge_command(output: str, inputs: tuple[str, ...]) -> None:
    """Merge contract files (say, one per test worker) into OUTPUT."""
    from botocontract.contracts.contract import Contract, load_contract, save_contract

    merged = Contract()
    for path in inputs:
        merged.merge(load_contract(path))
    save_contract(merged, output, merge=Path(output).exists())
