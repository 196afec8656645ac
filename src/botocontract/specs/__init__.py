"""Where models come from and what they say: sources, the normalized spec, schemas and validation.

Names load on first use: every floor imports from here (``specs.cache`` for atomic writes, say), and that
must not cost botocore's model machinery until a model is actually read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from botocontract.lazy import lazy_exports

if TYPE_CHECKING:
    from botocontract.specs.index import Release, release_on_or_before, releases
    from botocontract.specs.model import MemberSpec, OperationSpec, ServiceSpec, ShapeSpec
    from botocontract.specs.patterns import Translation, compile_pattern, translate
    from botocontract.specs.schema import shape_json_schema, to_json_schema
    from botocontract.specs.sources import ServiceInfo, Source, SourceLike, load_service, resolve_source
    from botocontract.specs.validate import Validator, Violation

_HOMES = {
    "index": ["Release", "release_on_or_before", "releases"],
    "model": ["MemberSpec", "OperationSpec", "ServiceSpec", "ShapeSpec"],
    "patterns": ["Translation", "compile_pattern", "translate"],
    "schema": ["shape_json_schema", "to_json_schema"],
    "sources": ["ServiceInfo", "Source", "SourceLike", "load_service", "resolve_source"],
    "validate": ["Validator", "Violation"],
}

__all__ = [
    "MemberSpec",
    "OperationSpec",
    "Release",
    "ServiceInfo",
    "ServiceSpec",
    "ShapeSpec",
    "Source",
    "SourceLike",
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
]

# ``validate`` names the submodule (its function is ``botocontract.specs.validate.validate``): a lazy
# name cannot shadow a submodule once that is imported.
__getattr__ = lazy_exports(__name__, {name: module for module, names in _HOMES.items() for name in names})
