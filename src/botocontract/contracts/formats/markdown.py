"""Markdown for a pull-request comment or a job summary."""

from __future__ import annotations

from botocontract.contracts.formats import RenderContext
from botocontract.contracts.gate import GateResult


def _md_cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def render(result: GateResult, context: RenderContext) -> str:
    icon = "✅" if result.passed else "❌"
    out = [f"## {icon} botocontract gate", "", result.summary(), ""]
    shown = [i for i in result.items if i.relevant or i.counted]
    if shown:
        out += ["| | severity | rule | where | message |", "|---|---|---|---|---|"]
        for i in shown:
            mark = "❌" if i.counted else ("🔕" if i.suppressed_by else "·")
            msg = i.finding.message + (f" — {i.note}" if i.note else "")
            if i.suppressed_by is not None:
                msg += f" — suppressed: {i.suppressed_by.reason}"
            out.append(
                f"| {mark} | {i.severity.label} | `{i.finding.rule}` | `{_md_cell(i.finding.location)}` "
                f"| {_md_cell(msg)} |"
            )
        out.append("")
    for s in result.expired:
        out.append(f"- ❌ {_md_cell(s.expiry_message())}")
    hidden = len(result.items) - len(shown)
    if hidden:
        out += [""] if out[-1] else []
        out.append(f"<sub>{hidden} finding(s) do not touch the contract.</sub>")
    return "\n".join(out).rstrip() + "\n"
