"""How many generated requests a real botocore client accepts, measured, not assumed.

A client runs its own checks before it sends anything: ``before-parameter-build`` handlers (S3's bucket
name check), endpoint resolution from the rule set (ARN members such as kinesis ``StreamARN``), parameter
validation and serialization. A ``before-call`` handler that raises runs right after all of them, so a
request that reaches it is one the client would have sent. Nothing leaves the process.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from botocore.client import BaseClient
from botocore.config import Config
from hypothesis import HealthCheck, Phase, given, seed, settings

from botocontract.errors import ModelError
from botocontract.generators.realism import REGION
from botocontract.specs.lookup import botocore_session, service_model

__all__ = ["Acceptance", "acceptance", "client_acceptance", "summary"]


class _Accepted(Exception):
    """Raised by the ``before-call`` handler: everything the client checks before sending has passed."""


@dataclass
class Acceptance:
    """The share of generated requests a real client accepted, and why the others were refused."""

    service: str
    operation: str
    accepted: int = 0
    total: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    skipped: str = ""

    @property
    def share(self) -> float:
        return self.accepted / self.total if self.total else 1.0

    def line(self) -> str:
        if self.skipped:
            return f"{self.service}.{self.operation}: skipped ({self.skipped})"
        head = f"{self.service}.{self.operation}: {self.accepted}/{self.total} accepted ({self.share:.0%})"
        if self.reasons:
            reason, count = self.reasons.most_common(1)[0]
            head += f"; most refused: {count}x {reason}"
        return head

    def to_dict(self) -> dict[str, Any]:
        return {
            "service": self.service,
            "operation": self.operation,
            "accepted": self.accepted,
            "total": self.total,
            "share": round(self.share, 4),
            "reasons": dict(sorted(self.reasons.items())),
            "skipped": self.skipped,
        }


def _raise_accepted(**_: Any) -> None:
    raise _Accepted


@lru_cache(maxsize=32)
def real_client(service: str) -> BaseClient:
    """A client as a user builds one (validation on, default handlers), with ``before-call`` cut short."""
    client = botocore_session().create_client(
        service,
        region_name=REGION,
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        config=Config(retries={"total_max_attempts": 1}),
    )
    client.meta.events.register_first(
        f"before-call.{client.meta.service_model.service_id.hyphenize()}", _raise_accepted
    )
    return client


_ADDRESSES = re.compile(r" at 0x[0-9a-f]+")


def refusal(error: BaseException) -> str:
    """A refusal grouped by kind: the exception's name and its message's first line, without values."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    text = " ".join(lines[:2])
    text = _ADDRESSES.sub("", text)
    text = re.sub(r"'[^']*'|\"[^\"]*\"", "'...'", text)
    return f"{type(error).__name__}: {text[:160]}"


def client_acceptance(
    service: str, operation: str, *, examples: int = 100, seed_value: int = 0
) -> Acceptance:
    """Draw ``examples`` requests of ``service.operation`` and count those a real client would send."""
    from botocontract.generators.strategies import model_defect, requests

    result = Acceptance(service, operation)
    defect = model_defect(service, operation, "request")
    if defect is not None:
        result.skipped = f"model defect: {defect}"
        return result
    client = real_client(service)
    model = service_model(service)
    if model.operation_model(operation).has_event_stream_input:
        result.skipped = "event-stream input: boto3 cannot send generated events"
        return result
    method = getattr(client, _method_name(client, operation), None)
    if method is None:
        result.skipped = "the client has no method for it"
        return result

    @seed(seed_value)
    @settings(
        max_examples=examples,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(requests(service, operation))
    def run(params: dict[str, Any]) -> None:
        result.total += 1
        try:
            method(**params)
        except _Accepted:
            result.accepted += 1
        except Exception as error:  # what the client refuses is the measurement
            result.reasons[refusal(error)] += 1

    run()
    return result


def _method_name(client: BaseClient, operation: str) -> str:
    names: dict[str, str] = {v: k for k, v in client.meta.method_to_api_mapping.items()}
    return names[operation]


def acceptance(
    services: list[str], operations: list[str] | None = None, *, examples: int = 20, seed_value: int = 0
) -> list[Acceptance]:
    """:func:`client_acceptance` for every operation (or the named ones) of each service, in name order."""
    out = []
    for service in services:
        names = operations or sorted(service_model(service).operation_names)
        for operation in names:
            try:
                out.append(client_acceptance(service, operation, examples=examples, seed_value=seed_value))
            except ModelError as error:  # the strategy itself says no valid value exists
                out.append(Acceptance(service, operation, skipped=error.one_line()))
    return out


def summary(results: list[Acceptance]) -> str:
    """One line: how many operations a client accepts fully, at least 99%, and the lowest share."""
    measured = [r for r in results if not r.skipped]
    full = sum(r.accepted == r.total for r in measured)
    high = sum(r.share >= 0.99 for r in measured)
    lowest = min(measured, key=lambda r: r.share, default=None)
    tail = f"; lowest {lowest.service}.{lowest.operation} {lowest.share:.0%}" if lowest else ""
    return (
        f"{len(measured)} operations measured ({len(results) - len(measured)} skipped): {full} fully "
        f"accepted, {high} at >= 99%{tail}"
    )
