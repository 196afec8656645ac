"""Where models come from and what they say: sources, the normalized spec, schemas and validation."""

from botocontract.specs.index import Release, release_on_or_before, releases
from botocontract.specs.model import MemberSpec, OperationSpec, ServiceSpec, ShapeSpec
from botocontract.specs.sources import ServiceInfo, Source, load_service, resolve_source

__all__ = [
    "MemberSpec",
    "OperationSpec",
    "Release",
    "ServiceInfo",
    "ServiceSpec",
    "ShapeSpec",
    "Source",
    "load_service",
    "release_on_or_before",
    "releases",
    "resolve_source",
]
