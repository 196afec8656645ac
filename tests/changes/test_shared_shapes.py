"""Shared shapes and error shapes: one finding per change to a shape many operations use, naming them;
error-shape changes name the operations that raise them; EC2's ``TagSpecifications`` convention."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest

from botocontract.changes.diff import SHARED_SHAPE_OPERATIONS, compute_diff
from botocontract.changes.engine import diff_services, diff_sources
from botocontract.changes.model import Finding, Location, ReleaseDiff, Severity
from botocontract.changes.render_json import diff_json_schema, from_dict, render_json, to_dict
from botocontract.changes.render_text import render_text
from botocontract.contracts.contract import Contract
from botocontract.contracts.gate import gate, touches
from botocontract.specs import ServiceSpec


def model(operations: int, *, errors: bool = False) -> dict[str, Any]:
    """``operations`` Put operations whose requests all carry ``Kind`` (a shared enum), each raising
    ``Busy`` when ``errors``."""
    ops: dict[str, Any] = {}
    shapes: dict[str, Any] = {
        "Kind": {"type": "string", "enum": ["A", "B"]},
        "Busy": {"type": "structure", "members": {"Reason": {"shape": "Kind"}}, "exception": True},
        "Empty": {"type": "structure", "members": {}},
    }
    for i in range(operations):
        name = f"Put{i:02d}"
        ops[name] = {
            "name": name,
            "http": {"method": "POST", "requestUri": "/"},
            "input": {"shape": f"{name}Request"},
            "output": {"shape": "Empty"},
        }
        if errors:
            ops[name]["errors"] = [{"shape": "Busy"}]
        shapes[f"{name}Request"] = {"type": "structure", "members": {"Kind": {"shape": "Kind"}}}
    return {"metadata": {"protocol": "json", "apiVersion": "2020-01-01"}, "operations": ops, "shapes": shapes}


def with_value(raw: dict[str, Any], value: str) -> dict[str, Any]:
    out = json.loads(json.dumps(raw))
    out["shapes"]["Kind"]["enum"].append(value)
    return out


def spec(raw: dict[str, Any]) -> ServiceSpec:
    return ServiceSpec.from_dict(raw, "things")


def test_a_change_to_a_shared_shape_is_one_finding_naming_every_operation() -> None:
    old = model(SHARED_SHAPE_OPERATIONS)
    entry = diff_services(spec(old), spec(with_value(old, "C")))
    assert entry is not None
    [finding] = entry.findings
    assert finding.rule == "ChangedEnum.Added" and finding.location.operation is None
    assert finding.location.path == "Kind" and finding.location.shape == "Kind"
    assert finding.location.operations == [f"Put{i:02d}" for i in range(SHARED_SHAPE_OPERATIONS)]
    assert {use[2] for use in finding.location.uses} == {"Kind"}
    # The change dicts still show the addition per operation (the awsapichanges format), findings do not.
    assert len(entry.operations) == SHARED_SHAPE_OPERATIONS
    assert all(op.request == {"Kind": {"C"}} and not op.findings for op in entry.operations)
    text = render_text(ReleaseDiff("a", "b", services=[entry]), include_docs=False)
    assert text.count("enum values added: C") == 1
    assert f"(shared by {SHARED_SHAPE_OPERATIONS} operations: Put00, Put01, Put02, ...)" in text


def test_below_the_threshold_each_operation_keeps_its_own_finding() -> None:
    old = model(SHARED_SHAPE_OPERATIONS - 1)
    entry = diff_services(spec(old), spec(with_value(old, "C")))
    assert entry is not None and not entry.findings
    assert [len(op.findings) for op in entry.operations] == [1] * (SHARED_SHAPE_OPERATIONS - 1)
    assert all(not f.location.uses for op in entry.operations for f in op.findings)


def test_request_and_response_copies_merge_into_one_finding_at_the_worse_severity() -> None:
    old = model(SHARED_SHAPE_OPERATIONS)
    for name in list(old["operations"]):
        old["operations"][name]["output"] = {"shape": f"{name}Request"}  # Kind is now read as well
    entry = diff_services(spec(old), spec(with_value(old, "C")))
    assert entry is not None
    [finding] = entry.findings
    assert finding.location.direction == "both"
    assert finding.severity is Severity.WARNING  # a new value a reader may not expect
    assert {side for _, side, _ in finding.location.uses} == {"request", "response"}


def test_error_shape_changes_name_the_operations_that_raise_them() -> None:
    old = model(2, errors=True)
    old["shapes"]["Busy"]["members"]["Retry"] = {"shape": "Kind"}
    new = json.loads(json.dumps(old))
    del new["shapes"]["Busy"]["members"]["Retry"]
    entry = diff_services(spec(old), spec(new))
    assert entry is not None and not entry.findings
    found = {(op.name, f.rule, str(f.location)) for op in entry.operations for f in op.findings}
    assert found == {
        ("Put00", "RemovedMember", "things:Put00:response:Busy.Retry"),
        ("Put01", "RemovedMember", "things:Put01:response:Busy.Retry"),
    }
    # Raised by many operations, the same change is one finding on the shape with every raiser listed.
    many_old = model(SHARED_SHAPE_OPERATIONS, errors=True)
    many_old["shapes"]["Busy"]["members"]["Retry"] = {"shape": "Kind"}
    many_new = json.loads(json.dumps(many_old))
    del many_new["shapes"]["Busy"]["members"]["Retry"]
    [finding] = compute_and_run(many_old, many_new)
    assert finding.location.path == "Busy.Retry"
    assert len(finding.location.operations) == SHARED_SHAPE_OPERATIONS


def compute_and_run(old: dict[str, Any], new: dict[str, Any]) -> list[Finding]:
    from botocontract.changes.engine import run_rules

    return run_rules(compute_diff(spec(old), spec(new)))


def test_json_lists_the_operations_validates_and_round_trips() -> None:
    old = model(SHARED_SHAPE_OPERATIONS)
    entry = diff_services(spec(old), spec(with_value(old, "C")))
    assert entry is not None
    diff = ReleaseDiff("a", "b", services=[entry])
    data = json.loads(render_json(diff))
    jsonschema.validate(data, diff_json_schema())
    [row] = data["services"][0]["findings"]
    assert row["operations"] == [f"Put{i:02d}" for i in range(SHARED_SHAPE_OPERATIONS)]
    assert len(row["location"]["uses"]) == SHARED_SHAPE_OPERATIONS
    back = from_dict(to_dict(diff, exact=True))
    assert back.services[0].findings[0].location.uses == entry.findings[0].location.uses
    assert back.services[0].findings[0].fingerprint == entry.findings[0].fingerprint


def test_fingerprint_does_not_depend_on_which_operations_use_the_shape() -> None:
    loc = Location("things", None, "request", "Kind", "Kind", (("Put00", "request", "Kind"),))
    more = Location(
        "things",
        None,
        "request",
        "Kind",
        "Kind",
        (("Put00", "request", "Kind"), ("Put01", "request", "Kind")),
    )
    a = Finding("ChangedEnum.Added", Severity.INFO, loc, "m", new=["C"])
    b = Finding("ChangedEnum.Added", Severity.INFO, more, "m", new=["C"])
    assert a.fingerprint == b.fingerprint


def test_the_gate_judges_a_shared_shape_finding_through_the_operations_using_it() -> None:
    loc = Location(
        "things",
        None,
        "response",
        "Kind",
        "Kind",
        (("Get01", "response", "Item.Kind"), ("Get02", "response", "Other.Kind")),
    )
    added = Finding("ChangedEnum.Added", Severity.WARNING, loc, "Kind: enum values added: C", new=["C"])
    reader = Contract()
    reader.add("things", "Get02", response={"Other", "Other.Kind"})
    assert touches(added, reader) == (True, "response", "Other.Kind")
    [item] = gate([added], reader, fail_on="error").failures
    assert "raised from warning to error" in (item.note or "")
    elsewhere = Contract()
    elsewhere.add("things", "Get01", response={"Item.Size"})
    assert touches(added, elsewhere) == (False, None, None)
    assert gate([added], elsewhere, fail_on="error").passed


@pytest.mark.network
def test_ec2_tag_specifications_follow_the_awsapichanges_convention() -> None:
    diff = diff_sources("1.29.152", "1.29.153", ["ec2"])
    [ec2] = diff.services
    text = render_text(diff, include_docs=False)
    assert "2023/06/13 - Amazon Elastic Compute Cloud - 3 new 8 updated api methods" in text
    updated = {op.name for op in ec2.operations if op.status == "updated"}
    assert updated == {
        "CreateLaunchTemplate",
        "CreateLaunchTemplateVersion",
        "DescribeLaunchTemplateVersions",
        "DescribeSpotFleetRequests",
        "DescribeTags",
        "GetLaunchTemplateData",
        "ProvisionByoipCidr",
        "RequestSpotFleet",
    }
    assert all("TagSpecifications" not in op.request for op in ec2.operations if op.status == "updated")
    # A new operation still shows its whole request, TagSpecifications included.
    new_op = next(op for op in ec2.operations if op.name == "CreateInstanceConnectEndpoint")
    assert "TagSpecifications" in new_op.request
    [shared] = [f for f in ec2.findings if f.location.shape == "ResourceType"]
    assert shared.rule == "ChangedEnum.Added" and shared.new == ["instance-connect-endpoint"]
    assert len(shared.location.operations) == 86
    assert "CreateInstanceConnectEndpoint" not in shared.location.operations  # new: covered by its own entry


# -- documentation findings ------------------------------------------------------------------------------


def test_doc_change_shows_a_word_diff_excerpt_and_the_text_around_it() -> None:
    from botocontract.changes.docdiff import doc_change

    old = "<p>Each key has one <b>usage</b>. " + "Filler words here. " * 20 + "Select one value.</p>"
    new = "<p>Each key has one <b>usage</b>. " + "Filler words here. " * 20 + "Select only one value.</p>"
    edit = doc_change(old, new)
    assert edit.summary == "… here. Filler words here. Select {+only+} one value."
    assert edit.old == "here. Filler words here. Select one value."
    assert edit.new == "here. Filler words here. Select only one value."
    assert doc_change(None, "<p>New &amp; shiny</p>").summary == "added: New & shiny"
    assert doc_change("<p>Gone</p>", "").summary == "removed: Gone"
    assert doc_change("<p>Same</p>", "<div>Same</div>").summary == "markup only"
    many = doc_change(
        " ".join(f"w{i}" for i in range(400)), " ".join(f"w{i}" if i % 40 else "x" for i in range(400))
    )
    assert many.summary.endswith("(+9 more edits)") and len(many.summary) <= 240


def test_documentation_findings_carry_old_and_new_text() -> None:
    old = model(1)
    old["operations"]["Put00"]["documentation"] = "<p>Puts a thing.</p>"
    new = json.loads(json.dumps(old))
    new["operations"]["Put00"]["documentation"] = "<p>Puts a thing, twice.</p>"
    entry = diff_services(spec(old), spec(new), include_docs=True)
    assert entry is not None and entry.status == "docs-only"
    [finding] = entry.operations[0].findings
    assert finding.message == "Put00 documentation changed: Puts a [-thing.-] {+thing, twice.+}"
    assert (finding.old, finding.new) == ("Puts a thing.", "Puts a thing, twice.")
