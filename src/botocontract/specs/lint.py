"""Model lint: constraints inside one botocore model that contradict each other or can never be met.

AWS models carry a few such defects (apprunner ``ServiceId``: exactly 32 characters, but a pattern of a
36-character UUID; ec2 ``PlacementGroupArn``: a ``^`` in the middle of its pattern). No request or response
can satisfy them, so a fuzzer that generated them would report the model's defect as a client or emulator
failure. Each rule is declared once with its traits (:class:`LintRule`); ``unsatisfiable`` rules mark a
shape no value can satisfy, and that spreads up through required members, non-empty lists and unions to
structures and whole operations, which fuzzing then skips with the finding as its reason.

Patterns are read as the validator reads them (Java's ``find``: unanchored unless anchored), through
:mod:`botocontract.specs.patterns`; a pattern that cannot be translated is never called a defect.
"""

from __future__ import annotations

import json
import math
import re
import sys
import weakref
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from botocontract.registry import Registry
from botocontract.specs.patterns import compile_pattern, translate

if TYPE_CHECKING:
    from botocore.model import ServiceModel

    from botocontract.specs.model import ServiceSpec
    from botocontract.specs.sources import SourceLike

if sys.version_info >= (3, 11):
    from re import _parser as sre_parse
else:  # pragma: no cover - Python 3.10
    import sre_parse

__all__ = [
    "RULES",
    "LintFinding",
    "LintRule",
    "ModelLint",
    "lint_for_model",
    "lint_model",
    "lint_service",
    "lint_source",
]

_NUMBERS = frozenset({"integer", "long", "short", "byte", "float", "double", "bigInteger", "bigDecimal"})
_INTEGERS = frozenset({"integer", "long", "short", "byte", "bigInteger"})
#: Characters Java's ``$`` (and Python's) may leave after itself: one line terminator, at most ``\r\n``.
_END_SLACK = 2


@dataclass(frozen=True)
class LintRule:
    """One kind of model defect. ``unsatisfiable``: no value of the shape meets its constraints."""

    id: str
    summary: str
    unsatisfiable: bool


RULES: Registry[LintRule] = Registry("lint rule")
for _rule in (
    LintRule("MinAboveMax", "a min above its max (length, size or range)", True),
    LintRule("PatternLongerThanMax", "every value the pattern matches is longer than max", True),
    LintRule("PatternShorterThanMin", "an anchored pattern matches only values shorter than min", True),
    LintRule("AnchorInMiddle", "a ^ after required characters (or a $ before them): nothing matches", True),
    LintRule("EnumRejectedByPattern", "an enum value the shape's own pattern rejects", False),
    LintRule("EnumOutsideLength", "an enum value outside the shape's min/max length", False),
    LintRule("NoValidEnumValue", "every enum value is rejected by the pattern or the length", True),
    LintRule(
        "RequiredUnsatisfiable",
        "a required member (or the elements of a non-empty list or map) has a shape no value satisfies",
        True,
    ),
    LintRule("UnionUnsatisfiable", "no member of a union can be satisfied", True),
    LintRule("OperationUnsatisfiable", "an operation's input or output can never be valid", True),
):
    RULES.add(_rule.id, _rule)


