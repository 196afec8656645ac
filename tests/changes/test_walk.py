"""Walking consecutive releases: range selection, one diff per pair, and the on-disk pair cache."""

from __future__ import annotations

import copy
import json
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner
from packaging.version import Version

import botocontract.specs
from botocontract.changes import walk as walk_module
from botocontract.changes.render_json import diff_json_schema
from botocontract.changes.rules import RULES
from botocontract.changes.walk import (
    release_range,
    walk,
)
from botocontract.cli import main
from botocontract.errors import BotocontractError
from botocontract.specs import index
from botocontract.specs.index import Release

GOLDEN = Path(__file__).parent / "rules"


def _release(version: str, day: int) -> Release:
    return Release(Version(version), version, datetime(2021, 3, day, 18, tzinfo=timezone.utc))


RELEASES = (_release("1.0.0", 1), _release("1.0.1", 2), _release("1.0.2", 4), _release("1.0.3", 4))


@pytest.fixture
def fake_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """Four releases of one service: 1.0.1 adds an enum value, 1.0.2 changes nothing, 1.0.3 removes it."""
    monkeypatch.setenv("BOTOCONTRACT_CACHE", str(tmp_path / "cache"))
    base = json.loads((GOLDEN / "AddedMember" / "optional" / "old.json").read_text())
    more = copy.deepcopy(base)
    more["shapes"]["Kind"]["enum"].append("MEDIUM")
    folders = {}
    for release, model in zip(RELEASES, (base, more, more, base), strict=True):
        folder = tmp_path / release.version / "things" / "2020-01-01"
        folder.mkdir(parents=True)
        (folder / "service-2.json").write_text(json.dumps(model))
        folders[release.version] = tmp_path / release.version
    by_version = {r.version: r for r in RELEASES}

    def find_release(version: str) -> Release:
        if version not in by_version:
            raise BotocontractError(f"no release {version}")
        return by_version[version]

    real_resolve = botocontract.specs.resolve_source
    monkeypatch.setattr(index, "releases", lambda refresh=False: RELEASES)
    monkeypatch.setattr(index, "find_release", find_release)
    monkeypatch.setattr(
        botocontract.specs,
        "resolve_source",
        lambda v: real_resolve(str(folders[v]) if isinstance(v, str) and v in folders else v),
    )
    return folders


def test_release_range_by_versions_and_dates(fake_index: dict[str, Path]) -> None:
    assert [r.version for r in release_range("1.0.1", "1.0.3")] == ["1.0.1", "1.0.2", "1.0.3"]
    # Dates select releases uploaded in range, plus the one before so the first gets a diff too.
    assert [r.version for r in release_range(since="2021-03-04", until=date(2021, 3, 4))] == [
        "1.0.1",
        "1.0.2",
        "1.0.3",
    ]
    with pytest.raises(BotocontractError, match="older"):
        release_range("1.0.3", "1.0.1")
    with pytest.raises(BotocontractError, match="either"):
        release_range("1.0.1", since="2021-03-01")
    with pytest.raises(BotocontractError, match="no botocore release"):
        release_range(since="2021-03-03", until="2021-03-03")


def test_walk_yields_one_diff_per_pair_and_reuses_the_cache(
    fake_index: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[Any, Any]] = []
    real = walk_module.diff_sources

    def counting(old: Any, new: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append((old.label, new.label))
        return real(old, new, *args, **kwargs)

    monkeypatch.setattr(walk_module, "diff_sources", counting)
    first = list(walk("1.0.0", "1.0.3"))
    assert len(calls) == 3
    assert [[s.service for s in d.services] for d in first] == [["things"], [], ["things"]]
    assert [d.released for d in first] == [r.uploaded for r in RELEASES[1:]]
    rules = [sorted({f.rule for f in d.all_findings()}) for d in first]
    assert rules == [["ChangedEnum.Added"], [], ["ChangedEnum.Removed"]]

    again = list(walk("1.0.0", "1.0.3"))
    assert len(calls) == 3, "a rerun must come from the cache"
    assert [[f.fingerprint for f in d.all_findings()] for d in again] == [
        [f.fingerprint for f in d.all_findings()] for d in first
    ]
    assert [d.released for d in again] == [d.released for d in first]

    list(walk("1.0.0", "1.0.1", include_docs=True))
    list(walk("1.0.0", "1.0.1", services=["things"]))
    assert len(calls) == 5, "options are part of the cache key"


def test_walk_with_a_service_filter_skips_absent_services(fake_index: dict[str, Path]) -> None:
    diffs = list(walk("1.0.0", "1.0.1", services=["things", "not-there-yet"]))
    assert [s.service for s in diffs[0].services] == ["things"]


def test_diff_command_over_a_range_prints_one_json_document_per_pair(fake_index: dict[str, Path]) -> None:
    result = CliRunner().invoke(main, ["diff", "--from", "1.0.0", "--to", "1.0.3", "--format", "json"])
    assert result.exit_code == 0, result.output
    documents = [json.loads(line) for line in result.output.splitlines()]
    assert [d["new"]["version"] for d in documents] == ["1.0.1", "1.0.2", "1.0.3"]
    schema = diff_json_schema()
    for document in documents:
        jsonschema.validate(document, schema)
    # The removed enum value breaks callers sending it; it is merely no longer returned in responses.
    assert [d["summary"]["breaking"] for d in documents] == [0, 0, 1]


def test_diff_command_between_two_sources(fake_index: dict[str, Path]) -> None:
    old, new = (str(fake_index[v]) for v in ("1.0.2", "1.0.3"))
    result = CliRunner().invoke(main, ["diff", old, new, "--format", "json", "--service", "things"])
    assert result.exit_code == 0, result.output
    (service,) = json.loads(result.output)["services"]
    assert {f["rule"] for op in service["operations"] for f in op["findings"]} == {"ChangedEnum.Removed"}
    usage = CliRunner().invoke(main, ["diff", old])
    assert usage.exit_code == 2 and "OLD and NEW" in usage.output
    both = CliRunner().invoke(main, ["diff", old, new, "--from", "1.0.0"])
    assert both.exit_code == 2 and "not both" in both.output


def test_rules_and_schema_commands() -> None:
    listed = CliRunner().invoke(main, ["rules", "--format", "json"])
    assert listed.exit_code == 0
    assert [row["id"] for row in json.loads(listed.output)] == RULES.names()
    text = CliRunner().invoke(main, ["rules"])
    assert all(name in text.output for name in RULES.names())
    schema = CliRunner().invoke(main, ["schema", "diff-json"])
    assert json.loads(schema.output) == diff_json_schema()
