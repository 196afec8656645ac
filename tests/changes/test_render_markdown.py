"""The Markdown renderer: summary table, change dicts, findings table and folded request syntax."""

from __future__ import annotations

from datetime import datetime, timezone

from botocontract.changes.model import (
    Finding,
    Location,
    OperationChange,
    ReleaseDiff,
    ServiceChange,
    Severity,
)
from botocontract.changes.render_markdown import render_markdown


def _diff(*ops: OperationChange, findings: list[Finding] | None = None) -> ReleaseDiff:
    service = ServiceChange(
        "toy", "Toy Service", "updated", "2020-01-01", "2020-01-01", list(ops), findings=findings or []
    )
    return ReleaseDiff(
        "botocore 1.17.42",
        "botocore 1.17.43",
        "1.17.42",
        "1.17.43",
        released=datetime(2020, 8, 14, tzinfo=timezone.utc),
        services=[service],
    )


def _error(path: str) -> Finding:
    return Finding(
        "RemovedMember.Request",
        Severity.DANGER,
        Location("toy", "Put", "request", path),
        f"{path} was removed | gone",
    )


def test_summary_table_and_sections() -> None:
    put = OperationChange("Put", "updated", request={"Mode": "A | B"}, findings=[_error("Item.Gone")])
    get = OperationChange("Get", "new")
    md = render_markdown(_diff(put, get), include_syntax=False)
    assert md.startswith(
        "# API changes: botocore 1.17.42 → botocore 1.17.43\n\n## Toy Service (`toy`)\n\n"
        "2020-08-14 · Update toy client to latest version\n\n"
    )
    assert "| Operation | Status | Changes | Findings |" in md
    # New operations first, as in the text format; the worst severity is flagged.
    assert md.index("[Get](#toy-get) | new") < md.index("[Put](#toy-put) | updated | request | 1 (danger) ⚠️")
    assert (
        '<a id="toy-put"></a>\n### Put (updated)\n\n**Changes (request)**\n\n```python\n'
        "{'Mode': 'A | B'}\n```" in md
    )
    # Pipes inside cells are escaped so the table keeps its columns.
    row = "| danger | `RemovedMember.Request` | `Item.Gone` (request) | Item.Gone was removed \\| gone |"
    assert row in md
    assert md.endswith("\n") and "<details>" not in md


def test_request_and_response_dicts_are_labelled() -> None:
    op = OperationChange("Put", "updated", request={"A": "string"}, response={"B": "integer"})
    md = render_markdown(_diff(op), include_syntax=False)
    assert (
        "**Request**\n\n```python\n{'A': 'string'}\n```\n\n**Response**\n\n```python\n{'B': 'integer'}\n```"
    ) in md
    same = OperationChange("Put", "updated", request={"A": "string"}, response={"A": "string"})
    assert "**Changes (both)**" in render_markdown(_diff(same), include_syntax=False)


def test_request_syntax_is_folded() -> None:
    seen: list[str] = []

    def syntax(service: str, api_version: str | None, operation: str) -> str:
        seen.append(operation)
        return f"client.{operation.lower()}()"

    removed = OperationChange("Old", "removed")
    md = render_markdown(
        _diff(OperationChange("Put", "updated", request={"A": "string"}), removed), syntax=syntax
    )
    assert "<details><summary>Request syntax</summary>\n\n```python\nclient.put()\n```\n\n</details>" in md
    assert seen == ["Put"]  # a removed operation has no syntax in the new release


def test_service_level_findings_and_empty_diff() -> None:
    meta = Finding(
        "ChangedProtocol",
        Severity.ERROR,
        Location("toy", None, "service", "metadata.protocol"),
        "protocol changed from json to query",
    )
    md = render_markdown(_diff(findings=[meta]), include_syntax=False)
    assert "**Service findings**" in md and "`metadata.protocol`" in md
    empty = ReleaseDiff("a", "b")
    assert render_markdown(empty, include_syntax=False) == "# API changes: a → b\n\nNo service changed.\n"
