"""Follow boto3 clients through a project's code, one function at a time, and record what it calls.

Each function body is run abstractly, statement by statement, with an environment of the values the
scanner understands (:mod:`.values`). Clients come from ``*.client("svc")`` calls, from attributes,
properties and methods that return them (followed across classes and files), from parameters annotated or
named as clients, and from a wrapper class's literal ``client_type="svc"`` when the service is passed
through. A call to a project function is followed into its body with the argument values bound, so
``_utils.client(service_name="s3")`` and ``try_it(f=client.get_item, TableName=...)`` resolve. Response
values carry their operation and member path, so reads are credited to the call that produced them —
through subscripts, ``.get``, intermediate and loop variables, returns and annotated assignments.

This module drives the scan and walks statements and expressions; calls are resolved in :mod:`.calls`
and values (attributes, subscripts, response members) are read in :mod:`.access`.
"""

from __future__ import annotations

import ast

from botocontract.contracts.scan.access import _OPEN, Coverage, Frame, _first, _literal
from botocontract.contracts.scan.calls import CallResolver
from botocontract.contracts.scan.project import ClassInfo, FunctionInfo, ModuleInfo
from botocontract.contracts.scan.values import (
    ClassRef,
    Client,
    Const,
    DictVal,
    FuncRef,
    Instance,
    ModuleRef,
    Resource,
    Tuple,
    Value,
)

__all__ = ["Coverage", "Interpreter"]


class Interpreter(CallResolver):
    """Runs every function of a :class:`Project` and fills a contract and a coverage record."""

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
