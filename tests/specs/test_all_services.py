"""Every operation of every installed service exports a valid 2020-12 schema and validates a minimal dict.

Checking each operation's schema against the metaschema one by one takes tens of minutes: the same shape
definitions recur in many operations, and jsonschema resolves the metaschema's dynamic references for every
node. So the test checks that a shape name is exported identically by every operation of a service, that
every ``$ref`` resolves, and then checks each distinct definition once, with the values the metaschema does
not constrain (property names, ``$ref`` targets, ``required`` names, ``enum`` values) replaced by
placeholders, which leaves the verdict of the metaschema unchanged while making most definitions equal.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from botocontract.specs import load_service, resolve_source
from botocontract.specs.patterns import model_patterns, pattern_stats, translate
from botocontract.specs.schema import SCHEMA_DIALECT, to_json_schema
from botocontract.specs.validate import validate

pytestmark = pytest.mark.slow

SERVICES = [info.name for info in resolve_source("installed").services()]
_CHECKED: set[str] = set()


@pytest.mark.parametrize("name", SERVICES)
def test_every_operation_exports_and_validates(name: str) -> None:
    service = load_service(name)
    for direction in ("input", "output"):
        defs: dict[str, Any] = {}
        for operation in service.operation_names:
            schema = to_json_schema(service, operation, direction)
            assert schema["$schema"] == SCHEMA_DIALECT
            for key, definition in schema.pop("$defs", {}).items():
                assert defs.setdefault(key, definition) == definition, (operation, key)
            Draft202012Validator.check_schema(schema)  # the root: a $ref or an empty object
            for ref in _refs(schema):
                assert ref.removeprefix("#/$defs/") in defs, (operation, ref)

            op = service.operation_model(operation)
            shape = op.input_shape if direction == "input" else op.output_shape
            violations = validate(service, operation, direction, {})
            required = set(defs[shape.name].get("required", ())) if shape is not None else set()
            assert {v.path for v in violations if v.rule == "required"} == {f"$.{r}" for r in required}
            assert {v.rule for v in violations} <= {"required", "union"}
        fresh = {}
        for key, definition in defs.items():
            for ref in _refs(definition):
                assert ref.removeprefix("#/$defs/") in defs, (key, ref)
            text = json.dumps(_placeholders(definition), sort_keys=True)
            if text not in _CHECKED:
                fresh[f"d{len(fresh)}"] = json.loads(text)
                _CHECKED.add(text)
        Draft202012Validator.check_schema({"$schema": SCHEMA_DIALECT, "$defs": fresh})


def _placeholders(node: Any) -> Any:
    """``node`` with the values the 2020-12 metaschema leaves free made uniform."""
    if isinstance(node, list):
        return [_placeholders(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key == "properties":
            out[key] = {f"p{i}": _placeholders(item) for i, item in enumerate(value.values())}
        elif key == "$ref":
            assert isinstance(value, str) and value.startswith("#/$defs/")
            out[key] = "#/$defs/x"
        elif key == "required":
            assert all(isinstance(item, str) for item in value) and len(set(value)) == len(value)
            out[key] = [f"r{i}" for i in range(len(value))]
        elif key == "enum":
            assert isinstance(value, list) and value
            out[key] = sorted({type(item).__name__ for item in value})
        elif key in ("description", "title", "x-botocore-pattern"):
            assert isinstance(value, str)
            out[key] = ""
        else:
            out[key] = _placeholders(value)
    return out


def _refs(node: Any) -> list[str]:
    """Every ``$ref`` inside ``node``."""
    if isinstance(node, dict):
        found = [node["$ref"]] if "$ref" in node else []
        for value in node.values():
            found.extend(_refs(value))
        return found
    if isinstance(node, list):
        return [ref for item in node for ref in _refs(item)]
    return []


def test_installed_patterns_translate() -> None:
    """Nearly every distinct pattern of the installed models has an exact Python form."""
    patterns: set[str] = set()
    for name in SERVICES:
        patterns |= model_patterns(load_service(name).raw)
    stats: Counter[str] = pattern_stats(patterns)
    assert sum(stats.values()) == len(patterns)
    assert stats["unsupported"] == 0, [p for p in patterns if translate(p).status == "unsupported"]
    assert stats["exact"] >= 0.99 * len(patterns)
