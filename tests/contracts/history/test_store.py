"""The history store on real releases: presence intervals, findings, shards, incremental and atomic builds."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from botocontract.contracts.history import store as store_module
from botocontract.contracts.history.items import Item, item_present, model_rows
from botocontract.contracts.history.query import query_findings, query_sql, render_rows
from botocontract.contracts.history.store import (
    HistoryError,
    build,
    merge,
    open_store,
    parse_shard,
    table_rows,
)

MODEL = {
    "operations": {
        "Put": {"input": {"shape": "PutIn"}, "output": {"shape": "PutOut"}},
        "Ping": {},
    },
    "shapes": {
        "PutIn": {"type": "structure", "members": {"Node": {"shape": "Node"}, "Tags": {"shape": "Tags"}}},
        "PutOut": {"type": "structure", "members": {"Kinds": {"shape": "Kinds"}}},
        "Node": {"type": "structure", "members": {"Child": {"shape": "Node"}, "Name": {"shape": "Str"}}},
        "Tags": {"type": "map", "key": {"shape": "Str"}, "value": {"shape": "Tag"}},
        "Tag": {"type": "structure", "members": {"Value": {"shape": "Str"}}},
        "Kinds": {"type": "list", "member": {"shape": "Kind"}},
        "Kind": {"type": "string", "enum": ["A", "B"]},
        "Str": {"type": "string"},
    },
}


def test_model_rows_cut_recursion_and_see_through_lists_and_maps() -> None:
    rows = model_rows("svc", MODEL)
    members = sorted((r[2], r[3], r[4]) for r in rows if r[0] == "member")
    assert members == [
        ("Put", "request", "Node"),
        ("Put", "request", "Node.Child"),  # Node -> Node stops here
        ("Put", "request", "Node.Name"),
        ("Put", "request", "Tags"),
        ("Put", "request", "Tags.Value"),  # map values are transparent
        ("Put", "response", "Kinds"),
    ]
    assert sorted(r[5] for r in rows if r[0] == "enum") == ["A", "B"]
    assert {r[2] for r in rows if r[0] == "operation"} == {"Put", "Ping"}
    assert len(model_rows("svc", MODEL, max_depth=1)) < len(rows)


def test_item_present_on_either_side_and_for_enum_values() -> None:
    assert item_present(Item("member", "svc", "Put", "", "Node.Child.Child.Name"), MODEL)
    assert item_present(Item("enum", "svc", "Put", "response", "Kinds", "B"), MODEL)
    assert not item_present(Item("enum", "svc", "Put", "", "Kinds", "C"), MODEL)
    assert not item_present(Item("member", "svc", "Put", "response", "Node"), MODEL)
    assert not item_present(Item("operation", "svc", "Gone"), MODEL)
    assert not item_present(Item("service", "svc"), None)


def test_parse_shard_rejects_bad_input() -> None:
    assert parse_shard("2/3") == (2, 3)
    for bad in ("0/3", "4/3", "x", "1-3"):
        with pytest.raises(HistoryError):
            parse_shard(bad)


# -- real releases --------------------------------------------------------------------------------------

FROM, TO = "1.17.40", "1.17.45"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("history") / "h.sqlite"
    build(path, from_version=FROM, until_version=TO)
    return path


def _presence(path: Path, where: str, *args: str) -> list[tuple]:
    db = sqlite3.connect(path)
    try:
        return db.execute(
            "SELECT r1.version, p.at_start, r2.version FROM presence p "
            "JOIN releases r1 ON r1.seq = p.first_seq "
            f"LEFT JOIN releases r2 ON r2.seq = p.gone_seq WHERE {where}",
            args,
        ).fetchall()
    finally:
        db.close()


@pytest.mark.network
def test_store_records_when_members_and_enum_values_appeared(built: Path) -> None:
    image = _presence(
        built,
        "service = 'sagemaker' AND operation = 'CreateModel' AND kind = 'member' "
        "AND path = 'PrimaryContainer.ImageConfig'",
    )
    assert image == [("1.17.43", 0, None)]
    auc = _presence(
        built,
        "service = 'sagemaker' AND operation = 'CreateAutoMLJob' AND kind = 'enum' "
        "AND path = 'AutoMLJobObjective.MetricName' AND value = ?",
        "AUC",
    )
    assert auc == [("1.17.43", 0, None)]
    model = _presence(built, "service = 'sagemaker' AND operation = 'CreateModel' AND kind = 'operation'")
    assert model == [(FROM, 1, None)]  # there before the store's first release


@pytest.mark.network
def test_store_holds_releases_boto3_pins_and_findings(built: Path) -> None:
    store = open_store(built)
    assert store is not None
    try:
        releases = query_sql(store, "SELECT version FROM releases ORDER BY seq").rows
        assert [r[0] for r in releases] == [f"1.17.{i}" for i in range(40, 46)]
        pins = dict(query_sql(store, "SELECT version, botocore_min FROM boto3").rows)
        assert pins["1.14.43"] == "1.17.43"
        found = query_findings(store, service="sagemaker", operation="CreateModel")
        assert {(r[0], r[5], r[6]) for r in found.rows} >= {
            ("1.17.43", "PrimaryContainer.ImageConfig", "AddedMember")
        }
        assert render_rows(found, "csv").splitlines()[0].startswith("release,date,service")
        breaking = query_findings(store, severity="danger")
        assert all(r[7] in ("danger", "error") for r in breaking.rows)
        with pytest.raises(HistoryError):
            query_sql(store, "DELETE FROM findings")  # read-only
    finally:
        store.close()


@pytest.mark.network
def test_shards_merged_hold_the_rows_of_one_build(built: Path, tmp_path: Path) -> None:
    parts = []
    for i in (1, 2, 3):
        part = tmp_path / f"part{i}.sqlite"
        build(part, from_version=FROM, until_version=TO, shard=(i, 3))
        parts.append(part)
    merge(tmp_path / "merged.sqlite", list(reversed(parts)))
    assert table_rows(tmp_path / "merged.sqlite") == table_rows(built)
    with pytest.raises(HistoryError, match="starts at"):
        merge(tmp_path / "bad.sqlite", [parts[0], parts[2]])


@pytest.mark.network
def test_rerun_adds_only_new_releases(built: Path, tmp_path: Path) -> None:
    path = tmp_path / "grow.sqlite"
    first = build(path, from_version=FROM, until_version="1.17.43")
    assert first["releases"] == 4
    again = build(path, from_version=FROM, until_version="1.17.43")
    assert again["releases"] == 0
    more = build(path, until_version=TO)  # a bare rerun continues from the store's first release
    assert more["releases"] == 2
    assert table_rows(path) == table_rows(built)


@pytest.mark.network
def test_interrupted_builds_leave_no_half_state(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = store_module._finding_rows

    def failing(seq: int, diff: object):
        if getattr(diff, "new_version", None) == "1.17.44":
            raise KeyboardInterrupt
        return real(seq, diff)

    fresh = tmp_path / "fresh.sqlite"
    monkeypatch.setattr(store_module, "_finding_rows", failing)
    with pytest.raises(KeyboardInterrupt):
        build(fresh, from_version=FROM, until_version=TO)
    assert not fresh.exists() and not list(tmp_path.glob(".*tmp"))

    grow = tmp_path / "grow.sqlite"
    monkeypatch.setattr(store_module, "_finding_rows", real)
    build(grow, from_version=FROM, until_version="1.17.42")
    monkeypatch.setattr(store_module, "_finding_rows", failing)
    with pytest.raises(KeyboardInterrupt):
        build(grow, until_version=TO)
    store = open_store(grow)
    assert store is not None and store.span() == (FROM, "1.17.43")  # stopped at a release boundary
    store.close()
    monkeypatch.setattr(store_module, "_finding_rows", real)
    build(grow, until_version=TO)
    assert table_rows(grow) == table_rows(built)


def test_missing_or_foreign_store_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(HistoryError, match="no history store"):
        open_store(tmp_path / "none.sqlite")
    junk = tmp_path / "junk.sqlite"
    junk.write_text("not a database")
    with pytest.raises(HistoryError, match="not a history store"):
        open_store(junk)


@pytest.mark.network
@pytest.mark.slow
def test_sharded_build_of_1_17_30_to_1_17_60_equals_one_build(tmp_path: Path) -> None:
    single = tmp_path / "single.sqlite"
    build(single, from_version="1.17.30", until_version="1.17.60")
    parts = [tmp_path / f"p{i}.sqlite" for i in (1, 2, 3)]
    for i, part in enumerate(parts, 1):
        build(part, from_version="1.17.30", until_version="1.17.60", shard=(i, 3))
    merge(tmp_path / "merged.sqlite", parts)
    assert table_rows(tmp_path / "merged.sqlite") == table_rows(single)
