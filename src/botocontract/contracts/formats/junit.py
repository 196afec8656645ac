"""JUnit XML, for CI systems that show test reports."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from botocontract.contracts.formats import RenderContext, item_line
from botocontract.contracts.gate import GateResult


def render(result: GateResult, context: RenderContext) -> str:
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
            node.text = item_line(item)
        elif item.suppressed_by is not None:
            skipped += 1
            ET.SubElement(case, "skipped", message=f"suppressed: {item.suppressed_by.reason}")
        else:
            ET.SubElement(case, "system-out").text = item_line(item)
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
