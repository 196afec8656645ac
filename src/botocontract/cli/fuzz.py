"""Fuzzing commands: ``fuzz client``, ``fuzz endpoint`` and ``generators stats``."""

from __future__ import annotations

import json
import sys
import time
from typing import Any

import click

from botocontract.cli._options import (
    alias,
    emit,
    format_option,
    output_option,
    parse_reports,
    report_option,
    source_option,
)

__all__ = ["fuzz", "generators"]

#: Defaults of ``fuzz endpoint`` (kept here so ``--help`` does not import the fuzzing library).
DEFAULT_MAX_EXAMPLES = 10
DEFAULT_TIME_BUDGET = 75.0
#: For ``--help`` only (reading the registry would import the fuzzing library); a test keeps them equal.
ENDPOINT_REPORTS = ("json", "junit", "parity", "html", "markdown")


@click.group()
def fuzz() -> None:
    """Fuzz botocore's clients (client) or an emulator (endpoint) against the models."""


@click.group()
def generators() -> None:
    """Facts about the Hypothesis strategies compiled from the models."""


@fuzz.command("client")
@click.argument("service", required=False)
@click.argument("operation", required=False)
@click.option("--examples", default=10, show_default=True, help="Examples per operation and check.")
@click.option("--seed", "seed_value", default=0, show_default=True, help="Hypothesis seed (replays exactly).")
@click.option("--all", "all_services", is_flag=True, help="Every service of the source.")
@source_option()
@click.option("--time-limit", type=float, default=None, help="Seconds; operations not reached are skipped.")
@format_option(["text", "json"])
@alias("--json", "fmt", value="json")
@output_option()
def client(
    service: str | None,
    operation: str | None,
    examples: int,
    seed_value: int,
    all_services: bool,
    source: str,
    time_limit: float | None,
    fmt: str,
    output: str | None,
) -> None:
    """Fuzz a real botocore client: requests serialize, responses round trip through the wire.

    ``botocontract fuzz client SERVICE [OPERATION] [--examples N] [--seed S] [--all]``
    """
    if not (all_services or service):
        raise click.UsageError("name a SERVICE or pass --all")
    from botocontract.errors import EXIT_FAILED, EXIT_OK
    from botocontract.generators.client import fuzz_all, fuzz_client

    deadline = time.monotonic() + time_limit if time_limit else None
    if all_services:
        from botocontract.cli._options import progress_bar

        with progress_bar("fuzzing", "services") as progress:
            report = fuzz_all(
                examples=examples, seed=seed_value, source=source, deadline=deadline, progress=progress
            )
    else:
        assert service is not None
        ops = [operation] if operation else None
        report = fuzz_client(
            service, ops, examples=examples, seed=seed_value, source=source, deadline=deadline
        )
    if fmt == "json":
        emit(json.dumps(report.to_dict(), indent=2, default=str), output)
    else:
        lines = []
        skipped = [r for r in report.results if r.status == "skipped"]
        for r in report.results:
            if r.status == "failed" or (r.status == "skipped" and len(skipped) <= 20):
                lines.append(f"{r.status.upper()} {r.service}.{r.operation}: {r.reason}")
            if r.status == "failed":
                lines.append(f"  replay: {r.replay}")
        if len(skipped) > 20:
            lines.extend(f"SKIPPED x{count}: {reason}" for reason, count in report.skip_reasons().items())
        lines.append(report.summary())
        emit("\n".join(lines), output)
    sys.exit(EXIT_OK if report.ok else EXIT_FAILED)


