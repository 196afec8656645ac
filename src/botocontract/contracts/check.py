"""Check a contract against a release: every service, operation and member path must exist there.

A typo in a hand-written contract would silently make the gate blind to that member, so each unknown
name is reported with the closest names the model does have.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from botocontract.contracts.contract import Contract
from botocontract.errors import BotocontractError, did_you_mean

if TYPE_CHECKING:
    from botocore.model import Shape

    from botocontract.specs.sources import SourceLike

__all__ = ["CheckProblem", "CheckResult", "check_contract"]

_SEGMENT = re.compile(r"^(?P<name>[^\[\]{}]+)(?P<marks>(\[\]|\{\})*)$")


@dataclass(frozen=True)
class CheckProblem:
    """One name in the contract that the release does not have."""

    service: str
    operation: str | None
    direction: str | None
    path: str | None
    message: str

    def __str__(self) -> str:
        where = ":".join(p for p in (self.service, self.operation, self.direction, self.path) if p)
        return f"{where}: {self.message}"


@dataclass
class CheckResult:
    source_label: str
    problems: list[CheckProblem] = field(default_factory=list)
    checked_paths: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def _suggest(name: str, known: Any) -> str:
    hits = did_you_mean(name, known)
    return f" (did you mean {', '.join(hits)}?)" if hits else ""


def _walk(path: str, shape: Shape | None) -> str | None:
    """None when ``path`` exists under ``shape``, else why not."""
    done = ""
    for raw in path.split("."):
        if raw == "*":
            return None
        match = _SEGMENT.match(raw)
        if match is None:
            return f"{raw!r} is not a member name"
        name = match.group("name")
        if shape is not None and shape.type_name in ("list", "map"):
            mark = "[]" if shape.type_name == "list" else "{}"
            return f"{done} is a {shape.type_name}: write {done}{mark}.{name}"
        if shape is None or shape.type_name != "structure":
            kind = "nothing" if shape is None else f"a {shape.type_name}"
            return f"{name!r} cannot follow {kind}"
        done = f"{done}.{raw}" if done else raw
        if name not in shape.members:
            return f"no member {name!r} in {shape.name}{_suggest(name, shape.members)}"
        shape = shape.members[name]
        for mark in re.findall(r"\[\]|\{\}", match.group("marks")):
            want = "list" if mark == "[]" else "map"
            if shape.type_name != want:
                return f"{name} is a {shape.type_name}, not a {want} (drop {mark!r})"
            shape = shape.member if want == "list" else shape.value
    return None


def check_contract(contract: Contract, source: SourceLike = "installed") -> CheckResult:
    """Every unknown service, operation or member path of ``contract`` in ``source``."""
    from botocontract.specs import resolve_source

    src = resolve_source(source)
    result = CheckResult(source_label=src.label)
    known_services = [i.name for i in src.services()]
    for service, ops in sorted(contract.services.items()):
        if service not in known_services:
            result.problems.append(
                CheckProblem(
                    service,
                    None,
                    None,
                    None,
                    f"no service {service!r} in {src.label}{_suggest(service, known_services)}",
                )
            )
            continue
        version = contract.api_versions.get(service)
        try:
            spec = src.service(f"{service}@{version}" if version else service)
        except BotocontractError as exc:
            result.problems.append(CheckProblem(service, None, None, None, exc.one_line()))
            continue
        model = spec.model
        for kind, used, known in (
            ("paginator", contract.paginators.get(service, set()), spec.paginators),
            ("waiter", contract.waiters.get(service, set()), spec.waiters),
        ):
            for name in sorted(used - set(known)):
                result.problems.append(
                    CheckProblem(service, None, None, None, f"no {kind} {name!r}{_suggest(name, known)}")
                )
        for op_name, use in sorted(ops.items()):
            if op_name not in model.operation_names:
                result.problems.append(
                    CheckProblem(
                        service,
                        op_name,
                        None,
                        None,
                        f"no operation {op_name!r}{_suggest(op_name, model.operation_names)}",
                    )
                )
                continue
            op = model.operation_model(op_name)
            for direction, paths, shape in (
                ("request", use.request, op.input_shape),
                ("response", use.response, op.output_shape),
            ):
                for path in sorted(paths):
                    result.checked_paths += 1
                    why = _walk(path, shape)
                    if why is not None:
                        result.problems.append(CheckProblem(service, op_name, direction, path, why))
    return result
