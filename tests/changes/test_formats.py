"""Diff formats come from one registry: the CLI offers exactly its names, and each renders a diff."""

from __future__ import annotations

import json

import click

from botocontract.changes.formats import FORMATS, render
from botocontract.changes.model import ReleaseDiff
from botocontract.cli import main


def test_the_cli_offers_the_registry_formats() -> None:
    assert FORMATS.names() == ["text", "json", "markdown"]
    diff = main.commands["diff"]
    (option,) = [p for p in diff.params if p.name == "fmt"]
    assert isinstance(option.type, click.Choice)
    assert list(option.type.choices) == FORMATS.names()


def test_every_format_renders_an_empty_diff() -> None:
    empty = ReleaseDiff("1.0.0", "1.0.1")
    assert render(empty, "text") == "No service changed between 1.0.0 and 1.0.1."
    assert json.loads(render(empty, "json"))["services"] == []
    assert "\n" not in render(empty, "json", compact=True)
    assert isinstance(render(empty, "markdown"), str)
