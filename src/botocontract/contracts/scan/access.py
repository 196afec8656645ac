"""What the scanner's environment holds and how values are read from it.

A :class:`Frame` is one function's (or module's) environment; :class:`Coverage` records what the scan saw.
:class:`ValueAccess` follows attributes (across classes, properties and resource members), subscripts,
response members and loop elements, crediting each response read to the call that produced it.
"""

from __future__ import annotations

import ast
from abc import abstractmethod
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from botocontract.contracts.scan.models import Models
from botocontract.contracts.scan.project import ClassInfo, FunctionInfo, ModuleInfo, Project
from botocontract.contracts.scan.values import (
    ClassRef,
    Client,
    Collection,
    Const,
    DictVal,
    Instance,
    Items,
    Method,
    ModuleRef,
    Pages,
    Resource,
    Response,
    Tuple,
    Value,
)

if TYPE_CHECKING:
    from botocontract.contracts.contract import Contract

__all__ = ["Coverage", "Frame", "ValueAccess"]


@dataclass
class Coverage:
    """Calls on clients the scanner saw, which it resolved to an operation, and where it could not."""

    seen: dict[tuple[str, int], str] = field(default_factory=dict)
    resolved: set[tuple[str, int]] = field(default_factory=set)
    #: ``**kwargs`` whose keys could not be read: site -> operation
    open_kwargs: dict[tuple[str, int], str] = field(default_factory=dict)
    #: site -> the ``service.Operation`` names resolved there
    operations: dict[tuple[str, int], set[str]] = field(default_factory=dict)
    #: client factories naming a service the models do not know: site -> name
    unknown_services: dict[tuple[str, int], str] = field(default_factory=dict)
    #: method calls on receivers named like clients that never resolved: site -> (method, receiver)
    candidates: dict[tuple[str, int], tuple[str, str]] = field(default_factory=dict)

    def unresolved(self) -> list[tuple[str, int, str]]:
        return sorted(
            (f, line, why) for (f, line), why in self.seen.items() if (f, line) not in self.resolved
        )


@dataclass
class Frame:
    module: ModuleInfo
    func: FunctionInfo | None
    env: dict[str, Value]
    parent: Frame | None = None
    self_cls: ClassInfo | None = None
    record: bool = True
    depth: int = 0
    returns: list[Value] = field(default_factory=list)

    def lookup(self, name: str) -> tuple[bool, Value]:
        frame: Frame | None = self
        while frame is not None:
            if name in frame.env:
                return True, frame.env[name]
            frame = frame.parent
        return False, None


def _first(values: list[Value]) -> Value:
    """The most informative of several candidate values (a client with a known service first)."""
    known = [v for v in values if v is not None]
    for v in known:
        if isinstance(v, (Client, Resource)) and v.service:
            return v
    for v in known:
        if not isinstance(v, (Client, Resource)):
            return v
    return known[0] if known else None


_OPEN = "\x00open"


@dataclass(frozen=True)
class _BoundMethod:
    func: Any = field(compare=False, hash=False)
    instance: Value = None
    cls: Any = field(default=None, compare=False, hash=False)


@dataclass(frozen=True)
class _Enumerated:
    inner: Value


def _literal(node: ast.AST) -> Any:
    return node.value if isinstance(node, ast.Constant) else None


