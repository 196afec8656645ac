"""Record a contract from real client calls: the operations called and the member paths sent and received.

A :class:`Recorder` hooks botocore's own events on every client created while it is installed —
``provide-client-params`` for the parameters the caller passed and ``after-call`` for the parsed response —
so it sees calls made against AWS, moto or a ``Stubber`` alike. Paths are walked along the operation's
shapes, so only modelled members are recorded (``ResponseMetadata`` and unknown keys are not).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

from botocontract.contracts.contract import Contract

__all__ = ["Recorder", "member_paths"]

_PARAMS_ID = "botocontract-record-params"
_RESPONSE_ID = "botocontract-record-response"


def member_paths(value: Any, shape: Any, prefix: str = "") -> Iterator[str]:
    """Every modelled member path present in ``value`` (lists as ``[]``, maps as ``{}``)."""
    if shape is None:
        return
    kind = shape.type_name
    if kind == "structure" and isinstance(value, dict) and not getattr(shape, "is_document_type", False):
        members = shape.members
        for name, child in value.items():
            member = members.get(name)
            if member is None:
                continue
            path = f"{prefix}.{name}" if prefix else name
            yield path
            yield from member_paths(child, member, path)
    elif kind == "list" and isinstance(value, (list, tuple)):
        for child in value:
            yield from member_paths(child, shape.member, prefix + "[]")
    elif kind == "map" and isinstance(value, dict):
        for child in value.values():
            yield from member_paths(child, shape.value, prefix + "{}")


class Recorder:
    """Collects a :class:`Contract` from the calls made by every botocore client created while installed."""

    def __init__(self) -> None:
        self.contract = Contract()
        self.calls = 0
        self._lock = threading.Lock()
        self._original_init: Any = None

    def on_params(self, params: dict[str, Any] | None = None, model: Any = None, **_: Any) -> None:
        if model is None:
            return
        paths = set(member_paths(params or {}, model.input_shape))
        with self._lock:
            self.calls += 1
            self.contract.add(model.service_model.service_name, model.name, request=paths)

    def on_response(self, http_response: Any = None, parsed: Any = None, model: Any = None, **_: Any) -> None:
        if model is None or not isinstance(parsed, dict):
            return
        status = getattr(http_response, "status_code", 200)
        if status is not None and status >= 300:
            return
        paths = set(member_paths(parsed, model.output_shape))
        with self._lock:
            self.contract.add(model.service_model.service_name, model.name, response=paths)

    def attach(self, events: Any) -> None:
        """Register on one event emitter (a client's ``meta.events`` or a session's)."""
        events.register("provide-client-params", self.on_params, unique_id=_PARAMS_ID)
        events.register("after-call", self.on_response, unique_id=_RESPONSE_ID)

    def install(self) -> Recorder:
        """Hook every client created from now on, whichever session or library creates it."""
        from botocore.client import BaseClient

        if self._original_init is not None:
            return self
        original = BaseClient.__init__
        recorder = self

        def __init__(client: Any, *args: Any, **kwargs: Any) -> None:
            original(client, *args, **kwargs)
            recorder.attach(client.meta.events)

        self._original_init = original
        BaseClient.__init__ = __init__  # type: ignore[method-assign]
        return self

    def uninstall(self) -> None:
        from botocore.client import BaseClient

        if self._original_init is not None:
            BaseClient.__init__ = self._original_init  # type: ignore[method-assign]
            self._original_init = None

    def __enter__(self) -> Recorder:
        return self.install()

    def __exit__(self, *exc: object) -> None:
        self.uninstall()
