"""What an endpoint fuzz found, and its renderings: a terminal table, JSON, JUnit XML, HTML, Markdown.

Every failure carries a runnable boto3 reproduction (the client with its endpoint, then each call with
its exact parameters) and the seed, so it can be replayed without botocontract.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from pprint import pformat
from typing import Any

import jinja2
from botocore import xform_name
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from botocontract.registry import Registry
from botocontract.specs.cache import atomic_write_text

__all__ = [
    "RENDERERS",
    "EndpointReport",
    "Failure",
    "OperationResult",
    "print_report",
    "render",
    "reproduction",
    "write_report",
]


@dataclass
class Failure:
    """One distinct problem, shrunk by Hypothesis, with the calls that reproduce it."""

    operation: str
    check: str
    message: str
    kind: str
    params: dict[str, Any]
    status: int | None
    error_code: str | None
    seed: int
    reproduction: str
    #: Every check that failed on the same call, by name.
    messages: dict[str, str] = field(default_factory=dict)
    rule: str | None = None
    path: str | None = None
    #: Operations called before this one (stateful sequences), in order.
    steps: list[str] = field(default_factory=list)
    #: The whole shrunk sequence, ``(operation, params)`` per call, the failing call last.
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


@dataclass
class OperationResult:
    """Counts of one operation's calls."""

    operation: str
    exercised: int = 0
    passed: int = 0
    failed: Counter[str] = field(default_factory=Counter)
    not_implemented: int = 0
    #: Why it did not run or stopped early (time budget, an error building requests), if so.
    note: str = ""
    #: Why it was deliberately not fuzzed (no valid request exists: a model defect), if so.
    skipped: str = ""

    @property
    def status(self) -> str:
        if self.failed:
            return "failed"
        if self.skipped and not self.exercised:
            return "skipped"
        if self.not_implemented and not self.passed:
            return "not implemented"
        if not self.exercised:
            return "not run"
        return "passed"


@dataclass
class EndpointReport:
    """The outcome of one ``fuzz_endpoint`` run."""

    service: str
    endpoint_url: str
    moto: bool
    seed: int
    checks: list[str]
    source: str
    max_examples: int
    time_budget: float | None  # None: bounded by examples, not wall time
    operations: dict[str, OperationResult] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)
    duration: float = 0.0
    #: Tests that stopped for a reason other than a failed check (flaky emulator, ungeneratable input).
    notes: list[str] = field(default_factory=list)
    #: The operations and members fuzzed when scoped by a contract (:mod:`~botocontract.fuzz.scope`).
    scope: Any = None

    @property
    def ok(self) -> bool:
        return not self.failures

    def summary(self) -> dict[str, int]:
        statuses = Counter(r.status for r in self.operations.values())
        return {
            "operations": len(self.operations),
            "passed": statuses["passed"],
            "failed": statuses["failed"],
            "not_implemented": statuses["not implemented"],
            "skipped": statuses["skipped"],
            "not_run": statuses["not run"],
            "calls": sum(r.exercised for r in self.operations.values()),
            "failures": len(self.failures),
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "service": self.service,
            "endpoint_url": self.endpoint_url,
            "moto": self.moto,
            "seed": self.seed,
            "source": self.source,
            "checks": self.checks,
            "max_examples": self.max_examples,
            "time_budget": self.time_budget,
            "duration": round(self.duration, 3),
            "summary": self.summary(),
            "operations": [
                {**asdict(r), "failed": dict(r.failed), "status": r.status} for r in self.operations.values()
            ],
            "failures": [asdict(f) for f in self.failures],
            "notes": self.notes,
            **({"parity": self.scope.matrix(self)} if self.scope is not None else {}),
        }


def reproduction(
    service: str, endpoint_url: str, calls: list[tuple[str, dict[str, Any]]], *, seed: int, moto: bool = False
) -> str:
    """A standalone boto3 script that makes ``calls`` in order against ``endpoint_url``."""
    lines = [f"# botocontract fuzz endpoint {service} --seed {seed}"]
    if moto:
        port = endpoint_url.rsplit(":", 1)[-1]
        lines.append(f"# start moto first: moto_server -H 127.0.0.1 -p {port}")
    lines += [
        "import datetime",
        "",
        "import boto3",
        "from botocore.config import Config",
        "",
        f"client = boto3.client({service!r}, region_name='us-east-1',"
        + (f" endpoint_url={endpoint_url!r}," if endpoint_url.startswith(("http://", "https://")) else ""),
        "                      aws_access_key_id='testing', aws_secret_access_key='testing',",
        "                      config=Config(parameter_validation=False, retries={'total_max_attempts': 1}))",
    ]
    for index, (operation, params) in enumerate(calls):
        text = pformat(params, width=100, sort_dicts=False)
        prefix = "response = " if index == len(calls) - 1 else ""
        lines.append(f"{prefix}client.{xform_name(operation)}(**{text})")
    lines.append("print(response)")
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------ renderers

