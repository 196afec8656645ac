"""The scanned project as an index: modules, their imports, classes (with bases and service hints) and
functions, so a call like ``self.hook.conn.get_job_run(...)`` can be followed across files.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

__all__ = ["ClassInfo", "FunctionInfo", "ModuleInfo", "Project"]

#: Keywords and attributes that name the AWS service a wrapper class talks to (``client_type="glue"``).
HINT_NAMES = ("client_type", "service_name", "resource_type", "service")


@dataclass(eq=False, repr=False)
class FunctionInfo:
    """A function or method definition; ``cls`` is its class, when it is a method."""

    node: ast.FunctionDef | ast.AsyncFunctionDef
    module: ModuleInfo
    cls: ClassInfo | None = None

    @property
    def name(self) -> str:
        return self.node.name

    @property
    def qualname(self) -> str:
        owner = f"{self.cls.name}." if self.cls else ""
        return f"{self.module.name}:{owner}{self.node.name}"

    def decorators(self) -> set[str]:
        out = set()
        for dec in self.node.decorator_list:
            target = dec.func if isinstance(dec, ast.Call) else dec
            if isinstance(target, ast.Attribute):
                out.add(target.attr)
            elif isinstance(target, ast.Name):
                out.add(target.id)
        return out

    @property
    def is_property(self) -> bool:
        return bool(self.decorators() & {"property", "cached_property", "cache", "lru_cache"}) and (
            len(self.node.args.args) == 1
        )


@dataclass(eq=False, repr=False)
class ClassInfo:
    """A class: its base-class expressions, methods, class-level assignments and service hints."""

    node: ast.ClassDef
    module: ModuleInfo
    methods: dict[str, FunctionInfo] = field(default_factory=dict)
    attributes: dict[str, ast.expr] = field(default_factory=dict)
    #: ``self.x = ...`` assignments in any method: attribute -> [(value, method)]
    instance_attrs: dict[str, list[tuple[ast.expr, FunctionInfo]]] = field(default_factory=dict)
    #: ``self.x: T`` annotations
    annotations: dict[str, ast.expr] = field(default_factory=dict)
    #: "client" / "resource" -> service name given literally in the class (see HINT_NAMES)
    hints: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.node.name

    @property
    def qualname(self) -> str:
        return f"{self.module.name}:{self.node.name}"


@dataclass(eq=False, repr=False)
class ModuleInfo:
    """One parsed file."""

    name: str
    filename: str
    tree: ast.Module
    classes: dict[str, ClassInfo] = field(default_factory=dict)
    functions: dict[str, FunctionInfo] = field(default_factory=dict)
    #: local name -> imported dotted name (``_utils`` -> ``awswrangler._utils``, ``Hook`` -> ``pkg.mod.Hook``)
    imports: dict[str, str] = field(default_factory=dict)


def _literal_str(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _hint_kind(key: str) -> str:
    return "resource" if key == "resource_type" else "client"


class _ClassCollector(ast.NodeVisitor):
    """Collect a class's instance attributes and service hints from its methods' bodies."""

    def __init__(self, info: ClassInfo, method: FunctionInfo) -> None:
        self.info = info
        self.method = method

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self._target(target, node.value)
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        target = node.target
        if (
            isinstance(target, ast.Attribute)
            and isinstance(target.value, ast.Name)
            and target.value.id == "self"
        ):
            self.info.annotations.setdefault(target.attr, node.annotation)
        if node.value is not None:
            self._target(target, node.value)
        self.generic_visit(node)

    def _target(self, target: ast.expr, value: ast.expr) -> None:
        if (
            isinstance(target, ast.Attribute)
            and isinstance(target.value, ast.Name)
            and target.value.id == "self"
        ):
            self.info.instance_attrs.setdefault(target.attr, []).append((value, self.method))
            literal = _literal_str(value)
            if target.attr in HINT_NAMES and literal:
                self.info.hints.setdefault(_hint_kind(target.attr), literal)
        elif isinstance(target, ast.Subscript):
            # kwargs["client_type"] = "glue"
            key = _literal_str(target.slice)
            literal = _literal_str(value)
            if key in HINT_NAMES and literal:
                self.info.hints.setdefault(_hint_kind(key), literal)

    def visit_Call(self, node: ast.Call) -> None:
        # super().__init__(client_type="athena", ...), kwargs.update({"client_type": "glacier"})
        if self.method.name == "__init__":
            for kw in node.keywords:
                literal = _literal_str(kw.value)
                if kw.arg in HINT_NAMES and literal:
                    self.info.hints.setdefault(_hint_kind(kw.arg), literal)
            for arg in node.args:
                if isinstance(arg, ast.Dict):
                    for key, value in zip(arg.keys, arg.values, strict=True):
                        k, v = _literal_str(key), _literal_str(value)
                        if k in HINT_NAMES and v:
                            self.info.hints.setdefault(_hint_kind(k), v)
        self.generic_visit(node)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        """Nested functions belong to their own scope."""

    visit_AsyncFunctionDef = visit_FunctionDef  # type: ignore[assignment]


class Project:
    """Every module of one scan, with lookups by dotted and simple names."""

    def __init__(self) -> None:
        self.modules: dict[str, ModuleInfo] = {}
        self.classes_by_name: dict[str, list[ClassInfo]] = {}
        self._resolving: set[str] = set()

    def add(self, name: str, filename: str, tree: ast.Module) -> ModuleInfo:
        module = ModuleInfo(name, filename, tree)
        self.modules[name] = module
        package = name.rsplit(".", 1)[0] if "." in name else ""
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    local = alias.asname or alias.name.split(".")[0]
                    module.imports[local] = alias.name if alias.asname else alias.name.split(".")[0]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = name.split(".")[: -node.level] if node.level <= name.count(".") else []
                    base = ".".join([*parts, base] if base else parts) or package
                for alias in node.names:
                    module.imports[alias.asname or alias.name] = (
                        f"{base}.{alias.name}" if base else alias.name
                    )
        for node in tree.body:
            self._collect(module, node, None)
        return module

    def _collect(self, module: ModuleInfo, node: ast.stmt, cls: ClassInfo | None) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            func = FunctionInfo(node, module, cls)
            if "overload" in func.decorators():
                return
            if cls is None:
                module.functions[node.name] = func
            else:
                cls.methods[node.name] = func
                _ClassCollector(cls, func).visit(node)
                for stmt in node.body:
                    _ClassCollector(cls, func).visit(stmt)
        elif isinstance(node, ast.ClassDef) and cls is None:
            info = ClassInfo(node, module)
            module.classes[node.name] = info
            self.classes_by_name.setdefault(node.name, []).append(info)
            for stmt in node.body:
                if isinstance(stmt, ast.Assign):
                    for target in stmt.targets:
                        if isinstance(target, ast.Name):
                            info.attributes[target.id] = stmt.value
                            literal = _literal_str(stmt.value)
                            if target.id in HINT_NAMES and literal:
                                info.hints.setdefault(_hint_kind(target.id), literal)
                elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                    if stmt.value is not None:
                        info.attributes[stmt.target.id] = stmt.value
                    info.annotations.setdefault(stmt.target.id, stmt.annotation)
                else:
                    self._collect(module, stmt, info)
        elif isinstance(node, (ast.If, ast.Try)) and cls is None:
            for stmt in [*node.body, *getattr(node, "orelse", []), *getattr(node, "finalbody", [])]:
                self._collect(module, stmt, None)

    # -- lookups ---------------------------------------------------------------------------------------
    def resolve(self, dotted: str) -> ModuleInfo | ClassInfo | FunctionInfo | None:
        """A project module, class or function by its dotted import name; when the scan started below a
        namespace package (``airflow.providers``), by the longest suffix the project knows."""
        found = self._resolve(dotted)
        parts = dotted.split(".")
        for start in range(1, len(parts) - 1):
            if found is not None:
                break
            found = self._resolve(".".join(parts[start:]))
        return found

    def _resolve(self, dotted: str) -> ModuleInfo | ClassInfo | FunctionInfo | None:
        if dotted in self.modules:
            return self.modules[dotted]
        if "." in dotted:
            mod, _, attr = dotted.rpartition(".")
            module = self.modules.get(mod) or self.modules.get(f"{mod}.__init__")
            if module is not None:
                if attr in module.classes:
                    return module.classes[attr]
                if attr in module.functions:
                    return module.functions[attr]
                target = module.imports.get(attr)
                if target and target != dotted and dotted not in self._resolving:
                    self._resolving.add(dotted)
                    try:
                        return self.resolve(target)
                    finally:
                        self._resolving.discard(dotted)
                if f"{dotted}" in self.modules:
                    return self.modules[dotted]
        return None

    def class_named(self, name: str, near: ModuleInfo) -> ClassInfo | None:
        """A class by simple name: the module's own, the imported one, else the only one of that name."""
        if name in near.classes:
            return near.classes[name]
        target = near.imports.get(name)
        if target:
            found = self.resolve(target)
            if isinstance(found, ClassInfo):
                return found
        candidates = self.classes_by_name.get(name, [])
        return candidates[0] if len(candidates) == 1 else None

    def bases(self, cls: ClassInfo) -> list[ClassInfo]:
        out = []
        for base in cls.node.bases:
            node = base.value if isinstance(base, ast.Subscript) else base
            name = (
                node.attr
                if isinstance(node, ast.Attribute)
                else node.id
                if isinstance(node, ast.Name)
                else None
            )
            if name:
                found = self.class_named(name, cls.module)
                if found is not None and found is not cls:
                    out.append(found)
        return out

    def mro(self, cls: ClassInfo) -> list[ClassInfo]:
        """The class and its project bases, depth first (good enough for single-inheritance hooks)."""
        out: list[ClassInfo] = []
        stack = [cls]
        while stack:
            current = stack.pop(0)
            if current in out:
                continue
            out.append(current)
            stack.extend(self.bases(current))
        return out

    def hint(self, cls: ClassInfo, kind: str) -> str | None:
        for current in self.mro(cls):
            if kind in current.hints:
                return current.hints[kind]
        return None
