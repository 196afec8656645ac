"""The data the diff produces and every renderer, the gate and the site consume.

Rules yield bare :class:`Change` objects; the engine turns each into a :class:`Finding` by adding the rule
id, severity, location and fingerprint, so rules stay small and findings stay uniform.
"""

from __future__ import annotations

import enum
import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

__all__ = [
    "Audience",
    "Change",
    "Direction",
    "Enforcement",
    "Finding",
    "Kind",
    "Location",
    "OperationChange",
    "ReleaseDiff",
    "ServiceChange",
    "Severity",
    "Subject",
    "Traits",
]

#: Which side of an operation a member lives on. "both" is used for shapes reachable from both.
Direction = Literal["request", "response", "both", "service"]


class Severity(enum.IntEnum):
    """Ordered so that ``>=`` means "at least as bad". ERROR and DANGER are breaking."""

    INFO = 0
    WARNING = 1
    DANGER = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @property
    def breaking(self) -> bool:
        return self >= Severity.DANGER

    @classmethod
    def parse(cls, value: str | Severity) -> Severity:
        from botocontract.errors import UnknownNameError

        if isinstance(value, Severity):
            return value
        try:
            return cls[value.upper()]
        except KeyError:
            raise UnknownNameError("severity", value, [s.label for s in cls]) from None


class Audience(str, enum.Enum):
    """Whose code a change can break: code that sends the member, code that reads it, both, or nobody."""

    SENDERS = "senders"
    READERS = "readers"
    BOTH = "both"
    NEITHER = "neither"

    def hits(self, side: str | None) -> bool:
        """Whether code using the member on ``side`` ("request" sends, "response" reads) can break."""
        if side == "request":
            return self in (Audience.SENDERS, Audience.BOTH)
        if side == "response":
            return self in (Audience.READERS, Audience.BOTH)
        return False


class Kind(str, enum.Enum):
    """What a change is, independent of its direction or severity."""

    ADDITION = "addition"
    REMOVAL = "removal"
    TIGHTENING = "tightening"
    LOOSENING = "loosening"
    #: Something now points elsewhere (another target shape, another api-version).
    RENAME = "rename"
    #: The same thing now means or encodes something else (type, wire binding, format, auth).
    CHANGE = "change"
    #: Restated without changing what is accepted (an implicit bound made explicit, an equal pattern).
    EQUIVALENT = "equivalent"
    DOCUMENTATION = "documentation"
    #: Deprecation, sensitivity, names and ids: informative, no effect on calls.
    METADATA = "metadata"


class Subject(str, enum.Enum):
    """What part of the contract a change is about."""

    SERVICE = "service"
    OPERATION = "operation"
    ERROR = "error"
    MEMBER = "member"
    #: What a member, element or operation input/output refers to.
    TARGET = "target"
    TYPE = "type"
    #: Enum values.
    VALUE = "value"
    #: Required-ness, length, range and pattern.
    CONSTRAINT = "constraint"
    #: How or where things go on the wire: HTTP bindings, host prefix, timestamp format, streaming, auth.
    ENCODING = "encoding"
    PAGINATOR = "paginator"
    WAITER = "waiter"
    METADATA = "metadata"
    DOCUMENTATION = "documentation"
    #: Any other trait.
    TRAIT = "trait"
    #: Where requests go and how they are signed, as the endpoint rule set resolves it.
    ENDPOINT = "endpoint"


class Enforcement(str, enum.Enum):
    """Who acts on the change. botocore checks required, type, ``min`` of strings/lists/maps/numbers and
    unions before sending; it never checks ``max``, patterns or enums, and validates no response."""

    #: botocore itself rejects or fails the call (client-side validation, unknown method or paginator).
    CLIENT = "client"
    #: Only the service can reject a request or send something new back.
    SERVICE = "service"
    #: botocore's serializer or parser (or the signer) behaves differently: the bytes on the wire change.
    WIRE = "wire"
    #: Nothing acts on it.
    NONE = "none"


@dataclass(frozen=True)
class Traits:
    """What a finding means, declared once per rule (and variant) in ``changes.rules``."""

    kind: Kind
    subject: Subject
    breaks: Audience
    enforced: Enforcement
    #: The change makes a member required: every call sending its parent breaks, not only its senders.
    requires: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "subject": self.subject.value,
            "breaks": self.breaks.value,
            "enforced": self.enforced.value,
            "requires": self.requires,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Traits:
        return cls(
            Kind(data["kind"]),
            Subject(data["subject"]),
            Audience(data["breaks"]),
            Enforcement(data["enforced"]),
            bool(data.get("requires", False)),
        )


