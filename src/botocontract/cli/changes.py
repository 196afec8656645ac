"""Commands over changes between releases: ``diff``, ``rules`` and ``schema diff-json``."""

from __future__ import annotations

import json

import click

from botocontract.cli._options import emit, format_option, output_option, progress_bar

__all__ = ["diff", "progress_bar", "rules", "schema_diff_json"]


def _diff_formats() -> list[str]:
    from botocontract.changes.formats import FORMATS

    return FORMATS.names()


@click.command("diff")
@click.argument("old", required=False)
@click.argument("new", required=False)
@click.option("--from", "from_version", metavar="VERSION", help="Walk releases from this version ...")
@click.option("--to", "to_version", metavar="VERSION", help="... to this one (default: the latest).")
@click.option("--since", metavar="YYYY-MM-DD", help="Walk releases uploaded on or after this day (UTC) ...")
@click.option("--until", metavar="YYYY-MM-DD", help="... up to this day (default: today).")
@click.option("--service", "services", multiple=True, metavar="NAME", help="Only this service (repeatable).")
@click.option("--include-docs", is_flag=True, help="Also report documentation-only changes.")
@format_option(
    _diff_formats, help="json prints one document per release pair (one per line when walking a range)."
)
@output_option()
def diff(
    old: str | None,
    new: str | None,
    from_version: str | None,
    to_version: str | None,
    since: str | None,
    until: str | None,
    services: tuple[str, ...],
    include_docs: bool,
    fmt: str,
    output: str | None,
) -> None:
    """What changed between two model sources (OLD NEW), or over each release of a range.

    OLD and NEW are anything a source accepts (versions, dates, paths, installed, latest).
    """
    ranged = bool(from_version or to_version or since or until)
    if ranged and (old or new):
        raise click.UsageError("give OLD NEW or a range (--from/--to, --since/--until), not both")
    if not ranged and not (old and new):
        raise click.UsageError("give OLD and NEW sources, or a range with --from/--to or --since/--until")
    from botocontract.changes.formats import render

    if not ranged:
        from botocontract.changes.engine import diff_sources
        from botocontract.specs import resolve_source

        new_source = resolve_source(new)
        result = diff_sources(old, new_source, list(services) or None, include_docs=include_docs)
        emit(render(result, fmt, source=new_source), output)
        return
    from botocontract.changes.walk import walk

    parts = []
    with progress_bar("diffing") as progress:
        for result in walk(
            from_version,
            to_version,
            since=since,
            until=until,
            services=list(services) or None,
            include_docs=include_docs,
            progress=progress,
        ):
            if fmt == "json" or result.services:
                text = render(result, fmt, source=result.new_version, compact=True)
                if output:
                    parts.append(text if text.endswith("\n") else text + "\n")
                else:
                    emit(text)
    if output:
        emit("".join(parts), output)


@click.command("rules")
@format_option(["text", "json"])
def rules(fmt: str) -> None:
    """Every diff rule: id, default severity, what it means (traits) and why."""
    from botocontract.changes.engine import rules as all_rules

    listed = all_rules()
    if fmt == "json":
        rows = [
            {
                "id": r.id,
                "severity": r.severity.label,
                "docs_only": r.docs,
                "doc": r.doc,
                "traits": {k or "": t.as_dict() for k, t in r.traits.items()},
            }
            for r in listed
        ]
        emit(json.dumps(rows, indent=2))
        return
    width = max(len(r.id) for r in listed)
    for item in listed:
        click.echo(f"{item.id:<{width}}  {item.severity.label:<7}  {item.doc}")


@click.command("diff-json")
def schema_diff_json() -> None:
    """The JSON Schema of ``botocontract diff --format json`` output."""
    from botocontract.changes.render_json import diff_json_schema

    emit(json.dumps(diff_json_schema(), indent=2))
