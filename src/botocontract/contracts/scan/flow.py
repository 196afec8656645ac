"""Follow boto3 clients through a project's code, one function at a time, and record what it calls.

Each function body is run abstractly, statement by statement, with an environment of the values the
scanner understands (:mod:`.values`). Clients come from ``*.client("svc")`` calls, from attributes,
properties and methods that return them (followed across classes and files), from parameters annotated or
named as clients, and from a wrapper class's literal ``client_type="svc"`` when the service is passed
through. A call to a project function is followed into its body with the argument values bound, so
``_utils.client(service_name="s3")`` and ``try_it(f=client.get_item, TableName=...)`` resolve. Response
values carry their operation and member path, so reads are credited to the call that produced them —
through subscripts, ``.get``, intermediate and loop variables, returns and annotated assignments.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from botocontract.contracts.scan.models import CLIENT_HELPERS, S3_TRANSFER, Models
from botocontract.contracts.scan.project import ClassInfo, FunctionInfo, ModuleInfo, Project
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

    from botocontract.contracts.contract import Contract

__all__ = ["Coverage", "Interpreter"]

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


class Interpreter:
    """Runs every function of a :class:`Project` and fills a contract and a coverage record."""

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

    # -- driving -----------------------------------------------------------------------------------------
    def run(self) -> None:
        for name in sorted(self.project.modules):
            self._module_frame(self.project.modules[name])
        for name in sorted(self.project.modules):
            module = self.project.modules[name]
            for func in module.functions.values():
                self.scan_function(func, None)
            for cls in module.classes.values():
                for method in cls.methods.values():
                    self.scan_function(method, cls)
                # Inherited methods run again for a subclass that names its own service.
                for base in self.project.mro(cls)[1:]:
                    if cls.hints and cls.hints != base.hints:
                        for method in base.methods.values():
                            if method.name not in cls.methods:
                                self.scan_function(method, cls)

    def _module_frame(self, module: ModuleInfo) -> Frame:
        frame = self._module_frames.get(module.name)
        if frame is None:
            frame = Frame(module, None, {})
            self._module_frames[module.name] = frame
            for local, dotted in module.imports.items():
                frame.env[local] = self._import_value(dotted)
            for name, cls in module.classes.items():
                frame.env[name] = ClassRef(cls, cls.qualname)
            for name, func in module.functions.items():
                frame.env[name] = FuncRef(func, func.qualname)
            body = [
                s
                for s in module.tree.body
                if not isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
            ]
            self.exec_block(body, frame)
        return frame

    def _import_value(self, dotted: str) -> Value:
        found = self.project.resolve(dotted)
        if isinstance(found, ClassInfo):
            return ClassRef(found, found.qualname)
        if isinstance(found, FunctionInfo):
            return FuncRef(found, found.qualname)
        if found is not None:
            return ModuleRef(found.name)
        return ModuleRef(dotted)

    def scan_function(self, func: FunctionInfo, self_cls: ClassInfo | None) -> None:
        frame = Frame(func.module, func, {}, parent=self._module_frame(func.module), self_cls=self_cls)
        self._bind_params(frame, func, None, [], {})
        self.exec_block(func.node.body, frame)

    # -- parameters --------------------------------------------------------------------------------------
    def _bind_params(
        self,
        frame: Frame,
        func: FunctionInfo,
        self_value: Value,
        args: list[Value],
        kwargs: dict[str, Value],
        called: bool = False,
    ) -> None:
        spec = func.node.args
        positional = [*spec.posonlyargs, *spec.args]
        decorators = func.decorators()
        is_method = func.cls is not None and "staticmethod" not in decorators
        values = list(args)
        if is_method and positional:
            first = positional[0].arg
            if "classmethod" in decorators:
                frame.env[first] = (
                    ClassRef(frame.self_cls, frame.self_cls.qualname) if frame.self_cls else None
                )
            else:
                frame.env[first] = (
                    self_value
                    if self_value is not None
                    else (Instance(frame.self_cls, frame.self_cls.qualname) if frame.self_cls else None)
                )
            positional = positional[1:]
        extra = dict(kwargs)
        defaults = dict(
            zip(
                [a.arg for a in positional][len(positional) - len(spec.defaults) :],
                spec.defaults,
                strict=True,
            )
        )
        for i, arg in enumerate(positional):
            if i < len(values):
                value = values[i]
            elif arg.arg in extra:
                value = extra.pop(arg.arg)
            else:
                value = None
                if arg.arg in defaults:
                    value = self._const(defaults[arg.arg])
            frame.env[arg.arg] = value if value is not None else self._from_annotation(arg, frame)
        for arg, default in zip(spec.kwonlyargs, spec.kw_defaults, strict=True):
            value = extra.pop(arg.arg, None)
            if value is None and default is not None:
                value = self._const(default)
            frame.env[arg.arg] = value if value is not None else self._from_annotation(arg, frame)
        if spec.vararg is not None:
            frame.env[spec.vararg.arg] = Tuple(tuple(values[len(positional) :]))
        if spec.kwarg is not None:
            # Without a caller (a function scanned on its own) the keyword arguments are unknown.
            known = tuple((k, v) for k, v in extra.items() if k != _OPEN)
            frame.env[spec.kwarg.arg] = DictVal(known, open=not called or _OPEN in extra)

    @staticmethod
    def _const(node: ast.expr) -> Value:
        return Const(node.value) if isinstance(node, ast.Constant) and isinstance(node.value, str) else None

    def _from_annotation(self, arg: ast.arg, frame: Frame) -> Value:
        if arg.annotation is not None:
            value = self._annotation_value(arg.annotation, frame)
            if value is not None:
                return value
        return self._from_name(arg.arg)

    def _from_name(self, name: str) -> Value:
        """A parameter named like a client: ``s3_client`` / ``client_s3`` -> s3, ``client`` -> unknown."""
        lowered = name.lower()
        if "client" not in lowered:
            return None
        stem = lowered.replace("client", "").strip("_")
        for candidate in (stem, stem.replace("_", "-")):
            if candidate and self.models.known(candidate):
                return Client(candidate)
        return Client(None)

    def _annotation_value(self, node: ast.expr, frame: Frame) -> Value:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            try:
                node = ast.parse(node.value, mode="eval").body
            except SyntaxError:
                return None
        if isinstance(node, ast.BinOp):  # X | None
            return _first(
                [self._annotation_value(node.left, frame), self._annotation_value(node.right, frame)]
            )
        if isinstance(node, ast.Subscript):  # Optional[X], Union[X, None]; not containers like dict[str, X]
            base = node.value
            base_name = base.attr if isinstance(base, ast.Attribute) else getattr(base, "id", "")
            if base_name not in ("Optional", "Union", "Annotated"):
                return None
            inner = node.slice
            parts = inner.elts if isinstance(inner, ast.Tuple) else [inner]
            return _first([self._annotation_value(p, frame) for p in parts])
        name = (
            node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else None
        )
        if name is None:
            return None
        dotted = frame.module.imports.get(name, "")
        if dotted.startswith("mypy_boto3_") and name.endswith(("Client", "ServiceResource")):
            service = dotted.split(".")[0].removeprefix("mypy_boto3_").replace("_", "-")
            if self.models.known(service):
                return Resource(service) if name.endswith("ServiceResource") else Client(service)
        if name == "BaseClient":
            return Client(None)
        cls = self.project.class_named(name, frame.module)
        if cls is not None:
            return Instance(cls, cls.qualname)
        return None

    # -- statements --------------------------------------------------------------------------------------
    def exec_block(self, body: list[ast.stmt], frame: Frame) -> None:
        for stmt in body:
            self.exec_stmt(stmt, frame)

    def exec_stmt(self, stmt: ast.stmt, frame: Frame) -> None:
        if isinstance(stmt, ast.Assign):
            value = self.eval(stmt.value, frame)
            for target in stmt.targets:
                self.bind(target, value, frame)
        elif isinstance(stmt, ast.AnnAssign):
            value = self.eval(stmt.value, frame) if stmt.value is not None else None
            if value is None:
                value = self._annotation_value(stmt.annotation, frame)
            if stmt.value is not None or value is not None:
                self.bind(stmt.target, value, frame)
        elif isinstance(stmt, ast.AugAssign):
            value = self.eval(stmt.value, frame)
            if isinstance(stmt.target, ast.Name) and isinstance(value, DictVal):
                _found, current = frame.lookup(stmt.target.id)
                if isinstance(current, DictVal):
                    frame.env[stmt.target.id] = current.with_items(list(value.items), open=value.open)
            else:
                self.eval(stmt.target, frame)
        elif isinstance(stmt, (ast.For, ast.AsyncFor)):
            iterable = self.eval(stmt.iter, frame)
            self.bind(stmt.target, self.element(iterable), frame)
            self.exec_block(stmt.body, frame)
            self.exec_block(stmt.orelse, frame)
        elif isinstance(stmt, (ast.With, ast.AsyncWith)):
            for item in stmt.items:
                value = self.eval(item.context_expr, frame)
                if item.optional_vars is not None:
                    self.bind(item.optional_vars, value, frame)
            self.exec_block(stmt.body, frame)
        elif isinstance(stmt, ast.Return):
            if stmt.value is not None:
                frame.returns.append(self.eval(stmt.value, frame))
        elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            # A nested function sees the enclosing function's variables.
            inner = FunctionInfo(stmt, frame.module, None)
            frame.env[stmt.name] = FuncRef(inner, f"{frame.module.name}:{stmt.name}@{stmt.lineno}")
            if frame.record:
                child = Frame(
                    frame.module, inner, {}, parent=frame, self_cls=frame.self_cls, depth=frame.depth
                )
                self._bind_params(child, inner, None, [], {})
                self.exec_block(stmt.body, child)
        elif isinstance(stmt, ast.ClassDef):
            return
        else:
            for part in ast.iter_child_nodes(stmt):
                if isinstance(part, ast.expr):
                    self.eval(part, frame)
                elif isinstance(part, ast.stmt):
                    self.exec_stmt(part, frame)
                elif isinstance(part, (ast.excepthandler, ast.match_case)):
                    for sub in ast.iter_child_nodes(part):
                        if isinstance(sub, ast.stmt):
                            self.exec_stmt(sub, frame)
                        elif isinstance(sub, ast.expr):
                            self.eval(sub, frame)

    def bind(self, target: ast.expr, value: Value, frame: Frame) -> None:
        if isinstance(target, ast.Name):
            frame.env[target.id] = value
        elif isinstance(target, (ast.Tuple, ast.List)):
            parts = value.values if isinstance(value, Tuple) else ()
            for i, elt in enumerate(target.elts):
                self.bind(elt, parts[i] if i < len(parts) else None, frame)
        elif isinstance(target, ast.Subscript):
            # params["Key"] = value: a literal dict gains a key
            self.eval(target.slice, frame)
            key = _literal(target.slice)
            if isinstance(target.value, ast.Name) and isinstance(key, str):
                _found, current = frame.lookup(target.value.id)
                if isinstance(current, DictVal):
                    frame.env[target.value.id] = current.with_items([(key, value)])
            else:
                self.eval(target.value, frame)
        elif isinstance(target, ast.Attribute):
            self.eval(target.value, frame)
        elif isinstance(target, ast.Starred):
            self.bind(target.value, None, frame)

    # -- expressions -------------------------------------------------------------------------------------
    def eval(self, node: ast.expr | None, frame: Frame) -> Value:
        if node is None:
            return None
        if isinstance(node, ast.Constant):
            return Const(node.value) if isinstance(node.value, (str, int, float, bool)) else None
        if isinstance(node, ast.Name):
            found, value = frame.lookup(node.id)
            return value if found else None
        if isinstance(node, ast.Attribute):
            return self.attribute(self.eval(node.value, frame), node.attr, node, frame)
        if isinstance(node, ast.Subscript):
            base = self.eval(node.value, frame)
            key = self.eval(node.slice, frame)
            return self.item(base, key, node, frame)
        if isinstance(node, ast.Call):
            return self.call(node, frame)
        if isinstance(node, ast.Await):
            return self.eval(node.value, frame)
        if isinstance(node, ast.NamedExpr):
            value = self.eval(node.value, frame)
            self.bind(node.target, value, frame)
            return value
        if isinstance(node, ast.IfExp):
            self.eval(node.test, frame)
            return _first([self.eval(node.body, frame), self.eval(node.orelse, frame)])
        if isinstance(node, ast.BoolOp):
            return _first([self.eval(v, frame) for v in node.values])
        if isinstance(node, ast.Dict):
            return self._dict_literal(node, frame)
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            return Tuple(tuple(self.eval(e, frame) for e in node.elts))
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
            child = Frame(
                frame.module,
                frame.func,
                {},
                parent=frame,
                self_cls=frame.self_cls,
                record=frame.record,
                depth=frame.depth,
            )
            for gen in node.generators:
                self.bind(gen.target, self.element(self.eval(gen.iter, child)), child)
                for cond in gen.ifs:
                    self.eval(cond, child)
            if isinstance(node, ast.DictComp):
                self.eval(node.key, child)
                self.eval(node.value, child)
                return None
            element = self.eval(node.elt, child)
            return Tuple((element,)) if element is not None else None
        if isinstance(node, ast.Lambda):
            self.eval(node.body, frame)
            return None
        for part in ast.iter_child_nodes(node):
            if isinstance(part, ast.expr):
                self.eval(part, frame)
        return None

    def _dict_literal(self, node: ast.Dict, frame: Frame) -> DictVal:
        items: list[tuple[str, Value]] = []
        open_ = False
        for key, value in zip(node.keys, node.values, strict=True):
            v = self.eval(value, frame)
            if key is None:  # {**other}
                if isinstance(v, DictVal):
                    items.extend(v.items)
                    open_ = open_ or v.open
                else:
                    open_ = True
                continue
            k = self.eval(key, frame)
            if isinstance(k, Const) and isinstance(k.value, str):
                items.append((k.value, v))
            else:
                open_ = True
        return DictVal(tuple(dict(items).items()), open_)

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


_OPEN = "\x00open"


@dataclass(frozen=True)
class _BoundMethod:
    func: Any = field(compare=False, hash=False)
    instance: Value = None
    cls: Any = field(default=None, compare=False, hash=False)


@dataclass(frozen=True)
class _Enumerated:
    inner: Value


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


def _literal(node: ast.AST) -> Any:
    return node.value if isinstance(node, ast.Constant) else None


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
