"""Record a contract from real client calls: the operations called, the member paths sent, and the
response members the code actually reads.

A :class:`Recorder` hooks botocore's own ``provide-client-params`` event on every client created while it
is installed, for the parameters the caller passed, and hands the code each parsed response as a
:class:`ReadTracking` dict: a plain ``dict`` subclass that notes which members are read (``[]``, ``.get``,
iteration, ``items``/``values``), so the contract's response paths are what the code reads, not what the
server happened to send. It sees calls made against AWS, moto or a ``Stubber`` alike (paginators and
waiters too). Paths are walked along the operation's shapes, so only modelled members are recorded
(``ResponseMetadata`` and unknown keys are not). Calls made while :attr:`Recorder.phase` is not ``"call"``
(pytest fixtures' setup and teardown) are marked as setup in the contract.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from botocontract.contracts.contract import Contract

if TYPE_CHECKING:
    from botocore.model import OperationModel, Shape

__all__ = ["ReadTracking", "Recorder", "member_paths"]

_PARAMS_ID = "botocontract-record-params"


def member_paths(value: Any, shape: Shape | None, prefix: str = "") -> Iterator[str]:
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


class _Reads:
    """Where reads of one response land: the recorder's contract, under one operation."""

    __slots__ = ("operation", "recorder", "service", "setup")

    def __init__(self, recorder: Recorder, service: str, operation: str, setup: bool) -> None:
        self.recorder = recorder
        self.service = service
        self.operation = operation
        self.setup = setup

    def read(self, path: str) -> None:
        self.recorder._read(self, path)


def _wrap(value: Any, shape: Shape | None, path: str, reads: _Reads) -> Any:
    """``value`` as the code gets it: dicts and lists that note reads below ``path``."""
    if shape is None:
        return value
    kind = shape.type_name
    if isinstance(value, dict) and not isinstance(value, ReadTracking):
        if kind == "structure" and not getattr(shape, "is_document_type", False):
            return ReadTracking(value, shape, path, reads)
        if kind == "map":
            return ReadTracking(value, shape, path, reads)
    if isinstance(value, list) and not isinstance(value, _ReadList) and kind == "list":
        return _ReadList(value, shape, path, reads)
    return value


class ReadTracking(dict):  # type: ignore[type-arg]
    """A response (or part of one) that records the modelled members the code reads.

    It is a real ``dict`` (equality, ``json.dumps``, ``isinstance`` all work); reading a member through
    ``[]``, ``get``, ``in``-free iteration, ``items`` or ``values`` records its path, and what it returns
    is tracked in turn.
    """

    __slots__ = ("_path", "_reads", "_shape")

    def __init__(self, data: dict[str, Any], shape: Shape, path: str, reads: _Reads) -> None:
        super().__init__(data)
        self._shape = shape
        self._path = path
        self._reads = reads

    def _child(self, key: Any) -> tuple[str | None, Any]:
        shape = self._shape
        if shape.type_name == "map":
            return f"{self._path}{{}}", shape.value
        member = shape.members.get(key) if isinstance(key, str) else None
        if member is None:
            return None, None
        return (f"{self._path}.{key}" if self._path else key), member

    def _note(self, key: Any, value: Any) -> Any:
        path, shape = self._child(key)
        if path is None:
            return value
        self._reads.read(path)
        return _wrap(value, shape, path, self._reads)

    def __getitem__(self, key: Any) -> Any:
        return self._note(key, super().__getitem__(key))

    def get(self, key: Any, default: Any = None) -> Any:
        if key in self:
            return self._note(key, super().__getitem__(key))
        path, _ = self._child(key)
        if path is not None:
            self._reads.read(path)  # looking for it is reading it, present or not
        return default

    def items(self) -> Any:  # type: ignore[override]
        return [(k, self._note(k, v)) for k, v in super().items()]

    def values(self) -> Any:  # type: ignore[override]
        return [self._note(k, v) for k, v in super().items()]

    def __iter__(self) -> Any:
        if self._shape.type_name == "map" and len(self):
            self._reads.read(f"{self._path}{{}}")
        return super().__iter__()

    def __reduce__(self) -> Any:  # pickling and deepcopy give a plain dict
        return (dict, (dict(super().items()),))

    def __copy__(self) -> dict[str, Any]:
        return dict(super().items())

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, Any]:
        import copy

        return copy.deepcopy(dict(super().items()), memo)


class _ReadList(list):  # type: ignore[type-arg]
    """A list in a response whose elements are tracked when the code takes them."""

    __slots__ = ("_path", "_reads", "_shape")

    def __init__(self, data: list[Any], shape: Shape, path: str, reads: _Reads) -> None:
        super().__init__(data)
        self._shape = shape
        self._path = path
        self._reads = reads

    def _element(self, value: Any) -> Any:
        return _wrap(value, self._shape.member, f"{self._path}[]", self._reads)

    def __getitem__(self, index: Any) -> Any:
        value = super().__getitem__(index)
        if isinstance(index, slice):
            return [self._element(v) for v in value]
        return self._element(value)

    def __iter__(self) -> Any:
        return (self._element(v) for v in super().__iter__())


