"""The diff against botocore's own release notes, over release pairs spread across its history.

``data/release_notes.json`` holds, per release, the (category, type) entries of botocore's
``.changes/<version>.json``. What changed is read from the wheels themselves, independently of the diff
engine: every file the diff covers (``service-2``, its ``sdk-extras``, ``paginators-1``, ``waiters-2`` and
``endpoint-rule-set-1``) of each service's newest api-version, decompressed and parsed, compared by value.
Then, per pair:

* nothing is reported whose files did not change ("no other");
* every service the notes name and whose files changed is reported;
* a service is ``docs-only`` exactly when nothing but documentation changed in its model;
* a changed service left out is one whose only change is an endpoint rule set that resolves the same
  everywhere (the semantic endpoint diff found no difference), and only then.

Releases come through the project's cache, so a second run downloads nothing.
"""

from __future__ import annotations

import functools
import gzip
import json
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from botocontract.changes.diff import DOC_KEYS
from botocontract.changes.engine import diff_sources
from botocontract.changes.model import Subject
from botocontract.specs import resolve_source
from botocontract.specs.cache import cache_dir

pytestmark = pytest.mark.network

DATA = json.loads((Path(__file__).parent / "data" / "release_notes.json").read_text())
PAIRS = [tuple(p) for p in DATA["pairs"]]
FILES = {
    "service-2": "model",
    "service-2.sdk-extras": "model",
    "paginators-1": "paginators",
    "paginators-1.sdk-extras": "paginators",
    "waiters-2": "waiters",
    "endpoint-rule-set-1": "endpoint-rules",
}


def _wheel(version: str) -> Path:
    resolve_source(version)  # downloads into the cache when missing
    return sorted(cache_dir("wheels").glob(f"botocore-{version}-*.whl"))[0]


@functools.lru_cache(maxsize=4)
def _index(version: str) -> dict[str, tuple[str, dict[str, tuple[str, int]]]]:
    """service -> (newest api-version, kind -> (member name, CRC-32 of its uncompressed bytes))."""
    found: dict[str, dict[str, dict[str, str]]] = {}
    with zipfile.ZipFile(_wheel(version)) as zf:
        for name in zf.namelist():
            parts = name.split("/")
            if len(parts) != 5 or parts[:2] != ["botocore", "data"]:
                continue
            stem = parts[4].removesuffix(".gz").removesuffix(".json")
            if stem in FILES:
                found.setdefault(parts[2], {}).setdefault(parts[3], {})[stem] = name
        out = {}
        for service, versions in found.items():
            with_model = sorted(v for v, files in versions.items() if "service-2" in files)
            if with_model:
                files = versions[with_model[-1]]
                out[service] = (with_model[-1], {s: (n, zlib.crc32(_bytes(zf, n))) for s, n in files.items()})
    return out


def _bytes(zf: zipfile.ZipFile, name: str) -> bytes:
    data = zf.read(name)
    return gzip.decompress(data) if name.endswith(".gz") else data


def _parsed(version: str, name: str | None) -> Any:
    if name is None:
        return None
    with zipfile.ZipFile(_wheel(version)) as zf:
        return json.loads(_bytes(zf, name))


def _strip_docs(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_docs(v) for k, v in value.items() if k not in DOC_KEYS}
    if isinstance(value, list):
        return [_strip_docs(v) for v in value]
    return value


def _truth(old_version: str, new_version: str) -> dict[str, tuple[str, set[str]]]:
    """service -> (status, kinds of files changed) for every service whose files differ: bytes compared
    first, then files whose bytes differ parsed and compared by value (a reformatted file is unchanged)."""
    old, new = _index(old_version), _index(new_version)
    out: dict[str, tuple[str, set[str]]] = {}
    for service in sorted(old.keys() | new.keys()):
        if service not in old or service not in new:
            out[service] = ("new" if service not in old else "removed", {"model"})
            continue
        (old_api, before), (new_api, after) = old[service], new[service]
        values: dict[str, tuple[Any, Any]] = {}
        for stem in sorted(before.keys() | after.keys()):
            b, a = before.get(stem), after.get(stem)
            if old_api == new_api and b is not None and a is not None and b[1] == a[1]:
                continue
            values[stem] = (_parsed(old_version, b and b[0]), _parsed(new_version, a and a[0]))
        kinds = {FILES[s] for s, (b, a) in values.items() if b != a}
        if old_api != new_api:
            kinds.add("model")
        if not kinds:
            continue
        docs_only = (
            kinds <= {"model", "endpoint-rules"}
            and old_api == new_api
            and all(
                _strip_docs(b) == _strip_docs(a) for s, (b, a) in values.items() if s.startswith("service-2")
            )
        )
        out[service] = ("docs-only" if docs_only else "updated", kinds)
    return out


def _noted(version: str) -> set[str]:
    return {category for category, kind in DATA["notes"][version] if kind == "api-change"} - {
        "endpoint-rules"
    }


def _check(old_version: str, new_version: str) -> dict[str, int]:
    truth = _truth(old_version, new_version)
    diff = diff_sources(old_version, new_version, include_docs=True)
    reported = {s.service: s.status for s in diff.services}
    noted = _noted(new_version)
    where = f"{old_version} -> {new_version}"
    assert set(reported) <= set(truth), f"{where}: reported without a change in the wheel"
    endpoint_only: dict[str, bool] = {}
    for entry in diff.services:
        expected, kinds = truth[entry.service]
        # A rule set is judged by what it resolves: beside a docs-only model, it makes the entry "updated"
        # only through endpoint findings.
        endpoint_only[entry.service] = all(f.traits.subject is Subject.ENDPOINT for f in entry.all_findings())
        if expected == "docs-only" and "endpoint-rules" in kinds and entry.status == "updated":
            assert endpoint_only[entry.service], f"{where}: {entry.service}"
            continue
        assert entry.status == expected, (
            f"{where}: {entry.service} is {entry.status}, the wheel says {expected}"
        )
    for service in sorted(noted & set(truth)):
        # e.g. scheduler 1.40.20 "Remove incorrect endpoint tests": booleanEquals arguments swapped
        rewritten = truth[service][1] == {"endpoint-rules"}
        assert service in reported or rewritten, (
            f"{where}: {service} is in the release notes and changed, but not reported"
        )
    quiet = set(truth) - set(reported)
    for service in sorted(quiet):
        assert truth[service][1] == {"endpoint-rules"}, f"{where}: {service} changed but is not reported"
    return {
        "noted": len(noted),
        "changed": len(truth),
        "reported": len(reported),
        "noted_reported": len(noted & set(reported)),
        "noted_unchanged": len(noted - set(truth)),
        "unnoted_reported": len(set(reported) - noted),
        "rule_set_rewrites": len(quiet),
        "noted_rule_set_rewrites": len(quiet & noted),
        "docs_only": sum(1 for s in reported.values() if s == "docs-only"),
        "endpoint_only": sum(1 for s in reported if endpoint_only[s] and reported[s] != "docs-only"),
    }


def _pairs() -> Iterator[Any]:
    for old, new in PAIRS:
        yield pytest.param(old, new, id=f"{old}-{new}")


@pytest.mark.parametrize(("old", "new"), list(_pairs()))
def test_diff_agrees_with_release_notes(old: str, new: str) -> None:
    _check(old, new)


def test_pairs_span_history() -> None:
    assert len(PAIRS) >= 25
    minors = {new.split(".")[1] for _, new in PAIRS}
    assert len(minors) >= 10
    assert set(DATA["notes"]) == {new for _, new in PAIRS}
