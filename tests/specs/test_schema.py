"""JSON Schema export: structure of the output, constraints kept, recursion through ``$ref``, metaschema."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from botocontract.errors import UnknownNameError
from botocontract.specs import ServiceSpec, load_service
from botocontract.specs.patterns import translate
from botocontract.specs.schema import SCHEMA_DIALECT, shape_json_schema, to_json_schema
from botocontract.specs.validate import validate

# A small hand-written model with one of every shape kind the exporter and validator handle.
MODEL: dict[str, Any] = {
    "metadata": {"protocol": "json", "apiVersion": "2020-01-01", "endpointPrefix": "toy"},
    "operations": {
        "PutThing": {
            "name": "PutThing",
            "http": {"method": "POST", "requestUri": "/"},
            "input": {"shape": "PutThingRequest"},
            "output": {"shape": "PutThingResponse"},
        },
        "Ping": {"name": "Ping", "http": {"method": "POST", "requestUri": "/"}},
    },
    "shapes": {
        "PutThingRequest": {
            "type": "structure",
            "required": ["Name", "Kind", "Token"],
            "members": {
                "Name": {"shape": "Name"},
                "Kind": {"shape": "Kind"},
                "Token": {"shape": "Name", "idempotencyToken": True},
                "Count": {"shape": "Count"},
                "Ratio": {"shape": "Ratio"},
                "Enabled": {"shape": "Flag"},
                "When": {"shape": "When"},
                "Data": {"shape": "Data"},
                "Tags": {"shape": "Tags"},
                "Labels": {"shape": "Labels"},
                "Choice": {"shape": "Choice"},
                "Tree": {"shape": "Node"},
                "Extra": {"shape": "Doc"},
                "Meta": {"shape": "Name", "location": "header", "locationName": "x-meta", "jsonvalue": True},
            },
        },
        "PutThingResponse": {
            "type": "structure",
            "members": {
                "Body": {"shape": "Stream"},
                "Choice": {"shape": "Choice"},
                "When": {"shape": "When"},
            },
            "payload": "Body",
        },
        "Name": {"type": "string", "min": 1, "max": 8, "pattern": "^[\\p{L}\\d-]+$"},
        "Kind": {"type": "string", "enum": ["small", "large"]},
        "Count": {"type": "integer", "min": 1, "max": 10},
        "Ratio": {"type": "double", "min": 0, "max": 1},
        "Flag": {"type": "boolean"},
        "When": {"type": "timestamp"},
        "Data": {"type": "blob", "max": 4},
        "Stream": {"type": "blob", "streaming": True},
        "Tags": {"type": "map", "key": {"shape": "Name"}, "value": {"shape": "Kind"}, "max": 2},
        "Labels": {"type": "list", "member": {"shape": "Name"}, "min": 1, "max": 3},
        "Choice": {
            "type": "structure",
            "union": True,
            "members": {"A": {"shape": "Name"}, "B": {"shape": "Count"}},
        },
        "Node": {
            "type": "structure",
            "required": ["Value"],
            "members": {"Value": {"shape": "Name"}, "Children": {"shape": "Nodes"}},
        },
        "Nodes": {"type": "list", "member": {"shape": "Node"}},
        "Doc": {"type": "structure", "members": {}, "document": True},
    },
}


@pytest.fixture(scope="module")
def toy() -> ServiceSpec:
    return ServiceSpec.from_dict(MODEL, "toy")


def test_input_schema_keeps_every_constraint(toy: ServiceSpec) -> None:
    schema = to_json_schema(toy, "PutThing", "input")
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == SCHEMA_DIALECT
    assert schema["$ref"] == "#/$defs/PutThingRequest"
    defs = schema["$defs"]
    request = defs["PutThingRequest"]
    assert request["additionalProperties"] is False
    assert set(request["properties"]) == set(MODEL["shapes"]["PutThingRequest"]["members"])
    # botocore fills idempotency tokens in, so boto3 callers need not pass them.
    assert request["required"] == ["Name", "Kind"]
    name = defs["Name"]
    assert (name["minLength"], name["maxLength"]) == (1, 8)
    assert name["x-botocore-pattern"] == "^[\\p{L}\\d-]+$"
    assert name["pattern"] == translate("^[\\p{L}\\d-]+$").python
    assert defs["Kind"]["enum"] == ["small", "large"]
    assert (defs["Count"]["minimum"], defs["Count"]["maximum"]) == (1, 10)
    assert defs["Ratio"]["type"] == "number"
    labels = {"type": "array", "items": {"$ref": "#/$defs/Name"}, "minItems": 1, "maxItems": 3}
    assert defs["Labels"] == labels
    tags = defs["Tags"]
    assert tags["additionalProperties"] == {"$ref": "#/$defs/Kind"}
    assert tags["maxProperties"] == 2
    assert tags["propertyNames"]["maxLength"] == 8
    assert "pattern" in tags["propertyNames"]
    choice = defs["Choice"]
    assert (choice["minProperties"], choice["maxProperties"]) == (1, 1)
    assert defs["Doc"]["x-botocore-type"] == "document"
    assert "type" not in defs["Doc"]
    assert defs["When"]["x-botocore-type"] == "timestamp"
    assert "datetime" in defs["When"]["description"]
    assert defs["Data"]["x-botocore-type"] == "blob"
    assert "bytes" in defs["Data"]["description"]
    assert defs["Data"]["x-botocore-max-bytes"] == 4
    assert "$ref" not in request["properties"]["Meta"]  # a JSON-valued header takes any JSON


def test_output_schema_describes_boto3_forms(toy: ServiceSpec) -> None:
    schema = to_json_schema(toy, "PutThing", "output")
    Draft202012Validator.check_schema(schema)
    body = schema["$defs"]["PutThingResponse"]["properties"]["Body"]
    assert body["x-botocore-streaming"] is True
    assert "StreamingBody" in body["description"]
    assert "returns a datetime" in schema["$defs"]["When"]["description"]


def test_recursive_shape_is_a_ref_not_an_expansion(toy: ServiceSpec) -> None:
    defs = to_json_schema(toy, "PutThing", "input")["$defs"]
    assert defs["Node"]["properties"]["Children"] == {"$ref": "#/$defs/Nodes"}
    assert defs["Nodes"]["items"] == {"$ref": "#/$defs/Node"}


def test_operation_without_shapes_is_an_empty_object(toy: ServiceSpec) -> None:
    for direction in ("input", "output"):
        schema = to_json_schema(toy, "Ping", direction)
        Draft202012Validator.check_schema(schema)
        assert schema["type"] == "object"
        assert schema["additionalProperties"] is False
        assert not Draft202012Validator(schema).is_valid({"x": 1})
        assert Draft202012Validator(schema).is_valid({})


def test_bad_names_are_usage_errors(toy: ServiceSpec) -> None:
    with pytest.raises(UnknownNameError, match="PutThing"):
        to_json_schema(toy, "PutThnig", "input")
    with pytest.raises(UnknownNameError, match="output"):
        to_json_schema(toy, "PutThing", "outptu")
    with pytest.raises(UnknownNameError, match="Node"):
        shape_json_schema(toy, "Nod")


def test_shape_schema(toy: ServiceSpec) -> None:
    schema = shape_json_schema(toy, "Node")
    Draft202012Validator.check_schema(schema)
    assert schema["$ref"] == "#/$defs/Node"
    assert set(schema["$defs"]) == {"Node", "Nodes", "Name"}


def _json_form(value: Any) -> Any:
    """What a JSON document holds where boto3 holds datetimes and bytes."""
    if isinstance(value, dict):
        return {k: _json_form(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_form(v) for v in value]
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    return value


@pytest.mark.parametrize(
    "params",
    [
        {"Name": "ab-1", "Kind": "small"},
        {"Name": "ab-1", "Kind": "huge"},
        {"Name": "a b", "Kind": "small"},
        {"Name": "toolongname", "Kind": "small", "Count": 11},
        {"Kind": "small", "Labels": [], "Tags": {"k": "small", "l": "large", "m": "small"}},
        {"Name": "x", "Kind": "large", "Choice": {"A": "x", "B": 1}, "Tree": {"Children": [{"Value": "y"}]}},
        {"Name": "x", "Kind": "large", "Choice": {}, "Ratio": 1.5, "When": datetime.datetime(2020, 1, 1)},
        {"Name": "x", "Kind": "large", "Unknown": 1},
    ],
)
def test_schema_and_validator_agree(toy: ServiceSpec, params: dict[str, Any]) -> None:
    """The exported schema and the native validator accept and reject the same requests."""
    schema = to_json_schema(toy, "PutThing", "input")
    by_schema = sorted(e.json_path for e in Draft202012Validator(schema).iter_errors(_json_form(params)))
    native = validate(toy, "PutThing", "input", params)
    assert bool(by_schema) == bool(native), (by_schema, native)


@pytest.mark.parametrize(
    ("service", "operation", "recursive"),
    [
        ("dynamodb", "PutItem", "AttributeValue"),
        ("glue", "CreateJob", None),
        ("lexv2-models", "CreateIntent", None),
    ],
)
def test_recursive_services_export(service: str, operation: str, recursive: str | None) -> None:
    spec = load_service(service)
    for direction in ("input", "output"):
        schema = to_json_schema(spec, operation, direction)
        Draft202012Validator.check_schema(schema)
    defs = to_json_schema(spec, operation, "input")["$defs"]
    cyclic = set(defs) & spec.recursive_shapes
    assert cyclic, "these operations reach recursive shapes"
    if recursive:
        assert recursive in cyclic


def test_service_by_name_and_source() -> None:
    schema = to_json_schema("sagemaker", "DescribeModel", "output", source="installed")
    assert schema["title"] == "sagemaker DescribeModel output"
    assert "ModelName" in schema["$defs"]["DescribeModelOutput"]["required"]
