"""Contract-scoped endpoint fuzzing: only the operations and members an application uses, and a parity
matrix per operation that answers "is this emulator good enough to test my app?".

The scope is plain data (operation -> member paths as tuples of member names), built by the caller from
a consumer contract: this floor does not read contracts. Requests keep the members the application
sends (and every required one); a response is judged only on the members the application reads (and
their ancestors); operations the application needs only to create what it uses run as ``setup``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from botocore.model import ServiceModel, Shape

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

    from botocontract.fuzz.report import EndpointReport

__all__ = ["OperationScope", "ParityRow", "Scope", "parity", "render_parity_text"]

Path = tuple[str, ...]
_INDEX = re.compile(r"\[[^\]]*\]")


def path_segments(path: str) -> Path:
    """A validator path (``$.Containers[0].Image``, ``$.Tags['k']``) as member names: Containers, Image."""
    text = _INDEX.sub("", path.removeprefix("$"))
    return tuple(seg for seg in text.split(".") if seg)


def _relevant(path: Path, used: frozenset[Path] | None) -> bool:
    """Whether ``path`` is used: an ancestor of a used path, or below one (a used path covers its value,
    and a trailing ``*`` everything below it). ``None`` means everything is used."""
    if used is None:
        return True
    for each in used:
        whole = each[:-1] if each and each[-1] == "*" else each
        if path[: len(whole)] == whole or each[: len(path)] == path:
            return True
    return False


@dataclass(frozen=True)
class OperationScope:
    """What the application does with one operation; ``None`` paths mean "all of them"."""

    request: frozenset[Path] | None = None
    response: frozenset[Path] | None = None
    #: Called only to create what the application uses (the contract's setup, or a family's create).
    setup: bool = False


@dataclass
class Scope:
    """operation -> :class:`OperationScope` for one service."""

    service: str
    operations: dict[str, OperationScope] = field(default_factory=dict)
    #: Where the scope came from (the contract file), for the report.
    origin: str = ""

    @classmethod
    def from_paths(
        cls,
        service: str,
        uses: Mapping[str, tuple[Iterable[Path], Iterable[Path], bool]],
        *,
        origin: str = "",
    ) -> Scope:
        """From ``operation -> (request paths, response paths, setup)`` (paths as member-name tuples)."""
        return cls(
            service,
            {
                op: OperationScope(frozenset(map(tuple, req)), frozenset(map(tuple, resp)), setup)
                for op, (req, resp, setup) in sorted(uses.items())
            },
            origin,
        )

    def with_creates(self, model: ServiceModel) -> Scope:
        """Add, as setup, the creates of resource families whose identifiers a used operation requires
        (so a ``DescribeModel`` the application calls has a model to describe)."""
        from botocontract.fuzz.stateful import infer_families

        owner = {ident: f.create for f in infer_families(model) for ident in f.identifiers}
        operations = dict(self.operations)
        pending = list(operations)
        while pending:
            shape = model.operation_model(pending.pop()).input_shape
            for member in shape.required_members if shape is not None else ():
                create = owner.get(member)
                if create and create not in operations:
                    operations[create] = OperationScope(None, frozenset(), setup=True)
                    pending.append(create)
        return Scope(self.service, dict(sorted(operations.items())), self.origin)

    # -- hooks the endpoint fuzz calls ----------------------------------------------------------------
    def requests(
        self, model: ServiceModel, operation: str, strategy: SearchStrategy[dict[str, Any]]
    ) -> SearchStrategy[dict[str, Any]]:
        """Valid requests keeping only the members the application sends (required ones always)."""
        used = self._use(operation).request
        shape = model.operation_model(operation).input_shape
        if used is None or shape is None:
            return strategy
        return strategy.map(lambda params: prune(shape, params, used))

    def breakable(self, model: ServiceModel, operation: str) -> bool:
        """Whether invalid requests are in scope: the application itself sends some member (setup
        operations only make state, their rejections are not the application's concern)."""
        use = self._use(operation)
        shape = model.operation_model(operation).input_shape
        return (
            not use.setup
            and shape is not None
            and bool(use.request is None or self._sent(shape, use.request))
        )

    @staticmethod
    def _sent(shape: Shape, used: frozenset[Path]) -> frozenset[Path]:
        """The paths the application sends: its own and the top-level required members."""
        return used | {(name,) for name in shape.required_members}  # type: ignore[attr-defined]

    def invalid(
        self, model: ServiceModel, operation: str, strategy: SearchStrategy[Any]
    ) -> SearchStrategy[Any]:
        """Invalid requests that break a member the application sends, the rest pruned as for valid ones."""
        from dataclasses import replace

        used = self._use(operation).request
        shape = model.operation_model(operation).input_shape
        if used is None or shape is None:
            return strategy

        def scoped(example: Any) -> Any:
            broken = path_segments(example.path)
            return replace(example, params=prune(shape, example.params, used | {broken}))

        sent = self._sent(shape, used)
        return strategy.filter(lambda e: _relevant(path_segments(e.path), sent)).map(scoped)

    def reads(self, operation: str) -> Callable[[str], bool]:
        """Whether a problem at a response path (validator form) touches what the application reads."""
        used = self._use(operation).response
        return lambda path: _relevant(path_segments(path), used)

    def _use(self, operation: str) -> OperationScope:
        return self.operations.get(operation, OperationScope())

    # -- the parity matrix (the report calls these; it imports nothing from here) ---------------------
    def matrix(self, report: EndpointReport) -> dict[str, Any]:
        return parity_dict(report, self)

    def render_matrix(self, report: EndpointReport) -> str:
        return render_parity_text(report)


def prune(shape: Shape, value: Any, used: frozenset[Path], prefix: Path = ()) -> Any:
    """``value`` with the optional members no used path reaches removed (a union keeps its member)."""
    if not isinstance(value, dict) and not isinstance(value, list):
        return value
    if _covered(prefix, used):
        return value
    if shape.type_name == "list" and isinstance(value, list):
        return [prune(shape.member, item, used, prefix) for item in value]  # type: ignore[attr-defined]
    if shape.type_name == "map" and isinstance(value, dict):
        return {k: prune(shape.value, v, used, prefix) for k, v in value.items()}  # type: ignore[attr-defined]
    if shape.type_name != "structure" or not isinstance(value, dict):
        return value
    members = shape.members  # type: ignore[attr-defined]
    required = set(shape.required_members)  # type: ignore[attr-defined]
    kept = {}
    for name, item in value.items():
        path = (*prefix, name)
        if name in required or _relevant(path, used):
            kept[name] = prune(members[name], item, used, path) if name in members else item
    if shape.metadata.get("union") and value and not kept:
        return value  # an empty union is invalid: the application sends one member of it anyway
    return kept


def _covered(path: Path, used: frozenset[Path]) -> bool:
    """Some used path is ``path`` or above it: the whole value below is used."""
    for each in used:
        whole = each[:-1] if each and each[-1] == "*" else each
        if path[: len(whole)] == whole:
            return True
    return False


# ------------------------------------------------------------------------------------- parity matrix


@dataclass(frozen=True)
class ParityRow:
    """One operation's answer to "can I test my app against this emulator?"."""

    operation: str
    role: str  # "app" or "setup"
    implemented: bool | None  # None: not reached (time budget, skipped)
    conforms: bool | None
    failed_checks: tuple[str, ...]
    calls: int
    request_members: int | None  # None: all
    response_members: int | None
    note: str = ""

    @property
    def verdict(self) -> str:
        if self.implemented is False:
            return "not implemented"
        if self.implemented is None:
            return "not run"
        return "conforms" if self.conforms else "deviates"

    def to_dict(self) -> dict[str, Any]:
        return {
            "operation": self.operation,
            "role": self.role,
            "implemented": self.implemented,
            "conforms": self.conforms,
            "verdict": self.verdict,
            "failed_checks": list(self.failed_checks),
            "calls": self.calls,
            "request_members": self.request_members,
            "response_members": self.response_members,
            "note": self.note,
        }


def parity(report: EndpointReport, scope: Scope) -> list[ParityRow]:
    """The matrix rows, application operations first, then setup ones, each group by name."""
    rows = []
    for name, use in scope.operations.items():
        result = report.operations.get(name)
        if result is None:
            continue
        status = result.status
        implemented = {"not implemented": False, "skipped": None, "not run": None}.get(status, True)
        failed = tuple(sorted({f.check for f in report.failures if f.operation == name} | set(result.failed)))
        rows.append(
            ParityRow(
                operation=name,
                role="setup" if use.setup else "app",
                implemented=implemented,
                conforms=None if implemented is not True else not failed,
                failed_checks=failed,
                calls=result.exercised,
                request_members=None if use.request is None else len(use.request),
                response_members=None if use.response is None else len(use.response),
                note=result.skipped or result.note,
            )
        )
    return sorted(rows, key=lambda r: (r.role != "app", r.operation))


def parity_dict(report: EndpointReport, scope: Scope) -> dict[str, Any]:
    rows = parity(report, scope)
    app = [r for r in rows if r.role == "app"]
    return {
        "contract": scope.origin,
        "service": report.service,
        "good_enough": bool(app) and all(r.verdict == "conforms" for r in app),
        "operations": [r.to_dict() for r in rows],
    }


def render_parity_text(report: EndpointReport) -> str:
    """The matrix as an aligned text table, then the one-line answer."""
    scope = report.scope
    assert isinstance(scope, Scope)
    rows = parity(report, scope)
    header = ("operation", "role", "implemented", "conforms", "calls", "failed checks")
    table = [header]
    for r in rows:
        table.append(
            (
                r.operation,
                r.role,
                _yes_no(r.implemented),
                _yes_no(r.conforms),
                str(r.calls),
                ", ".join(r.failed_checks) or (r.note[:60] if r.implemented is None else "-"),
            )
        )
    widths = [max(len(row[i]) for row in table) for i in range(len(header) - 1)]
    lines = [f"parity of {report.service} at {report.endpoint_url} with {scope.origin or 'the contract'}"]
    lines += [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=False)) + "  " + row[-1] for row in table
    ]
    app = [r for r in rows if r.role == "app"]
    bad = [r for r in app if r.verdict != "conforms"]
    if not bad and app:
        lines.append(
            f"good enough: all {len(app)} operations the application uses are implemented and conform"
        )
    else:
        counts = {
            v: sum(1 for r in bad if r.verdict == v) for v in ("not implemented", "deviates", "not run")
        }
        said = ", ".join(f"{n} {v}" for v, n in counts.items() if n)
        lines.append(f"not good enough: of {len(app)} operations the application uses, {said}")
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _yes_no(value: bool | None) -> str:
    return "?" if value is None else ("yes" if value else "no")
