"""The text renderer's layout rules, and the reST-to-text conversion of botocore's docstrings."""

from __future__ import annotations

import copy
from datetime import datetime, timezone
from typing import Any

from botocore.model import ServiceModel

from botocontract.changes.model import (
    Finding,
    Location,
    OperationChange,
    ReleaseDiff,
    ServiceChange,
    Severity,
)
from botocontract.changes.opdocs import operation_docs_text, request_syntax, rst_to_text
from botocontract.changes.render_text import release_notes, render_text, shown_by_dict, summary_line

NBSP = "\xa0"


def _finding(rule: str, op: str, direction: Any, path: str, severity: Severity = Severity.INFO) -> Finding:
    return Finding(rule, severity, Location("toy", op, direction, path), f"{path} changed")


def _diff(
    *ops: OperationChange, version: str = "1.17.43", notes: dict[str, list[str]] | None = None
) -> ReleaseDiff:
    service = ServiceChange("toy", "Toy Service", "updated", "2020-01-01", "2020-01-01", list(ops))
    return ReleaseDiff(
        "botocore 1.17.42",
        f"botocore {version}",
        "1.17.42",
        version,
        released=datetime(2020, 8, 14, 19, 10, tzinfo=timezone.utc),
        notes=notes or {},
        services=[service],
    )


def test_header_counts_new_and_updated_like_the_reference() -> None:
    diff = _diff(
        OperationChange("Beta", "updated", request={"A": "string"}),
        OperationChange("Alpha", "new"),
        OperationChange("Gamma", "updated", response={"B": {"X"}}),
    )
    assert summary_line(diff, diff.services[0]) == "2020/08/14 - Toy Service - 1 new 2 updated api methods"
    text = render_text(diff, include_docs=False)
    lines = text.split("\n")
    assert lines[:5] == [
        "Toy Service",
        "",
        "2020/08/14 - Toy Service - 1 new 2 updated api methods",
        "",
        f"Changes{NBSP} Update toy client to latest version",
    ]
    # New operations come first, as the reference lists them; a new one shows no dict.
    titles = [line for line in lines if line.endswith("Link ¶")]
    assert titles == [
        f"Alpha{NBSP}(new) Link ¶",
        f"Beta{NBSP}(updated) Link ¶",
        f"Gamma{NBSP}(updated) Link ¶",
    ]
    assert "Changes (request)\n{'A': 'string'}" in text
    assert "Changes (response)\n{'B': {'X'}}" in text
    assert not text.endswith("\n")


def test_equal_request_and_response_say_both_once() -> None:
    delta = {"Item": {"Mode": {"C"}}}
    text = render_text(
        _diff(OperationChange("Put", "updated", request=delta, response=dict(delta))), include_docs=False
    )
    assert text.count("Changes (both)") == 1
    assert text.count("{'Item': {'Mode': {'C'}}}") == 1


def test_different_sides_print_two_labelled_dicts() -> None:
    op = OperationChange("Put", "updated", request={"A": "string"}, response={"B": "integer"})
    text = render_text(_diff(op), include_docs=False)
    assert "Changes (request, response)\nRequest\n{'A': 'string'}\nResponse\n{'B': 'integer'}" in text


def test_findings_the_dict_cannot_show_follow_it_in_their_own_block() -> None:
    shown = _finding("AddedMember", "Put", "request", "Item.Extra")
    hidden_enum = _finding("ChangedEnum.Added", "Put", "response", "Item.Mode", Severity.WARNING)
    removed = _finding("RemovedMember", "Put", "request", "Item.Gone", Severity.ERROR)
    op = OperationChange(
        "Put",
        "updated",
        request={"Item": {"Extra": "string"}},
        response={"Item": {"Mode": {"C"}}},
        findings=[shown, hidden_enum, removed],
    )
    assert shown_by_dict(op, shown) and shown_by_dict(op, hidden_enum)
    assert not shown_by_dict(op, removed)
    text = render_text(_diff(op), include_docs=False)
    block = text[text.index("Changes (request, response)") :]
    assert block.endswith("Findings\n  [error] RemovedMember  Item.Gone (request) — Item.Gone changed")
    assert "AddedMember" not in text and "ChangedEnum" not in text


def test_addition_at_a_path_missing_from_the_dict_is_listed() -> None:
    stray = _finding("AddedMember", "Put", "request", "Other.Extra")
    op = OperationChange("Put", "updated", request={"Item": {"Extra": "string"}}, findings=[stray])
    assert not shown_by_dict(op, stray)
    assert "[info] AddedMember  Other.Extra (request)" in render_text(_diff(op), include_docs=False)


def test_operation_with_only_findings_gets_its_entry_without_a_changes_line() -> None:
    error = _finding("AddedOperationError", "Put", "response", "", Severity.WARNING)
    text = render_text(_diff(OperationChange("Put", "updated", findings=[error])), include_docs=False)
    assert f"Put{NBSP}(updated) Link ¶\nFindings\n  [warning] AddedOperationError" in text
    assert "Changes (" not in text


