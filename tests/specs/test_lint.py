"""Model lint: each rule on a small model (found, and not found where the constraints can be met), and
the known defects of real releases."""

from __future__ import annotations

from typing import Any

import pytest

from botocontract.specs import load_service
from botocontract.specs.lint import RULES, findings_json, lint_model, lint_service
from botocontract.specs.validate import validate


def _model(shapes: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    members = {name: {"shape": name} for name in shapes}
    return {
        "metadata": {"protocol": "json", "apiVersion": "2000-01-01"},
        "operations": {"Op": {"name": "Op", "input": {"shape": "In"}, "output": {"shape": "Out"}}},
        "shapes": {
            **shapes,
            "In": {"type": "structure", "members": members, "required": required or []},
            "Out": {"type": "structure", "members": {}},
        },
    }


def _rules(shape: dict[str, Any]) -> set[str]:
    return {f.rule for f in lint_model(_model({"S": shape}), "example").findings if f.shape == "S"}


@pytest.mark.parametrize(
    ("shape", "rule"),
    [
        ({"type": "string", "min": 5, "max": 3}, "MinAboveMax"),
        ({"type": "list", "member": {"shape": "In"}, "min": 2, "max": 1}, "MinAboveMax"),
        ({"type": "integer", "min": 10, "max": 1}, "MinAboveMax"),
        (
            {
                "type": "string",
                "max": 32,
                "pattern": "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
            },
            "PatternLongerThanMax",
        ),
        ({"type": "string", "min": 10, "pattern": "^[a-z]{2,4}$"}, "PatternShorterThanMin"),
        ({"type": "string", "pattern": "^arn:aws:ec2:placement-group/^.{1,255}$"}, "AnchorInMiddle"),
        ({"type": "string", "pattern": "/^[0-9]{12}$/"}, "AnchorInMiddle"),
        ({"type": "string", "enum": ["ok", "BAD"], "pattern": "^[a-z]+$"}, "EnumRejectedByPattern"),
        ({"type": "string", "enum": ["ok", "toolong"], "max": 3}, "EnumOutsideLength"),
        ({"type": "string", "enum": ["A", "B"], "pattern": "^[a-z]+$"}, "NoValidEnumValue"),
    ],
)
def test_each_rule_finds_its_defect(shape: dict[str, Any], rule: str) -> None:
    assert rule in _rules(shape)


@pytest.mark.parametrize(
    "shape",
    [
        {"type": "string", "min": 3, "max": 3},
        {"type": "integer", "min": 1.5, "max": 2},
        # An inner ^ after what may be empty, a $ inside a length lookahead, an unanchored short pattern.
        {"type": "string", "pattern": ".*(^waba-[0-9]+$).*"},
        {"type": "string", "pattern": "^(?=.{3,100}$).+@.+[.].+$"},
        {"type": "string", "pattern": "(^|/)[a-z]+"},
        {"type": "string", "min": 10, "pattern": "[a-z]{2,4}"},
        {"type": "string", "min": 3, "pattern": "^[a-z]{2}$"},  # Java's $ lets a final line break follow
        {"type": "string", "enum": ["ok", "fine"], "pattern": "^[a-z]+$", "max": 4},
        {"type": "string", "pattern": "\\p{IsNotAProperty}"},  # untranslatable: never called a defect
    ],
)
def test_satisfiable_constraints_are_not_defects(shape: dict[str, Any]) -> None:
    assert _rules(shape) == set()


def test_unsatisfiable_shapes_spread_through_required_members_lists_and_unions() -> None:
    raw = _model(
        {
            "Bad": {"type": "string", "min": 2, "max": 1},
            "Holder": {"type": "structure", "members": {"B": {"shape": "Bad"}}, "required": ["B"]},
            "Optional": {"type": "structure", "members": {"B": {"shape": "Bad"}}},
            "Many": {"type": "list", "member": {"shape": "Holder"}, "min": 1},
            "MaybeMany": {"type": "list", "member": {"shape": "Holder"}},
            "Either": {"type": "structure", "union": True, "members": {"H": {"shape": "Holder"}}},
        },
        required=["Many"],
    )
    lint = lint_model(raw, "example")
    assert set(lint.unsatisfiable) == {"Bad", "Holder", "Many", "Either", "In"}
    assert lint.unsatisfiable["Holder"].rule == "RequiredUnsatisfiable"
    assert lint.unsatisfiable["Either"].rule == "UnionUnsatisfiable"
    op = lint.operations[("Op", "input")]
    assert op.rule == "OperationUnsatisfiable" and op.root == "Bad MinAboveMax"
    assert ("Op", "output") not in lint.operations
    assert all(RULES.get(f.rule).unsatisfiable for f in lint.unsatisfiable.values())


def test_a_closure_settled_alone_agrees_with_the_whole_model() -> None:
    """Generators settle only what an operation reaches; the verdicts equal the whole model's."""
    raw = load_service("apprunner").raw
    whole = lint_model(raw, "apprunner")
    lazy = lint_service(load_service("apprunner"))
    for name in ("DescribeServiceResponse", "Service", "ServiceId", "ListServicesResponse"):
        assert lazy.unsatisfied(name) == whole.unsatisfiable.get(name)


def test_findings_are_sorted_and_serialize_stably() -> None:
    raw = _model({"Z": {"type": "string", "min": 2, "max": 1}, "A": {"type": "string", "min": 2, "max": 1}})
    first, second = lint_model(raw, "example"), lint_model(dict(reversed(list(raw.items()))), "example")
    assert first.findings == sorted(first.findings) == second.findings
    assert findings_json([first]) == findings_json([second])


def test_known_defects_of_the_installed_release() -> None:
    apprunner = lint_service(load_service("apprunner"))
    assert apprunner.unsatisfied("ServiceId").rule == "PatternLongerThanMax"  # type: ignore[union-attr]
    described = apprunner.operation_finding("DescribeService", "output")
    assert described is not None and described.root == "ServiceId PatternLongerThanMax"
    assert apprunner.operation_finding("DescribeService", "input") is None
    ec2 = lint_service(load_service("ec2"))
    assert ec2.unsatisfied("PlacementGroupArn").rule == "AnchorInMiddle"  # type: ignore[union-attr]
    # Optional members only: no ec2 operation becomes impossible.
    assert not ec2.operations


def test_a_lint_defect_really_rejects_every_value_the_validator_sees() -> None:
    """The validator agrees: a 32-character UUID-ish ServiceId and a 36-character one both fail."""
    service = {
        "ServiceName": "n",
        "ServiceId": "",
        "ServiceArn": "arn:aws:apprunner:us-east-1:1:service/x",
        "CreatedAt": None,
        "Status": "RUNNING",
    }
    for value in ("0" * 32, "12345678-1234-1234-8234-123456789012"):
        problems = validate(
            "apprunner", "DescribeService", "output", {"Service": {**service, "ServiceId": value}}
        )
        assert any(p.path.endswith("ServiceId") for p in problems)
