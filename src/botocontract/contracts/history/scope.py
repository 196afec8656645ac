"""Release diffs cut down to what one contract uses, for contract-scoped feeds and sites.

A finding stays when it touches the contract as the gate judges it (:func:`botocontract.contracts.gate
.touches`: the operation, or a member path the application sends or reads, or something above it); an
operation entry stays with its change dicts when any of its findings does; a release keeps its place even
when nothing of it stays, so the feed's dates stay those of the releases.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from botocontract.changes.model import ReleaseDiff
from botocontract.contracts.contract import Contract

__all__ = ["scope_diff", "scope_diffs"]


def scope_diff(diff: ReleaseDiff, contract: Contract) -> ReleaseDiff:
    """``diff`` with only the services, operations and findings that touch ``contract``."""
    from botocontract.contracts.gate import touches

    services = []
    for change in diff.services:
        if change.service not in contract.services:
            continue
        operations = []
        for op in change.operations:
            kept = [f for f in op.findings if touches(f, contract)[0]]
            if kept:
                operations.append(replace(op, findings=kept))
        own = [f for f in change.findings if touches(f, contract)[0]]
        if operations or own:
            services.append(replace(change, operations=operations, findings=own))
    return replace(diff, services=services)


def scope_diffs(diffs: Iterable[ReleaseDiff], contract: Contract) -> list[ReleaseDiff]:
    return [scope_diff(d, contract) for d in diffs]
