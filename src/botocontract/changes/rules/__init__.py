"""Every diff rule, in one place: a rule is a small function over the precomputed :class:`ServiceDiff`.

A rule yields bare :class:`~botocontract.changes.model.Change` objects; the engine adds the rule id,
severity, location and fingerprint. Direction decides severity for most member rules: a change that narrows
what a caller may send breaks the request side, a change that widens what a consumer may receive breaks
the response side. Each rule's docstring is its documentation (``botocontract rules``) and says why.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from botocontract.changes.diff import MemberDelta, ServiceDiff, ShapeDelta
from botocontract.changes.model import (
    Audience,
    Change,
    Direction,
    Enforcement,
    Kind,
    Location,
    Severity,
    Subject,
    Traits,
)
from botocontract.registry import Registry

__all__ = ["RULES", "Rule", "RuleContext", "rule", "rule_matches", "traits_of"]

INFO, WARNING, DANGER, ERROR = Severity.INFO, Severity.WARNING, Severity.DANGER, Severity.ERROR
SENDERS, READERS, BOTH, NEITHER = Audience.SENDERS, Audience.READERS, Audience.BOTH, Audience.NEITHER
CLIENT, SERVICE, WIRE, NONE = Enforcement.CLIENT, Enforcement.SERVICE, Enforcement.WIRE, Enforcement.NONE


def _t(
    kind: Kind, subject: Subject, breaks: Audience, enforced: Enforcement, requires: bool = False
) -> Traits:
    return Traits(kind, subject, breaks, enforced, requires)


@dataclass(frozen=True)
class RuleContext:
    """What a rule reads: the structural diff of one service pair."""

    diff: ServiceDiff

    @property
    def service(self) -> str:
        return self.diff.service

    def shape_raw(self, name: str, *, old: bool = False) -> Mapping[str, Any]:
        model = self.diff.old_raw if old else self.diff.new_raw
        return (model.get("shapes") or {}).get(name) or {}

    def sites(
        self, shape: str, member: str | None = None, *, kept: bool = False
    ) -> Iterator[tuple[Location, str | None]]:
        """Where a change to ``shape`` (or one of its members) shows, as decided by
        :meth:`ServiceDiff.sites`: per operation side, once per side on a shared shape (with its uses), or
        once at service level when no operation reaches it.

        ``kept`` leaves out places that reach the shape only in the new model (a member now targeting
        it): comparing the shape's old and new traits says nothing there, ChangedMemberTarget does."""
        for site in self.diff.sites(shape, member, kept=kept):
            uses = tuple((u.operation, u.side, u.path) for u in site.uses)
            where = Location(self.service, site.operation, site.side or "service", site.path, shape, uses)
            yield where, None if site.raised else site.side

    def op(
        self, name: str, side: Direction = "service", path: str = "", shape: str | None = None
    ) -> Location:
        return Location(self.service, name, side, path, shape)

    def here(self, path: str = "") -> Location:
        return Location(self.service, None, "service", path)


RuleFunc = Callable[[RuleContext], Iterable[Change]]


@dataclass(frozen=True)
class Rule:
    """A registered rule: id, default severity, its function, and what its findings mean.

    ``traits`` maps a key to the meaning of a finding: ``None`` for the rule itself, a variant name
    (``"Removed"``) for a variant, or a facet a change names when the variant alone does not decide
    (``"Tightened.service"``: a bound botocore does not check). Every meaning is declared here, once;
    nothing else derives it from rule ids or messages.
    """

    id: str
    severity: Severity
    func: RuleFunc
    traits: Mapping[str | None, Traits]

    @property
    def doc(self) -> str:
        return " ".join((self.func.__doc__ or "").split())

    @property
    def docs(self) -> bool:
        """Whether the rule reports documentation only (shown with ``include_docs``)."""
        return self.traits[None].kind is Kind.DOCUMENTATION

    def traits_for(self, variant: str | None = None, facet: str | None = None) -> Traits:
        """The declared traits of a facet, else of a variant, else of the rule."""
        for key in (facet, variant):
            if key is not None and key in self.traits:
                return self.traits[key]
        if facet is not None:
            raise KeyError(f"rule {self.id} declares no traits for facet {facet!r}")
        return self.traits[None]

    def __call__(self, ctx: RuleContext) -> Iterable[Change]:
        return self.func(ctx)