@fuzz.command("endpoint")
@click.argument("service")
@click.option("--moto", is_flag=True, help="Start moto's server on a free loopback port and fuzz it.")
@click.option("--endpoint-url", metavar="URL", help="The emulator to fuzz, e.g. http://127.0.0.1:4566.")
@click.option("--operations", multiple=True, metavar="NAME[,NAME]", help="Only these operations.")
@click.option(
    "--checks",
    "checks",
    multiple=True,
    metavar="NAME[,NAME]",
    help="Only these checks (default: all but the opt-in positive_data_acceptance).",
)
@click.option("--exclude-checks", multiple=True, metavar="NAME[,NAME]", help="Skip these checks.")
@click.option(
    "--max-examples",
    type=click.IntRange(min=1),
    default=DEFAULT_MAX_EXAMPLES,
    show_default=True,
    help="Examples per operation (single calls) and per resource family (sequences).",
)
@click.option(
    "--time-budget",
    type=click.FloatRange(min=1),
    default=None,
    help="Seconds for the whole run (shrinking a found failure may overrun slightly); default "
    f"{DEFAULT_TIME_BUDGET:.0f} without --seed. Results then depend on the machine's speed.",
)
@click.option(
    "--seed",
    type=int,
    default=None,
    help="Hypothesis seed. With a seed (and no --time-budget) the run is bounded by --max-examples, not "
    "by time, and finds the same failures on any machine.",
)
@source_option()
@report_option(f"Also write a report, FORMAT=PATH ({', '.join(ENDPOINT_REPORTS)}; repeatable).")
@alias("--out", "out", type=click.Path(dir_okay=False))
@click.option(
    "--contract",
    "contract_path",
    type=click.Path(dir_okay=False),
    help="Fuzz only the operations and members this consumer contract uses; print a parity matrix.",
)
@click.option(
    "--export-tests",
    "export_path",
    type=click.Path(dir_okay=False),
    help="Write each failure as a pytest regression test to this file (e.g. tests/test_regressions.py).",
)
@click.option(
    "--i-know-this-calls-real-aws",
    "allow_real_aws",
    is_flag=True,
    help="Allow an AWS endpoint (creates and deletes real resources).",
)
def endpoint(
    service: str,
    moto: bool,
    endpoint_url: str | None,
    operations: tuple[str, ...],
    checks: tuple[str, ...],
    exclude_checks: tuple[str, ...],
    max_examples: int,
    time_budget: float | None,
    seed: int | None,
    source: str,
    reports: tuple[str, ...],
    allow_real_aws: bool,
    export_path: str | None = None,
    contract_path: str | None = None,
    out: str | None = None,
) -> None:
    """Fuzz an AWS emulator's SERVICE with generated calls and check it against the model."""
    from botocontract.errors import EXIT_FAILED
    from botocontract.fuzz.endpoint import fuzz_endpoint
    from botocontract.fuzz.report import RENDERERS, print_report, render, write_report

    wanted = parse_reports(reports, RENDERERS.names(), kind="report format", default_path=out)

    scope = _contract_scope(contract_path, service, source) if contract_path else None
    report = fuzz_endpoint(
        service,
        endpoint_url=endpoint_url,
        moto=moto,
        operations=operations,
        checks=[n for c in checks for n in c.split(",") if n],
        exclude_checks=[n for c in exclude_checks for n in c.split(",") if n],
        max_examples=max_examples,
        # A seed alone: bounded by examples (reproducible); otherwise by time, as before.
        time_budget=time_budget if time_budget is not None or seed is not None else DEFAULT_TIME_BUDGET,
        seed=seed if seed is not None else 0,
        source=source,
        allow_real_aws=allow_real_aws,
        scope=scope,
    )
    print_report(report)
    if scope is not None:
        click.echo(render(report, "parity"), nl=False)
    for fmt, path in wanted:
        write_report(report, fmt, path)
        click.echo(f"wrote {fmt} report to {path}")
    if export_path:
        from botocontract.fuzz.regressions import export_tests

        export_tests(report, export_path, source=source)
        click.echo(f"wrote {len(report.failures)} regression tests to {export_path}")
    if not report.ok:
        sys.exit(EXIT_FAILED)


@fuzz.command("campaign")
@click.argument("kind", type=click.Choice(["client", "endpoint"]))
@click.argument("services", nargs=-1)
@click.option("--all", "all_services", is_flag=True, help="Every service of the source.")
@click.option("--examples", type=click.IntRange(min=1), default=3, show_default=True, help="Per operation.")
@click.option("--seed", "seed_value", type=int, default=0, show_default=True, help="Hypothesis seed.")
@source_option()
@click.option("--moto", is_flag=True, help="endpoint: a moto server on loopback per operation.")
@click.option("--endpoint-url", metavar="URL", help="endpoint: the emulator to fuzz.")
@click.option("--time-budget", type=click.FloatRange(min=1), help="endpoint: seconds per operation.")
@click.option("--operations", multiple=True, metavar="NAME[,NAME]", help="Only these operations.")
@click.option("--shard", metavar="I/N", help="Run only job I of N (a CI matrix): every N-th operation.")
@click.option("--workers", "-n", metavar="N|auto", help="Spread over N processes (needs pytest-xdist).")
@click.option("--report", "report_path", type=click.Path(dir_okay=False), help="The merged JSON report.")
@click.option("--pytest-arg", "pytest_args", multiple=True, metavar="ARG", help="Pass ARG to pytest.")
def campaign(
    kind: str,
    services: tuple[str, ...],
    all_services: bool,
    examples: int,
    seed_value: int,
    source: str,
    moto: bool,
    endpoint_url: str | None,
    time_budget: float | None,
    operations: tuple[str, ...],
    shard: str | None,
    workers: str | None,
    report_path: str | None,
    pytest_args: tuple[str, ...],
) -> None:
    """Run a fuzz campaign as a pytest session: one test per operation of SERVICES (or --all).

    ``botocontract fuzz campaign client --all -n auto --shard 2/4 --report campaign.json``.
    Exit code: pytest's (0 passed, 1 failures), 2 for a usage error.
    """
    import subprocess

    from botocontract.errors import EXIT_USAGE, BotocontractError

    names = [n for part in services for n in part.split(",") if n]
    if bool(names) == all_services:
        raise click.UsageError("name SERVICES or pass --all (not both)")
    if kind == "endpoint" and bool(moto) == bool(endpoint_url):
        raise click.UsageError("an endpoint campaign needs --moto or --endpoint-url URL (one of them)")
    if workers:
        try:
            import xdist  # noqa: F401
        except ImportError:
            raise BotocontractError(
                "--workers needs pytest-xdist, which is not installed", hint="pip install pytest-xdist"
            ) from None
    from botocontract.fuzz import campaign_tests

    command = [sys.executable, "-m", "pytest", "-p", "botocontract.fuzz.campaign", campaign_tests.__file__]
    command += ["-p", "no:cacheprovider", "--campaign", kind, "--campaign-source", source]
    command += ["--campaign-examples", str(examples), "--campaign-seed", str(seed_value)]
    command += [f"--campaign-services={n}" for n in names or ["all"]]
    if kind == "endpoint":
        command += ["--campaign-moto"] if moto else ["--campaign-endpoint-url", str(endpoint_url)]
        command += ["--campaign-time-budget", str(time_budget)] if time_budget else []
    command += [f"--campaign-operations={o}" for o in operations]
    command += ["--shard", shard] if shard else []
    command += ["-n", workers] if workers else []
    command += ["--campaign-report", report_path] if report_path else []
    code = subprocess.call([*command, *pytest_args])
    if report_path and code in (0, 1):
        click.echo(f"wrote campaign report to {report_path}")
    sys.exit(code if code in (0, 1) else EXIT_USAGE)