@dataclass(frozen=True, order=True)
class LintFinding:
    """One defect: where (``shape``, and ``member`` or ``operation`` when it has one) and why."""

    service: str
    shape: str
    rule: str
    message: str
    member: str = ""
    operation: str = ""
    direction: str = ""
    #: the defect this one follows from (``"ServiceId PatternLongerThanMax"``), empty for a root defect
    root: str = ""

    @property
    def unsatisfiable(self) -> bool:
        return RULES.get(self.rule).unsatisfiable

    @property
    def where(self) -> str:
        if self.operation:
            return f"{self.operation} {self.direction}"
        return f"{self.shape}.{self.member}" if self.member else self.shape

    def to_dict(self) -> dict[str, Any]:
        out = {"service": self.service, "rule": self.rule, "shape": self.shape, "message": self.message}
        for key in ("member", "operation", "direction", "root"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        return out

    def line(self) -> str:
        because = f" (because of {self.root})" if self.root else ""
        return f"{self.service} {self.where}: {self.rule}: {self.message}{because}"


class ModelLint:
    """The findings of one model, worked out lazily: a generator asks only about the shapes it reaches
    (an operation's closure), :meth:`complete` works out the whole model (the ``lint`` command).

    A shape's verdict depends only on the shapes it reaches, so each closure is settled once (its own
    defects, then a fixpoint through required members, non-empty lists and unions) and remembered.
    """

    def __init__(self, raw: Mapping[str, Any], service: str) -> None:
        self.service = service
        self._shapes: Mapping[str, Any] = raw.get("shapes", {})
        self._operations: Mapping[str, Any] = raw.get("operations", {})
        self._settled: set[str] = set()
        self._own: dict[str, list[LintFinding]] = {}
        #: shape name -> the finding that makes it unsatisfiable (settled shapes only)
        self.unsatisfiable: dict[str, LintFinding] = {}
        #: shape name -> enum values its own constraints reject (settled shapes only)
        self.rejected_enum: dict[str, frozenset[str]] = {}

    # -- lazy views ------------------------------------------------------------------------------------
    def unsatisfied(self, shape: str) -> LintFinding | None:
        """The finding that makes ``shape`` impossible to satisfy, or None."""
        if shape not in self._settled:
            self._settle(shape)
        return self.unsatisfiable.get(shape)

    def rejected(self, shape: str) -> frozenset[str]:
        """Enum values of ``shape`` that its own length or pattern rejects."""
        if shape not in self._settled:
            self._settle(shape)
        return self.rejected_enum.get(shape, frozenset())

    def operation_finding(self, operation: str, direction: str) -> LintFinding | None:
        """Why ``operation``'s ``"input"``/``"output"`` can never be valid, or None."""
        target = self._operations.get(operation, {}).get(direction, {}).get("shape")
        cause = self.unsatisfied(target) if target else None
        if cause is None:
            return None
        return LintFinding(
            self.service,
            target,
            "OperationUnsatisfiable",
            f"{direction} shape {target} can never be valid",
            operation=operation,
            direction=direction,
            root=_root(cause),
        )

    def operation_reason(self, operation: str, direction: str) -> str | None:
        finding = self.operation_finding(operation, direction)
        return None if finding is None else finding.line()

    def reason(self, shape: str) -> str | None:
        """Why a shape cannot be generated (for skip messages), or None."""
        finding = self.unsatisfied(shape)
        return None if finding is None else finding.line()

    # -- the whole model -------------------------------------------------------------------------------
    def complete(self) -> ModelLint:
        """Settle every shape and operation (what the ``lint`` command reports)."""
        for name in sorted(self._shapes):
            self.unsatisfied(name)
        return self

    @property
    def operations(self) -> dict[tuple[str, str], LintFinding]:
        """(operation, direction) -> finding, for every operation (settles the whole model)."""
        found = {}
        for name in sorted(self._operations):
            for direction in ("input", "output"):
                finding = self.operation_finding(name, direction)
                if finding is not None:
                    found[(name, direction)] = finding
        return found

    @property
    def findings(self) -> list[LintFinding]:
        """Every finding of the model, sorted (settles the whole model)."""
        self.complete()
        out = [f for name in self._shapes for f in self._own.get(name, ())]
        out += [f for f in self.unsatisfiable.values() if f.root]
        out += self.operations.values()
        return sorted(out)

    # -- settling --------------------------------------------------------------------------------------
    def _settle(self, root: str) -> None:
        closure = []
        stack = [root]
        seen = set(self._settled)
        while stack:
            name = stack.pop()
            if name in seen or name not in self._shapes:
                continue
            seen.add(name)
            closure.append(name)
            stack.extend(_refs(self._shapes[name]))
        for name in sorted(closure):
            self._check_own(name)
        changed = True
        while changed:  # a fixpoint: unsatisfiability only spreads upward
            changed = False
            for name in sorted(closure):
                if name in self.unsatisfiable:
                    continue
                finding = _blocked(self.service, name, self._shapes[name], self.unsatisfiable)
                if finding is not None:
                    self.unsatisfiable[name] = finding
                    changed = True
        self._settled.update(closure)
        self._settled.add(root)

    def _check_own(self, name: str) -> None:
        body = self._shapes[name]
        own = [LintFinding(self.service, name, rule, message) for rule, message in _own_defects(name, body)]
        rejected = []
        for rule, value, message in _enum_rejections(body):
            own.append(LintFinding(self.service, name, rule, message))
            rejected.append(value)
        if rejected:
            self.rejected_enum[name] = frozenset(rejected)
            enum = [v for v in body.get("enum", ()) if isinstance(v, str)]
            if enum and set(enum) <= set(rejected):
                own.append(
                    LintFinding(
                        self.service, name, "NoValidEnumValue", f"all {len(enum)} enum values rejected"
                    )
                )
        if own:
            self._own[name] = own
            first = next((f for f in own if RULES.get(f.rule).unsatisfiable), None)
            if first is not None:
                self.unsatisfiable[name] = first


# --------------------------------------------------------------------------------------------- shapes


def _number(value: Any) -> float | None:
    try:
        return None if value is None else float(value)
    except (TypeError, ValueError):
        return None


def _own_defects(name: str, body: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """(rule, message) for the defects of one shape's own traits."""
    kind = body.get("type")
    low, high = _number(body.get("min")), _number(body.get("max"))
    if (low is not None and high is not None) and (
        (kind in _INTEGERS and math.ceil(low) > math.floor(high)) or low > high
    ):
        yield "MinAboveMax", f"min {body['min']} is above max {body['max']}"
    if kind != "string":
        return
    min_len = int(low or 0)
    max_len = None if high is None else int(high)
    pattern = body.get("pattern")
    if pattern:
        yield from _pattern_defects(pattern, min_len, max_len)


def _enum_rejections(body: Mapping[str, Any]) -> Iterator[tuple[str, str, str]]:
    """(rule, value, message) for each enum value the shape's own length or pattern rejects."""
    low, high = _number(body.get("min")), _number(body.get("max"))
    pattern = body.get("pattern")
    regex = compile_pattern(pattern) if pattern and translate(pattern).status == "exact" else None
    for value in body.get("enum") or ():
        if not isinstance(value, str):
            continue
        if (low is not None and len(value) < low) or (high is not None and len(value) > high):
            yield (
                "EnumOutsideLength",
                value,
                (
                    f"enum value {value!r} has {len(value)} characters, outside {body.get('min', 0)}.."
                    f"{body.get('max', '')}"
                ),
            )
        elif regex is not None and regex.search(value) is None:
            yield "EnumRejectedByPattern", value, f"enum value {value!r} does not match pattern {pattern!r}"


@lru_cache(maxsize=8192)
def _pattern_defects_cached(pattern: str, min_len: int, max_len: int | None) -> tuple[tuple[str, str], ...]:
    tr = translate(pattern)
    if tr.python is None:
        return ()
    try:
        parsed = sre_parse.parse(tr.python)
        lo, hi = parsed.getwidth()
    except (re.error, OverflowError, RecursionError):
        return ()
    out: list[tuple[str, str]] = []
    items = _flatten(list(parsed.data))
    if not parsed.state.flags & re.MULTILINE:
        for i, item in enumerate(items):
            if _is_start(item) and _min_width(items[:i]) > 0:
                out.append(("AnchorInMiddle", f"pattern {pattern!r} has ^ after required characters"))
                break
            if _is_end(item) and _min_width(items[i + 1 :]) > _END_SLACK:
                out.append(("AnchorInMiddle", f"pattern {pattern!r} has $ before required characters"))
                break
    if max_len is not None and lo > max_len:
        out.append(
            (
                "PatternLongerThanMax",
                f"pattern {pattern!r} matches only values of {lo}+ characters, but max is {max_len}",
            )
        )
    if items and _is_start(items[0]) and _is_end(items[-1]):
        slack = 0 if _is_strict_end(items[-1]) else _END_SLACK
        if hi + slack < min_len:
            out.append(
                (
                    "PatternShorterThanMin",
                    f"anchored pattern {pattern!r} matches at most {hi} characters, but min is {min_len}",
                )
            )
    return tuple(out)


def _pattern_defects(pattern: str, min_len: int, max_len: int | None) -> tuple[tuple[str, str], ...]:
    return _pattern_defects_cached(pattern, min_len, max_len)


def _flatten(items: list[Any]) -> list[Any]:
    """Top-level sequence with plain (flag-free, unrepeated) groups spliced in."""
    out: list[Any] = []
    for op, av in items:
        if op is sre_parse.SUBPATTERN and not av[1] and not av[2]:
            out.extend(_flatten(list(av[3])))
        else:
            out.append((op, av))
    return out


def _min_width(items: list[Any]) -> int:
    if not items:
        return 0
    try:
        return int(sre_parse.SubPattern(sre_parse.State(), list(items)).getwidth()[0])
    except Exception:  # back-references: width unknown, so claim nothing
        return 0


def _is_start(item: Any) -> bool:
    op, av = item
    return op is sre_parse.AT and str(av) in ("AT_BEGINNING", "AT_BEGINNING_STRING")


def _is_strict_end(item: Any) -> bool:
    op, av = item
    return op is sre_parse.AT and str(av) == "AT_END_STRING"


def _is_end(item: Any) -> bool:
    """``$``, ``\\Z``, or the lookahead ``specs.patterns`` writes for Java's ``$``.

    That lookahead spans at most a line terminator before the end; ``(?=.{1,80}$)`` is a length check.
    """
    op, av = item
    if op is sre_parse.AT:
        return str(av) in ("AT_END", "AT_END_STRING")
    if op is sre_parse.ASSERT and av[0] == 1:
        try:
            if sre_parse.SubPattern(sre_parse.State(), list(av[1])).getwidth()[1] > _END_SLACK:
                return False
        except Exception:
            return False
        sub = _flatten(list(av[1]))
        if len(sub) == 1 and sub[0][0] is sre_parse.BRANCH:
            return all(_flatten(list(b)) and _is_end(_flatten(list(b))[-1]) for b in sub[0][1][1])
        return bool(sub) and _is_end(sub[-1])
    return False


# ---------------------------------------------------------------------------------------------- model


def _refs(body: Mapping[str, Any]) -> Iterable[str]:
    for member in body.get("members", {}).values():
        yield member["shape"]
    for key in ("member", "key", "value"):
        if key in body:
            yield body[key]["shape"]


def lint_model(raw: Mapping[str, Any], service: str) -> ModelLint:
    """Lint one whole raw ``service-2.json`` dict. Findings are sorted, so output is deterministic."""
    return ModelLint(raw, service).complete()


def _root(cause: LintFinding) -> str:
    return cause.root or f"{cause.where} {cause.rule}"


def _blocked(
    service: str, name: str, body: Mapping[str, Any], bad: Mapping[str, LintFinding]
) -> LintFinding | None:
    kind = body.get("type")
    if kind == "structure" and body.get("union"):
        members = body.get("members", {})
        if members and all(m["shape"] in bad for m in members.values()):
            return LintFinding(
                service,
                name,
                "UnionUnsatisfiable",
                f"all {len(members)} members unsatisfiable",
                root=_root(bad[next(iter(members.values()))["shape"]]),
            )
        return None
    if kind == "structure":
        for member in sorted(body.get("required", ())):
            target = body.get("members", {}).get(member, {}).get("shape")
            if target in bad:
                cause = bad[target]
                return LintFinding(
                    service,
                    name,
                    "RequiredUnsatisfiable",
                    f"required member {member} is a {target}, which can never be valid",
                    member=member,
                    root=_root(cause),
                )
        return None
    if kind in ("list", "map") and (_number(body.get("min")) or 0) >= 1:
        for key in ("member", "key", "value"):
            target = body.get(key, {}).get("shape")
            if target in bad:
                cause = bad[target]
                return LintFinding(
                    service,
                    name,
                    "RequiredUnsatisfiable",
                    f"at least {body['min']} entries of {target}, which can never be valid",
                    root=_root(cause),
                )
    return None


# ------------------------------------------------------------------------------------------ releases


_BY_MODEL: weakref.WeakKeyDictionary[ServiceModel, ModelLint] = weakref.WeakKeyDictionary()


def lint_for_model(model: ServiceModel) -> ModelLint:
    """The (lazy) lint of a botocore ``ServiceModel``, kept while the model lives."""
    found = _BY_MODEL.get(model)
    if found is None:
        found = _BY_MODEL[model] = ModelLint(model._service_description, model.service_name)
    return found


def lint_service(spec: ServiceSpec) -> ModelLint:
    """The (lazy) lint of a :class:`~botocontract.specs.model.ServiceSpec`, kept with the spec."""
    found: ModelLint | None = spec.__dict__.get("_lint")
    if found is None:
        found = spec.__dict__["_lint"] = ModelLint(spec.raw, spec.name)
    return found


def lint_source(source: SourceLike = "installed", services: Iterable[str] | None = None) -> list[ModelLint]:
    """Lint every service of a source (or the named ones), in name order; models are released as it goes."""
    from botocontract.specs.sources import resolve_source

    resolved = resolve_source(source)
    names = sorted(services) if services else sorted(resolved.service_names())
    out = []
    for name in names:
        spec = resolved.service(name)
        out.append(lint_model(spec.raw, spec.name))
    return out


def findings_json(results: Iterable[ModelLint]) -> str:
    """Every finding as one JSON document (stable key order)."""
    return json.dumps([f.to_dict() for r in results for f in r.findings], indent=2, sort_keys=True) + "\n"