class ValueAccess:
    """The scan's state and value reads; :class:`~.flow.Interpreter` adds calls and statements on top."""

    def __init__(self, project: Project, models: Models, contract: Contract, coverage: Coverage) -> None:
        self.project = project
        self.models = models
        self.contract = contract
        self.coverage = coverage
        self._module_frames: dict[str, Frame] = {}
        self._memo: dict[Any, Value] = {}
        self._active: set[Any] = set()
        self._attr_memo: dict[tuple[str, str], Value] = {}
        self.services_seen: set[str] = set()

    if TYPE_CHECKING:  # provided by the subclasses

        @abstractmethod
        def eval(self, node: ast.expr | None, frame: Frame) -> Value: ...

        @abstractmethod
        def _module_frame(self, module: ModuleInfo) -> Frame: ...

        @abstractmethod
        def _import_value(self, dotted: str) -> Value: ...

        @abstractmethod
        def _annotation_value(self, node: ast.expr, frame: Frame) -> Value: ...

        @abstractmethod
        def _bind_params(
            self,
            frame: Frame,
            func: FunctionInfo,
            self_value: Value,
            args: list[Value],
            kwargs: dict[str, Value],
            called: bool = False,
        ) -> None: ...

        @abstractmethod
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
        ) -> Value: ...

        @abstractmethod
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
        ) -> None: ...

        @abstractmethod
        def _read(self, frame: Frame, service: str, operation: str, path: str) -> None: ...

    # -- attribute access --------------------------------------------------------------------------------
    def attribute(self, base: Value, attr: str, node: ast.AST, frame: Frame) -> Value:
        if isinstance(base, Client) and base.service:
            facts = self.models.facts(base.service)
            if facts is not None and attr in facts.methods:
                # A bound method used as a value: a callback or partial calls the operation.
                op = facts.methods[attr]
                self._use(node, frame, base.service, op)
                return Method(base.service, op)
            return None
        if isinstance(base, Resource):
            if attr == "meta":
                return base
            if attr == "client":
                return Client(base.service)
            return self._resource_attribute(base, attr, node, frame)
        if isinstance(base, Instance):
            return self.instance_attribute(base.cls, attr, frame)
        if isinstance(base, ClassRef) and base.cls is not None:
            return self.instance_attribute(base.cls, attr, frame, class_only=True)
        if isinstance(base, ModuleRef):
            module = self.project.modules.get(base.name)
            if module is not None:
                mframe = self._module_frame(module)
                if attr in mframe.env:
                    return mframe.env[attr]
            found = self.project.resolve(f"{base.name}.{attr}")
            if found is not None:
                return self._import_value(f"{base.name}.{attr}")
            return ModuleRef(f"{base.name}.{attr}")
        return None

    def instance_attribute(self, cls: ClassInfo, attr: str, frame: Frame, class_only: bool = False) -> Value:
        """An attribute of a project class's instance: a property's value, a class attribute, a
        ``self.x = ...`` assignment or annotation, a bound method — searched along the bases."""
        key = (cls.qualname, attr)
        if key in self._attr_memo:
            return self._attr_memo[key]
        if key in self._active:
            return None
        self._active.add(key)
        try:
            value = self._instance_attribute(cls, attr, frame, class_only)
        finally:
            self._active.discard(key)
        self._attr_memo[key] = value
        return value

    def _instance_attribute(self, cls: ClassInfo, attr: str, frame: Frame, class_only: bool) -> Value:
        instance = Instance(cls, cls.qualname)
        for owner in self.project.mro(cls):
            method = owner.methods.get(attr)
            if method is not None:
                if method.is_property:
                    return self.call_function(method, instance, [], {}, frame, self_cls=cls, record=False)
                return _BoundMethod(method, instance, cls)
            if attr in owner.attributes:
                mframe = Frame(
                    owner.module,
                    None,
                    {},
                    parent=self._module_frame(owner.module),
                    self_cls=cls,
                    record=False,
                )
                return self.eval(owner.attributes[attr], mframe)
        if class_only:
            return None
        candidates: list[Value] = []
        for owner in self.project.mro(cls):
            if attr in owner.annotations:
                mframe = Frame(owner.module, None, {}, parent=self._module_frame(owner.module), self_cls=cls)
                candidates.append(self._annotation_value(owner.annotations[attr], mframe))
            for value_node, method in owner.instance_attrs.get(attr, []):
                mframe = Frame(
                    method.module,
                    method,
                    {},
                    parent=self._module_frame(method.module),
                    self_cls=cls,
                    record=False,
                )
                self._bind_params(mframe, method, instance, [], {})
                candidates.append(self.eval(value_node, mframe))
        return _first(candidates)

    def _resource_attribute(self, res: Resource, attr: str, node: ast.AST, frame: Frame) -> Value:
        from botocore import xform_name

        service = res.service
        data = self.models.resources(service) if service else None
        if not data or not service:
            return None
        body = (
            data.get("service", {})
            if res.resource is None
            else data.get("resources", {}).get(res.resource, {})
        )
        for name, spec in (body.get("hasMany") or {}).items():
            if xform_name(name) == attr:
                target = (spec.get("resource") or {}).get("type")
                return Collection(service, target, spec["request"]["operation"])
        for name in body.get("has") or {}:
            if xform_name(name) == attr:
                target = ((body["has"][name]).get("resource") or {}).get("type")
                return Resource(service, target)
        load = body.get("load")
        shape_name = body.get("shape")
        facts = self.models.facts(service)
        if load and shape_name and facts is not None:
            shape = facts.model.shape_for(shape_name)
            members = {xform_name(m): m for m in getattr(shape, "members", {})}
            if attr in members:
                op = load["request"]["operation"]
                path = ".".join(p for p in (load.get("path", "").lstrip("$").strip("."), members[attr]) if p)
                self._use(node, frame, service, op, response={path})
                return Response(service, op, path, shape.members[members[attr]])
        return None

    # -- subscripts and reads ----------------------------------------------------------------------------
    def item(self, base: Value, key: Value, node: ast.AST, frame: Frame) -> Value:
        if isinstance(base, Response):
            return self.read(base, key.value if isinstance(key, Const) else None, node, frame)
        if isinstance(base, DictVal) and isinstance(key, Const):
            return base.get(str(key.value))
        if isinstance(base, Tuple) and isinstance(key, Const) and isinstance(key.value, int):
            return base.values[key.value] if -len(base.values) <= key.value < len(base.values) else None
        if isinstance(base, Tuple) and base.values:
            return base.values[0]
        return None

    def read(self, base: Response, key: Any, node: ast.AST, frame: Frame) -> Value:
        """One step into a response: a member of a structure, an element of a list, a value of a map."""
        shape = base.shape if base.shape is not None else self._output_shape(base)
        if shape is None:
            return None
        kind = shape.type_name
        if kind == "structure" and isinstance(key, str):
            member = shape.members.get(key)
            if member is None:
                return None
            path = f"{base.path}.{key}" if base.path else key
            self._read(frame, base.service, base.operation, path)
            return Response(base.service, base.operation, path, member)
        if kind == "list":
            return Response(base.service, base.operation, base.path + "[]", shape.member)
        if kind == "map":
            return Response(base.service, base.operation, base.path + "{}", shape.value)
        return None

    def _output_shape(self, response: Response) -> Any:
        facts = self.models.facts(response.service)
        if facts is None or response.path:
            return None
        return facts.operation_model(response.operation).output_shape

    def element(self, value: Value) -> Value:
        """What iterating a value gives."""
        if isinstance(value, Pages):
            return Response(value.service, value.operation)
        if isinstance(value, Response):
            shape = value.shape if value.shape is not None else self._output_shape(value)
            if shape is not None and shape.type_name == "list":
                return Response(value.service, value.operation, value.path + "[]", shape.member)
            return None
        if isinstance(value, Items):
            shape = value.value.shape
            inner = None
            if shape is not None and shape.type_name == "map":
                inner = Response(
                    value.value.service, value.value.operation, value.value.path + "{}", shape.value
                )
            return Tuple((None, inner)) if value.pairs else inner
        if isinstance(value, Collection):
            return Resource(value.service, value.resource)
        if isinstance(value, Tuple) and value.values:
            return _first(list(value.values))
        if isinstance(value, _Enumerated):
            return Tuple((None, self.element(value.inner)))
        return None
