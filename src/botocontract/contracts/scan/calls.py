"""Resolve calls: client factories, client and resource operations, and project functions followed
into their bodies with the argument values bound; record each operation's request and response paths.
"""

from __future__ import annotations

import ast
from abc import abstractmethod
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from botocontract.contracts.scan.access import (
    _OPEN,
    Frame,
    ValueAccess,
    _BoundMethod,
    _Enumerated,
    _first,
)
from botocontract.contracts.scan.models import CLIENT_HELPERS, S3_TRANSFER
from botocontract.contracts.scan.project import ClassInfo, FunctionInfo
from botocontract.contracts.scan.values import (
    ClassRef,
    Client,
    Collection,
    Const,
    DictVal,
    FuncRef,
    Instance,
    Items,
    Method,
    ModuleRef,
    Pages,
    Paginator,
    Resource,
    Response,
    Tuple,
    Value,
    Waiter,
)

if TYPE_CHECKING:
    from botocore.model import Shape

__all__ = ["CallResolver"]

_MAX_DEPTH = 8
_CLIENT_WORDS = ("client", "conn")
_PASSTHROUGH = {
    "cast": 1,
    "list": 0,
    "sorted": 0,
    "tuple": 0,
    "iter": 0,
    "reversed": 0,
    "deepcopy": 0,
    "copy": 0,
}


