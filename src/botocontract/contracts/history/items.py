"""What a model contains, as presence items: services, operations, member paths and enum values.

The history store records, for every item, the releases it was present in; blame and the minimum-version
solver ask whether one item is present in one model. Member paths are written as findings write them
(dotted member names, lists and maps transparent: ``Containers.Image``), on the request or response side.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["MAX_DEPTH", "Item", "find_target", "item_present", "model_items", "model_rows"]

#: Member paths deeper than this are not recorded. Shared shapes make some models explode (QuickSight's
#: dashboard definitions reach ~470,000 paths at full depth, ~51,000 at 7 levels); contracts and blame
#: questions name far shallower paths.
MAX_DEPTH = 8

KINDS = ("service", "operation", "member", "enum")


@dataclass(frozen=True, order=True)
class Item:
    """One thing a release may or may not contain. Unused fields are ``""`` so items compare and sort."""

    kind: str
    service: str
    operation: str = ""
    direction: str = ""
    path: str = ""
    value: str = ""

    def __str__(self) -> str:
        parts = [self.service, self.operation, self.path]
        text = " ".join(p for p in parts if p)
        if self.direction and self.kind in ("member", "enum"):
            text += f" ({self.direction})"
        return f"{text} = {self.value!r}" if self.value else text


_SIDES = (("input", "request"), ("output", "response"))


def _element(shape: Mapping[str, Any]) -> str | None:
    """The shape a list or map carries (lists and maps are transparent in member paths)."""
    kind = shape.get("type")
    if kind == "list":
        return (shape.get("member") or {}).get("shape")
    if kind == "map":
        return (shape.get("value") or {}).get("shape")
    return None


def model_items(service: str, raw: Mapping[str, Any], max_depth: int = MAX_DEPTH) -> Iterator[Item]:
    """Every item of one service model (its newest api-version), recursion cut where a shape repeats."""
    for row in model_rows(service, raw, max_depth):
        yield Item(*row)


def model_rows(service: str, raw: Mapping[str, Any], max_depth: int = MAX_DEPTH) -> set[tuple[str, ...]]:
    """:func:`model_items` as plain row tuples (what the store writes; building Items costs more)."""
    shapes: Mapping[str, Any] = raw.get("shapes") or {}
    out: set[tuple[str, ...]] = {("service", service, "", "", "", "")}
    add = out.add
    on_path: set[str] = set()  # shapes on the current path: one set, added and removed as the walk goes

    def walk(name: str, op: str, side: str, prefix: str, depth: int) -> None:
        shape = shapes.get(name) or {}
        kind = shape.get("type")
        if kind == "list" or kind == "map":
            inner = (shape.get("member" if kind == "list" else "value") or {}).get("shape")
            if inner is not None and inner not in on_path:
                on_path.add(inner)
                walk(inner, op, side, prefix, depth)
                on_path.discard(inner)
            return
        if prefix and "enum" in shape:
            for value in shape["enum"]:
                add(("enum", service, op, side, prefix, str(value)))
        if depth >= max_depth or kind != "structure":
            return
        for member, ref in (shape.get("members") or {}).items():
            path = f"{prefix}.{member}" if prefix else member
            add(("member", service, op, side, path, ""))
            target = ref.get("shape")
            if target and target not in on_path:
                on_path.add(target)
                walk(target, op, side, path, depth + 1)
                on_path.discard(target)

    for op, body in (raw.get("operations") or {}).items():
        add(("operation", service, op, "", "", ""))
        for key, side in _SIDES:
            root = (body.get(key) or {}).get("shape")
            if root:
                on_path.add(root)
                walk(root, op, side, "", 0)
                on_path.discard(root)
    return out


def find_target(
    raw: Mapping[str, Any], operation: str, direction: str, path: str
) -> Mapping[str, Any] | None:
    """The shape a member path leads to on one side of an operation, or None when the path is absent."""
    shapes: Mapping[str, Any] = raw.get("shapes") or {}
    body = (raw.get("operations") or {}).get(operation)
    if body is None:
        return None
    key = "input" if direction == "request" else "output"
    name = (body.get(key) or {}).get("shape")
    shape = shapes.get(name) if name else None
    for member in (p for p in path.split(".") if p):
        while shape is not None and (element := _element(shape)) is not None:
            shape = shapes.get(element)
        if shape is None:
            return None
        ref = (shape.get("members") or {}).get(member)
        if ref is None:
            return None
        shape = shapes.get(ref.get("shape"))
    while shape is not None and (element := _element(shape)) is not None:
        shape = shapes.get(element)
    return shape


def item_present(item: Item, raw: Mapping[str, Any] | None) -> bool:
    """Whether one model (None: the service is absent) contains ``item``; a ``member``/``enum`` item with
    no direction is present when either side has it."""
    if raw is None:
        return False
    if item.kind == "service":
        return True
    if item.operation not in (raw.get("operations") or {}):
        return False
    if item.kind == "operation":
        return True
    sides = (item.direction,) if item.direction else ("request", "response")
    for side in sides:
        shape = find_target(raw, item.operation, side, item.path)
        if shape is None:
            continue
        if item.kind == "member" or item.value in (shape.get("enum") or ()):
            return True
    return False
