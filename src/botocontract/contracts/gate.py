"""The upgrade gate: which findings of a release diff break this application, and does the upgrade pass.

Without a contract every finding counts at its own severity. With one, only findings that touch an
operation or member path the application uses count; the rest are kept in the report as info. A member the
application *reads* from a response is judged from the reader's side: a removed member, a changed type or a
new enum value there breaks the reader even when the SDK calls it safe for senders, so such a finding is
raised to at least the threshold, with the reason stated. Which changes break readers or senders is read
from the traits each rule declares (``changes.rules``), never from rule ids.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from botocontract.changes.model import Enforcement, Finding, Kind, ReleaseDiff, Severity, Subject
from botocontract.contracts.contract import Contract, OperationUse, member_segments
from botocontract.contracts.suppressions import Suppression, Suppressions
from botocontract.errors import EXIT_FAILED, EXIT_OK

if TYPE_CHECKING:
    from botocontract.specs.model import ServiceSpec
    from botocontract.specs.sources import SourceLike

__all__ = ["PROFILES", "GateItem", "GateResult", "gate", "gate_sources", "touches"]


@dataclass(frozen=True)
class GateItem:
    """One finding as the gate judged it."""

    finding: Finding
    #: Severity after the contract was applied (raised for readers, lowered to info when untouched).
    severity: Severity
    #: Whether it touches the contract (always true without a contract).
    relevant: bool
    #: Whether it is at or above the threshold and not suppressed: what fails the gate.
    counted: bool
    #: Why the severity differs from the finding's, when it does.
    note: str | None = None
    suppressed_by: Suppression | None = None

    def as_dict(self) -> dict[str, Any]:
        out = self.finding.as_dict()
        out["original_severity"] = out["severity"]
        out["severity"] = self.severity.label
        out.update(relevant=self.relevant, counted=self.counted, note=self.note)
        out["suppressed_by"] = (
            None
            if self.suppressed_by is None
            else {"index": self.suppressed_by.index, "reason": self.suppressed_by.reason}
        )
        return out


@dataclass
class GateResult:
    """Every judged finding plus the suppression problems; ``passed`` and ``exit_code`` decide CI."""

    items: list[GateItem]
    fail_on: Severity
    expired: list[Suppression] = field(default_factory=list)
    unused: list[Suppression] = field(default_factory=list)
    old_label: str | None = None
    new_label: str | None = None
    with_contract: bool = False

    @property
    def failures(self) -> list[GateItem]:
        return [i for i in self.items if i.counted]

    @property
    def suppressed(self) -> list[GateItem]:
        return [i for i in self.items if i.suppressed_by is not None]

    @property
    def passed(self) -> bool:
        return not self.failures and not self.expired

    @property
    def exit_code(self) -> int:
        return EXIT_OK if self.passed else EXIT_FAILED

    def problems(self) -> list[str]:
        """One line per reason the gate fails, findings first."""
        lines = [
            f"[{i.severity.label}] {i.finding.rule} at {i.finding.location}: {i.finding.message}"
            for i in self.failures
        ]
        lines += [s.expiry_message() for s in self.expired]
        return lines

    def summary(self) -> str:
        pair = f"{self.old_label} -> {self.new_label}: " if self.old_label and self.new_label else ""
        verdict = "PASS" if self.passed else "FAIL"
        parts = [f"{len(self.failures)} at or above {self.fail_on.label}"]
        if self.suppressed:
            parts.append(f"{len(self.suppressed)} suppressed")
        if self.expired:
            parts.append(f"{len(self.expired)} expired suppression(s)")
        parts.append(f"{len(self.items)} finding(s) in all")
        return f"{verdict}: {pair}" + ", ".join(parts)

    def as_dict(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "fail_on": self.fail_on.label,
            "old": self.old_label,
            "new": self.new_label,
            "with_contract": self.with_contract,
            "summary": self.summary(),
            "findings": [i.as_dict() for i in self.items],
            "expired_suppressions": [_suppression_dict(s) for s in self.expired],
            "unused_suppressions": [_suppression_dict(s) for s in self.unused],
        }


def _suppression_dict(s: Suppression) -> dict[str, Any]:
    return {
        "index": s.index,
        "fingerprint": s.fingerprint,
        "rule": s.rule,
        "location": s.location,
        "reason": s.reason,
        "expires": s.expires.isoformat() if s.expires else None,
    }


def _path_hits(finding_path: str, used: Iterable[str]) -> str | None:
    """The used path that a change at ``finding_path`` affects: the same member, or one below it."""
    changed = member_segments(finding_path)
    for path in sorted(used):
        segs = member_segments(path)
        if segs and segs[-1] == "*":
            prefix = segs[:-1]
            if changed[: len(prefix)] == prefix or prefix[: len(changed)] == changed:
                return path
        elif segs[: len(changed)] == changed:
            return path
    return None


def touches(finding: Finding, contract: Contract) -> tuple[bool, str | None, str | None]:
    """(touches, side, used path): whether the finding concerns something the contract uses.

    ``side`` is ``"request"`` or ``"response"`` when a member path matched, ``None`` for operation- or
    service-level findings. A waiter or paginator finding touches only code that uses that waiter or
    paginator (the contract's ``waiters``/``paginators``), not every user of the service.
    """
    loc = finding.location
    ops = contract.services.get(loc.service)
    if ops is None:
        return False, None, None
    subject = finding.traits.subject
    if subject is Subject.WAITER:
        name = loc.path.rpartition(".")[2] or (loc.operation or "")
        used_waiters = contract.waiters.get(loc.service, set())
        return (name in used_waiters), None, (name if name in used_waiters else None)
    if subject is Subject.PAGINATOR:
        used_pages = contract.paginators.get(loc.service, set())
        return (loc.operation in used_pages), None, (loc.operation if loc.operation in used_pages else None)
    if loc.uses and not loc.operation:
        # A shared shape: judged from each operation side that reaches it.
        for operation, side, path in loc.uses:
            if operation in ops:
                verdict = touches(replace(finding, location=loc.at(operation, side, path)), contract)
                if verdict[0]:
                    return verdict
        return False, None, None
    if not loc.operation:
        return True, None, None
    use: OperationUse | None = ops.get(loc.operation)
    if use is None or use.setup:
        return False, None, None
    if not loc.path:
        return True, None, None
    sides: list[tuple[str, set[str]]] = []
    if loc.direction in ("request", "both", "service"):
        sides.append(("request", use.request))
    if loc.direction in ("response", "both", "service"):
        sides.append(("response", use.response))
    # A response hit first: that is where the reader's view may raise the severity.
    for side, used in sorted(sides, key=lambda s: s[0] != "response"):
        hit = _path_hits(loc.path, used)
        if hit is not None:
            return True, side, hit
    if loc.direction in ("request", "both") and finding.traits.requires:
        # A member that became required breaks every call that sends its parent (or the operation).
        parent = ".".join(loc.path.split(".")[:-1])
        if not parent:
            return True, "request", loc.operation
        hit = next((p for p in sorted(use.request) if member_segments(p) == member_segments(parent)), None)
        if hit is not None:
            return True, "request", hit
    return False, None, None


def breaks_readers(finding: Finding) -> bool:
    """Whether code reading the member meets this change for certain (declared traits of its rule)."""
    return finding.traits.breaks.hits("response") and _certain(finding)


def breaks_senders(finding: Finding) -> bool:
    """Whether code sending the member meets this change for certain (declared traits of its rule)."""
    return finding.traits.breaks.hits("request") and _certain(finding)


def _certain(finding: Finding) -> bool:
    """A change someone acts on, other than a tightening only the service enforces (a lower ``max``, a
    stricter pattern) or a same-type retarget (whose only effect is such constraints): using the member
    does not mean sending a value the new model rejects."""
    traits = finding.traits
    if traits.enforced is Enforcement.NONE:
        return False
    if traits.kind is Kind.TIGHTENING:
        # Even a bound botocore checks (a ``min``) states a limit the service enforced already: sending
        # the member is not sending a value it now rejects. A member made required is certain.
        return traits.requires
    return not (traits.kind is Kind.RENAME and traits.enforced is Enforcement.SERVICE)


#: Audience profiles (as buf's FILE and WIRE): who the gate protects.
PROFILES = {
    "app": "application code calling AWS through boto3: botocore's serializer and parser absorb wire changes",
    "wire": "emulators, proxies, recorded traffic and non-Python clients: protocol, bindings, timestamp "
    "formats, jsonVersion and endpoints count",
}


def _wire_change(finding: Finding) -> bool:
    """A change of the bytes on the wire or of where they go (not a restatement). Its ``breaks`` trait
    speaks of application code, which botocore shields; emulators, proxies and cassettes meet it all."""
    traits = finding.traits
    return traits.enforced is Enforcement.WIRE and traits.kind not in (
        Kind.EQUIVALENT,
        Kind.METADATA,
        Kind.DOCUMENTATION,
    )


def _profile_verdict(
    finding: Finding, severity: Severity, fail_on: Severity, profile: str
) -> tuple[Severity, str | None]:
    """The audience's view of a finding: wire changes are what ``wire`` guards and ``app`` does not see."""
    traits = finding.traits
    if traits.enforced is not Enforcement.WIRE:
        return severity, None
    if profile == "wire":
        if _wire_change(finding) and severity < fail_on:
            return fail_on, (
                f"raised from {severity.label} to {fail_on.label} under --profile wire: the bytes on the "
                "wire change, which breaks emulators, proxies and recorded traffic"
            )
        return severity, None
    if severity > Severity.WARNING:
        return Severity.WARNING, (
            f"{severity.label} lowered to warning under --profile app: botocore's serializer and parser "
            "absorb this wire change; code calling through boto3 sees the same values (--profile wire "
            "counts it)"
        )
    return severity, None


def _contract_verdict(
    finding: Finding, contract: Contract, fail_on: Severity
) -> tuple[Severity, bool, str | None]:
    """What the application does with the member decides: it sends it, reads it, or neither."""
    hit, side, used = touches(finding, contract)
    sev = finding.severity
    traits = finding.traits
    if not hit:
        note = None
        if sev > Severity.INFO:
            note = f"{sev.label} lowered to info: the contract does not use {finding.location}"
        return Severity.INFO, False, note
    loc = finding.location
    if traits.kind in (Kind.EQUIVALENT, Kind.METADATA, Kind.DOCUMENTATION) and sev > Severity.INFO:
        return Severity.INFO, True, f"{sev.label} lowered to info: nothing the application does changes"
    if (
        side == "request"
        and traits.requires
        and used is not None
        and member_segments(used) == member_segments(loc.path)
    ):
        return (
            Severity.INFO,
            True,
            (
                f"{sev.label} lowered to info: the application already sends "
                f"{loc.operation} request member {used}"
            ),
        )
    if traits.kind is Kind.LOOSENING:
        cap = Severity.INFO if side == "request" else Severity.WARNING
        if sev > cap:
            return (
                cap,
                True,
                f"{sev.label} lowered to {cap.label}: a loosened constraint rejects nothing sent today",
            )
        return sev, True, None
    if side == "request" and traits.kind is Kind.TIGHTENING and traits.enforced is Enforcement.SERVICE:
        if sev > Severity.WARNING:
            return (
                Severity.WARNING,
                True,
                (
                    f"{sev.label} lowered to warning: only the service enforces this "
                    "(botocore does not check "
                    f"max, patterns or enums), and the contract does not say the values sent exceed it"
                ),
            )
        return sev, True, None
    if sev < fail_on:
        if side == "response" and breaks_readers(finding):
            note = (
                f"raised from {sev.label} to {fail_on.label}: the application reads "
                f"{loc.operation} response member {used}, and a reader breaks on this change"
            )
            return fail_on, True, note
        if side == "request" and breaks_senders(finding):
            who = (
                "botocore rejects it before sending"
                if traits.enforced is Enforcement.CLIENT
                else ("the new model rejects it")
            )
            note = (
                f"raised from {sev.label} to {fail_on.label}: the application sends "
                f"{loc.operation} request member {used}, and {who}"
            )
            return fail_on, True, note
    return sev, True, None


def _judge(
    finding: Finding, contract: Contract | None, fail_on: Severity, profile: str = "app"
) -> tuple[Severity, bool, str | None]:
    if contract is None:
        severity, relevant, note = finding.severity, True, None
    else:
        severity, relevant, note = _contract_verdict(finding, contract, fail_on)
        if not relevant:
            return severity, relevant, note
    profiled, why = _profile_verdict(finding, severity, fail_on, profile)
    if why is not None:
        return profiled, relevant, why if note is None else f"{note}; {why}"
    return severity, relevant, note


def _findings_of(
    diff_or_findings: ReleaseDiff | Iterable[Finding],
) -> tuple[list[Finding], str | None, str | None]:
    if isinstance(diff_or_findings, ReleaseDiff):
        return diff_or_findings.all_findings(), diff_or_findings.old_label, diff_or_findings.new_label
    return list(diff_or_findings), None, None


def gate(
    diff_or_findings: ReleaseDiff | Iterable[Finding],
    contract: Contract | None = None,
    suppressions: Suppressions | None = None,
    fail_on: str | Severity = "error",
    *,
    today: dt.date | None = None,
    profile: str = "app",
) -> GateResult:
    """Judge every finding against the contract, suppressions, threshold and audience profile."""
    if profile not in PROFILES:
        from botocontract.errors import UnknownNameError

        raise UnknownNameError("profile", profile, sorted(PROFILES))
    threshold = Severity.parse(fail_on)
    today = today or dt.datetime.now(dt.timezone.utc).date()
    suppressions = suppressions or Suppressions()
    findings, old_label, new_label = _findings_of(diff_or_findings)
    used: set[int] = set()
    items = []
    for finding in findings:
        severity, relevant, note = _judge(finding, contract, threshold, profile)
        suppression = suppressions.match(finding, today)
        if suppression is not None:
            used.add(suppression.index)
        counted = severity >= threshold and suppression is None
        items.append(GateItem(finding, severity, relevant, counted, note, suppression))
    items.sort(key=lambda i: (not i.counted, -i.severity, str(i.finding.location), i.finding.rule))
    return GateResult(
        items=items,
        fail_on=threshold,
        expired=suppressions.expired(today),
        unused=[s for s in suppressions.live(today) if s.index not in used],
        old_label=old_label,
        new_label=new_label,
        with_contract=contract is not None,
    )


def contract_diff(
    old_source: SourceLike, new_source: SourceLike, contract: Contract, services: Iterable[str] | None = None
) -> ReleaseDiff:
    """The findings the gate needs for a contract, and nothing else: only the contract's services, rules
    only (no change dicts, no documentation). A contract service that one release lacks is an added or
    removed service; one that neither has is a warning, not an error of the command."""
    from botocontract.changes.diff import compute_diff
    from botocontract.changes.engine import _same_extras, run_rules
    from botocontract.changes.model import Location, ServiceChange
    from botocontract.specs import resolve_source

    old_src, new_src = resolve_source(old_source), resolve_source(new_source)
    old_info = {i.name: i for i in old_src.services()}
    new_info = {i.name: i for i in new_src.services()}
    result = ReleaseDiff(
        old_label=old_src.label,
        new_label=new_src.label,
        old_version=old_src.version,
        new_version=new_src.version,
        released=new_src.released,
    )
    for name in list(dict.fromkeys(services or sorted(contract.services))):
        before, after = old_info.get(name), new_info.get(name)
        if before is None and after is None:
            finding = Finding(
                rule="RemovedService",
                severity=Severity.WARNING,
                location=Location(name),
                message=(
                    f"service {name} of the contract is in neither {old_src.label} nor {new_src.label}: "
                    "the contract was made with a newer botocore, or the name is wrong"
                ),
            )
            result.services.append(ServiceChange(name, name, "removed", findings=[finding]))
            continue
        if (
            before is not None
            and after is not None
            and before.api_version == after.api_version
            and old_src.signature(name, before.api_version) == new_src.signature(name, after.api_version)
            and _same_extras(old_src, new_src, name, before.api_version)
        ):
            continue
        old_spec = old_src.service(name) if before is not None else None
        new_spec = new_src.service(name) if after is not None else None
        used = sorted(contract.services.get(name, {}))
        if old_spec is not None and new_spec is not None:
            old_spec, new_spec = _pruned(old_spec, used), _pruned(new_spec, used)
        findings = run_rules(compute_diff(old_spec, new_spec))
        if findings:
            status = "new" if old_spec is None else "removed" if new_spec is None else "updated"
            entry = ServiceChange(name, name, status, findings=findings)  # type: ignore[arg-type]
            result.services.append(entry)
    return result


def _pruned(spec: ServiceSpec, operations: Iterable[str]) -> ServiceSpec:
    """The spec cut down to ``operations`` and the shapes they reach (inputs, outputs, errors), so the
    rules walk what the contract can touch and nothing else. Metadata, paginators, waiters and endpoint
    rules are kept whole."""
    from botocontract.specs import ServiceSpec

    raw = spec.raw
    all_ops = raw.get("operations") or {}
    shapes = raw.get("shapes") or {}
    ops = {n: all_ops[n] for n in operations if n in all_ops}
    stack: list[str] = []
    for op in ops.values():
        stack.extend(op[k]["shape"] for k in ("input", "output") if op.get(k))
        stack.extend(e["shape"] for e in op.get("errors") or ())
    seen: set[str] = set()
    while stack:
        name = stack.pop()
        if name in seen or name not in shapes:
            continue
        seen.add(name)
        shape = shapes[name]
        stack.extend(m["shape"] for m in (shape.get("members") or {}).values())
        stack.extend(shape[k]["shape"] for k in ("member", "key", "value") if shape.get(k))
    pruned = {**raw, "operations": ops, "shapes": {n: shapes[n] for n in sorted(seen)}}
    return ServiceSpec(
        spec.name,
        spec.api_version,
        pruned,
        source_label=spec.source_label,
        loader=spec._loader,
        signer=spec._signer,
    )


def gate_sources(
    old_source: SourceLike,
    new_source: SourceLike,
    contract: Contract | None = None,
    suppressions: Suppressions | None = None,
    fail_on: str | Severity = "error",
    *,
    services: Iterable[str] | None = None,
    today: dt.date | None = None,
    profile: str = "app",
) -> GateResult:
    """Gate an upgrade between two sources: with a contract, only its services are computed."""
    if contract is not None:
        diff = contract_diff(old_source, new_source, contract, services)
    else:
        from botocontract.changes.engine import diff_sources

        diff = diff_sources(old_source, new_source, services=list(services) if services else None)
    return gate(diff, contract, suppressions, fail_on, today=today, profile=profile)