class CallResolver(ValueAccess):
    """Calls on clients, resources and project functions, on top of :class:`~.access.ValueAccess`."""

    if TYPE_CHECKING:  # provided by the subclass

        @abstractmethod
        def exec_block(self, body: list[ast.stmt], frame: Frame) -> None: ...

    # -- calls -------------------------------------------------------------------------------------------
    def call(self, node: ast.Call, frame: Frame) -> Value:
        func = node.func
        if isinstance(func, ast.Attribute):
            receiver = self.eval(func.value, frame)
            name = func.attr
            handled, value = self._method_call(receiver, name, node, frame)
            if handled:
                return value
            args, kwargs = self._args(node, frame)
            service_call = self._factory(name, args, kwargs, receiver, frame, node)
            if service_call is not None:
                return service_call
            if name in ("get",) and isinstance(receiver, DictVal):
                return receiver.get(str(args[0].value)) if args and isinstance(args[0], Const) else None
            if name == "update" and isinstance(receiver, DictVal) and isinstance(func.value, ast.Name):
                more = list(kwargs.items())
                for arg in args:
                    if isinstance(arg, DictVal):
                        more.extend(arg.items)
                frame.env[func.value.id] = receiver.with_items(
                    more, open=any(not isinstance(a, DictVal) for a in args)
                )
                return None
            if name == "copy" and isinstance(receiver, DictVal):
                return receiver
            if name == "partial" and isinstance(receiver, ModuleRef) and receiver.name == "functools":
                return self._partial(args, kwargs, node, frame)
            if receiver is None and name not in CLIENT_HELPERS:
                text = ast.unparse(func.value)
                if any(word in text.lower() for word in _CLIENT_WORDS):
                    self.coverage.candidates.setdefault(self._site(node, frame), (name, text))
            if isinstance(receiver, ModuleRef) or receiver is None:
                return _filtered(args, kwargs)
            return None
        callee = self.eval(func, frame)
        args, kwargs = self._args(node, frame)
        if isinstance(callee, Method):
            self._use(
                node, frame, callee.service, callee.operation, request=callee.members, kwargs=(node, kwargs)
            )
            return Response(callee.service, callee.operation)
        if isinstance(callee, FuncRef):
            return self.call_function(callee.func, None, args, kwargs, frame)
        if isinstance(callee, _BoundMethod):
            return self.call_function(callee.func, callee.instance, args, kwargs, frame, self_cls=callee.cls)
        if isinstance(callee, ClassRef) and callee.cls is not None:
            return Instance(callee.cls, callee.cls.qualname)
        if not isinstance(func, ast.Name):
            return None
        name = func.id
        if name == "partial":
            return self._partial(args, kwargs, node, frame)
        if name == "dict":
            base = args[0] if args and isinstance(args[0], DictVal) else DictVal((), open=bool(args))
            return base.with_items(list(kwargs.items()))
        if name in _PASSTHROUGH and len(args) > _PASSTHROUGH[name]:
            return args[_PASSTHROUGH[name]]
        if name == "next" and args:
            return self.element(args[0])
        if name == "enumerate" and args:
            return _Enumerated(args[0])
        made = self._factory(name, args, kwargs, None, frame, node)
        return made if made is not None else _filtered(args, kwargs)

    def _args(self, node: ast.Call, frame: Frame) -> tuple[list[Value], dict[str, Value]]:
        args: list[Value] = []
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                value = self.eval(arg.value, frame)
                if isinstance(value, Tuple):
                    args.extend(value.values)
            else:
                args.append(self.eval(arg, frame))
        kwargs: dict[str, Value] = {}
        for kw in node.keywords:
            value = self.eval(kw.value, frame)
            if kw.arg is None:
                if isinstance(value, DictVal):
                    kwargs.update(value.items)
                    if value.open:
                        kwargs[_OPEN] = None
                else:
                    kwargs[_OPEN] = None
            else:
                kwargs[kw.arg] = value
        return args, kwargs

    def _factory(
        self,
        name: str,
        args: list[Value],
        kwargs: dict[str, Value],
        receiver: Value,
        frame: Frame,
        node: ast.AST,
    ) -> Value:
        """``boto3.client("s3")``, ``session.resource(service_name=...)``, ``_utils.client("glue")`` ..."""
        if name not in ("client", "resource"):
            return None
        if isinstance(receiver, (Client, Resource, Instance)):
            return None
        arg = args[0] if args else None
        for key in ("service_name", "client_type", "resource_type"):
            if key in kwargs:
                arg = kwargs[key]
        service = arg.value if isinstance(arg, Const) and isinstance(arg.value, str) else None
        if service is None and frame.self_cls is not None:
            service = self.project.hint(frame.self_cls, name)
        if service is not None and not self.models.known(service):
            self.coverage.unknown_services.setdefault(self._site(node, frame), service)
            return None
        if service:
            self.services_seen.add(service)
        return Client(service) if name == "client" else Resource(service)

    def _partial(self, args: list[Value], kwargs: dict[str, Value], node: ast.AST, frame: Frame) -> Value:
        if args and isinstance(args[0], Method):
            method = args[0]
            members = frozenset(k for k in kwargs if k != _OPEN)
            self._use(node, frame, method.service, method.operation, kwargs=(node, kwargs))
            return Method(method.service, method.operation, method.members | members)
        return None

    def _method_call(self, receiver: Value, name: str, node: ast.Call, frame: Frame) -> tuple[bool, Value]:
        """Calls on clients, paginators, waiters, resources and responses."""
        if isinstance(receiver, Client):
            return True, self._client_call(receiver, name, node, frame)
        if isinstance(receiver, Paginator) and name == "paginate":
            _, kwargs = self._args(node, frame)
            self._use(node, frame, receiver.service, receiver.operation, kwargs=(node, kwargs))
            return True, Pages(receiver.service, receiver.operation)
        if isinstance(receiver, Pages):
            self._args(node, frame)
            return True, Response(
                receiver.service, receiver.operation
            ) if name == "build_full_result" else None
        if isinstance(receiver, Waiter) and name == "wait":
            _, kwargs = self._args(node, frame)
            kwargs.pop("WaiterConfig", None)
            self._use(node, frame, receiver.service, receiver.operation, kwargs=(node, kwargs))
            return True, None
        if isinstance(receiver, Resource) and receiver.service:
            return True, self._resource_call(receiver, name, node, frame)
        if isinstance(receiver, Collection):
            _, kwargs = self._args(node, frame)
            if name in ("all", "filter", "limit", "page_size"):
                self._use(node, frame, receiver.service, receiver.operation, kwargs=(node, kwargs))
                return True, receiver
            return True, None
        if isinstance(receiver, Response):
            args, _ = self._args(node, frame)
            if name == "get" and args:
                key = args[0].value if isinstance(args[0], Const) else None
                return True, self.read(receiver, key, node, frame)
            if name in ("items", "values"):
                shape = receiver.shape if receiver.shape is not None else self._output_shape(receiver)
                return True, Items(
                    Response(receiver.service, receiver.operation, receiver.path, shape), name == "items"
                )
            return True, None
        if isinstance(receiver, Instance):
            bound = self.instance_attribute(receiver.cls, name, frame)
            args, kwargs = self._args(node, frame)
            if isinstance(bound, _BoundMethod):
                return True, self.call_function(
                    bound.func, receiver, args, kwargs, frame, self_cls=receiver.cls
                )
            if isinstance(bound, Method):
                self._use(
                    node, frame, bound.service, bound.operation, request=bound.members, kwargs=(node, kwargs)
                )
                return True, Response(bound.service, bound.operation)
            if isinstance(bound, ClassRef) and bound.cls is not None:
                return True, Instance(bound.cls, bound.cls.qualname)
            if isinstance(bound, FuncRef):
                return True, self.call_function(bound.func, None, args, kwargs, frame)
            return True, None
        if isinstance(receiver, ClassRef) and receiver.cls is not None:
            bound = self.instance_attribute(receiver.cls, name, frame, class_only=True)
            args, kwargs = self._args(node, frame)
            if isinstance(bound, _BoundMethod):
                return True, self.call_function(bound.func, None, args, kwargs, frame, self_cls=receiver.cls)
            return True, None
        if isinstance(receiver, ModuleRef):
            target = self.attribute(receiver, name, node, frame)
            if isinstance(target, FuncRef):
                args, kwargs = self._args(node, frame)
                return True, self.call_function(target.func, None, args, kwargs, frame)
            if isinstance(target, ClassRef) and target.cls is not None:
                self._args(node, frame)
                return True, Instance(target.cls, target.cls.qualname)
        return False, None

    def _client_call(self, client: Client, name: str, node: ast.Call, frame: Frame) -> Value:
        args, kwargs = self._args(node, frame)
        site = self._site(node, frame)
        if client.service is None:
            if name not in CLIENT_HELPERS:
                self.coverage.seen.setdefault(site, f"{name}: the client's service is not known here")
            return None
        facts = self.models.facts(client.service)
        if facts is None:
            return None
        literal = args[0].value if args and isinstance(args[0], Const) else None
        if name == "get_paginator":
            op = facts.methods.get(str(literal)) if literal is not None else None
            if op is None:
                self.coverage.seen.setdefault(
                    site, f"get_paginator({literal!r}) of {client.service} not resolved"
                )
                return None
            self._use(node, frame, client.service, op, paginator=True)
            return Paginator(client.service, op)
        if name == "get_waiter":
            entry = facts.waiters.get(str(literal)) if literal is not None else None
            if entry is None:
                self.coverage.seen.setdefault(
                    site, f"get_waiter({literal!r}) of {client.service} not resolved"
                )
                return None
            self._use(node, frame, client.service, entry[1], waiter=entry[0])
            return Waiter(client.service, entry[0], entry[1])
        if name == "generate_presigned_url":
            method = kwargs.get("ClientMethod", args[0] if args else None)
            op = facts.methods.get(str(method.value)) if isinstance(method, Const) else None
            if op is not None:
                params = kwargs.get("Params")
                self._use(
                    node,
                    frame,
                    client.service,
                    op,
                    kwargs=(node, dict(params.items) if isinstance(params, DictVal) else {}),
                )
            return None
        if name in S3_TRANSFER and client.service == "s3":
            for op in S3_TRANSFER[name]:
                self._use(node, frame, "s3", op)
            return None
        if name in CLIENT_HELPERS:
            return None
        op = facts.methods.get(name)
        if op is None:
            self.coverage.seen.setdefault(site, f"{client.service} has no operation for method {name!r}")
            return None
        self._use(node, frame, client.service, op, kwargs=(node, kwargs))
        return Response(client.service, op)

    def _resource_call(self, res: Resource, name: str, node: ast.Call, frame: Frame) -> Value:
        from botocore import xform_name

        _args, kwargs = self._args(node, frame)
        assert res.service is not None
        if name in S3_TRANSFER and res.service == "s3":
            for op in S3_TRANSFER[name]:
                self._use(node, frame, "s3", op)
            return None
        if name == "batch_writer" and res.service == "dynamodb":
            self._use(node, frame, "dynamodb", "BatchWriteItem")
            return None
        data = self.models.resources(res.service)
        if not data:
            return None
        body = (
            data.get("service", {})
            if res.resource is None
            else data.get("resources", {}).get(res.resource, {})
        )
        if name in (body.get("has") or {}):
            target = ((body["has"][name]).get("resource") or {}).get("type")
            return Resource(res.service, target)
        if res.resource is None and name in data.get("resources", {}):
            return Resource(res.service, name)
        if name in ("load", "reload") and body.get("load"):
            self._use(node, frame, res.service, body["load"]["request"]["operation"])
            return None
        for action_name, action in (body.get("actions") or {}).items():
            if xform_name(action_name) == name:
                request = action["request"]
                op = request["operation"]
                bound = {p["target"].split(".")[0].split("[")[0] for p in request.get("params", [])}
                self._use(node, frame, res.service, op, request=bound, kwargs=(node, kwargs))
                target = (action.get("resource") or {}).get("type")
                return Resource(res.service, target) if target else Response(res.service, op)
        for waiter_name, waiter in (body.get("waiters") or {}).items():
            if f"wait_until_{xform_name(waiter_name)}" == name:
                facts = self.models.facts(res.service)
                entry = facts.waiters.get(waiter["waiterName"]) if facts else None
                if entry is not None:
                    self._use(node, frame, res.service, entry[1], waiter=entry[0])
                return None
        self.coverage.seen.setdefault(
            self._site(node, frame),
            f"{res.service} resource {res.resource or 'service'} has no action {name!r}",
        )
        return None

    def call_function(
        self,
        func: FunctionInfo,
        self_value: Value,
        args: list[Value],
        kwargs: dict[str, Value],
        caller: Frame,
        *,
        self_cls: ClassInfo | None = None,
        record: bool | None = None,
    ) -> Value:
        """Run a project function with the argument values bound; its return value (memoized)."""
        record = caller.record if record is None else record
        cls = self_cls or func.cls
        key = (
            func.qualname,
            id(func),
            cls.qualname if cls else None,
            _key(self_value),
            tuple(_key(a) for a in args),
            tuple(sorted((k, _key(v)) for k, v in kwargs.items())),
            record,
        )
        if key in self._memo:
            return self._memo[key]
        if key in self._active or caller.depth >= _MAX_DEPTH:
            return None
        self._active.add(key)
        try:
            parent = (
                self._module_frame(func.module)
                if func.cls is not None or func.module.functions.get(func.name) is func
                else caller
            )
            frame = Frame(
                func.module, func, {}, parent=parent, self_cls=cls, record=record, depth=caller.depth + 1
            )
            self._bind_params(frame, func, self_value, args, kwargs, called=True)
            self.exec_block(func.node.body, frame)
            value = _first(frame.returns)
        finally:
            self._active.discard(key)
        self._memo[key] = value
        return value

    # -- recording ---------------------------------------------------------------------------------------
    @staticmethod
    def _site(node: ast.AST, frame: Frame) -> tuple[str, int]:
        return frame.module.filename, getattr(node, "lineno", 0)

    def _use(
        self,
        node: ast.AST,
        frame: Frame,
        service: str,
        operation: str,
        *,
        request: set[str] | frozenset[str] = frozenset(),
        response: set[str] | frozenset[str] = frozenset(),
        kwargs: tuple[ast.AST, dict[str, Value]] | None = None,
        paginator: bool = False,
        waiter: str | None = None,
    ) -> None:
        site = self._site(node, frame)
        self.coverage.seen.setdefault(site, f"{service}.{operation}")
        self.coverage.resolved.add(site)
        self.coverage.operations.setdefault(site, set()).add(f"{service}.{operation}")
        self.services_seen.add(service)
        if not frame.record:
            return
        facts = self.models.facts(service)
        input_shape = facts.operation_model(operation).input_shape if facts else None
        members = input_shape.members if input_shape is not None else {}
        paths = {m for m in request if m in members}
        if kwargs is not None:
            for key, value in kwargs[1].items():
                if key == _OPEN:
                    self.coverage.open_kwargs.setdefault(site, operation)
                    continue
                if key not in members:
                    continue
                paths.add(key)
                paths.update(_value_paths(value, members[key], key))
        if paginator:
            self.contract.add_paginator(service, operation)
        if waiter is not None:
            self.contract.add_waiter(service, waiter, operation)
        self.contract.add(service, operation, request=paths, response=_prefixes_all(response))

    def _read(self, frame: Frame, service: str, operation: str, path: str) -> None:
        if frame.record:
            self.contract.add(service, operation, response=_prefixes(path.rstrip("[]{}")))