RULES: Registry[Rule] = Registry("rule")


def rule(
    rule_id: str, severity: Severity, traits: Traits, **variants: Traits
) -> Callable[[RuleFunc], RuleFunc]:
    """Register a rule function under ``rule_id`` with its default severity and declared traits
    (``traits`` for the rule; keyword arguments for variants and facets)."""

    def decorator(func: RuleFunc) -> RuleFunc:
        table: dict[str | None, Traits] = {None: traits}
        table.update(variants)
        RULES.add(rule_id, Rule(rule_id, severity, func, table))
        return func

    return decorator


#: Meaning of a finding whose rule id no rule declares (hand-built findings, older JSON).
UNKNOWN = Traits(Kind.CHANGE, Subject.TRAIT, Audience.NEITHER, Enforcement.NONE)


def traits_of(rule_id: str, facet: str | None = None) -> Traits:
    """The declared traits of a full rule id (``RemovedMember.Request``)."""
    base, _, variant = rule_id.partition(".")
    if base not in RULES:
        return UNKNOWN
    return RULES.get(base).traits_for(variant or None, facet)


def rule_matches(rule_id: str, selector: str) -> bool:
    """Whether a user's rule selector (an exact id, a glob, or the id of a rule without its variant)
    names ``rule_id``."""
    return fnmatch.fnmatchcase(rule_id, selector) or rule_id.partition(".")[0] == selector


def _side(side: str | None, request: Severity, response: Severity, other: Severity) -> Severity:
    return request if side == "request" else response if side == "response" else other


def _member_changes(ctx: RuleContext, keys: Iterable[str]) -> Iterator[tuple[ShapeDelta, MemberDelta, str]]:
    """(shape delta, member delta, key) for every changed member key in ``keys``."""
    wanted = set(keys)
    for delta in ctx.diff.shapes_changed:
        for member in delta.members_changed:
            for key in sorted(member.keys & wanted):
                yield delta, member, key


def _shape_changes(ctx: RuleContext, keys: Iterable[str]) -> Iterator[tuple[ShapeDelta, str]]:
    wanted = set(keys)
    for delta in ctx.diff.shapes_changed:
        for key in sorted(delta.traits & wanted):
            yield delta, key


def _trait_changes(
    ctx: RuleContext, keys: Iterable[str]
) -> Iterator[tuple[Location, str | None, str, Any, Any]]:
    """(location, side, key, old, new) for ``keys`` changed on shapes or on member references."""
    keys = tuple(keys)
    for delta, key in _shape_changes(ctx, keys):
        for loc, side in ctx.sites(delta.name, kept=True):
            yield loc, side, key, delta.old.get(key), delta.new.get(key)
    for delta, member, key in _member_changes(ctx, keys):
        for loc, side in ctx.sites(delta.name, member.name):
            yield loc, side, key, member.old.get(key), member.new.get(key)


# -- services and api versions --------------------------------------------------------------------------


# The topical modules register their rules on import, in this order: it is the order of
# ``botocontract rules`` and of findings.
# isort: off
from botocontract.changes.rules import services  # noqa: E402, F401
from botocontract.changes.rules import members  # noqa: E402, F401
from botocontract.changes.rules import constraints  # noqa: E402, F401
from botocontract.changes.rules import metadata  # noqa: E402, F401
from botocontract.changes.rules import pagination  # noqa: E402, F401
from botocontract.changes.rules import docs  # noqa: E402, F401
from botocontract.changes.rules import endpoints  # noqa: E402, F401
# isort: on