@dataclass(frozen=True)
class Location:
    """Where a finding is: service, optional operation, side and member path (``A.B.C``).

    A change to a shape many operations share is one finding on the shape (``operation`` None, ``path``
    from the shape): ``uses`` then lists every ``(operation, side, member path)`` reaching it, so the gate
    can still match it to what an application uses. ``uses`` takes no part in equality or fingerprints:
    an operation starting to use the shape does not make it another finding.
    """

    service: str
    operation: str | None = None
    direction: Direction = "service"
    path: str = ""
    shape: str | None = None
    uses: tuple[tuple[str, str, str], ...] = field(default=(), compare=False)

    @property
    def operations(self) -> list[str]:
        """The distinct operations of ``uses``, sorted (empty unless the finding is on a shared shape)."""
        return sorted({use[0] for use in self.uses})

    def at(self, operation: str, side: str, path: str) -> Location:
        """This location seen from one of its uses (one operation side and member path)."""
        return Location(self.service, operation, side, path, self.shape)  # type: ignore[arg-type]

    def __str__(self) -> str:
        parts = [self.service]
        if self.operation:
            parts.append(self.operation)
        if self.direction not in ("service", "both") and self.operation:
            parts.append(self.direction)
        if self.path:
            parts.append(self.path)
        return ":".join(parts)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "service": self.service,
            "operation": self.operation,
            "direction": self.direction,
            "path": self.path,
            "shape": self.shape,
        }
        if self.uses:
            out["uses"] = [{"operation": o, "side": s, "path": p} for o, s, p in self.uses]
        return out


@dataclass(frozen=True)
class Change:
    """What a rule yields: a location, old/new value and a message. The engine adds the rest."""

    location: Location
    message: str
    old: Any = None
    new: Any = None
    #: Optional dotted variant appended to the rule id (``RemovedMember.Request``).
    variant: str | None = None
    #: Optional severity override for this occurrence (direction-dependent rules).
    severity: Severity | None = None
    #: Which of the rule's declared trait sets applies, when it is not the variant's own.
    facet: str | None = None


@dataclass(frozen=True)
class Finding:
    """One classified change. ``fingerprint`` is stable across runs and releases for the same change."""

    rule: str
    severity: Severity
    location: Location
    message: str
    old: Any = None
    new: Any = None
    #: What the change means; when not given, the traits its rule declares for this rule id.
    traits: Traits = None  # type: ignore[assignment]

    def __post_init__(self) -> None:
        if self.traits is None:
            from botocontract.changes.rules import traits_of

            object.__setattr__(self, "traits", traits_of(self.rule))

    @property
    def breaking(self) -> bool:
        return self.severity.breaking

    @property
    def fingerprint(self) -> str:
        where = {k: v for k, v in self.location.as_dict().items() if k != "uses"}
        payload = json.dumps(
            [self.rule, where, _jsonable(self.old), _jsonable(self.new)],
            sort_keys=True,
            default=str,
        )
        return hashlib.sha256(payload.encode()).hexdigest()[:16]

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity.label,
            "breaking": self.breaking,
            "location": self.location.as_dict(),
            "where": str(self.location),
            **({"operations": self.location.operations} if self.location.uses else {}),
            "message": self.message,
            "old": _jsonable(self.old),
            "new": _jsonable(self.new),
            "traits": self.traits.as_dict(),
            "fingerprint": self.fingerprint,
        }


def _jsonable(value: Any) -> Any:
    if isinstance(value, (set, frozenset)):
        return sorted(_jsonable(v) for v in value)
    if isinstance(value, tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


@dataclass
class OperationChange:
    """One operation's entry: awsapichanges-style change dicts plus every finding on it."""

    name: str
    status: Literal["new", "updated", "removed"]
    #: Additions only, in the seed's format (see changes.changedict); empty when nothing to show.
    request: dict[str, Any] = field(default_factory=dict)
    response: dict[str, Any] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    #: Content digest of the operation in the new model (its dict, shape closures and service metadata;
    #: ``ServiceSpec.operation_digest``): rendered documentation is cached under it. None when removed.
    digest: str | None = None


@dataclass
class ServiceChange:
    """One service's entry for one release pair."""

    service: str
    full_name: str
    status: Literal["new", "removed", "updated", "docs-only"]
    old_api_version: str | None = None
    new_api_version: str | None = None
    operations: list[OperationChange] = field(default_factory=list)
    #: Findings not tied to one operation (metadata, shapes, paginators, waiters).
    findings: list[Finding] = field(default_factory=list)

    def all_findings(self) -> list[Finding]:
        out = list(self.findings)
        for op in self.operations:
            out.extend(op.findings)
        return out


@dataclass
class ReleaseDiff:
    """The diff of two sources: one entry per changed service, plus the release facts for headers."""

    old_label: str
    new_label: str
    old_version: str | None = None
    new_version: str | None = None
    #: Upload time of the new release (the entry's date), when known.
    released: datetime | None = None
    #: Release notes per service from botocore's changelog, when known.
    notes: dict[str, list[str]] = field(default_factory=dict)
    services: list[ServiceChange] = field(default_factory=list)

    def all_findings(self) -> list[Finding]:
        return [f for s in self.services for f in s.all_findings()]
