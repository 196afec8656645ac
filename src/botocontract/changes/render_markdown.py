"""The release diff as Markdown, for pull-request comments and release notes.

Same content as :mod:`.render_text`, shaped for GitHub: per service a heading, the release line, a summary
table of its operations, then per operation its change dict in a ``python`` block, the findings the dict
cannot show as a table, and botocore's request syntax folded in a ``<details>`` block.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from botocontract.changes.changedict import format_delta
from botocontract.changes.docscache import CachedDocs
from botocontract.changes.model import (
    Finding,
    Kind,
    OperationChange,
    ReleaseDiff,
    ServiceChange,
    Severity,
    Subject,
)
from botocontract.changes.render_text import ordered_operations, release_notes, shared_note, shown_by_dict

if TYPE_CHECKING:
    from botocontract.specs.sources import SourceLike

__all__ = ["SyntaxProvider", "render_markdown", "syntax_from_source"]

#: ``(service, api_version, operation) -> request syntax`` (None when unavailable).
SyntaxProvider = Callable[[str, str | None, str], str | None]


def render_markdown(
    diff: ReleaseDiff,
    *,
    include_syntax: bool = True,
    syntax: SyntaxProvider | None = None,
    source: SourceLike = None,
) -> str:
    """Markdown for every service of ``diff``, ending with a newline.

    The request syntax comes from ``syntax``, else from ``source`` (normally the diff's new release), else
    from ``diff.new_version``; ``include_syntax=False`` leaves it out.
    """
    provider: SyntaxProvider | None = None
    if include_syntax:
        provider = syntax or syntax_from_source(source if source is not None else diff.new_version)
    title = f"# API changes: {diff.old_label} → {diff.new_label}"
    if not diff.services:
        return f"{title}\n\nNo service changed.\n"
    parts = [title, *(_service(diff, service, provider) for service in diff.services)]
    return "\n\n".join(parts) + "\n"


def syntax_from_source(source: SourceLike) -> SyntaxProvider | None:
    """A request-syntax provider reading operation models from ``source``; None without a source.
    Renderings are cached on disk by operation content (:mod:`.docscache`)."""
    if source is None:
        return None
    from botocontract.changes.docscache import CachedDocs

    return CachedDocs(source, kind="request")


def _cell(value: str) -> str:
    return value.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _anchor(service: str, operation: str) -> str:
    return f"{service}-{operation}".lower()


def _extra(op: OperationChange) -> list[Finding]:
    return [f for f in op.findings if not shown_by_dict(op, f)]


def _worst(findings: list[Finding]) -> str:
    if not findings:
        return ""
    worst = max(f.severity for f in findings)
    mark = " ⚠️" if worst >= Severity.DANGER else ""
    return f"{len(findings)} ({worst.label}){mark}"


def _sides(op: OperationChange) -> str:
    if op.status != "updated":
        return ""
    if op.request and op.response:
        return "both" if op.request == op.response else "request, response"
    return "request" if op.request else "response" if op.response else ""


def _findings_table(findings: list[Finding]) -> str:
    rows = ["| Severity | Rule | Where | Message |", "| --- | --- | --- | --- |"]
    for f in findings:
        loc = f.location
        where = f"`{loc.path}`" if loc.path else (f"`{loc.shape}`" if loc.shape else "")
        if loc.operation and loc.direction in ("request", "response"):
            where = f"{where} ({loc.direction})".strip()
        where += shared_note(f)
        rows.append(f"| {f.severity.label} | `{f.rule}` | {_cell(where)} | {_cell(f.message)} |")
    return "\n".join(rows)


def _service(diff: ReleaseDiff, service: ServiceChange, syntax: SyntaxProvider | None) -> str:
    out = [f"## {service.full_name} (`{service.service}`)"]
    facts = []
    if diff.released is not None:
        facts.append(diff.released.strftime("%Y-%m-%d"))
    if service.status != "updated":
        facts.append(f"service {service.status}")
    notes = release_notes(diff, service.service)
    if notes:
        facts.append(notes)
    if facts:
        out.append(" · ".join(facts))
    if service.operations:
        rows = ["| Operation | Status | Changes | Findings |", "| --- | --- | --- | --- |"]
        for op in ordered_operations(service):
            link = f"[{op.name}](#{_anchor(service.service, op.name)})"
            rows.append(f"| {link} | {op.status} | {_sides(op)} | {_worst(_extra(op))} |")
        out.append("\n".join(rows))
    service_level = [f for f in service.findings if not _new_service(f)]
    if service_level:
        out.append("**Service findings**\n\n" + _findings_table(service_level))
    for op in ordered_operations(service):
        out.append(_operation(service, op, syntax))
    return "\n\n".join(out)


def _operation(service: ServiceChange, op: OperationChange, syntax: SyntaxProvider | None) -> str:
    out = [f'<a id="{_anchor(service.service, op.name)}"></a>\n### {op.name} ({op.status})']
    sides = _sides(op)
    if sides == "request, response":
        out.append(f"**Request**\n\n```python\n{format_delta(op.request)}\n```")
        out.append(f"**Response**\n\n```python\n{format_delta(op.response)}\n```")
    elif sides:
        out.append(f"**Changes ({sides})**\n\n```python\n{format_delta(op.request or op.response)}\n```")
    extra = _extra(op)
    if extra:
        out.append(_findings_table(extra))
    if syntax is not None and op.status != "removed":
        if isinstance(syntax, CachedDocs):
            text = syntax(service.service, service.new_api_version, op.name, op.digest)
        else:
            text = syntax(service.service, service.new_api_version, op.name)
        if text:
            out.append(f"<details><summary>Request syntax</summary>\n\n```python\n{text}\n```\n\n</details>")
    return "\n\n".join(out)


def _new_service(finding: Finding) -> bool:
    """The service's own ``added`` finding: the heading already says the service is new."""
    return finding.traits.kind is Kind.ADDITION and finding.traits.subject is Subject.SERVICE
