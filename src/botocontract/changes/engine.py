"""Run the rules over one structural diff and assemble service and release entries.

Services whose model bytes are unchanged (equal :meth:`Source.signature`) are skipped without parsing;
within a changed service, unchanged shapes cost one dict comparison (see :mod:`.diff`). Rules yield bare
changes; this module adds rule id, severity and location into :class:`Finding` objects and groups them by
operation, next to the additions-only change dicts of the awsapichanges format.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from botocontract.changes.diff import ServiceDiff, SpecLike, compute_diff, endpoint_diff
from botocontract.changes.model import Finding, Kind, OperationChange, ReleaseDiff, ServiceChange, Subject
from botocontract.changes.rules import RULES, Rule, RuleContext
from botocontract.errors import UnknownNameError

if TYPE_CHECKING:
    from botocontract.specs.sources import Source, SourceLike

__all__ = ["diff_services", "diff_sources", "rules", "run_rules"]


def rules() -> list[Rule]:
    """Every registered rule, in registration order (for ``botocontract rules``)."""
    return list(RULES)


def run_rules(
    diff: ServiceDiff, *, include_docs: bool = False, select: Iterable[Rule] | None = None
) -> list[Finding]:
    """Findings of the selected rules (all by default) over one service diff."""
    ctx = RuleContext(diff)
    findings: list[Finding] = []
    for item in select if select is not None else RULES:
        if item.docs and not include_docs:
            continue
        for change in item(ctx):
            findings.append(
                Finding(
                    rule=f"{item.id}.{change.variant}" if change.variant else item.id,
                    severity=change.severity if change.severity is not None else item.severity,
                    location=change.location,
                    message=change.message,
                    old=change.old,
                    new=change.new,
                    traits=item.traits_for(change.variant, change.facet),
                )
            )
    return _merge_shared(findings)


def _merge_shared(findings: list[Finding]) -> list[Finding]:
    """One finding per change to a shared shape: the request-side and response-side copies of the same
    change (same rule, place, message and values) become one, on ``both`` sides, at the worse severity."""
    merged: dict[tuple[str, str, str | None, str, str], int] = {}
    out: list[Finding] = []
    for finding in findings:
        loc = finding.location
        if not loc.uses or loc.operation is not None:
            out.append(finding)
            continue
        key = (finding.rule, loc.path, loc.shape, finding.message, repr((finding.old, finding.new)))
        if key not in merged:
            merged[key] = len(out)
            out.append(finding)
            continue
        first = out[merged[key]]
        where = replace(
            first.location,
            direction="both" if first.location.direction != loc.direction else loc.direction,
            uses=tuple(sorted({*first.location.uses, *loc.uses})),
        )
        out[merged[key]] = replace(first, location=where, severity=max(first.severity, finding.severity))
    return out


def _change_dicts(old_op: Any, new_op: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """The awsapichanges-style additions of one operation (empty when that renderer is unavailable).

    EC2 convention of that format: an updated operation's request dict leaves out ``TagSpecifications``
    (every new EC2 resource type adds an enum value inside the ``TagSpecifications`` of ~100 operations;
    the change is reported once, on the shared shape, instead).
    """
    try:
        from botocontract.changes.changedict import change_dicts
    except ImportError:
        return {}, {}
    request, response = change_dicts(old_op, new_op)
    if old_op is not None and new_op.service_model.service_name == "ec2":
        request.pop("TagSpecifications", None)
    return request, response


def _full_name(spec: SpecLike) -> str:
    name = getattr(spec, "full_name", None)
    if name:
        return str(name)
    meta = spec.raw.get("metadata") or {}
    return meta.get("serviceFullName") or meta.get("serviceAbbreviation") or spec.name


def diff_services(
    old: SpecLike | None, new: SpecLike | None, *, include_docs: bool = False
) -> ServiceChange | None:
    """One service's entry for a pair of models, or ``None`` when nothing differs.

    ``old=None`` is a new service, ``new=None`` a removed one. A service whose only changes are
    documentation gets status ``docs-only`` (with its findings only when ``include_docs``).
    """
    if old is None and new is None:
        return None
    diff = compute_diff(old, new)
    spec = new if new is not None else old
    assert spec is not None
    entry = ServiceChange(
        service=spec.name,
        full_name=_full_name(spec),
        status="updated",
        old_api_version=old.api_version if old is not None else None,
        new_api_version=new.api_version if new is not None else None,
    )
    if old is None or new is None:
        entry.status = "new" if old is None else "removed"
        entry.findings = run_rules(diff)
        for name in sorted(spec.raw.get("operations") or {}):
            op = OperationChange(name, "new" if old is None else "removed")
            if new is not None:
                op.request, op.response = _change_dicts(None, new.operation_model(name))
            entry.operations.append(op)
        _add_digests(entry, new)
        return entry
    if diff.empty:
        return None

    findings = run_rules(diff, include_docs=True)
    contract = [f for f in findings if f.traits.kind is not Kind.DOCUMENTATION]
    if not contract:
        if not findings:
            return None
        entry.status = "docs-only"
    shown = findings if include_docs else contract

    by_op: dict[str, list[Finding]] = {}
    for finding in shown:
        if finding.location.operation is None:
            entry.findings.append(finding)
        else:
            by_op.setdefault(finding.location.operation, []).append(finding)
    # The change dicts show additions only, so only operations with an addition finding need them.
    touched = {f.location.operation for f in contract if f.location.operation and _adds(f)}
    touched |= {use[0] for f in contract if _adds(f) for use in f.location.uses}
    ops: dict[str, OperationChange] = {}
    for name in diff.operations_added:
        ops[name] = OperationChange(name, "new")
        ops[name].request, ops[name].response = _change_dicts(None, new.operation_model(name))
    for name in diff.operations_removed:
        ops[name] = OperationChange(name, "removed")
    for name in sorted(set(by_op) | touched):
        if name in ops:
            continue
        op = OperationChange(name, "updated")
        if name in touched:
            op.request, op.response = _change_dicts(old.operation_model(name), new.operation_model(name))
        if op.request or op.response or by_op.get(name):
            ops[name] = op
    for name, op in ops.items():
        op.findings = by_op.get(name, [])
    entry.operations = [ops[n] for n in sorted(ops)]
    _add_digests(entry, new)
    return entry


def _add_digests(entry: ServiceChange, new: SpecLike | None) -> None:
    """Each listed operation's content digest in the new model (the key of its cached documentation)."""
    digest = getattr(new, "operation_digest", None)
    if digest is None:
        return
    for op in entry.operations:
        if op.status != "removed":
            op.digest = digest(op.name)