def test_docs_follow_the_entry_after_a_blank_line() -> None:
    calls: list[tuple[str, str | None, str]] = []

    def docs(service: str, api_version: str | None, operation: str) -> str:
        calls.append((service, api_version, operation))
        return "Puts a thing."

    op = OperationChange("Put", "updated", request={"A": "string"})
    text = render_text(_diff(op), docs=docs)
    assert text.endswith(f"Put{NBSP}(updated) Link ¶\nChanges (request)\n{{'A': 'string'}}\n\nPuts a thing.")
    assert calls == [("toy", "2020-01-01", "Put")]


def test_release_notes_line() -> None:
    assert release_notes(_diff(notes={"toy": ["Adds X.", "Fixes Y."]}), "toy") == "Adds X. Fixes Y."
    assert release_notes(_diff(version="1.20.26"), "toy") == "Update toy client to latest version"
    assert release_notes(_diff(version="1.20.27"), "toy") is None
    text = render_text(
        _diff(OperationChange("Put", "updated", request={"A": "string"}), version="1.40.20"),
        include_docs=False,
    )
    assert "Changes\xa0" not in text


# -- operation docs -------------------------------------------------------------------------------------

MODEL: dict[str, Any] = {
    "metadata": {
        "protocol": "json",
        "apiVersion": "2020-01-01",
        "uid": "toy-2020-01-01",
        "serviceFullName": "Toy Service",
        "endpointPrefix": "toy",
    },
    "operations": {
        "PutThing": {
            "name": "PutThing",
            "input": {"shape": "PutIn"},
            "output": {"shape": "PutOut"},
            "documentation": '<p>Puts a <code>Thing</code>. See <a href="https://example.com/x">Step 1: '
            "Things</a>.</p> <note><p>Hidden note.</p></note>",
        },
        "Ping": {"name": "Ping", "documentation": "<p>Pings.</p>"},
    },
    "shapes": {
        "PutIn": {
            "type": "structure",
            "required": ["Name"],
            "members": {
                "Name": {"shape": "String", "documentation": "<p>The   name.</p>"},
                "Tags": {"shape": "Tags", "documentation": "<p>Tags:</p><ul><li><p>one</p></li></ul>"},
            },
        },
        "PutOut": {
            "type": "structure",
            "members": {"Id": {"shape": "String", "documentation": "<p>Id.</p>"}},
        },
        "Tags": {"type": "list", "member": {"shape": "Tag"}},
        "Tag": {"type": "structure", "members": {"Key": {"shape": "String", "documentation": "<p>Key.</p>"}}},
        "String": {"type": "string"},
    },
}


def _op(name: str) -> Any:
    return ServiceModel(copy.deepcopy(MODEL), "toy").operation_model(name)


def test_operation_docs_text_layout() -> None:
    text = operation_docs_text(_op("PutThing"))
    assert text.startswith(
        "Puts a Thing. See Step 1: Things.\n\nSee also: AWS API Documentation\n\n"
        "Request Syntax\n\nclient.put_thing(\n    Name='string',\n"
    )
    assert "Hidden note" not in text
    # A code block is followed by the field list with a line break only; paragraphs by a blank line.
    assert ")\ntype Name:\n\nstring\n\nparam Name:\n\n[REQUIRED]\n\nThe name.\n\n" in text
    # Nested bullets: depth d at "  " * d, their paragraphs one level further in.
    assert "param Tags:\n\nTags:\n\n  • one\n\n  • (dict) --\n\n    • Key (string) --\n\n      Key." in text
    assert text.endswith(
        "rtype:\n\ndict\n\nreturns:\n\nResponse Syntax\n\n{\n    'Id': 'string'\n}\n\n"
        "Response Structure\n\n  • (dict) --\n\n    • Id (string) --\n\n      Id."
    )


def test_operation_without_input_or_output() -> None:
    text = operation_docs_text(_op("Ping"))
    assert "client.ping()" in text
    assert text.endswith("returns:\n\nNone")
    assert request_syntax(_op("Ping")) == "client.ping()"


def test_request_syntax_is_botocores_example() -> None:
    syntax = request_syntax(_op("PutThing"))
    assert syntax.startswith("client.put_thing(\n    Name='string',\n    Tags=[\n        {\n")
    assert syntax.endswith("\n)")


def test_rst_to_text_handles_numbered_lists_and_warnings() -> None:
    rst = "Intro *em* ``lit``.\n\n#. first\n#. second\n\n.. warning::\n\n   gone\n"
    assert rst_to_text(rst) == "Intro em lit.\n\n  1. first\n\n  2. second"


def test_sphinx_roles_read_as_their_target() -> None:
    assert rst_to_text("An :class:`.EventStream` and :meth:`Foo <a.Foo>`.") == "An EventStream and Foo."
