"""Rules on paginators and waiters."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from botocontract.changes.model import (
    Change,
    Kind,
    Subject,
)
from botocontract.changes.rules import (
    BOTH,
    CLIENT,
    DANGER,
    ERROR,
    INFO,
    NEITHER,
    NONE,
    READERS,
    WARNING,
    RuleContext,
    _t,
    rule,
)
from botocontract.changes.rules.metadata import _deep_summary


@rule("AddedPaginator", INFO, traits=_t(Kind.ADDITION, Subject.PAGINATOR, NEITHER, NONE))
def added_paginator(ctx: RuleContext) -> Iterator[Change]:
    """A new paginator: ``get_paginator`` works for one more operation."""
    for name in ctx.diff.paginators_added:
        yield Change(ctx.op(name), f"paginator {name} was added", new=dict(ctx.diff.new_paginators[name]))


@rule("RemovedPaginator", ERROR, traits=_t(Kind.REMOVAL, Subject.PAGINATOR, BOTH, CLIENT))
def removed_paginator(ctx: RuleContext) -> Iterator[Change]:
    """A paginator is gone: ``get_paginator`` for it raises."""
    if ctx.diff.new is None:
        return
    for name in ctx.diff.paginators_removed:
        yield Change(ctx.op(name), f"paginator {name} was removed", old=dict(ctx.diff.old_paginators[name]))


@rule(
    "ChangedPaginator",
    DANGER,
    traits=_t(Kind.CHANGE, Subject.PAGINATOR, READERS, CLIENT),
    ResultKeyAdded=_t(Kind.ADDITION, Subject.PAGINATOR, NEITHER, CLIENT),
)
def changed_paginator(ctx: RuleContext) -> Iterator[Change]:
    """Paginator tokens, limit key or result keys changed: pagination loops may stop early, repeat, or
    return different items (danger). Only result keys added, the old ones kept in order: the pages carry
    one more aggregated list and every existing loop works as before (info)."""
    for name in ctx.diff.paginators_changed:
        old, new = dict(ctx.diff.old_paginators[name]), dict(ctx.diff.new_paginators[name])
        if _result_keys_added(old, new):
            added = _listed(new.get("result_key"))[len(_listed(old.get("result_key"))) :]
            yield Change(
                ctx.op(name),
                f"paginator {name}: result keys added: {', '.join(map(str, added))}",
                old,
                new,
                variant="ResultKeyAdded",
                severity=INFO,
            )
            continue
        yield Change(ctx.op(name), f"paginator {name} changed: {_deep_summary(old, new)}", old, new)


def _listed(value: Any) -> list[Any]:
    return [] if value is None else list(value) if isinstance(value, list) else [value]


def _result_keys_added(old: Mapping[str, Any], new: Mapping[str, Any]) -> bool:
    """Whether ``new`` only appends result keys to ``old`` (a single key may become a list)."""
    before, after = _listed(old.get("result_key")), _listed(new.get("result_key"))
    rest_same = {k: v for k, v in old.items() if k != "result_key"} == {
        k: v for k, v in new.items() if k != "result_key"
    }
    return rest_same and len(after) > len(before) and after[: len(before)] == before


@rule("AddedWaiter", INFO, traits=_t(Kind.ADDITION, Subject.WAITER, NEITHER, NONE))
def added_waiter(ctx: RuleContext) -> Iterator[Change]:
    """A new waiter: ``get_waiter`` works for one more name."""
    for name in ctx.diff.waiters_added:
        yield Change(ctx.here(f"waiters.{name}"), f"waiter {name} was added")


@rule("RemovedWaiter", ERROR, traits=_t(Kind.REMOVAL, Subject.WAITER, BOTH, CLIENT))
def removed_waiter(ctx: RuleContext) -> Iterator[Change]:
    """A waiter is gone: ``get_waiter`` for it raises."""
    if ctx.diff.new is None:
        return
    for name in ctx.diff.waiters_removed:
        yield Change(ctx.here(f"waiters.{name}"), f"waiter {name} was removed")


@rule("ChangedWaiter", WARNING, traits=_t(Kind.CHANGE, Subject.WAITER, BOTH, CLIENT))
def changed_waiter(ctx: RuleContext) -> Iterator[Change]:
    """A waiter's operation, delay, attempts or acceptors changed: code waiting on it may wait longer,
    shorter, or for a different state."""
    for name in ctx.diff.waiters_changed:
        old, new = dict(ctx.diff.old_waiters[name]), dict(ctx.diff.new_waiters[name])
        yield Change(
            ctx.here(f"waiters.{name}"), f"waiter {name} changed: {_deep_summary(old, new)}", old, new
        )


# -- documentation ------------------------------------------------------------------------------------
