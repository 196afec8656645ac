"""SARIF 2.1.0, for GitHub code scanning and other SARIF viewers."""

from __future__ import annotations

import json
import urllib.parse
from pathlib import PurePath

from botocontract import __version__
from botocontract.changes.model import Severity
from botocontract.contracts.formats import RenderContext
from botocontract.contracts.gate import GateResult

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


_SARIF_LEVEL = {
    Severity.ERROR: "warning",
    Severity.DANGER: "warning",
    Severity.WARNING: "warning",
    Severity.INFO: "note",
}


def _uri(path: str) -> str:
    """A file path as a SARIF uri-reference (forward slashes, reserved characters escaped)."""
    return urllib.parse.quote(PurePath(path).as_posix())


def render(result: GateResult, context: RenderContext) -> str:
    """SARIF 2.1.0, for GitHub code scanning and other SARIF viewers."""
    rule_ids: list[str] = []
    results = []
    artifact = _uri(context.contract_path or "contracts.yaml")
    for item in result.items:
        if not (item.relevant or item.counted):
            continue
        f = item.finding
        if f.rule not in rule_ids:
            rule_ids.append(f.rule)
        text_ = f.message + (f" ({item.note})" if item.note else "")
        entry: dict[str, object] = {
            "ruleId": f.rule,
            "ruleIndex": rule_ids.index(f.rule),
            "level": "error" if item.severity >= result.fail_on else _SARIF_LEVEL[item.severity],
            "message": {"text": f"{text_} [{f.location}]"},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": artifact},
                        "region": {"startLine": context.line_of(item)},
                    },
                    "logicalLocations": [{"fullyQualifiedName": str(f.location), "kind": "member"}],
                }
            ],
            "partialFingerprints": {"botocontract/v1": f.fingerprint},
            "properties": {"severity": item.severity.label, "originalSeverity": f.severity.label},
        }
        if item.suppressed_by is not None:
            entry["suppressions"] = [{"kind": "external", "justification": item.suppressed_by.reason}]
        results.append(entry)
    for s in result.expired:
        if "ExpiredSuppression" not in rule_ids:
            rule_ids.append("ExpiredSuppression")
        results.append(
            {
                "ruleId": "ExpiredSuppression",
                "ruleIndex": rule_ids.index("ExpiredSuppression"),
                "level": "error",
                "message": {"text": s.expiry_message()},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {
                                "uri": _uri(context.suppressions_path or "suppressions.yaml")
                            }
                        }
                    }
                ],
            }
        )
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "botocontract",
                        "version": __version__,
                        "rules": [{"id": r, "shortDescription": {"text": r}} for r in rule_ids],
                    }
                },
                "results": results,
                "properties": {
                    "passed": result.passed,
                    "failOn": result.fail_on.label,
                    "summary": result.summary(),
                },
            }
        ],
    }
    return json.dumps(log, indent=2) + "\n"
