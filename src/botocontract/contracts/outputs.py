"""Gate reports for people and CI systems: text, json, markdown, GitHub annotations, JUnit XML, SARIF 2.1.0.

Each format is one function registered by name in :data:`OUTPUTS`; the CLI picks them with ``--format``.
"""

from __future__ import annotations

import json
import re
import urllib.parse
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePath

from botocontract import __version__
from botocontract.changes.model import Severity
from botocontract.contracts.gate import GateItem, GateResult
from botocontract.registry import Registry

__all__ = ["OUTPUTS", "RenderContext", "Renderer", "render"]

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


@dataclass(frozen=True)
class RenderContext:
    """Files the report can point at: annotations and SARIF results need a file to attach to."""

    contract_path: str | None = None
    suppressions_path: str | None = None

    def line_of(self, item: GateItem) -> int:
        """The contract line naming the finding's operation (or service), else 1."""
        if not self.contract_path:
            return 1
        try:
            lines = Path(self.contract_path).read_text(encoding="utf-8").splitlines()
        except OSError:
            return 1
        loc = item.finding.location
        for name in (loc.operation, loc.service):
            if not name:
                continue
            pattern = re.compile(rf"^\s*{re.escape(name)}\s*:")
            for number, line in enumerate(lines, start=1):
                if pattern.match(line):
                    return number
        return 1


Renderer = Callable[[GateResult, RenderContext], str]
OUTPUTS: Registry[Renderer] = Registry("output format")


def render(result: GateResult, fmt: str, context: RenderContext | None = None) -> str:
    """The report in one format; an unknown format name raises with suggestions."""
    return OUTPUTS.get(fmt)(result, context or RenderContext())


def _line(item: GateItem) -> str:
    f = item.finding
    text = f"[{item.severity.label}] {f.rule} at {f.location}: {f.message} (fingerprint {f.fingerprint})"
    if item.note:
        text += f"\n    {item.note}"
    if item.suppressed_by is not None:
        text += f"\n    suppressed by {item.suppressed_by.describe()}"
    return text


@OUTPUTS.register("text")
def text(result: GateResult, context: RenderContext) -> str:
    out = [result.summary()]
    if result.failures:
        out.append(f"\nBreaks (at or above {result.fail_on.label}):")
        out += ["  " + _line(i).replace("\n", "\n  ") for i in result.failures]
    for s in result.expired:
        out.append(f"\nExpired: {s.expiry_message()}")
    suppressed = result.suppressed
    if suppressed:
        # Reviewed findings would drown the rest: a count here, each one in json, sarif and junit.
        out.append(f"\n{len(suppressed)} finding(s) suppressed (listed in --format json or sarif).")
    rest = [i for i in result.items if not i.counted and i.suppressed_by is None and i.relevant]
    if rest:
        out.append("\nBelow the threshold:")
        out += ["  " + _line(i).replace("\n", "\n  ") for i in rest]
    untouched = [i for i in result.items if not i.relevant]
    if untouched:
        out.append(f"\n{len(untouched)} finding(s) do not touch the contract (reported as info).")
    for s in result.unused:
        out.append(f"note: {s.describe()} matched nothing; remove it if the change is gone")
    return "\n".join(out) + "\n"


@OUTPUTS.register("json")
def json_(result: GateResult, context: RenderContext) -> str:
    return json.dumps(result.as_dict(), indent=2, default=str) + "\n"


def _md_cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


@OUTPUTS.register("markdown")
def markdown(result: GateResult, context: RenderContext) -> str:
    icon = "✅" if result.passed else "❌"
    out = [f"## {icon} botocontract gate", "", result.summary(), ""]
    shown = [i for i in result.items if i.relevant or i.counted]
    if shown:
        out += ["| | severity | rule | where | message |", "|---|---|---|---|---|"]
        for i in shown:
            mark = "❌" if i.counted else ("🔕" if i.suppressed_by else "·")
            msg = i.finding.message + (f" — {i.note}" if i.note else "")
            if i.suppressed_by is not None:
                msg += f" — suppressed: {i.suppressed_by.reason}"
            out.append(
                f"| {mark} | {i.severity.label} | `{i.finding.rule}` | `{_md_cell(i.finding.location)}` "
                f"| {_md_cell(msg)} |"
            )
        out.append("")
    for s in result.expired:
        out.append(f"- ❌ {_md_cell(s.expiry_message())}")
    hidden = len(result.items) - len(shown)
    if hidden:
        out += [""] if out[-1] else []
        out.append(f"<sub>{hidden} finding(s) do not touch the contract.</sub>")
    return "\n".join(out).rstrip() + "\n"


