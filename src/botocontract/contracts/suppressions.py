"""Accepted findings: a reviewed list of changes the team has decided it can live with.

Each entry names a finding by its fingerprint, or by rule id plus a location glob, and must say why. An
optional ``expires`` date (the last day it holds) makes the team look again: once it has passed the
suppression no longer hides anything and the gate fails, naming it.

```yaml
version: 1
suppressions:
  - fingerprint: 3f1c0a9e5b7d2c41
    reason: we never read ImageConfig back
    expires: 2026-12-31
  - rule: AddedEnumValue          # exact id, a glob, or a prefix of dotted variants
    location: "sagemaker:*"       # glob over `service:Operation:direction:Path`
    reason: our parser tolerates unknown enum values
```
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import fnmatch
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from botocontract.changes.model import Finding
from botocontract.changes.rules import rule_matches
from botocontract.errors import BotocontractError

__all__ = [
    "Suppression",
    "SuppressionError",
    "Suppressions",
    "load_suppressions",
    "suppressions_json_schema",
]


class SuppressionError(BotocontractError):
    """A suppressions file is missing, not YAML, or has an entry without a reason or a target."""


def suppressions_json_schema() -> dict[str, Any]:
    """JSON Schema of a suppressions file."""
    entry = {
        "type": "object",
        "additionalProperties": False,
        "required": ["reason"],
        "anyOf": [{"required": ["fingerprint"]}, {"required": ["rule"]}],
        "properties": {
            "fingerprint": {"type": "string", "pattern": "^[0-9a-f]{8,64}$"},
            "rule": {"type": "string", "minLength": 1},
            "location": {"type": "string", "minLength": 1},
            "reason": {"type": "string", "minLength": 3},
            "expires": {"type": "string", "format": "date"},
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "botocontract suppressions",
        "type": "object",
        "additionalProperties": False,
        "required": ["suppressions"],
        "properties": {"version": {"const": 1}, "suppressions": {"type": "array", "items": entry}},
    }


@dataclass(frozen=True)
class Suppression:
    """One accepted finding (or family of findings) and why it is accepted."""

    reason: str
    fingerprint: str | None = None
    rule: str | None = None
    location: str = "*"
    expires: dt.date | None = None
    #: 1-based position in its file, for messages.
    index: int = 0

    def expired(self, today: dt.date) -> bool:
        return self.expires is not None and today > self.expires

    def matches(self, finding: Finding) -> bool:
        if self.fingerprint is not None and finding.fingerprint != self.fingerprint:
            return False
        if self.rule is not None and not rule_matches(finding.rule, self.rule):
            return False
        return fnmatch.fnmatchcase(str(finding.location), self.location)

    def expiry_message(self) -> str:
        return f"{self.describe()} expired on {self.expires}: review the change, then renew or remove it"

    def describe(self) -> str:
        target = f"fingerprint {self.fingerprint}" if self.fingerprint else f"rule {self.rule}"
        if self.location != "*":
            target += f" at {self.location}"
        return f"suppression #{self.index} ({target}; reason: {self.reason})"


@dataclass
class Suppressions:
    """An ordered list of suppressions; the first live one that matches a finding wins."""

    entries: list[Suppression] = field(default_factory=list)
    origin: str = "suppressions"

    def live(self, today: dt.date) -> list[Suppression]:
        return [s for s in self.entries if not s.expired(today)]

    def expired(self, today: dt.date) -> list[Suppression]:
        return [s for s in self.entries if s.expired(today)]

    def match(self, finding: Finding, today: dt.date) -> Suppression | None:
        return next((s for s in self.live(today) if s.matches(finding)), None)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, origin: str = "suppressions") -> Suppressions:
        import jsonschema

        data = _dates_as_text(data)
        validator = jsonschema.Draft202012Validator(
            suppressions_json_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
        )
        errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
        if errors:
            err = errors[0]
            where = "/".join(str(p) for p in err.absolute_path) or "(top level)"
            message = err.message
            if err.validator == "anyOf":
                message = "an entry needs a 'fingerprint' or a 'rule'"
            elif err.validator == "required" and "reason" in err.message:
                message = "every suppression needs a 'reason' saying why the change is acceptable"
            elif err.validator == "format":
                message = f"{err.instance!r} is not a real day (write the last day it holds as YYYY-MM-DD)"
            raise SuppressionError(f"{origin}: {where}: {message}")
        entries = []
        for i, raw in enumerate(data["suppressions"], start=1):
            expires = dt.date.fromisoformat(raw["expires"]) if "expires" in raw else None
            entries.append(
                Suppression(
                    reason=raw["reason"],
                    fingerprint=raw.get("fingerprint"),
                    rule=raw.get("rule"),
                    location=raw.get("location", "*"),
                    expires=expires,
                    index=i,
                )
            )
        return cls(entries, origin=origin)

    @classmethod
    def of(cls, entries: Iterable[Suppression]) -> Suppressions:
        numbered = [dataclasses.replace(s, index=s.index or i) for i, s in enumerate(entries, start=1)]
        return cls(numbered)


def _dates_as_text(data: Any) -> Any:
    """YAML turns ``2026-12-31`` into a date; the schema checks text, so turn it back."""
    if isinstance(data, dict):
        return {k: _dates_as_text(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_dates_as_text(v) for v in data]
    if isinstance(data, (dt.date, dt.datetime)):
        return data.isoformat()[:10]
    return data


def load_suppressions(path: str | os.PathLike[str]) -> Suppressions:
    """Read and validate a suppressions file."""
    from botocontract.contracts.contract import read_yaml_file

    data = read_yaml_file(path, "suppressions", SuppressionError)
    if data is None:
        return Suppressions(origin=str(path))
    if not isinstance(data, dict):
        raise SuppressionError(f"suppressions {str(path)!r} must be a mapping with a 'suppressions' list")
    return Suppressions.from_dict(data, origin=str(path))