@fuzz.command("merge-reports")
@click.argument("reports", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@output_option()
def merge_reports(reports: tuple[str, ...], output: str | None) -> None:
    """Merge the JSON reports of a campaign's shards (``fuzz campaign --shard I/N --report``) into one."""
    from botocontract.fuzz.campaign import merge_files

    emit(json.dumps(merge_files(list(reports)), indent=2), output)


def _contract_scope(path: str, service: str, source: str) -> Any:
    """The operations and member paths of ``service`` that the contract at ``path`` uses, plus the
    creates they need, as a :class:`~botocontract.fuzz.scope.Scope` (plain paths: fuzz reads no contract)."""
    from botocontract.contracts.contract import load_contract, member_segments
    from botocontract.errors import BotocontractError
    from botocontract.fuzz.scope import Scope
    from botocontract.specs import load_service

    contract = load_contract(path)
    uses = contract.services.get(service)
    if not uses:
        named = ", ".join(sorted(contract.services)) or "none"
        raise BotocontractError(
            f"contract {path} uses no operation of {service} (services it names: {named})",
            hint="fuzz a service the contract names, or record the contract again",
        )
    paths = {
        op: ([member_segments(p) for p in use.request], [member_segments(p) for p in use.response], use.setup)
        for op, use in uses.items()
    }
    scope = Scope.from_paths(service, paths, origin=path)
    return scope.with_creates(load_service(service, source).model)


@generators.command("stats")
@source_option("Models to compile (version, date, path).")
@click.option("--service", "services", multiple=True, help="Only these services (repeatable).")
@format_option(["text", "json"])
@alias("--json", "fmt", value="json")
@click.option(
    "--client",
    "client_side",
    is_flag=True,
    help="Measure instead the share of generated requests a real botocore client accepts, per operation "
    "(needs --service; about a second per operation).",
)
@click.option("--operation", "operations", multiple=True, help="With --client: only these operations.")
@click.option(
    "--examples", type=int, default=20, show_default=True, help="With --client: requests per operation."
)
def stats(
    source: str,
    services: tuple[str, ...],
    fmt: str,
    client_side: bool,
    operations: tuple[str, ...],
    examples: int,
) -> None:
    """How many patterns, recursive shapes and operations the strategies compile, per source.

    With ``--client``: per operation, how many generated requests a real botocore client (installed
    release, no network) would send, and why it refused the others.
    """
    if client_side:
        from botocontract.errors import BotocontractError
        from botocontract.generators.acceptance import acceptance, summary

        if not services or source != "installed":
            raise BotocontractError(
                "--client measures the installed botocore's client on chosen services",
                hint="add --service NAME (repeatable) and leave --source at installed",
            )
        results = acceptance(list(services), list(operations) or None, examples=examples)
        if fmt == "json":
            emit(json.dumps([r.to_dict() for r in results], indent=2))
        else:
            emit("\n".join([*(r.line() for r in results), summary(results)]))
        return
    from botocontract.generators.stats import stats as compute

    result = compute(source, list(services) or None)
    emit(json.dumps(result.as_dict(), indent=2) if fmt == "json" else "\n".join(result.lines()))
