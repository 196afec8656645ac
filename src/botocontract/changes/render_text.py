"""The awsapichanges.info page text of a release diff, plus the findings that format cannot show.

Per service::

    <full name>

    YYYY/MM/DD - <full name> - N new M updated api methods

    Changes\\xa0 <release notes>

    <Operation>\\xa0(updated) Link ¶
    Changes (request)
    {pprint of the change dict}
    Findings
      [error] RemovedMember  PrimaryContainer.ImageConfig (request) — ...

    <operation documentation, see changes.opdocs>

The change dicts stay exactly the reference format (additions only); every other finding of the
operation is listed under ``Findings`` after the dict, so that with no such finding the text equals the
reference page byte for byte. A finding counts as shown by the dict when it reports an addition
(``AddedMember``, ``ChangedEnum.Added``, ``AddedOperation``, ``AddedService``) whose member path is in the
dict (:func:`shown_by_dict`).

The ``Changes`` line: botocore's release notes (``.changes/<version>.json``) are not in the wheel, so the
line comes from ``ReleaseDiff.notes[service]`` when the caller has them. Without notes, releases before
1.20.27 get the boilerplate botocore itself used for every api-change until then (``Update <service> client
to latest version``), so the old pages read as they did; for newer releases the line is left out rather
than invented.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from packaging.version import InvalidVersion, Version

from botocontract.changes.changedict import format_delta
from botocontract.changes.docscache import CachedDocs
from botocontract.changes.model import Finding, Kind, OperationChange, ReleaseDiff, ServiceChange, Subject

if TYPE_CHECKING:
    from botocontract.specs.sources import SourceLike

__all__ = [
    "BOILERPLATE_BEFORE",
    "DocsProvider",
    "docs_from_source",
    "finding_line",
    "ordered_operations",
    "overview",
    "release_notes",
    "render_text",
    "shared_note",
    "shown_by_dict",
    "summary_line",
]

NBSP = "\xa0"
#: First botocore release whose api-change notes say what changed instead of the boilerplate.
BOILERPLATE_BEFORE = Version("1.20.27")
#: Additions the change dict (or the ``(new)`` title) shows: services, operations, members, enum values.
_SHOWN = frozenset({Subject.SERVICE, Subject.OPERATION, Subject.MEMBER, Subject.VALUE})


def _shown_addition(finding: Finding) -> bool:
    """An addition the format shows in full (a newly required member says more than the dict can)."""
    traits = finding.traits
    return traits.kind is Kind.ADDITION and traits.subject in _SHOWN and not traits.requires


#: ``(service, api_version, operation) -> documentation text`` (None when unavailable).
DocsProvider = Callable[[str, str | None, str], str | None]


def render_text(
    diff: ReleaseDiff,
    *,
    include_docs: bool = True,
    docs: DocsProvider | None = None,
    source: SourceLike = None,
) -> str:
    """The text of every service entry of ``diff``, separated by a blank line; no trailing newline.

    Operation documentation comes from ``docs``, else from ``source`` (a ``botocontract.specs.Source``
    or anything ``resolve_source`` accepts, normally the diff's new release), else from
    ``diff.new_version``. ``include_docs=False`` leaves the documentation out.
    """
    provider: DocsProvider | None = None
    if include_docs:
        provider = docs or docs_from_source(source if source is not None else diff.new_version)
    entries = [_service_text(diff, service, provider) for service in diff.services]
    if len(diff.services) > 1:
        entries.insert(0, overview(diff))
    return "\n\n".join(entries)


def overview(diff: ReleaseDiff) -> str:
    """One line per changed service, put on top when a diff covers more than one service."""
    rows = [f"{diff.old_label} -> {diff.new_label}: {len(diff.services)} services changed"]
    width = max(len(s.service) for s in diff.services)
    for service in diff.services:
        findings = service.all_findings()
        worst = max((f.severity for f in findings), default=None)
        breaking = sum(1 for f in findings if f.breaking)
        tail = f"{len(findings)} findings" + (f", {breaking} breaking" if breaking else "")
        tail += f", worst {worst.label}" if worst is not None else ""
        rows.append(
            f"  {service.service:<{width}}  {service.status:<9}  "
            f"{summary_line(diff, service).split(' - ')[-1]}  ({tail})"
        )
    return "\n".join(rows)


def docs_from_source(source: SourceLike) -> DocsProvider | None:
    """A docs provider reading operation models from ``source``; None when there is no source.

    Renderings are cached on disk by operation content (:mod:`.docscache`), so the source is only read
    for operations not rendered before.
    """
    if source is None:
        return None
    from botocontract.changes.docscache import CachedDocs

    return CachedDocs(source)


def release_notes(diff: ReleaseDiff, service: str) -> str | None:
    """The ``Changes`` line's text for one service (see the module docstring), or None."""
    notes = diff.notes.get(service)
    if notes:
        return " ".join(note.strip() for note in notes)
    try:
        version = Version(diff.new_version) if diff.new_version else None
    except InvalidVersion:
        version = None
    if version is not None and version < BOILERPLATE_BEFORE:
        return f"Update {service} client to latest version"
    return None


def ordered_operations(service: ServiceChange) -> list[OperationChange]:
    """New operations first, then updated, then removed, as the reference page lists them; the diff's
    order is kept within each group."""
    rank = {"new": 0, "updated": 1, "removed": 2}
    return sorted(service.operations, key=lambda op: rank[op.status])


def summary_line(diff: ReleaseDiff, service: ServiceChange) -> str:
    """``YYYY/MM/DD - <full name> - 1 new 2 updated api methods`` (date left out when unknown)."""
    counts = []
    for status in ("new", "updated", "removed"):
        n = sum(1 for op in service.operations if op.status == status)
        if n:
            counts.append(f"{n} {status}")
    what = f"{' '.join(counts)} api methods" if counts else "no api method changes"
    if service.status == "docs-only" and not counts:
        what = "documentation changes only"
    elif (
        not counts
        and service.findings
        and all(f.traits.subject is Subject.ENDPOINT for f in service.all_findings())
    ):
        what = "endpoint changes only"
    parts = [service.full_name, what]
    if diff.released is not None:
        parts.insert(0, diff.released.strftime("%Y/%m/%d"))
    return " - ".join(parts)


def shown_by_dict(op: OperationChange, finding: Finding) -> bool:
    """Whether ``finding`` is an addition that ``op``'s change dict (or its ``(new)`` title) shows."""
    if not _shown_addition(finding):
        return False
    if op.status == "new":
        return True
    direction = finding.location.direction
    sides = (
        [op.request, op.response]
        if direction == "both"
        else [op.request if direction == "request" else op.response if direction == "response" else {}]
    )
    return any(_has_path(side, finding.location.path) for side in sides)


def _has_path(delta: Any, path: str) -> bool:
    if not path or not delta:
        return False
    node = delta
    for part in path.split("."):
        while isinstance(node, list) and len(node) == 1:
            node = node[0]
        if not isinstance(node, dict):
            return True  # inside a subtree the dict shows as new
        if part not in node:
            return False
        node = node[part]
    return True


def finding_line(finding: Finding) -> str:
    """One line of a ``Findings`` block."""
    loc = finding.location
    where = loc.path or loc.shape or loc.operation or loc.service
    if loc.operation and loc.direction in ("request", "response"):
        where = f"{where} ({loc.direction})"
    return f"  [{finding.severity.label}] {finding.rule}  {where}{shared_note(finding)} — {finding.message}"


def shared_note(finding: Finding) -> str:
    """`` (shared by N operations: A, B, C, ...)`` for a finding on a shared shape, else empty."""
    ops = finding.location.operations
    if not ops:
        return ""
    shown = ", ".join(ops[:3]) + (", ..." if len(ops) > 3 else "")
    return f" (shared by {len(ops)} operations: {shown})"


def _findings_block(findings: list[Finding]) -> list[str]:
    if not findings:
        return []
    return ["Findings", *(finding_line(f) for f in findings)]


def _changes_block(op: OperationChange) -> list[str]:
    if op.status != "updated" or not (op.request or op.response):
        return []
    if op.request and op.response:
        if op.request == op.response:
            return ["Changes (both)", format_delta(op.request)]
        return [
            "Changes (request, response)",
            "Request",
            format_delta(op.request),
            "Response",
            format_delta(op.response),
        ]
    side = "request" if op.request else "response"
    return [f"Changes ({side})", format_delta(op.request or op.response)]


def _operation_text(op: OperationChange, docs: str | None) -> str:
    lines = [f"{op.name}{NBSP}({op.status}) Link ¶"]
    lines += _changes_block(op)
    lines += _findings_block([f for f in op.findings if not shown_by_dict(op, f)])
    text = "\n".join(lines)
    return f"{text}\n\n{docs}" if docs else text


def _service_text(diff: ReleaseDiff, service: ServiceChange, docs: DocsProvider | None) -> str:
    blocks = [service.full_name, summary_line(diff, service)]
    notes = release_notes(diff, service.service)
    if notes:
        blocks.append(f"Changes{NBSP} {notes}")
    # Additions show in the operations' dicts, except on shared shapes (reported once, here).
    service_level = [f for f in service.findings if not _shown_addition(f) or f.location.uses]
    if service_level:
        blocks.append("\n".join(_findings_block(service_level)))
    for op in ordered_operations(service):
        text = None
        if isinstance(docs, CachedDocs) and op.status != "removed":
            text = docs(service.service, service.new_api_version, op.name, op.digest)
        elif docs is not None and op.status != "removed":
            text = docs(service.service, service.new_api_version, op.name)
        blocks.append(_operation_text(op, text))
    return "\n\n".join(blocks)
