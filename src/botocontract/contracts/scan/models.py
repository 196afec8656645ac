"""What the scanner knows of AWS: operations, paginators and waiters per service, and boto3's resource API.

Service models come from the chosen source, loaded once per service. Resource definitions are boto3's own
``resources-1.json`` files, read when boto3 is installed (without it the resource API is not followed).
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

from botocontract.errors import BotocontractError

if TYPE_CHECKING:
    from botocore.model import OperationModel

    from botocontract.specs.model import ServiceSpec
    from botocontract.specs.sources import SourceLike

__all__ = ["Models", "ServiceFacts"]

#: boto3's S3 transfer methods (injected on the client, Bucket and Object) and the operations they call.
S3_TRANSFER = {
    "upload_file": ("PutObject", "CreateMultipartUpload", "UploadPart", "CompleteMultipartUpload"),
    "upload_fileobj": ("PutObject", "CreateMultipartUpload", "UploadPart", "CompleteMultipartUpload"),
    "download_file": ("HeadObject", "GetObject"),
    "download_fileobj": ("HeadObject", "GetObject"),
    "copy": (
        "HeadObject",
        "CopyObject",
        "CreateMultipartUpload",
        "UploadPartCopy",
        "CompleteMultipartUpload",
    ),
}
#: Client methods that are not operations and call none (not counted as unresolved calls).
CLIENT_HELPERS = frozenset(
    {"can_paginate", "close", "get_paginator", "get_waiter", "generate_presigned_post", "exceptions", "meta"}
)


class ServiceFacts:
    """One service's operations by Python method name, its paginators and waiters."""

    def __init__(self, spec: ServiceSpec) -> None:
        from botocore import xform_name

        self.spec = spec
        self.model = spec.model
        self.name: str = self.model.service_name
        self.methods: dict[str, str] = {xform_name(op): op for op in self.model.operation_names}
        self.paginators: frozenset[str] = frozenset(spec.paginators)
        #: waiter method-name (``bucket_exists``) or model name (``BucketExists``) -> (name, operation)
        self.waiters: dict[str, tuple[str, str]] = {}
        for wname, body in spec.waiters.items():
            entry = (wname, str(body.get("operation", "")))
            self.waiters[xform_name(wname)] = entry
            self.waiters[wname] = entry

    def operation_model(self, operation: str) -> OperationModel:
        return self.model.operation_model(operation)


class Models:
    """Service facts by name, loaded once each; ``None`` for names the source does not know."""

    def __init__(self, source: SourceLike) -> None:
        self.source = source
        self._facts: dict[str, ServiceFacts | None] = {}
        self._resources: dict[str, dict[str, Any] | None] = {}

    def facts(self, service: str | None) -> ServiceFacts | None:
        if not service:
            return None
        if service not in self._facts:
            from botocontract.specs import load_service

            try:
                spec = load_service(service, source=self.source)
            except BotocontractError:
                self._facts[service] = None
            else:
                self._facts[service] = ServiceFacts(spec)
        return self._facts[service]

    def known(self, service: object) -> bool:
        return isinstance(service, str) and self.facts(service) is not None

    @cached_property
    def _resource_loader(self) -> Any:
        try:
            import boto3
        except ImportError:  # pragma: no cover - boto3 is optional
            return None
        import os

        from botocore.loaders import Loader

        return Loader(extra_search_paths=[os.path.join(os.path.dirname(boto3.__file__), "data")])

    def resources(self, service: str) -> dict[str, Any] | None:
        """boto3's resource definitions of a service (``{"service": ..., "resources": ...}``), if any."""
        if service not in self._resources:
            loader = self._resource_loader
            data = None
            if loader is not None:
                try:
                    data = loader.load_service_model(service, "resources-1")
                except Exception:  # botocore raises several unrelated types for "no such file"
                    data = None
            self._resources[service] = data
        return self._resources[service]
