"""Rules on documentation."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from botocontract.changes.diff import DOC_KEYS
from botocontract.changes.docdiff import doc_change
from botocontract.changes.model import (
    Change,
    Kind,
    Location,
    Subject,
)
from botocontract.changes.rules import (
    INFO,
    NEITHER,
    NONE,
    RuleContext,
    _t,
    _trait_changes,
    rule,
)


@rule("ChangedDocumentation", INFO, traits=_t(Kind.DOCUMENTATION, Subject.DOCUMENTATION, NEITHER, NONE))
def changed_documentation(ctx: RuleContext) -> Iterator[Change]:
    """Documentation text changed. Never breaks anything; reported only with ``include_docs``, with a
    word-level excerpt of the edit and the old and new text around it."""

    def edited(loc: Location, where: str, key: str, old: Any, new: Any) -> Change:
        edit = doc_change(old if isinstance(old, str) else None, new if isinstance(new, str) else None)
        what = "documentation" if key == "documentation" else key
        return Change(loc, f"{where} {what} changed: {edit.summary}", edit.old, edit.new)

    if "documentation" in ctx.diff.top:
        old, new = ctx.diff.old_raw.get("documentation"), ctx.diff.new_raw.get("documentation")
        yield edited(ctx.here(), ctx.service, "documentation", old, new)
    for delta in ctx.diff.operations_changed:
        for key in sorted(delta.keys & DOC_KEYS):
            yield edited(ctx.op(delta.name), delta.name, key, delta.old.get(key), delta.new.get(key))
    seen: set[tuple[Location, str]] = set()
    for loc, _side, key, old, new in _trait_changes(ctx, DOC_KEYS):
        if (loc, key) not in seen:
            seen.add((loc, key))
            yield edited(loc, loc.path or loc.shape or "", key, old, new)


# -- endpoint rule sets -------------------------------------------------------------------------------
# Judged by what botocore resolves (see changes.endpoints), never by the rule set's text. A botocore
# client follows a rule set by itself, so a moved endpoint changes no code; what a user feels is traffic
# going somewhere else (firewalls, VPC endpoints, proxies, emulators), a configuration that stops working,
# or a client setting that silently loses its effect.
