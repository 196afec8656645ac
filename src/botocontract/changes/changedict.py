"""awsapichanges-style change dicts: what an operation gained, as a nested dict of type summaries.

The format shows additions only, so that it stays readable on a changelog page:

* a member that is new is shown as :func:`type_summary` of its whole subtree: enums as ``'A | B'``,
  other scalars as their botocore type name (``'string'``, ``'integer'``, ``'timestamp'``, ...), lists as
  ``[x]``, maps as ``{key: value}``, structures as dicts of their members;
* a string that gained enum values is shown as the set of added values, ``{'AUC'}``;
* lists and maps are transparent: a change inside ``Containers[*]`` is shown under ``Containers``.

Everything else (removals, changed types, required, constraints, errors, docs) is left to the rules and
shown beside the dict as findings. The dicts print with ``pprint.pformat(delta)`` at width 80
(:func:`format_delta`).

Recursive shapes: a type summary stops where a shape would contain itself and shows the string
``'{...recursive: ShapeName}'`` (:data:`RECURSIVE_MARKER`); the walk over two models stops at a shape
already on the current path, since everything below it was compared on the first visit.
"""

from __future__ import annotations

import pprint
from typing import Any

from botocore.model import ListShape, MapShape, OperationModel, Shape, StructureShape

__all__ = [
    "RECURSIVE_MARKER",
    "change_dicts",
    "format_delta",
    "shape_delta",
    "type_summary",
]

#: What a type summary shows where a shape would contain itself; ``{name}`` is the shape name.
RECURSIVE_MARKER = "{{...recursive: {name}}}"

#: pprint width of the reference format.
WIDTH = 80


def type_summary(shape: Shape, _path: tuple[str, ...] = ()) -> Any:
    """The type summary of a shape's whole subtree, as the format shows a new member."""
    if shape.name in _path and shape.type_name in ("structure", "list", "map"):
        return RECURSIVE_MARKER.format(name=shape.name)
    path = (*_path, shape.name)
    if isinstance(shape, StructureShape):
        return {name: type_summary(member, path) for name, member in shape.members.items()}
    if isinstance(shape, ListShape):
        return [type_summary(shape.member, path)]
    if isinstance(shape, MapShape):
        return {type_summary(shape.key, path): type_summary(shape.value, path)}
    if shape.type_name == "string" and shape.enum:
        return " | ".join(shape.enum)
    return shape.type_name


def shape_delta(new: Shape | None, old: Shape | None, _path: tuple[str, ...] = ()) -> Any:
    """What ``new`` added to ``old``, in the format; an empty value (``{}``, ``set()``) when nothing.

    With no ``old`` everything is new, so the result is the type summary. Shapes whose type changed
    show nothing here: a changed type is not an addition and the rules report it.
    """
    if new is None:
        return {}
    if old is None:
        return type_summary(new)
    if new.name in _path:
        return {}
    path = (*_path, new.name)
    if isinstance(new, StructureShape) and isinstance(old, StructureShape):
        out: dict[str, Any] = {}
        for name, member in new.members.items():
            if name not in old.members:
                out[name] = type_summary(member, path)
                continue
            sub = shape_delta(member, old.members[name], path)
            if sub:
                out[name] = sub
        return out
    if isinstance(new, ListShape) and isinstance(old, ListShape):
        return shape_delta(new.member, old.member, path)
    if isinstance(new, MapShape) and isinstance(old, MapShape):
        return shape_delta(new.value, old.value, path)
    if new.type_name == "string" and old.type_name == "string":
        old_values = set(old.enum or ())
        return {value for value in new.enum or () if value not in old_values}
    return {}


def change_dicts(
    old_op: OperationModel | None, new_op: OperationModel
) -> tuple[dict[str, Any], dict[str, Any]]:
    """``(request_delta, response_delta)`` of an operation; both are empty dicts when nothing was added.

    ``old_op`` is None for a new operation; then each side is the type summary of its whole shape.
    """
    sides = []
    for attr in ("input_shape", "output_shape"):
        new_shape = getattr(new_op, attr)
        old_shape = getattr(old_op, attr) if old_op is not None else None
        if old_op is not None and old_shape is None and new_shape is not None:
            delta = type_summary(new_shape)
        else:
            delta = shape_delta(new_shape, old_shape)
        sides.append(delta if isinstance(delta, dict) else {})
    return sides[0], sides[1]


class _Printer(pprint.PrettyPrinter):
    """``pprint`` with sets always sorted: plain ``pformat`` prints a set that fits on one line in hash
    order, which changes between runs for strings; wrapped sets are sorted by pprint itself."""

    def format(self, obj: Any, context: dict[int, int], maxlevels: int, level: int) -> tuple[str, bool, bool]:
        if isinstance(obj, (set, frozenset)) and obj:
            parts = [self.format(item, context, maxlevels, level + 1) for item in sorted(obj, key=str)]
            text = "{" + ", ".join(p[0] for p in parts) + "}"
            if isinstance(obj, frozenset):
                text = f"frozenset({text})"
            return text, all(p[1] for p in parts), any(p[2] for p in parts)
        return super().format(obj, context, maxlevels, level)


def format_delta(delta: Any) -> str:
    """The dict as the format prints it: ``pprint.pformat`` at width 80, keys and set items sorted."""
    return _Printer(width=WIDTH).pformat(delta)