RENDERERS: Registry[Callable[[EndpointReport], str]] = Registry("report format")


@RENDERERS.register("json")
def _json(report: EndpointReport) -> str:
    return json.dumps(report.to_dict(), indent=2, default=str) + "\n"


@RENDERERS.register("junit")
def _junit(report: EndpointReport) -> str:
    summary = report.summary()
    suite = ElementTree.Element(
        "testsuite",
        {
            "name": f"botocontract.endpoint.{report.service}",
            "tests": str(summary["operations"]),
            "failures": str(summary["failed"]),
            "skipped": str(summary["not_implemented"] + summary["skipped"] + summary["not_run"]),
            "time": f"{report.duration:.3f}",
        },
    )
    by_op: dict[str, list[Failure]] = {}
    for failure in report.failures:
        by_op.setdefault(failure.operation, []).append(failure)
    for result in report.operations.values():
        case = ElementTree.SubElement(
            suite, "testcase", {"classname": f"{report.service}", "name": result.operation}
        )
        if result.status in ("not implemented", "skipped", "not run"):
            reason = result.skipped or result.note or result.status
            ElementTree.SubElement(case, "skipped", {"message": reason})
        for failure in by_op.get(result.operation, []):
            node = ElementTree.SubElement(
                case, "failure", {"type": failure.check, "message": failure.message}
            )
            node.text = failure.reproduction
    ElementTree.indent(suite)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ElementTree.tostring(suite, encoding="unicode") + "\n"


_HTML = jinja2.Environment(autoescape=True).from_string("""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{{ r.service }} endpoint conformance</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}
td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left}.failed{color:#b00}
pre{background:#f6f6f6;padding:.5em;overflow:auto}</style></head><body>
<h1>{{ r.service }} against {{ r.endpoint_url }}</h1>
<p>seed {{ r.seed }} &middot; checks {{ r.checks|join(", ") }} &middot; {{ "%.1f"|format(r.duration) }} s
&middot; {{ s.calls }} calls &middot; {{ s.failures }} failures</p>
<p>{{ s.failed }} failed &middot; {{ s.passed }} passed &middot; {{ s.not_implemented }} not implemented
&middot; {{ s.skipped }} skipped &middot; {{ s.not_run }} not run</p>
{% for f in r.failures %}<h2 class="failed">{{ f.operation }}: {{ f.check }}</h2><p>{{ f.message }}</p>
<pre>{{ f.reproduction }}</pre>{% endfor %}
<h2>Exercised operations</h2>
<table><tr><th>operation</th><th>status</th><th>exercised</th><th>passed</th><th>failed by check</th></tr>
{% for o in r.operations.values() if o.status in ("failed", "passed", "not run") %}
<tr class="{{ o.status|replace(' ', '-') }}"><td>{{ o.operation }}</td>
<td>{{ o.status }}</td><td>{{ o.exercised }}</td><td>{{ o.passed }}</td>
<td>{% for k, v in o.failed.items() %}{{ k }}: {{ v }} {% endfor %}</td></tr>
{% endfor %}</table>
{% set missing = r.operations.values()|selectattr("status", "equalto", "not implemented")|list %}
{% if missing %}<h2>Not implemented ({{ missing|length }})</h2>
<p>{{ missing|map(attribute="operation")|join(", ") }}</p>{% endif %}
{% set skipped = r.operations.values()|selectattr("status", "equalto", "skipped")|list %}
{% if skipped %}<h2>Skipped ({{ skipped|length }})</h2><ul>
{% for o in skipped %}<li>{{ o.operation }}: {{ o.skipped }}</li>{% endfor %}</ul>{% endif %}
</body></html>
""")


@RENDERERS.register("parity")
def _parity(report: EndpointReport) -> str:
    """Per operation of a contract: implemented? conforms? which checks failed."""
    if report.scope is None:
        return f"{report.service}: no parity matrix without a contract (pass --contract)\n"
    return str(report.scope.render_matrix(report))


@RENDERERS.register("html")
def _html(report: EndpointReport) -> str:
    return _HTML.render(r=report, s=report.summary())