def _filtered(args: list[Value], kwargs: dict[str, Value]) -> Value:
    """What an outside function (``prune_dict(d)``, ``trim_none_values(d)``) makes of the one literal dict
    it is given: at most its keys, and maybe others (so ``**`` of it is still reported as not followed)."""
    dicts = [v for v in [*args, *kwargs.values()] if isinstance(v, DictVal)]
    if len(dicts) != 1:
        return None
    return DictVal(dicts[0].items, open=True)


def _key(value: Value) -> Any:
    """A memo key for a value: clients by service, dicts by keys, everything else by kind."""
    if isinstance(value, (Client, Resource, Method, Const, Instance, ClassRef, Response, Paginator, Waiter)):
        return value
    if isinstance(value, DictVal):
        return ("dict", tuple(sorted((k, _key(v)) for k, v in value.items)), value.open)
    if isinstance(value, Tuple):
        return ("tuple", tuple(_key(v) for v in value.values))
    return type(value).__name__


def _value_paths(value: Value, shape: Shape | None, prefix: str) -> Iterator[str]:
    """Request paths inside a value built from literals, walked along its shape."""
    if shape is None:
        return
    kind = shape.type_name
    if isinstance(value, DictVal) and kind == "structure":
        for key, child in value.items:
            member = shape.members.get(key)
            if member is None:
                continue
            path = f"{prefix}.{key}"
            yield path
            yield from _value_paths(child, member, path)
    elif isinstance(value, DictVal) and kind == "map":
        for _, child in value.items:
            yield from _value_paths(child, shape.value, prefix + "{}")
    elif isinstance(value, Tuple) and kind == "list":
        for child in value.values:
            yield from _value_paths(child, shape.member, prefix + "[]")


def _prefixes(path: str) -> set[str]:
    """``A[].B`` -> {A, A[].B}: a read of a nested member reads its parents too."""
    out = set()
    parts = path.split(".")
    for i in range(1, len(parts) + 1):
        out.add(".".join(parts[:i]).rstrip("[]{}") if i < len(parts) else ".".join(parts))
    return {p for p in out if p}


def _prefixes_all(paths: set[str] | frozenset[str]) -> set[str]:
    out: set[str] = set()
    for path in paths:
        out |= _prefixes(path)
    return out
