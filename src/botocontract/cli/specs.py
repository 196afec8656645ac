"""Commands over one source's models: ``services``, ``shapes``, ``validate`` and the ``schema`` group."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from botocontract.cli._options import alias, emit, format_option, output_option, source_option

__all__ = ["lint", "schema", "services", "shapes", "validate"]


@click.command()
@source_option()
@format_option(["text", "json"])
@output_option()
def services(source: str, fmt: str, output: str | None) -> None:
    """List the services of a source: name, api-version, protocol, full name."""
    from botocontract.specs import resolve_source

    src = resolve_source(source)
    infos = src.services()
    if fmt == "json":
        emit(
            json.dumps(
                [
                    {
                        "name": i.name,
                        "apiVersion": i.api_version,
                        "apiVersions": list(i.api_versions),
                        "protocol": i.protocol,
                        "fullName": i.full_name,
                    }
                    for i in infos
                ],
                indent=2,
            ),
            output,
        )
        return
    lines = "".join(f"{i.name:<36} {i.api_version:<12} {i.protocol:<20} {i.full_name}\n" for i in infos)
    if lines or output:
        emit(lines, output)
    click.echo(f"{len(infos)} services in {src.label}", err=True)


@click.command()
@click.argument("service")
@click.argument("operation", required=False)
@source_option()
@format_option(["tree", "json", "jsonschema"], default="tree")
@click.option(
    "--direction",
    type=click.Choice(["input", "output"]),
    default="input",
    show_default=True,
    help="Which side --format jsonschema exports.",
)
@output_option()
def shapes(
    service: str, operation: str | None, source: str, fmt: str, direction: str, output: str | None
) -> None:
    """Show a service's operations, or one operation's request and response shapes."""
    from botocontract.specs import load_service
    from botocontract.specs.tree import operation_json, operation_tree, service_tree

    if fmt == "jsonschema" and operation is None:
        raise click.UsageError("--format jsonschema needs an OPERATION")
    spec = load_service(service, source)
    if fmt == "tree":
        emit(operation_tree(spec, operation) if operation else service_tree(spec), output)
    elif fmt == "json":
        emit(json.dumps(operation_json(spec, operation), indent=2, sort_keys=True), output)
    else:
        from botocontract.specs.schema import to_json_schema

        assert operation is not None  # checked above: jsonschema needs an operation
        emit(json.dumps(to_json_schema(spec, operation, direction), indent=2), output)


@click.command()
@click.argument("service")
@click.argument("operation")
@click.option("--request", "request_file", type=click.File("r"), help="A request (boto3 params) as JSON.")
@click.option("--response", "response_file", type=click.File("r"), help="A response as JSON.")
@alias("--input", "request_file", type=click.File("r"))
@alias("--output", "response_file", type=click.File("r"))
@source_option()
@format_option(["text", "json"])
def validate(
    service: str, operation: str, request_file: Any, response_file: Any, source: str, fmt: str
) -> None:
    """Check a request (--request) or a response (--response) against the model; exit 1 on violations.

    Catches what botocore's own validator does not: max, pattern, enum, unknown members, unions.
    """
    from botocontract.errors import EXIT_FAILED, BotocontractError
    from botocontract.specs.validate import parse_json_document
    from botocontract.specs.validate import validate as check

    if (request_file is None) == (response_file is None):
        raise click.UsageError("give exactly one of --request FILE or --response FILE")
    fh, direction = (request_file, "input") if request_file is not None else (response_file, "output")
    try:
        text = fh.read()
    except UnicodeDecodeError as exc:
        raise BotocontractError(
            f"{fh.name} is not valid JSON: not UTF-8 text ({exc.reason})", hint="pass a JSON object"
        ) from None
    data = parse_json_document(text, fh.name)
    violations = check(service, operation, direction, data, source=source)
    if fmt == "json":
        emit(json.dumps([v.as_dict() for v in violations], indent=2, default=str))
    else:
        for v in violations:
            click.echo(f"{v.path}\t{v.rule}\t{v.message}")
        click.echo(f"{len(violations)} violations in {service} {operation} {direction}", err=True)
    if violations:
        sys.exit(EXIT_FAILED)


@click.group()
def schema() -> None:
    """JSON Schemas of botocontract's own file formats and outputs."""


@click.command()
@click.argument("service", required=False)
@source_option()
@format_option(["text", "json"])
@output_option()
@click.option("--strict", is_flag=True, help="Exit 1 when some shape can never be valid.")
def lint(service: str | None, source: str, fmt: str, output: str | None, strict: bool) -> None:
    """Constraints in the models that contradict each other or can never be met (AWS's own defects).

    One line per finding: service, where, rule id, why. Fuzzing skips what these findings make
    impossible and names the finding, so they never show up as client or emulator failures.
    """
    from botocontract.errors import EXIT_FAILED
    from botocontract.specs import resolve_source
    from botocontract.specs.lint import findings_json, lint_source

    src = resolve_source(source)
    results = lint_source(src, [service] if service else None)
    findings = [f for r in results for f in r.findings]
    if fmt == "json":
        emit(findings_json(results), output)
    elif findings or output:
        emit("".join(f"{f.line()}\n" for f in findings), output)
    roots = sum(1 for f in findings if f.unsatisfiable and not f.root)
    operations = sum(len(r.operations) for r in results)
    click.echo(
        f"{len(findings)} findings in {len(results)} services of {src.label}: {roots} shapes no value "
        f"satisfies, {operations} operation directions that can never be valid",
        err=True,
    )
    if strict and roots:
        sys.exit(EXIT_FAILED)