def _gh_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(value: str) -> str:
    return _gh_data(value).replace(":", "%3A").replace(",", "%2C")


_GH_LEVEL = {
    Severity.ERROR: "error",
    Severity.DANGER: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "notice",
}


@OUTPUTS.register("github")
def github(result: GateResult, context: RenderContext) -> str:
    """GitHub Actions workflow commands: one annotation per finding that counts or touches the contract."""
    out = []
    for item in result.items:
        if not (item.counted or (item.relevant and item.suppressed_by is None)):
            continue
        level = "error" if item.counted else _GH_LEVEL[item.severity]
        if not item.counted and level == "error":
            level = "warning"
        props = []
        if context.contract_path:
            props += [f"file={_gh_prop(context.contract_path)}", f"line={context.line_of(item)}"]
        props.append(f"title={_gh_prop(f'{item.finding.rule} at {item.finding.location}')}")
        message = item.finding.message + (f" ({item.note})" if item.note else "")
        out.append(f"::{level} {','.join(props)}::{_gh_data(message)}")
    for s in result.expired:
        props = [f"file={_gh_prop(context.suppressions_path)}"] if context.suppressions_path else []
        props.append(f"title={_gh_prop(f'expired suppression #{s.index}')}")
        msg = s.expiry_message()
        out.append(f"::error {','.join(props)}::{_gh_data(msg)}")
    out.append(f"::notice title=botocontract gate::{_gh_data(result.summary())}")
    return "\n".join(out) + "\n"


@OUTPUTS.register("junit")
def junit(result: GateResult, context: RenderContext) -> str:
    """One test case per finding touching the contract (or counting), plus one per expired suppression."""
    suite = ET.Element("testsuite", name="botocontract gate")
    cases = 0
    failures = 0
    skipped = 0
    for item in result.items:
        if not (item.relevant or item.counted):
            continue
        f = item.finding
        case = ET.SubElement(
            suite,
            "testcase",
            classname=".".join(p for p in (f.location.service, f.location.operation) if p),
            name=f"{f.rule} {f.location}",
        )
        cases += 1
        if item.counted:
            failures += 1
            node = ET.SubElement(case, "failure", message=f.message, type=f.rule)
            node.text = _line(item)
        elif item.suppressed_by is not None:
            skipped += 1
            ET.SubElement(case, "skipped", message=f"suppressed: {item.suppressed_by.reason}")
        else:
            ET.SubElement(case, "system-out").text = _line(item)
    for s in result.expired:
        case = ET.SubElement(suite, "testcase", classname="suppressions", name=f"suppression #{s.index}")
        cases += 1
        failures += 1
        ET.SubElement(
            case, "failure", message=f"expired on {s.expires}", type="ExpiredSuppression"
        ).text = s.describe()
    if cases == 0:
        ET.SubElement(suite, "testcase", classname="botocontract", name="gate")
        cases = 1
    suite.set("tests", str(cases))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suite.set("skipped", str(skipped))
    root = ET.Element("testsuites", name="botocontract", tests=str(cases), failures=str(failures), errors="0")
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


_SARIF_LEVEL = {
    Severity.ERROR: "warning",
    Severity.DANGER: "warning",
    Severity.WARNING: "warning",
    Severity.INFO: "note",
}


def _uri(path: str) -> str:
    """A file path as a SARIF uri-reference (forward slashes, reserved characters escaped)."""
    return urllib.parse.quote(PurePath(path).as_posix())


@OUTPUTS.register("sarif")
def sarif(result: GateResult, context: RenderContext) -> str:
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
