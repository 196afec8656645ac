"""Change dicts on small hand-written models, one test per convention of the format."""

from __future__ import annotations

import copy
from typing import Any

from botocore.model import ServiceModel

from botocontract.changes.changedict import (
    RECURSIVE_MARKER,
    change_dicts,
    format_delta,
    shape_delta,
    type_summary,
)

BASE: dict[str, Any] = {
    "metadata": {"protocol": "json", "apiVersion": "2020-01-01", "serviceFullName": "Toy Service"},
    "operations": {
        "Put": {"name": "Put", "input": {"shape": "PutIn"}, "output": {"shape": "PutOut"}},
    },
    "shapes": {
        "PutIn": {"type": "structure", "members": {"Name": {"shape": "String"}, "Item": {"shape": "Item"}}},
        "PutOut": {"type": "structure", "members": {"Item": {"shape": "Item"}}},
        "Item": {
            "type": "structure",
            "members": {
                "Mode": {"shape": "Mode"},
                "Tags": {"shape": "TagList"},
                "Env": {"shape": "EnvMap"},
            },
        },
        "Mode": {"type": "string", "enum": ["A", "B"]},
        "TagList": {"type": "list", "member": {"shape": "Tag"}},
        "Tag": {"type": "structure", "members": {"Key": {"shape": "String"}}},
        "EnvMap": {"type": "map", "key": {"shape": "String"}, "value": {"shape": "Tag"}},
        "String": {"type": "string"},
        "Int": {"type": "integer"},
        "Time": {"type": "timestamp"},
        "Flag": {"type": "boolean"},
    },
}


def _model(raw: dict[str, Any]) -> ServiceModel:
    return ServiceModel(raw, "toy")


def _pair(edit: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    new = copy.deepcopy(BASE)
    edit(new["shapes"])
    old_op = _model(copy.deepcopy(BASE)).operation_model("Put")
    return change_dicts(old_op, _model(new).operation_model("Put"))


def test_unchanged_operation_has_empty_dicts() -> None:
    assert _pair(lambda shapes: None) == ({}, {})


def test_new_scalar_member_is_its_type_name() -> None:
    def edit(shapes: dict[str, Any]) -> None:
        shapes["PutIn"]["members"]["Count"] = {"shape": "Int"}
        shapes["PutIn"]["members"]["At"] = {"shape": "Time"}

    request, response = _pair(edit)
    assert request == {"Count": "integer", "At": "timestamp"}
    assert response == {}


def test_new_member_shows_its_whole_subtree() -> None:
    def edit(shapes: dict[str, Any]) -> None:
        shapes["PutOut"]["members"]["Copy"] = {"shape": "Item"}

    _, response = _pair(edit)
    assert response == {
        "Copy": {
            "Mode": "A | B",
            "Tags": [{"Key": "string"}],
            "Env": {"string": {"Key": "string"}},
        }
    }


def test_added_enum_values_are_a_set() -> None:
    def edit(shapes: dict[str, Any]) -> None:
        shapes["Mode"]["enum"] = ["A", "B", "C", "D"]

    request, response = _pair(edit)
    assert request == {"Item": {"Mode": {"C", "D"}}}
    assert response == request
    assert format_delta(request) == "{'Item': {'Mode': {'C', 'D'}}}"


def test_removed_enum_value_alone_shows_nothing() -> None:
    def edit(shapes: dict[str, Any]) -> None:
        shapes["Mode"]["enum"] = ["A"]

    assert _pair(edit) == ({}, {})


def test_lists_and_maps_are_transparent() -> None:
    def edit(shapes: dict[str, Any]) -> None:
        shapes["Tag"]["members"]["Value"] = {"shape": "Flag"}

    request, _ = _pair(edit)
    # Tags is a list of Tag, Env a map to Tag: both show the addition directly under their name.
    assert request == {"Item": {"Tags": {"Value": "boolean"}, "Env": {"Value": "boolean"}}}


def test_removed_member_and_changed_type_are_left_to_the_rules() -> None:
    def edit(shapes: dict[str, Any]) -> None:
        del shapes["Item"]["members"]["Env"]
        shapes["PutIn"]["members"]["Name"] = {"shape": "Int"}

    assert _pair(edit) == ({}, {})


def test_new_operation_is_its_full_type_summary() -> None:
    new_op = _model(copy.deepcopy(BASE)).operation_model("Put")
    request, response = change_dicts(None, new_op)
    assert request["Name"] == "string"
    assert response == {"Item": type_summary(new_op.output_shape.members["Item"])}


def test_operation_gaining_an_output_shows_all_of_it() -> None:
    old = copy.deepcopy(BASE)
    del old["operations"]["Put"]["output"]
    old_op = _model(old).operation_model("Put")
    _, response = change_dicts(old_op, _model(copy.deepcopy(BASE)).operation_model("Put"))
    assert response == {
        "Item": {"Mode": "A | B", "Tags": [{"Key": "string"}], "Env": {"string": {"Key": "string"}}}
    }


def _recursive(extra_member: bool) -> ServiceModel:
    raw = copy.deepcopy(BASE)
    raw["shapes"]["Node"] = {
        "type": "structure",
        "members": {"Value": {"shape": "String"}, "Children": {"shape": "NodeList"}},
    }
    raw["shapes"]["NodeList"] = {"type": "list", "member": {"shape": "Node"}}
    raw["shapes"]["PutOut"]["members"]["Tree"] = {"shape": "Node"}
    if extra_member:
        raw["shapes"]["Node"]["members"]["Weight"] = {"shape": "Int"}
    return _model(raw)


def test_type_summary_of_a_recursive_shape_stops_with_the_marker() -> None:
    node = _recursive(False).shape_for("Node")
    assert type_summary(node) == {
        "Value": "string",
        "Children": [RECURSIVE_MARKER.format(name="Node")],
    }
    assert type_summary(node)["Children"] == ["{...recursive: Node}"]


def test_delta_through_a_recursive_shape_terminates_and_finds_the_addition() -> None:
    old, new = _recursive(False), _recursive(True)
    _, response = change_dicts(old.operation_model("Put"), new.operation_model("Put"))
    assert response == {"Tree": {"Weight": "integer"}}
    assert shape_delta(new.shape_for("Node"), old.shape_for("Node")) == {"Weight": "integer"}


def test_pformat_wraps_at_width_80_like_the_reference() -> None:
    delta = {
        "Containers": {"ImageConfig": {"RepositoryAccessMode": "Platform | Vpc"}},
        "PrimaryContainer": {"ImageConfig": {"RepositoryAccessMode": "Platform | Vpc"}},
    }
    assert format_delta(delta) == (
        "{'Containers': {'ImageConfig': {'RepositoryAccessMode': 'Platform | Vpc'}},\n"
        " 'PrimaryContainer': {'ImageConfig': {'RepositoryAccessMode': 'Platform | '\n"
        "                                                              'Vpc'}}}"
    )
