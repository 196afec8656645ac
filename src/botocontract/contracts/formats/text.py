"""Plain text for a terminal or a CI log: the verdict, then what breaks, what is suppressed, the rest."""

from __future__ import annotations

from botocontract.contracts.formats import RenderContext, item_line
from botocontract.contracts.gate import GateResult


def render(result: GateResult, context: RenderContext) -> str:
    out = [result.summary()]
    if result.failures:
        out.append(f"\nBreaks (at or above {result.fail_on.label}):")
        out += ["  " + item_line(i).replace("\n", "\n  ") for i in result.failures]
    for s in result.expired:
        out.append(f"\nExpired: {s.expiry_message()}")
    suppressed = result.suppressed
    if suppressed:
        # Reviewed findings would drown the rest: a count here, each one in json, sarif and junit.
        out.append(f"\n{len(suppressed)} finding(s) suppressed (listed in --format json or sarif).")
    rest = [i for i in result.items if not i.counted and i.suppressed_by is None and i.relevant]
    if rest:
        out.append("\nBelow the threshold:")
        out += ["  " + item_line(i).replace("\n", "\n  ") for i in rest]
    untouched = [i for i in result.items if not i.relevant]
    if untouched:
        out.append(f"\n{len(untouched)} finding(s) do not touch the contract (reported as info).")
    for s in result.unused:
        out.append(f"note: {s.describe()} matched nothing; remove it if the change is gone")
    return "\n".join(out) + "\n"
