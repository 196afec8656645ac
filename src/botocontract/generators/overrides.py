"""User strategies that replace generated values for one shape or one member path.

Generated values honour the model but look nothing like real data (a role ARN made of random text that
fits the pattern). An override swaps in a realistic strategy, either for every use of a shape name
(``"ModelName"``) or for one member path of an operation (``"CreateModel.ExecutionRoleArn"``; list
and map levels are transparent, so ``"CreateModel.Containers.Image"`` reaches each container).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hypothesis.strategies import SearchStrategy

from botocontract.errors import BotocontractError, UnknownNameError
from botocontract.specs.lookup import service_model

if TYPE_CHECKING:
    from botocore.model import Shape

__all__ = ["clear_overrides", "generation", "path_overrides", "register_strategy", "shape_override"]

_BY_SHAPE: dict[tuple[str, str], SearchStrategy[Any]] = {}
_BY_PATH: dict[tuple[str, str], dict[tuple[str, ...], SearchStrategy[Any]]] = {}
# Bumped on every change so compiled strategies built under older overrides are not reused.
_generation = 0


def register_strategy(service: str, shape_or_path: str, strategy: SearchStrategy[Any]) -> None:
    """Use ``strategy`` for a shape name, or for ``"Operation.Member[.Member...]"``, of ``service``.

    Register before the first draw of an affected strategy: a strategy that has already been drawn
    from keeps the values it was compiled with. The name is checked against the installed models.
    """
    global _generation
    if not isinstance(strategy, SearchStrategy):
        raise BotocontractError(
            f"register_strategy({service!r}, {shape_or_path!r}, ...) got {strategy!r}, not a strategy",
            hint="pass a hypothesis strategy such as st.just('my-model') or st.sampled_from([...])",
        )
    _check_name(service, shape_or_path)
    if "." in shape_or_path:
        operation, *members = shape_or_path.split(".")
        _BY_PATH.setdefault((service, operation), {})[tuple(members)] = strategy
    else:
        _BY_SHAPE[(service, shape_or_path)] = strategy
    _generation += 1


def clear_overrides(service: str | None = None) -> None:
    """Forget registered strategies, for one service or for all."""
    global _generation
    for table in (_BY_SHAPE, _BY_PATH):
        for key in [k for k in table if service is None or k[0] == service]:
            del table[key]
    _generation += 1


def generation() -> int:
    """A number that changes whenever overrides change (part of the compiled-strategy cache key)."""
    return _generation


def shape_override(service: str, shape_name: str) -> SearchStrategy[Any] | None:
    return _BY_SHAPE.get((service, shape_name))


def path_overrides(service: str, operation: str) -> dict[tuple[str, ...], SearchStrategy[Any]]:
    return _BY_PATH.get((service, operation), {})


def _check_name(service: str, shape_or_path: str) -> None:
    """Reject names the installed model does not have, with did-you-mean suggestions."""
    model = service_model(service, "installed")
    if "." not in shape_or_path:
        if shape_or_path not in model.shape_names:
            raise UnknownNameError("shape", shape_or_path, model.shape_names, where=service)
        return
    operation, *members = shape_or_path.split(".")
    if operation not in model.operation_names:
        raise UnknownNameError("operation", operation, model.operation_names, where=service)
    op = model.operation_model(operation)
    shapes = [s for s in (op.input_shape, op.output_shape) if s is not None]
    for member in members:
        shapes = [_unwrap(s) for s in shapes]
        found = [s.members[member] for s in shapes if s.type_name == "structure" and member in s.members]
        if not found:
            known = sorted({m for s in shapes if s.type_name == "structure" for m in s.members})
            raise UnknownNameError("member", member, known, where=f"{service} {shape_or_path}")
        shapes = found


def _unwrap(shape: Shape) -> Shape:
    """The element shape under any list and map levels (paths do not name them)."""
    while shape.type_name in ("list", "map"):
        shape = shape.member if shape.type_name == "list" else shape.value
    return shape
