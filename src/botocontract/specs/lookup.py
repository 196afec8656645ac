"""Model lookup: botocore's ``ServiceModel``/``OperationModel`` of a service in a source, by name.

Every layer asks here, so the models are parsed once per source (they are cached with their
:class:`~botocontract.specs.model.ServiceSpec`) and an unknown operation fails the same way everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, TypeAlias

import botocore.session
from botocore.model import OperationModel, ServiceModel

from botocontract.errors import UnknownNameError

if TYPE_CHECKING:
    from botocontract.specs.model import ServiceSpec
    from botocontract.specs.sources import SourceLike

__all__ = [
    "ServiceRef",
    "botocore_session",
    "find_operation",
    "operation_model",
    "operations_named",
    "resolve_model",
    "service_model",
    "source_key",
]

#: A service as callers name it: by name (looked up in a source), or its spec or botocore model.
ServiceRef: TypeAlias = "str | ServiceSpec | ServiceModel"


def source_key(source: SourceLike | ServiceSpec) -> str:
    """A hashable name of a source argument (``"installed"``, ``"1.17.43"``, or a ``Source``'s label)."""
    return source if isinstance(source, str) else str(getattr(source, "label", source))


def resolve_model(service: ServiceRef, *, source: SourceLike = "installed") -> tuple[str, ServiceModel]:
    """The name and botocore ``ServiceModel`` behind a ``ServiceSpec``, a ``ServiceModel`` or a name."""
    if isinstance(service, ServiceModel):
        return service.service_name, service
    if isinstance(service, str):
        from botocontract.specs.sources import load_service

        service = load_service(service, source=source)
    return service.name, service.model


def find_operation(
    service: ServiceRef, operation: str, *, source: SourceLike = "installed"
) -> tuple[str, OperationModel]:
    """The service name and botocore ``OperationModel``; an unknown operation raises ``UnknownNameError``."""
    name, model = resolve_model(service, source=source)
    if operation not in model.operation_names:
        raise UnknownNameError("operation", operation, model.operation_names, where=name)
    return name, model.operation_model(operation)


def operations_named(
    service: ServiceRef, names: Iterable[str], *, source: SourceLike = "installed"
) -> list[str]:
    """``names`` checked against the service (unknown ones raise), each once, in order; all when empty."""
    name, model = resolve_model(service, source=source)
    known = model.operation_names
    names = list(names)
    for operation in names:
        if operation not in known:
            raise UnknownNameError("operation", operation, known, where=name)
    return list(dict.fromkeys(names)) or list(known)


def service_model(service: str, source: SourceLike = "installed") -> ServiceModel:
    """botocore's ``ServiceModel`` of ``service`` in ``source`` (cached); unknown names raise."""
    return resolve_model(service, source=source)[1]


def operation_model(service: ServiceRef, operation: str, source: SourceLike = "installed") -> OperationModel:
    """botocore's ``OperationModel`` of ``service.operation`` in ``source``; unknown names raise."""
    return find_operation(service, operation, source=source)[1]


@lru_cache(maxsize=1)
def botocore_session() -> botocore.session.Session:
    """One shared botocore session of the installed release (its loader and components are cached)."""
    return botocore.session.get_session()
