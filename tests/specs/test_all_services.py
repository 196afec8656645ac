"""Every operation of every installed service exports a valid 2020-12 schema and validates a minimal dict.

Checking each operation's schema against the metaschema one by one takes tens of minutes, because the same
shape definitions recur in many operations. The exporter writes one definition per shape name, so the test
checks that each name is exported identically by every operation of a service and then checks every
distinct definition once, in one schema per service and direction, plus each operation's root.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from botocontract.specs import load_service, resolve_source
from botocontract.specs.patterns import pattern_stats, translate
from botocontract.specs.schema import SCHEMA_DIALECT, to_json_schema
from botocontract.specs.validate import validate

pytestmark = pytest.mark.slow

SERVICES = [info.name for info in resolve_source("installed").services()]


@pytest.mark.parametrize("name", SERVICES)
def test_every_operation_exports_and_validates(name: str) -> None:
    service = load_service(name)
    for direction in ("input", "output"):
        defs: dict[str, Any] = {}
        roots: dict[str, Any] = {}
        for operation in service.operation_names:
            schema = to_json_schema(service, operation, direction)
            assert schema["$schema"] == SCHEMA_DIALECT
            for key, definition in schema.pop("$defs", {}).items():
                assert defs.setdefault(key, definition) == definition, (operation, key)
            roots[operation] = schema
            for ref in _refs(schema):
                assert ref.removeprefix("#/$defs/") in defs, (operation, ref)

            op = service.operation_model(operation)
            shape = op.input_shape if direction == "input" else op.output_shape
            violations = validate(service, operation, direction, {})
            required = set(defs[shape.name].get("required", ())) if shape is not None else set()
            assert {v.path for v in violations if v.rule == "required"} == {f"$.{r}" for r in required}
            assert {v.rule for v in violations} <= {"required", "union"}
        combined = {"$schema": SCHEMA_DIALECT, "$defs": {**defs, **{f"root:{k}": v for k, v in roots.items()}}}
        Draft202012Validator.check_schema(combined)
        for definition in defs.values():
            for ref in _refs(definition):
                assert ref.removeprefix("#/$defs/") in defs, ref


def _refs(node: Any) -> list[str]:
    """Every ``$ref`` inside ``node`` except those of nested ``$defs``."""
    if isinstance(node, dict):
        found = [node["$ref"]] if "$ref" in node else []
        for key, value in node.items():
            if key != "$defs":
                found.extend(_refs(value))
        return found
    if isinstance(node, list):
        return [ref for item in node for ref in _refs(item)]
    return []


def test_installed_patterns_translate() -> None:
    """Nearly every distinct pattern of the installed models has an exact Python form."""
    patterns: set[str] = set()
    for name in SERVICES:
        for shape in load_service(name).raw["shapes"].values():
            if "pattern" in shape:
                patterns.add(shape["pattern"])
    stats: Counter[str] = pattern_stats(patterns)
    assert sum(stats.values()) == len(patterns)
    assert stats["unsupported"] == 0, [p for p in patterns if translate(p).status == "unsupported"]
    assert stats["exact"] >= 0.99 * len(patterns)
