"""GitHub Actions workflow commands (annotations on the contract file)."""

from __future__ import annotations

from botocontract.changes.model import Severity
from botocontract.contracts.formats import RenderContext
from botocontract.contracts.gate import GateResult


def _gh_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(value: str) -> str:
    return _gh_data(value).replace(":", "%3A").replace(",", "%2C")


_GH_LEVEL = {
    Severity.ERROR: "error",
    Severity.DANGER: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "notice",
}


def render(result: GateResult, context: RenderContext) -> str:
    """GitHub Actions workflow commands: one annotation per finding that counts or touches the contract."""
    out = []
    for item in result.items:
        if not (item.counted or (item.relevant and item.suppressed_by is None)):
            continue
        level = "error" if item.counted else _GH_LEVEL[item.severity]
        if not item.counted and level == "error":
            level = "warning"
        props = []
        if context.contract_path:
            props += [f"file={_gh_prop(context.contract_path)}", f"line={context.line_of(item)}"]
        props.append(f"title={_gh_prop(f'{item.finding.rule} at {item.finding.location}')}")
        message = item.finding.message + (f" ({item.note})" if item.note else "")
        out.append(f"::{level} {','.join(props)}::{_gh_data(message)}")
    for s in result.expired:
        props = [f"file={_gh_prop(context.suppressions_path)}"] if context.suppressions_path else []
        props.append(f"title={_gh_prop(f'expired suppression #{s.index}')}")
        msg = s.expiry_message()
        out.append(f"::error {','.join(props)}::{_gh_data(msg)}")
    out.append(f"::notice title=botocontract gate::{_gh_data(result.summary())}")
    return "\n".join(out) + "\n"
