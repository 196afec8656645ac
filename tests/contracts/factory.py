"""Findings built by hand, shaped like the ones the diff engine produces."""

from __future__ import annotations

from typing import Any

from botocontract.changes.model import Finding, Location, Severity


def finding(
    rule: str = "RemovedMember.Response",
    severity: Severity | str = Severity.ERROR,
    *,
    service: str = "sagemaker",
    operation: str | None = "DescribeModel",
    direction: str = "response",
    path: str = "PrimaryContainer.ImageConfig",
    message: str | None = None,
    old: Any = None,
    new: Any = None,
) -> Finding:
    loc = Location(service, operation, direction, path)  # type: ignore[arg-type]
    return Finding(rule, Severity.parse(severity), loc, message or f"{path or operation} changed", old, new)
