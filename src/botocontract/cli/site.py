"""The ``site`` command: a static changelog site over a range of releases."""

from __future__ import annotations

from datetime import datetime

import click

from botocontract.cli._options import alias, contract_option

__all__ = ["site"]


@click.command("site")
@click.option(
    "--since", type=click.DateTime(formats=["%Y-%m-%d"]), help="First day (UTC) of releases to show."
)
@click.option(
    "--until", type=click.DateTime(formats=["%Y-%m-%d"]), help="Last day (UTC) of releases to show."
)
@click.option("--from", "from_version", metavar="VERSION", help="Old side of the first release pair.")
@click.option("--to", "to_version", metavar="VERSION", help="Last release to show.")
@click.option(
    "--output",
    "-o",
    "output",
    type=click.Path(file_okay=False),
    metavar="DIR",
    help="Folder to write the site to.",
)
@alias("--out", "output", type=click.Path(file_okay=False))
@click.option("--service", "services", multiple=True, help="Only these services (repeatable).")
@click.option("--base-url", help="Public URL of the site, for absolute links in the Atom feeds.")
@click.option("--title", default="AWS API changes", show_default=True, help="Site and feed title.")
@contract_option("Only changes touching the operations and member paths this contract uses.")
def site(
    since: datetime | None,
    until: datetime | None,
    from_version: str | None,
    to_version: str | None,
    output: str | None,
    services: tuple[str, ...],
    base_url: str | None,
    title: str,
    contract_path: str | None,
) -> None:
    """Write a static changelog site (pages, Atom feeds, search) for a range of botocore releases."""
    if not output:
        raise click.UsageError("give the folder to write to with --output DIR")
    from botocontract.cli._options import progress_bar
    from botocontract.site.builder import build_site

    scope = None
    if contract_path:
        from botocontract.cli.history import contract_scope

        contract, scope = contract_scope(contract_path)
        services = services or tuple(sorted(contract.services))

    with progress_bar("diffing") as progress:
        result = build_site(
            since.date() if since else None,
            until.date() if until else None,
            from_version=from_version,
            to_version=to_version,
            out=output,
            services=list(services) or None,
            base_url=base_url,
            title=title,
            scope=scope,
            progress=progress,
        )
    click.echo(result.summary())