def diff_sources(
    old_source: SourceLike,
    new_source: SourceLike,
    services: Iterable[str] | None = None,
    *,
    include_docs: bool = False,
) -> ReleaseDiff:
    """The diff of every service of two sources (newest api-version each), or of ``services`` only.

    Sources are :class:`botocontract.specs.Source` objects or anything ``resolve_source`` accepts.
    Services with equal model signatures are skipped without parsing.
    """
    from botocontract.specs import resolve_source

    old_src, new_src = resolve_source(old_source), resolve_source(new_source)
    old_info = {i.name: i for i in old_src.services()}
    new_info = {i.name: i for i in new_src.services()}
    known = old_info.keys() | new_info.keys()
    if services:
        # A loose model file also answers to its endpoint prefix; match either name.
        wanted = list(dict.fromkeys(new_src.canonical(old_src.canonical(s)) for s in services))
        for name in wanted:
            if name not in known:
                raise UnknownNameError(
                    "service", name, sorted(known), where=f"{old_src.label} or {new_src.label}"
                )
    else:
        wanted = sorted(known)
    result = ReleaseDiff(
        old_label=old_src.label,
        new_label=new_src.label,
        old_version=old_src.version,
        new_version=new_src.version,
        released=new_src.released,
    )
    for name in wanted:
        before, after = old_info.get(name), new_info.get(name)
        if (
            before is not None
            and after is not None
            and before.api_version == after.api_version
            and old_src.signature(name, before.api_version) == new_src.signature(name, after.api_version)
            and _same_extras(old_src, new_src, name, before.api_version, ("paginators", "waiters"))
        ):
            if _same_extras(old_src, new_src, name, before.api_version, ("endpoint-rules",)):
                continue
            # Only the rule set differs: judge it before parsing two unchanged models (most rewrites
            # resolve exactly as before and report nothing).
            version = before.api_version
            views = _RuleSetView(old_src, name, version), _RuleSetView(new_src, name, version)
            if not endpoint_diff(*views).reportable:
                continue
        old_spec = old_src.service(name) if before is not None else None
        new_spec = new_src.service(name) if after is not None else None
        entry = diff_services(old_spec, new_spec, include_docs=include_docs)
        if entry is not None:
            result.services.append(entry)
    return result


def _adds(finding: Finding) -> bool:
    """Whether a finding can show up in the additions-only change dicts: a new member or enum value, or
    a member now targeting another shape (whose new members are additions)."""
    traits = finding.traits
    return traits.subject is Subject.TARGET or (
        traits.kind is Kind.ADDITION and traits.subject in (Subject.MEMBER, Subject.VALUE)
    )


class _RuleSetView:
    """What :func:`endpoint_diff` reads of one service, straight from its source (no model parsing)."""

    def __init__(self, source: Source, name: str, api_version: str) -> None:
        self.source, self.name, self.api_version = source, name, api_version

    @property
    def endpoint_ruleset(self) -> Any:
        return self.source.read_json(self.name, self.api_version, "endpoint-rules")

    def release_file(self, kind: str) -> Any:
        return self.source.read_json(self.name, self.api_version, kind)

    def signature(self, kind: str) -> str | None:
        try:
            return self.source.signature(self.name, self.api_version, kind=kind)
        except TypeError:
            return None


def _same_extras(
    old_src: Source,
    new_src: Source,
    name: str,
    api_version: str,
    kinds: tuple[str, ...] = ("paginators", "waiters", "endpoint-rules"),
) -> bool:
    """Paginators, waiters and endpoint rule sets live in files of their own: the model's signature does
    not cover them."""
    return all(
        _extra_id(old_src, name, api_version, kind) == _extra_id(new_src, name, api_version, kind)
        for kind in kinds
    )


@lru_cache(maxsize=2048)
def _extra_id(source: Source, name: str, api_version: str, kind: str) -> str | _Frozen:
    """A comparable id of a paginators/waiters file: its signature when the source offers one per file
    kind, else its parsed content (memoized, so a walk reads each release's files once)."""
    try:
        return source.signature(name, api_version, kind=kind)
    except TypeError:
        return _Frozen(source.read_json(name, api_version, kind))


class _Frozen:
    """Wraps parsed JSON so it can sit in the memo and compare by value."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Frozen) and self.value == other.value

    __hash__ = None  # type: ignore[assignment]
