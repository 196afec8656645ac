"""Where models come from and what they say: sources, the normalized spec, schemas and validation."""

from botocontract.specs.index import Release, release_on_or_before, releases
from botocontract.specs.model import MemberSpec, OperationSpec, ServiceSpec, ShapeSpec
from botocontract.specs.patterns import Translation, compile_pattern, translate
from botocontract.specs.schema import shape_json_schema, to_json_schema
from botocontract.specs.sources import ServiceInfo, Source, load_service, resolve_source
from botocontract.specs.validate import Validator, Violation, validate

__all__ = [
    "MemberSpec",
    "OperationSpec",
    "Release",
    "ServiceInfo",
    "ServiceSpec",
    "ShapeSpec",
    "Source",
    "Translation",
    "Validator",
    "Violation",
    "compile_pattern",
    "load_service",
    "release_on_or_before",
    "releases",
    "resolve_source",
    "shape_json_schema",
    "to_json_schema",
    "translate",
    "validate",
]
