"""A best-effort static contract: find boto3 client calls in Python source with :mod:`ast`.

It recognises ``boto3.client("svc")``, ``session.client("svc")`` and ``Session().client(service_name=...)``
bound to a name or attribute, then calls ``<client>.<snake_op>(Key=...)`` on it (and ``get_paginator``),
mapping method names to operations with botocore's own ``xform_name`` over the service model. Literal
dict/list arguments give nested request paths; subscripts and ``.get()`` on a bound result give response
paths. Anything dynamic is skipped: record a contract with the pytest plugin for the full picture.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from botocontract.contracts.contract import Contract
from botocontract.errors import BotocontractError

__all__ = ["ScanResult", "scan_paths", "scan_source"]

_SKIP_DIRS = {".git", ".hg", ".tox", ".nox", ".venv", "venv", "node_modules", "site-packages", "__pycache__"}


@dataclass
class ScanResult:
    """The contract found plus what could not be resolved, as ``file:line: text`` notes."""

    contract: Contract = field(default_factory=Contract)
    notes: list[str] = field(default_factory=list)
    files: int = 0


class _Models:
    """Service models by name, loaded once each; ``None`` for names the source does not know."""

    def __init__(self, source: Any) -> None:
        self.source = source
        self._cache: dict[str, Any] = {}

    def methods(self, service: str) -> tuple[Any, dict[str, str]] | None:
        if service not in self._cache:
            from botocore import xform_name

            from botocontract.specs import load_service

            try:
                spec = load_service(service, source=self.source)
            except BotocontractError:
                self._cache[service] = None
            else:
                model = spec.model
                self._cache[service] = (model, {xform_name(op): op for op in model.operation_names})
        return self._cache[service]


def _client_service(call: ast.AST) -> str | None:
    """The service name of a ``*.client("svc")`` / ``client(service_name="svc")`` call, else None."""
    if not isinstance(call, ast.Call):
        return None
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
    if name != "client":
        return None
    arg: ast.AST | None = call.args[0] if call.args else None
    for kw in call.keywords:
        if kw.arg == "service_name":
            arg = kw.value
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return arg.value
    return None


def _literal_paths(node: ast.AST, shape: Any, prefix: str) -> Iterator[str]:
    """Request paths inside a literal argument, walked along its shape."""
    if shape is None:
        return
    if isinstance(node, ast.Dict) and shape.type_name == "structure":
        for key, value in zip(node.keys, node.values, strict=True):
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                path = f"{prefix}.{key.value}"
                yield path
                yield from _literal_paths(value, shape.members.get(key.value), path)
    elif isinstance(node, ast.Dict) and shape.type_name == "map":
        for value in node.values:
            yield from _literal_paths(value, shape.value, prefix + "{}")
    elif isinstance(node, (ast.List, ast.Tuple)) and shape.type_name == "list":
        for value in node.elts:
            yield from _literal_paths(value, shape.member, prefix + "[]")


def _access_chain(node: ast.AST) -> tuple[ast.AST, list[ast.AST]]:
    """Unwind ``x["A"][0].get("B")`` into (x, [A, 0, B]) with the keys as AST nodes."""
    keys: list[ast.AST] = []
    while True:
        if isinstance(node, ast.Subscript):
            keys.append(node.slice)
            node = node.value
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get"
            and node.args
        ):
            keys.append(node.args[0])
            node = node.func.value
        else:
            return node, keys[::-1]


def _response_path(keys: list[ast.AST], shape: Any) -> str | None:
    path = ""
    for key in keys:
        if shape is None:
            return path or None
        if shape.type_name == "structure" and isinstance(key, ast.Constant) and isinstance(key.value, str):
            if key.value not in shape.members:
                return path or None
            path = f"{path}.{key.value}" if path else key.value
            shape = shape.members[key.value]
        elif shape.type_name == "list":
            path += "[]"
            shape = shape.member
        elif shape.type_name == "map":
            path += "{}"
            shape = shape.value
        else:
            return path or None
    return path or None


class _FileScan(ast.NodeVisitor):
    def __init__(self, filename: str, models: _Models, result: ScanResult) -> None:
        self.filename = filename
        self.models = models
        self.result = result
        self.clients: dict[str, str] = {}
        self.responses: dict[str, tuple[str, Any]] = {}

    def note(self, node: ast.AST, text: str) -> None:
        self.result.notes.append(f"{self.filename}:{getattr(node, 'lineno', 0)}: {text}")

    def visit_Assign(self, node: ast.Assign) -> None:
        service = _client_service(node.value)
        for target in node.targets:
            key = ast.unparse(target)
            if service is not None:
                self.clients[key] = service
            else:
                call = self._operation_call(node.value)
                if call is not None:
                    self.responses[key] = call
        self.generic_visit(node)

    def _operation_call(self, node: ast.AST) -> tuple[str, Any] | None:
        """(service, OperationModel) for ``<client>.<snake_op>(...)``, else None."""
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            return None
        owner = node.func.value
        service = _client_service(owner) or self.clients.get(ast.unparse(owner))
        if service is None:
            return None
        found = self.models.methods(service)
        if found is None:
            return None
        model, methods = found
        method = node.func.attr
        if method == "get_paginator" and node.args and isinstance(node.args[0], ast.Constant):
            method = str(node.args[0].value)
        op = methods.get(method)
        return None if op is None else (model.service_name, model.operation_model(op))

    def visit_Call(self, node: ast.Call) -> None:
        service = _client_service(node)
        if service is not None and self.models.methods(service) is None:
            self.note(node, f"unknown service {service!r}; skipped")
        call = self._operation_call(node)
        if call is not None:
            service, op = call
            paths: set[str] = set()
            is_paginator = isinstance(node.func, ast.Attribute) and node.func.attr == "get_paginator"
            for kw in [] if is_paginator else node.keywords:
                if kw.arg is None:
                    self.note(node, f"{op.name}: **kwargs not followed")
                    continue
                paths.add(kw.arg)
                members = op.input_shape.members if op.input_shape is not None else {}
                paths.update(_literal_paths(kw.value, members.get(kw.arg), kw.arg))
            self.result.contract.add(service, op.name, request=paths)
        else:
            self._maybe_response(node)
        self.generic_visit(node)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        self._maybe_response(node)
        self.generic_visit(node)

    def _maybe_response(self, node: ast.AST) -> None:
        root, keys = _access_chain(node)
        if not keys:
            return
        bound = self.responses.get(ast.unparse(root))
        if bound is None:
            return
        service, op = bound
        path = (_response_path(keys, op.output_shape) or "").rstrip("[]{}")
        if path:
            self.result.contract.add(service, op.name, response=_prefixes(path))


def _prefixes(path: str) -> set[str]:
    """``A[].B`` -> {A, A[].B}: a read of a nested member reads its parents too."""
    out = set()
    parts = path.split(".")
    for i in range(1, len(parts) + 1):
        out.add(".".join(parts[:i]).rstrip("[]{}") if i < len(parts) else ".".join(parts))
    return out


def scan_source(text: str, *, filename: str = "<string>", source: Any = "installed") -> ScanResult:
    """Scan one Python source text; a file that does not parse is noted, not fatal."""
    result = ScanResult()
    _scan_text(text, filename, _Models(source), result)
    return result


def _scan_text(text: str, filename: str, models: _Models, result: ScanResult) -> None:
    try:
        tree = ast.parse(text, filename=filename)
    except SyntaxError as exc:
        result.notes.append(f"{filename}:{exc.lineno or 0}: not Python ({exc.msg}); skipped")
        return
    _FileScan(filename, models, result).visit(tree)
    result.files += 1


def _python_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    for raw in paths:
        path = Path(raw)
        if path.is_file():
            yield path
        elif path.is_dir():
            for found in sorted(path.rglob("*.py")):
                if not _SKIP_DIRS.intersection(found.relative_to(path).parts[:-1]):
                    yield found
        else:
            raise BotocontractError(
                f"nothing to scan at {str(path)!r}", hint="give a Python file or a folder"
            )


def scan_paths(paths: Iterable[str | os.PathLike[str]], *, source: Any = "installed") -> ScanResult:
    """Scan files and folders (recursively, skipping virtualenvs and VCS folders)."""
    result = ScanResult()
    models = _Models(source)
    for path in _python_files(paths):
        _scan_text(path.read_text(encoding="utf-8", errors="replace"), str(path), models, result)
    return result
