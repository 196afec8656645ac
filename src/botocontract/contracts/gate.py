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
from dataclasses import dataclass, field
from typing import Any

from botocontract.changes.model import Enforcement, Finding, Kind, ReleaseDiff, Severity
from botocontract.contracts.contract import Contract, OperationUse, member_segments
from botocontract.contracts.suppressions import Suppression, Suppressions
from botocontract.errors import EXIT_FAILED, EXIT_OK

__all__ = ["GateItem", "GateResult", "gate", "touches"]


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
    service-level findings.
    """
    loc = finding.location
    ops = contract.services.get(loc.service)
    if ops is None:
        return False, None, None
    if not loc.operation:
        return True, None, None
    use: OperationUse | None = ops.get(loc.operation)
    if use is None:
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
    """A change someone acts on, other than a tightened bound or pattern: using the member does not mean
    sending a value the new constraint rejects. A member made required is certain for its senders."""
    traits = finding.traits
    if traits.enforced is Enforcement.NONE:
        return False
    return traits.kind is not Kind.TIGHTENING or traits.requires


def _judge(
    finding: Finding, contract: Contract | None, fail_on: Severity
) -> tuple[Severity, bool, str | None]:
    if contract is None:
        return finding.severity, True, None
    hit, side, used = touches(finding, contract)
    if not hit:
        note = None
        if finding.severity > Severity.INFO:
            note = f"{finding.severity.label} lowered to info: the contract does not use {finding.location}"
        return Severity.INFO, False, note
    if finding.severity < fail_on:
        if side == "response" and breaks_readers(finding):
            note = (
                f"raised from {finding.severity.label} to {fail_on.label}: the application reads "
                f"{finding.location.operation} response member {used}, and a reader breaks on this change"
            )
            return fail_on, True, note
        if side == "request" and breaks_senders(finding):
            note = (
                f"raised from {finding.severity.label} to {fail_on.label}: the application sends "
                f"{finding.location.operation} request member {used}, and the new model rejects it"
            )
            return fail_on, True, note
    return finding.severity, True, None


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
) -> GateResult:
    """Judge every finding against the contract, suppressions and threshold."""
    threshold = Severity.parse(fail_on)
    today = today or dt.datetime.now(dt.timezone.utc).date()
    suppressions = suppressions or Suppressions()
    findings, old_label, new_label = _findings_of(diff_or_findings)
    used: set[int] = set()
    items = []
    for finding in findings:
        severity, relevant, note = _judge(finding, contract, threshold)
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
