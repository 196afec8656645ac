"""Command line: parses arguments, calls the library, prints.

Exit codes: 0 ok; 1 a check found something (gate, validate, fuzz); 2 bad input (usage, unknown names,
unreachable or corrupt sources) — always one line on stderr, never a traceback.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from botocontract.errors import EXIT_FAILED, BotocontractError

SOURCE_HELP = "installed (default), a version like 1.17.43, latest, a date YYYY-MM-DD, or a path"


class _Group(click.Group):
    """Turns library errors into one line and a documented exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BotocontractError as exc:
            click.echo(f"botocontract: error: {exc.one_line()}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("botocontract: interrupted", err=True)
            ctx.exit(130)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="botocontract")
def main() -> None:
    """Treat the AWS service models inside botocore as contracts."""


def _emit(text: str) -> None:
    click.echo(text, nl=not text.endswith("\n"))


# -- specs ------------------------------------------------------------------------------------------
@main.command()
@click.option("--source", "-s", default="installed", show_default=True, help=SOURCE_HELP)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def services(source: str, fmt: str) -> None:
    """List the services of a source: name, api-version, protocol, full name."""
    from botocontract.specs import resolve_source

    src = resolve_source(source)
    infos = src.services()
    if fmt == "json":
        _emit(json.dumps([{"name": i.name, "apiVersion": i.api_version, "apiVersions": list(i.api_versions),
                           "protocol": i.protocol, "fullName": i.full_name} for i in infos], indent=2))
        return
    for i in infos:
        click.echo(f"{i.name:<36} {i.api_version:<12} {i.protocol:<20} {i.full_name}")
    click.echo(f"{len(infos)} services in {src.label}", err=True)


@main.command()
@click.argument("service")
@click.argument("operation", required=False)
@click.option("--source", "-s", default="installed", show_default=True, help=SOURCE_HELP)
@click.option("--format", "fmt", type=click.Choice(["tree", "json", "jsonschema"]), default="tree",
              show_default=True)
@click.option("--direction", type=click.Choice(["input", "output"]), default="input", show_default=True,
              help="Which side --format jsonschema exports.")
def shapes(service: str, operation: str | None, source: str, fmt: str, direction: str) -> None:
    """Show a service's operations, or one operation's request and response shapes."""
    from botocontract.specs import load_service
    from botocontract.specs.tree import operation_json, operation_tree, service_tree

    spec = load_service(service, source)
    if fmt == "tree":
        _emit(operation_tree(spec, operation) if operation else service_tree(spec))
    elif fmt == "json":
        _emit(json.dumps(operation_json(spec, operation), indent=2, sort_keys=True))
    else:
        from botocontract.specs.schema import to_json_schema

        if operation is None:
            raise click.UsageError("--format jsonschema needs an OPERATION")
        _emit(json.dumps(to_json_schema(spec, operation, direction), indent=2))


@main.command()
@click.argument("service")
@click.argument("operation")
@click.option("--input", "input_file", type=click.File("r"), help="A request (boto3 params) as JSON.")
@click.option("--output", "output_file", type=click.File("r"), help="A response as JSON.")
@click.option("--source", "-s", default="installed", show_default=True, help=SOURCE_HELP)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def validate(service: str, operation: str, input_file: Any, output_file: Any, source: str, fmt: str) -> None:
    """Check a request (--input) or response (--output) against the model; exit 1 on violations.

    Catches what botocore's own validator does not: max, pattern, enum, unknown members, unions.
    """
    from botocontract.specs.validate import validate as check

    if (input_file is None) == (output_file is None):
        raise click.UsageError("give exactly one of --input FILE or --output FILE")
    fh, direction = (input_file, "input") if input_file is not None else (output_file, "output")
    try:
        data = json.load(fh)
    except ValueError as exc:
        raise BotocontractError(f"{fh.name} is not valid JSON: {exc}", hint="pass a JSON object") from None
    violations = check(service, operation, direction, data, source=source)
    if fmt == "json":
        _emit(json.dumps([v.as_dict() for v in violations], indent=2, default=str))
    else:
        for v in violations:
            click.echo(f"{v.path}\t{v.rule}\t{v.message}")
        click.echo(f"{len(violations)} violations in {service} {operation} {direction}", err=True)
    if violations:
        sys.exit(EXIT_FAILED)


# -- changes, contracts: commands live beside the library code they call ------------------------------
def _wire() -> None:
    from botocontract.changes.site import site_command
    from botocontract.changes.walk import diff_command, rules_command, schema_diff_json_command
    from botocontract.contracts.commands import contract_group, gate_command

    main.add_command(diff_command)
    main.add_command(rules_command)
    main.add_command(site_command)
    main.add_command(gate_command)
    main.add_command(contract_group)
    schema.add_command(schema_diff_json_command)

    from botocontract.generators.client import client_command
    from botocontract.generators.stats import stats_command

    generators.add_command(stats_command)
    fuzz.add_command(client_command)
    from botocontract.generators.endpoint import fuzz_endpoint_command

    fuzz.add_command(fuzz_endpoint_command)


@main.group()
def generators() -> None:
    """Facts about the Hypothesis strategies compiled from the models."""


@main.group()
def fuzz() -> None:
    """Fuzz botocore's clients (client) or an emulator (endpoint) against the models."""


@main.group()
def schema() -> None:
    """JSON Schemas of botocontract's own file formats and outputs."""


_wire()


def run() -> None:
    """Entry point that never lets a library error escape as a traceback."""
    try:
        main(standalone_mode=True)
    except BotocontractError as exc:  # raised outside a command (e.g. while parsing)
        click.echo(f"botocontract: error: {exc.one_line()}", err=True)
        sys.exit(exc.exit_code)


__all__ = ["EXIT_FAILED", "main", "run"]
