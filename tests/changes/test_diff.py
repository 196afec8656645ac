"""The structural diff: what it finds, how it maps shapes to operations, and the release-level API."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from botocontract.changes.diff import ShapeUse, compute_diff
from botocontract.changes.engine import diff_services, diff_sources
from botocontract.changes.render_json import diff_json_schema, from_dict, render_json, to_dict
from botocontract.errors import UnknownNameError
from botocontract.specs import ServiceSpec, Source, resolve_source

GOLDEN = Path(__file__).parent / "rules"


def base_model() -> dict[str, Any]:
    return json.loads((GOLDEN / "AddedMember" / "optional" / "old.json").read_text())


def spec(raw: dict[str, Any], name: str = "things") -> ServiceSpec:
    return ServiceSpec.from_dict(raw, name)


def recursive_model() -> dict[str, Any]:
    return {
        "metadata": {"protocol": "json", "apiVersion": "2020-01-01"},
        "operations": {
            "PutTree": {
                "name": "PutTree",
                "http": {"method": "POST", "requestUri": "/"},
                "input": {"shape": "PutTreeRequest"},
                "output": {"shape": "Node"},
            },
        },
        "shapes": {
            "PutTreeRequest": {"type": "structure", "members": {"Root": {"shape": "Node"}}},
            "Node": {
                "type": "structure",
                "members": {
                    "Children": {"shape": "NodeList"},
                    "Attributes": {"shape": "AttributeMap"},
                    "Label": {"shape": "Label"},
                },
            },
            "NodeList": {"type": "list", "member": {"shape": "Node"}},
            "AttributeMap": {"type": "map", "key": {"shape": "Label"}, "value": {"shape": "Node"}},
            "Label": {"type": "string", "max": 10},
        },
    }


def test_unchanged_shapes_are_not_taken_apart() -> None:
    old = base_model()
    new = copy.deepcopy(old)
    new["shapes"]["Kind"]["enum"].append("MEDIUM")
    diff = compute_diff(spec(old), spec(new))
    assert [d.name for d in diff.shapes_changed] == ["Kind"]
    assert diff.shapes_changed[0].traits == {"enum"}
    assert not diff.operations_changed and not diff.metadata


def test_member_deltas_and_required() -> None:
    old = base_model()
    new = copy.deepcopy(old)
    thing = new["shapes"]["Thing"]
    thing["members"]["Color"] = {"shape": "String"}
    del thing["members"]["Created"]
    thing["members"]["Size"]["deprecated"] = True
    thing["required"] = ["Kind", "Size", "Color"]
    (delta,) = compute_diff(spec(old), spec(new)).shapes_changed
    assert delta.members_added == ["Color"] and delta.members_removed == ["Created"]
    assert [(m.name, m.keys) for m in delta.members_changed] == [("Size", {"deprecated"})]
    # A new member's required-ness belongs to AddedRequiredMember, not to ChangedRequired.
    assert delta.required_added == ["Size"] and delta.required_removed == []
    assert not delta.docs_only


def test_documentation_only_change_is_recognised() -> None:
    old = base_model()
    new = copy.deepcopy(old)
    new["shapes"]["Thing"]["members"]["Kind"]["documentation"] = "Another text."
    (delta,) = compute_diff(spec(old), spec(new)).shapes_changed
    assert delta.docs_only


def test_uses_map_shapes_to_every_operation_side_and_path() -> None:
    diff = compute_diff(spec(base_model()), spec(base_model()))
    assert diff.uses("Kind") == [
        ShapeUse("GetThing", "response", "Thing.Kind"),
        ShapeUse("ListThings", "response", "Things.Kind"),
        ShapeUse("PutThing", "request", "Thing.Kind"),
    ]
    # Size is reached from ListThings twice: its request (MaxResults) and its response (Things.Size).
    assert ShapeUse("ListThings", "request", "MaxResults") in diff.uses("Size")
    assert ShapeUse("ListThings", "response", "Things.Size") in diff.uses("Size")
    assert diff.uses("NotFound") == []  # errors are not reached through input or output


def test_recursive_shapes_terminate_with_short_paths() -> None:
    old = recursive_model()
    new = copy.deepcopy(old)
    new["shapes"]["Label"]["min"] = 5  # a tightened request bound: a warning on every request path
    diff = compute_diff(spec(old, "trees"), spec(new, "trees"))
    uses = diff.uses("Label")
    assert {u.side for u in uses} == {"request", "response"}
    shortest = {
        u.side: u.path
        for u in uses
        if u.path.count(".") == min(x.path.count(".") for x in uses if x.side == u.side)
    }
    assert shortest == {"request": "Root.Label", "response": "Label"}
    assert len(uses) <= 2 * 8  # bounded even though the paths are infinite
    entry = diff_services(spec(old, "trees"), spec(new, "trees"))
    assert entry is not None
    request = {f.severity.label for f in entry.all_findings() if f.location.direction == "request"}
    assert request == {"warning"}


def test_multiple_paths_to_one_shape_are_all_reported() -> None:
    old = base_model()
    old["shapes"]["GetThingResponse"]["members"]["Previous"] = {"shape": "Thing"}
    new = copy.deepcopy(old)
    del new["shapes"]["Thing"]["members"]["Size"]
    entry = diff_services(spec(old), spec(new))
    assert entry is not None
    (get_thing,) = [op for op in entry.operations if op.name == "GetThing"]
    assert sorted(f.location.path for f in get_thing.findings) == ["Previous.Size", "Thing.Size"]


def test_new_and_removed_services() -> None:
    added = diff_services(None, spec(base_model()))
    assert added is not None and added.status == "new"
    assert [op.name for op in added.operations] == ["GetThing", "ListThings", "PutThing"]
    assert {op.status for op in added.operations} == {"new"}
    assert [f.rule for f in added.findings] == ["AddedService"]
    removed = diff_services(spec(base_model()), None)
    assert removed is not None and removed.status == "removed"
    assert [f.rule for f in removed.findings] == ["RemovedService"]
    assert diff_services(None, None) is None


def _data_dir(root: Path, models: dict[str, dict[str, Any]]) -> Path:
    for name, raw in models.items():
        folder = root / name / raw["metadata"]["apiVersion"]
        folder.mkdir(parents=True)
        (folder / "service-2.json").write_text(json.dumps(raw))
    return root


@pytest.fixture
def two_sources(tmp_path: Path) -> tuple[Source, Source]:
    base = base_model()
    other = recursive_model()
    other["metadata"].update(endpointPrefix="trees", serviceFullName="Tree Service")
    docs_only = copy.deepcopy(other)
    docs_only["metadata"]["endpointPrefix"] = "docs"
    changed = copy.deepcopy(base)
    changed["shapes"]["Kind"]["enum"].append("MEDIUM")
    edited_docs = copy.deepcopy(docs_only)
    edited_docs["shapes"]["Node"]["members"]["Label"]["documentation"] = "The label."
    brand_new = copy.deepcopy(other)
    brand_new["metadata"]["endpointPrefix"] = "fresh"
    old = _data_dir(tmp_path / "old", {"things": base, "trees": other, "docs": docs_only})
    new = _data_dir(
        tmp_path / "new", {"things": changed, "trees": other, "docs": edited_docs, "fresh": brand_new}
    )
    return resolve_source(str(old)), resolve_source(str(new))


def test_diff_sources_skips_unchanged_services_without_parsing(
    two_sources: tuple[Source, Source], monkeypatch: pytest.MonkeyPatch
) -> None:
    old, new = two_sources
    loaded: list[str] = []
    real = Source.service

    def recording(self: Source, name: str) -> ServiceSpec:
        loaded.append(name)
        return real(self, name)

    monkeypatch.setattr(Source, "service", recording)
    result = diff_sources(old, new)
    assert [(s.service, s.status) for s in result.services] == [
        ("docs", "docs-only"),
        ("fresh", "new"),
        ("things", "updated"),
    ]
    assert "trees" not in loaded
    docs = diff_sources(old, new, include_docs=True)
    assert {f.rule for f in docs.services[0].all_findings()} == {"ChangedDocumentation"}
    only = diff_sources(old, new, ["things"])
    assert [s.service for s in only.services] == ["things"]
    with pytest.raises(UnknownNameError, match="did you mean things"):
        diff_sources(old, new, ["thing"])


def test_json_output_validates_and_round_trips(two_sources: tuple[Source, Source]) -> None:
    result = diff_sources(*two_sources)
    schema = diff_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    public = json.loads(render_json(result))
    jsonschema.validate(public, schema)
    assert public["summary"]["total"] == len(result.all_findings())
    exact = json.loads(json.dumps(to_dict(result, exact=True)))
    back = from_dict(exact)
    assert to_dict(back, exact=True) == to_dict(result, exact=True)
    assert [f.fingerprint for f in back.all_findings()] == [f.fingerprint for f in result.all_findings()]


@pytest.mark.network
class TestRelease1_17_43:
    """The release pair behind the awsapichanges entry of 2020-08-14."""

    def test_forward(self) -> None:
        result = diff_sources("1.17.42", "1.17.43")
        assert [(s.service, s.status) for s in result.services] == [
            ("appstream", "updated"),
            ("braket", "updated"),
            ("ec2", "updated"),
            ("license-manager", "docs-only"),
            ("sagemaker", "updated"),
        ]
        sagemaker = result.services[-1]
        assert sagemaker.full_name == "Amazon SageMaker Service"
        assert [op.name for op in sagemaker.operations] == [
            "CreateAutoMLJob",
            "CreateModel",
            "DescribeAutoMLJob",
            "DescribeModel",
            "ListCandidatesForAutoMLJob",
        ]
        assert not any(f.breaking for f in sagemaker.all_findings())
        create_model = sagemaker.operations[1]
        assert set(create_model.request) == {"Containers", "PrimaryContainer"}
        assert create_model.response == {}

    def test_reverse_reports_removals_as_breaking(self) -> None:
        result = diff_sources("1.17.43", "1.17.42", ["sagemaker"])
        breaking = [f for f in result.all_findings() if f.breaking]
        auc = [f for f in breaking if f.rule == "ChangedEnum.Removed"]
        assert auc and all(f.old == ["AUC"] for f in auc)
        assert {f.location.operation for f in auc} >= {"CreateAutoMLJob"}
        # A value no longer returned in a response breaks nobody: reported, not breaking.
        gone = [f for f in result.all_findings() if f.rule == "ChangedEnum.Removed" and not f.breaking]
        assert "DescribeAutoMLJob" in {f.location.operation for f in gone}
        assert all(f.location.direction == "response" for f in gone)
        image = {
            (f.location.operation, f.location.path) for f in breaking if f.rule.startswith("RemovedMember")
        }
        assert ("CreateModel", "PrimaryContainer.ImageConfig") in image
        assert ("DescribeModel", "Containers.ImageConfig") in image


@pytest.mark.network
def test_release_1_40_20_metadata_only_changes_and_new_operations() -> None:
    """1.40.20 changed protocols and auth metadata of many services without touching their shapes."""
    result = diff_sources("1.40.19", "1.40.20")
    by_name = {s.service: s for s in result.services}
    protocols = [s for s in result.services if any(f.rule == "ChangedMetadata.protocols" for f in s.findings)]
    assert len(protocols) >= 10
    sso = by_name["sso"]
    assert sso.status == "updated"
    assert {f.rule.split(".")[0] for f in sso.all_findings()} == {"ChangedMetadata", "ChangedOperationAuth"}
    # Nothing the additions-only change dicts could show, yet each operation is listed with its findings.
    assert sso.operations and all(not op.request and not op.response and op.findings for op in sso.operations)
    ssm_sap = by_name["ssm-sap"]
    assert len([op for op in ssm_sap.operations if op.status == "new"]) == 6
    patterns = [f for f in ssm_sap.all_findings() if f.rule.startswith("ChangedPattern")]
    assert patterns and all(f.location.path.endswith("NextToken") for f in patterns)


def test_paginator_only_change_is_found_although_the_model_is_identical(tmp_path: Path) -> None:
    model = base_model()
    old = _data_dir(tmp_path / "old", {"things": model})
    new = _data_dir(tmp_path / "new", {"things": model})
    paginator = {"input_token": "NextToken", "output_token": "NextToken", "result_key": "Things"}
    for root, result_key in ((old, "Things"), (new, "Items")):
        pages = {"pagination": {"ListThings": {**paginator, "result_key": result_key}}}
        (root / "things" / "2020-01-01" / "paginators-1.json").write_text(json.dumps(pages))
    result = diff_sources(resolve_source(str(old)), resolve_source(str(new)))
    assert [f.rule for f in result.all_findings()] == ["ChangedPaginator"]
    assert [(op.name, op.status) for op in result.services[0].operations] == [("ListThings", "updated")]
