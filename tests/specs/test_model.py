"""The normalized spec: traits, recursion represented once, content hashes."""

from __future__ import annotations

from botocontract.specs import ServiceSpec, Source

MODEL = {
    "metadata": {"protocol": "json", "apiVersion": "2020-01-01", "serviceFullName": "Example"},
    "operations": {
        "PutNode": {
            "name": "PutNode",
            "http": {"method": "POST", "requestUri": "/"},
            "input": {"shape": "PutNodeRequest"},
            "errors": [{"shape": "Boom"}],
            "endpoint": {"hostPrefix": "data."},
            "deprecated": True,
        },
    },
    "shapes": {
        "PutNodeRequest": {
            "type": "structure",
            "required": ["Node"],
            "members": {"Node": {"shape": "Node"}, "Token": {"shape": "Name", "idempotencyToken": True}},
        },
        "Node": {"type": "structure", "members": {"Name": {"shape": "Name"}, "Children": {"shape": "Nodes"}}},
        "Nodes": {"type": "list", "member": {"shape": "Node"}, "max": 3},
        "Name": {"type": "string", "min": 1, "max": 10, "pattern": "^[a-z]+$", "sensitive": True},
        "Boom": {"type": "structure", "members": {}, "exception": True, "error": {"httpStatusCode": 400}},
    },
}


def test_traits_are_typed() -> None:
    spec = ServiceSpec.from_dict(MODEL, "example")
    op = spec.operation("PutNode")
    expected = ("PutNodeRequest", ("Boom",), "data.", True)
    assert (op.input, op.errors, op.host_prefix, op.deprecated) == expected
    req = spec.shapes["PutNodeRequest"]
    assert req.members["Node"].required and not req.members["Token"].required
    assert req.members["Token"].traits["idempotencyToken"] is True
    name = spec.shapes["Name"]
    assert (name.min, name.max, name.pattern, name.traits["sensitive"]) == (1, 10, "^[a-z]+$", True)
    assert spec.shapes["Nodes"].member is not None and spec.shapes["Nodes"].member.target == "Node"


def test_recursion_is_represented_once() -> None:
    spec = ServiceSpec.from_dict(MODEL, "example")
    assert spec.recursive_shapes == {"Node", "Nodes"}
    assert spec.reachable("PutNodeRequest") == {"PutNodeRequest", "Node", "Nodes", "Name"}


def test_digests_follow_content() -> None:
    a = ServiceSpec.from_dict(MODEL, "example")
    changed = {**MODEL, "shapes": {**MODEL["shapes"], "Name": {**MODEL["shapes"]["Name"], "max": 11}}}
    b = ServiceSpec.from_dict(changed, "example")
    assert a.shapes["Node"].digest == b.shapes["Node"].digest
    assert a.shapes["Name"].digest != b.shapes["Name"].digest
    # the closure hash sees the change through the reference
    assert a.closure_digest("PutNodeRequest") != b.closure_digest("PutNodeRequest")
    assert a.closure_digest("Boom") == b.closure_digest("Boom")


def test_every_installed_service_normalizes(installed: Source) -> None:
    total = 0
    for name in installed.service_names():
        spec = installed.service(name)
        for op in spec.operations.values():
            for root in (op.input, op.output):
                assert root is None or root in spec.shapes
        total += len(spec.shapes)
    assert total > 50_000


def test_botocore_model_is_available(installed: Source) -> None:
    spec = installed.service("sagemaker")
    assert spec.operation_model("CreateModel").input_shape.name == "CreateModelInput"
    assert spec.protocol == "json"
