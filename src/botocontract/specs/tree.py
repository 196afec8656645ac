"""Readable views of a service's shapes: an indented member tree and a JSON form.

The tree follows members from an operation's input or output; a shape met again on its own path is
printed once and then marked ``(recursive)``, so recursive models stay finite.
"""

from __future__ import annotations

from typing import Any

from botocontract.specs.model import ServiceSpec, ShapeSpec

__all__ = ["operation_json", "operation_tree", "service_tree"]


def _type_label(shape: ShapeSpec) -> str:
    bits = [shape.kind]
    if shape.enum:
        bits.append("enum " + "|".join(shape.enum))
    if shape.min is not None or shape.max is not None:
        lo = "" if shape.min is None else f"{shape.min:g}"
        hi = "" if shape.max is None else f"{shape.max:g}"
        bits.append(f"{lo}..{hi}")
    if shape.pattern:
        bits.append(f"pattern {shape.pattern}")
    for trait in ("sensitive", "deprecated", "streaming", "eventstream", "timestampFormat"):
        if trait in shape.traits:
            bits.append(trait if shape.traits[trait] is True else f"{trait}={shape.traits[trait]}")
    return ", ".join(bits)


def _walk(spec: ServiceSpec, name: str, indent: int, path: tuple[str, ...], out: list[str]) -> None:
    shape = spec.shapes.get(name)
    if shape is None:
        return
    pad = "  " * indent
    for ref in shape.references:
        target = spec.shapes.get(ref.target)
        label = "" if target is None else _type_label(target)
        flags = [
            f for f, on in (("required", ref.required), ("location=" + str(ref.location), ref.location)) if on
        ]
        flags += [k if v is True else f"{k}={v}" for k, v in ref.traits.items()]
        key = ref.name if shape.type == "structure" else f"({ref.name})"
        extra = f"  [{', '.join(flags)}]" if flags else ""
        recursive = ref.target in path
        out.append(f"{pad}{key}: {ref.target} ({label}){extra}{'  (recursive)' if recursive else ''}")
        if not recursive:
            _walk(spec, ref.target, indent + 1, (*path, ref.target), out)


def operation_tree(spec: ServiceSpec, operation: str) -> str:
    """The operation's request and response members as an indented tree."""
    op = spec.operation(operation)
    out = [f"{spec.name} {op.name}  {op.http.get('method', '')} {op.http.get('requestUri', '')}".rstrip()]
    if op.deprecated:
        out.append("  deprecated")
    for title, root in (("request", op.input), ("response", op.output)):
        out.append(f"  {title}: {root or '(none)'}")
        if root:
            _walk(spec, root, 2, (root,), out)
    if op.errors:
        out.append(f"  errors: {', '.join(op.errors)}")
    return "\n".join(out)


def service_tree(spec: ServiceSpec) -> str:
    """One line per operation: its input and output shape names."""
    out = [
        f"{spec.full_name} ({spec.name}@{spec.api_version}, {spec.protocol}) — "
        f"{len(spec.operations)} operations, {len(spec.shapes)} shapes"
    ]
    for op in spec.operations.values():
        out.append(f"  {op.name}({op.input or ''}) -> {op.output or 'None'}")
    return "\n".join(out)


def operation_json(spec: ServiceSpec, operation: str | None = None) -> dict[str, Any]:
    """The raw definitions an operation (or the whole service) depends on, for ``--format json``."""
    if operation is None:
        return {
            "service": spec.name,
            "apiVersion": spec.api_version,
            "metadata": dict(spec.metadata),
            "operations": {n: dict(o.raw) for n, o in spec.operations.items()},
            "shapes": {n: dict(s.raw) for n, s in spec.shapes.items()},
        }
    op = spec.operation(operation)
    names = spec.reachable(op.input) | spec.reachable(op.output) | set(op.errors)
    return {
        "service": spec.name,
        "apiVersion": spec.api_version,
        "operation": dict(op.raw),
        "shapes": {n: dict(spec.shapes[n].raw) for n in sorted(names) if n in spec.shapes},
        "recursive": sorted(names & spec.recursive_shapes),
    }