@RENDERERS.register("markdown")
def _markdown(report: EndpointReport) -> str:
    """A section for a conformance page: the table of exercised operations, then the failures."""
    s = report.summary()
    lines = [
        f"### {report.service}",
        "",
        f"{s['operations']} operations, {s['calls']} calls in {report.duration:.0f} s (seed {report.seed}): "
        f"{s['passed']} passed, {s['failed']} failed, {s['not_implemented']} not implemented, "
        f"{s['skipped']} skipped, {s['not_run']} not run.",
        "",
        "| operation | status | calls | passed | failed by check |",
        "|---|---|---:|---:|---|",
    ]
    missing = []
    for r in report.operations.values():
        if r.status == "not implemented":
            missing.append(r.operation)
        if r.status not in ("passed", "failed"):
            continue
        failed = ", ".join(f"{k} ({v})" for k, v in sorted(r.failed.items()))
        lines.append(f"| {r.operation} | {r.status} | {r.exercised} | {r.passed} | {failed} |")
    if missing:
        lines += ["", f"Not implemented ({len(missing)}): " + ", ".join(missing) + "."]
    skipped = [r for r in report.operations.values() if r.status == "skipped"]
    if skipped:
        lines += ["", f"Skipped ({len(skipped)}):", ""]
        lines += [f"- `{r.operation}`: {_one_line(r.skipped)}" for r in skipped]
    if report.failures:
        lines += ["", "Failures (first failing check per operation; shrunk):", ""]
        lines += [f"- `{f.operation}` {f.check}: {_one_line(f.message)}" for f in report.failures]
    return "\n".join(lines) + "\n"


def _one_line(text: str, limit: int = 240) -> str:
    text = " ".join(text.split()).replace("|", "\\|")
    return text if len(text) <= limit else text[: limit - 3] + "..."


def render(report: EndpointReport, fmt: str) -> str:
    return RENDERERS.get(fmt)(report)


def write_report(report: EndpointReport, fmt: str, path: str | Path) -> Path:
    """Render and write atomically (a reader never sees half a report)."""
    return atomic_write_text(Path(path), render(report, fmt))


def print_report(report: EndpointReport, console: Console | None = None, *, show_passed: bool = True) -> None:
    """The per-operation table, then every failure with its reproduction.

    Operations the endpoint does not implement are listed on one line rather than one row each: on
    an emulator they are often the majority.
    """
    if console is None:
        console = Console()
        if not console.is_terminal:  # CI logs: do not squeeze the table into 80 columns
            console.width = max(console.width, 140)
    table = Table(title=f"{report.service} @ {report.endpoint_url}", title_justify="left")
    table.add_column("operation", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("calls", justify="right")
    table.add_column("passed", justify="right")
    table.add_column("failed by check")
    styles = {"failed": "red", "passed": "green"}
    missing = []
    for r in report.operations.values():
        if r.status == "not implemented":
            missing.append(r.operation)
        if r.status not in styles or (not show_passed and r.status == "passed"):
            continue
        failed = "\n".join(f"{k} ×{v}" for k, v in sorted(r.failed.items()))
        status = f"[{styles[r.status]}]{r.status}[/]"
        table.add_row(r.operation, status, str(r.exercised), str(r.passed), failed)
    console.print(table)
    if missing:
        console.print(
            f"[yellow]not implemented[/] ({len(missing)}): " + escape(", ".join(missing)), highlight=False
        )
    for failure in report.failures:
        console.print(
            f"\n[bold red]FAILED[/] {report.service}.{failure.operation} "
            f"{escape(f'[{failure.check}]')} {escape(failure.message)}",
            highlight=False,
        )
        if failure.kind == "negative":
            console.print(f"  (invalid request: {failure.rule} broken at {failure.path})", highlight=False)
        for name, message in failure.messages.items():
            if name != failure.check:
                console.print(f"  also {name}: {message}", markup=False, highlight=False)
        console.print(failure.reproduction, markup=False, highlight=False, soft_wrap=True)
    for r in report.operations.values():
        if r.status == "skipped":
            console.print(f"skipped {r.operation}: {r.skipped}", markup=False, highlight=False)
    for note in report.notes:
        console.print(f"note: {note}", markup=False, highlight=False)
    s = report.summary()
    console.print(
        f"\n{s['operations']} operations, {s['calls']} calls, {report.duration:.1f} s, seed {report.seed}: "
        f"{s['passed']} passed, {s['failed']} failed, {s['not_implemented']} not implemented, "
        f"{s['skipped']} skipped, {s['not_run']} not run; {s['failures']} distinct failures",
        highlight=False,
    )
