"""Golden triples for every rule: ``rules/<RuleId>/<case>/{old.json,new.json,expected}``.

Each case is diffed and its findings (of every rule, so that a ``-reversed`` case pins the rule that fires
the other way) are compared, one per line as
``severity rule where | old -> new | message``, with ``expected``. Every case has a ``-reversed`` twin
with old and new swapped, so each rule is pinned in both directions. ``old.json``/``new.json`` hold a
``service-2.json`` dict (``null`` for an absent service) with optional top-level ``paginators``,
``waiters``, ``endpointRuleSet`` and ``partitions`` (a small ``partitions.json``, so endpoint cases do
not follow the installed botocore's region list).
Set ``BOTOCONTRACT_UPDATE_GOLDEN=1`` to rewrite the ``expected`` files after an intended change.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from botocontract.changes.diff import compute_diff
from botocontract.changes.engine import diff_services, rules, run_rules
from botocontract.changes.model import Audience, Enforcement, Finding, Kind, Severity
from botocontract.changes.rules import RULES
from botocontract.specs import ServiceSpec

GOLDEN = Path(__file__).parent / "rules"
CASES = sorted(p for p in GOLDEN.glob("*/*") if p.is_dir())
UPDATE = os.environ.get("BOTOCONTRACT_UPDATE_GOLDEN") == "1"


def load_spec(path: Path) -> ServiceSpec | None:
    data: dict[str, Any] | None = json.loads(path.read_text())
    if data is None:
        return None
    data = dict(data)
    paginators = data.pop("paginators", None)
    waiters = data.pop("waiters", None)
    rules = data.pop("endpointRuleSet", None)
    partitions = data.pop("partitions", None)
    return ServiceSpec.from_dict(
        data, "things", paginators=paginators, waiters=waiters, endpoint_ruleset=rules, partitions=partitions
    )


def _value(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=sorted)


def line(finding: Finding) -> str:
    """Severity, rule, place, old -> new values and message: swapped values or a lost direction show."""
    values = f"{_value(finding.old)} -> {_value(finding.new)}"
    return f"{finding.severity.label} {finding.rule} {finding.location} | {values} | {finding.message}"


def case_findings(case: Path) -> list[Finding]:
    entry = diff_services(load_spec(case / "old.json"), load_spec(case / "new.json"), include_docs=True)
    return entry.all_findings() if entry is not None else []


def findings_of(rule_id: str, case: Path) -> list[str]:
    return sorted(line(f) for f in case_findings(case) if f.rule.split(".")[0] == rule_id)


@pytest.mark.parametrize("case", CASES, ids=[f"{p.parent.name}/{p.name}" for p in CASES])
def test_golden(case: Path) -> None:
    # Every rule's findings: a reversed case pins what fires the other way (RemovedMember for AddedMember).
    got = sorted(line(f) for f in case_findings(case))
    expected_file = case / "expected"
    if UPDATE:
        expected_file.write_text("".join(f"{g}\n" for g in got))
    expected = [ln for ln in expected_file.read_text().splitlines() if ln.strip()]
    assert got == expected


def test_every_rule_has_golden_cases_both_ways() -> None:
    for rule_id in RULES.names():
        cases = [p.name for p in (GOLDEN / rule_id).glob("*") if p.is_dir()]
        assert cases, f"no golden case for {rule_id}"
        forward = [c for c in cases if not c.endswith("-reversed")]
        assert forward and all(f"{c}-reversed" in cases for c in forward), rule_id
        # A rule must fire in at least one of its forward cases.
        assert any(findings_of(rule_id, GOLDEN / rule_id / c) for c in forward), rule_id


def test_golden_dirs_name_real_rules() -> None:
    assert {p.name for p in GOLDEN.iterdir() if p.is_dir()} <= set(RULES.names())


def test_rules_have_docs_and_unique_ids() -> None:
    listed = rules()
    assert [r.id for r in listed] == RULES.names()
    for item in listed:
        assert len(item.doc) > 20, item.id
        assert isinstance(item.severity, Severity)


def test_documentation_findings_only_with_include_docs() -> None:
    case = GOLDEN / "ChangedDocumentation" / "member-operation-service"
    old, new = load_spec(case / "old.json"), load_spec(case / "new.json")
    quiet = diff_services(old, new)
    assert quiet is not None and quiet.status == "docs-only"
    assert quiet.all_findings() == [] and quiet.operations == []
    loud = diff_services(old, new, include_docs=True)
    assert loud is not None and loud.status == "docs-only"
    assert {f.rule for f in loud.all_findings()} == {"ChangedDocumentation"}
    assert [op.name for op in loud.operations] == sorted(op.name for op in loud.operations)


def test_breaking_verdicts_follow_direction() -> None:
    """The same shared-shape change is judged per side: each side's finding says whom it breaks."""
    case = GOLDEN / "RemovedMember" / "shared-shape"
    found = run_rules(compute_diff(load_spec(case / "old.json"), load_spec(case / "new.json")))
    removed = {
        f.location.direction: (f.severity, f.traits.breaks, f.traits.enforced)
        for f in found
        if f.rule.startswith("RemovedMember")
    }
    assert removed == {
        # botocore rejects the unknown parameter before sending.
        "request": (Severity.ERROR, Audience.SENDERS, Enforcement.CLIENT),
        # the service no longer sends it.
        "response": (Severity.ERROR, Audience.READERS, Enforcement.SERVICE),
    }


def test_min_zero_and_type_limits_restate_nothing() -> None:
    """A bound equal to the implicit one constrains nothing: never above info, and marked equivalent."""
    from botocontract.changes.diff import compute_diff as diff_of

    base = json.loads((GOLDEN / "ChangedLengthTrait" / "min-added" / "old.json").read_text())
    new = json.loads(json.dumps(base))
    for shape in new["shapes"].values():
        if shape["type"] in ("string", "list", "map", "blob") and "min" not in shape:
            shape["min"] = 0
        elif shape["type"] == "integer" and "max" not in shape:
            shape["max"] = 2**31 - 1
    found = run_rules(diff_of(load_spec_dict(base), load_spec_dict(new)))
    bounds = [f for f in found if f.rule.split(".")[0] in ("ChangedLengthTrait", "ChangedRangeTrait")]
    assert bounds
    assert {f.severity for f in bounds} == {Severity.INFO}
    assert {f.traits.kind for f in bounds} == {Kind.EQUIVALENT}


def load_spec_dict(data: dict[str, Any]) -> ServiceSpec:
    return ServiceSpec.from_dict(dict(data), "things")


def test_unchanged_models_give_no_entry() -> None:
    case = GOLDEN / "AddedMember" / "optional"
    spec = load_spec(case / "old.json")
    assert diff_services(spec, load_spec(case / "old.json")) is None


def test_operation_entries() -> None:
    case = GOLDEN / "AddedOperation" / "added"
    entry = diff_services(load_spec(case / "old.json"), load_spec(case / "new.json"))
    assert entry is not None and entry.status == "updated"
    assert [(op.name, op.status) for op in entry.operations] == [("DeleteThing", "new")]
    back = diff_services(load_spec(case / "new.json"), load_spec(case / "old.json"))
    assert back is not None
    assert [(op.name, op.status) for op in back.operations] == [("DeleteThing", "removed")]
    assert [f.rule for f in back.operations[0].findings] == ["RemovedOperation"]