class Recorder:
    """Collects a :class:`Contract` from the calls made by every botocore client created while installed.

    ``phase`` is ``"call"`` in a test body; anything else (``"setup"``, ``"teardown"``) marks the calls
    made then as setup: the tests' own fixtures, not the application.
    """

    def __init__(self) -> None:
        self.contract = Contract()
        self.calls = 0
        self.setup_calls = 0
        self.phase = "call"
        self._lock = threading.Lock()
        self._original_init: Any = None
        self._original_call: Any = None
        self._originals: dict[str, Any] = {}

    @property
    def in_setup(self) -> bool:
        return self.phase != "call"

    def on_params(
        self, params: dict[str, Any] | None = None, model: OperationModel | None = None, **_: Any
    ) -> None:
        if model is None:
            return
        paths = set(member_paths(params or {}, model.input_shape))
        service = model.service_model.service_name
        with self._lock:
            self.calls += 1
            if self.in_setup:
                self.setup_calls += 1
                self.contract.add_setup(service, model.name, request=paths)
            else:
                self.contract.add(service, model.name, request=paths)

    def track(self, response: Any, model: OperationModel) -> Any:
        """The response the code gets: a :class:`ReadTracking` dict over the parsed one."""
        if not isinstance(response, dict) or model is None or model.output_shape is None:
            return response
        reads = _Reads(self, model.service_model.service_name, model.name, self.in_setup)
        return ReadTracking(response, model.output_shape, "", reads)

    def _read(self, reads: _Reads, path: str) -> None:
        paths = {path} | _parents(path)
        with self._lock:
            if reads.setup:
                self.contract.add_setup(reads.service, reads.operation, response=paths)
            else:
                self.contract.add(reads.service, reads.operation, response=paths)

    def attach(self, events: Any) -> None:
        """Register on one event emitter (a client's ``meta.events`` or a session's)."""
        events.register("provide-client-params", self.on_params, unique_id=_PARAMS_ID)

    def install(self) -> Recorder:
        """Hook every client created from now on, whichever session or library creates it."""
        from botocore.client import BaseClient

        if self._original_init is not None:
            return self
        original = BaseClient.__init__
        original_call = BaseClient._make_api_call
        recorder = self

        def __init__(client: Any, *args: Any, **kwargs: Any) -> None:
            original(client, *args, **kwargs)
            recorder.attach(client.meta.events)

        def _make_api_call(client: Any, operation_name: str, api_params: Any) -> Any:
            response = original_call(client, operation_name, api_params)
            try:
                model = client.meta.service_model.operation_model(operation_name)
            except Exception:  # an operation botocore itself cannot describe: hand it back untouched
                return response
            return recorder.track(response, model)

        original_paginator = BaseClient.get_paginator
        original_waiter = BaseClient.get_waiter

        def get_paginator(client: Any, operation_name: str) -> Any:
            paginator = original_paginator(client, operation_name)
            recorder._extra(client, "paginator", paginator._model.name, None)
            return paginator

        def get_waiter(client: Any, waiter_name: str) -> Any:
            waiter = original_waiter(client, waiter_name)
            recorder._extra(client, "waiter", waiter.name, waiter.config.operation)
            return waiter

        self._original_init = original
        self._original_call = original_call
        self._originals = {"get_paginator": original_paginator, "get_waiter": original_waiter}
        BaseClient.__init__ = __init__  # type: ignore[method-assign]
        BaseClient._make_api_call = _make_api_call  # type: ignore[method-assign]
        BaseClient.get_paginator = get_paginator  # type: ignore[method-assign]
        BaseClient.get_waiter = get_waiter  # type: ignore[method-assign]
        return self

    def _extra(self, client: Any, kind: str, name: str, operation: str | None) -> None:
        """A paginator or waiter the code asked for: a contract entry of its own (not from setup)."""
        if self.in_setup:
            return
        service = client.meta.service_model.service_name
        with self._lock:
            if kind == "paginator":
                self.contract.add_paginator(service, name)
            else:
                self.contract.add_waiter(service, name, operation)

    def uninstall(self) -> None:
        from botocore.client import BaseClient

        if self._original_init is not None:
            BaseClient.__init__ = self._original_init  # type: ignore[method-assign]
            BaseClient._make_api_call = self._original_call  # type: ignore[method-assign]
            for name, method in self._originals.items():
                setattr(BaseClient, name, method)
            self._original_init = None
            self._original_call = None

    def __enter__(self) -> Recorder:
        return self.install()

    def __exit__(self, *exc: object) -> None:
        self.uninstall()


def _parents(path: str) -> set[str]:
    """``A[].B.C`` -> {A, A[].B}: reading a nested member reads its parents."""
    out = set()
    parts = path.split(".")
    for i in range(1, len(parts)):
        out.add(".".join(parts[:i]).rstrip("[]{}"))
    return {p for p in out if p}
