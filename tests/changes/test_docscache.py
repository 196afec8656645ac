"""Operation documentation cached by content: rendered once per distinct operation, corrupt entries are
misses, and a cached rendering is byte-identical to a fresh one."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from botocontract.changes import docscache
from botocontract.changes.docscache import CachedDocs, DocsCache
from botocontract.changes.engine import diff_sources
from botocontract.changes.render_json import from_dict, to_dict
from botocontract.changes.render_text import render_text
from botocontract.specs import resolve_source

GOLDEN = Path(__file__).parent / "rules"


def model() -> dict[str, Any]:
    return json.loads((GOLDEN / "AddedMember" / "optional" / "old.json").read_text())


def data_dir(root: Path, raw: dict[str, Any]) -> Path:
    folder = root / "things" / raw["metadata"]["apiVersion"]
    folder.mkdir(parents=True)
    (folder / "service-2.json").write_text(json.dumps(raw))
    return root


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    calls: list[tuple[str, str]] = []
    real = docscache._render

    def counting(op_model: Any, kind: docscache.Kind) -> str:
        calls.append((op_model.name, kind))
        return real(op_model, kind)

    monkeypatch.setattr(docscache, "_render", counting)
    return calls


def test_each_distinct_operation_renders_once_and_reads_back_identically(
    tmp_path: Path, renders: list[tuple[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    base = model()
    changed = copy.deepcopy(base)
    changed["shapes"]["Kind"]["enum"].append("MEDIUM")
    old = resolve_source(str(data_dir(tmp_path / "old", base)))
    new = resolve_source(str(data_dir(tmp_path / "new", changed)))
    diff = diff_sources(old, new)
    digests = {op.name: op.digest for s in diff.services for op in s.operations}
    assert digests and all(digests.values())
    cached = from_dict(to_dict(diff, exact=True))  # the walk's pair cache keeps the keys
    assert {op.name: op.digest for s in cached.services for op in s.operations} == digests

    folder = tmp_path / "opdocs"
    fresh = render_text(diff, docs=CachedDocs(new, DocsCache(folder)))
    assert sorted(renders) == sorted((name, "text") for name in digests)
    assert "GetThing" in fresh and "client.get_thing(" in fresh

    # A new process (an empty memo) reads every rendering from disk without touching the source.
    renders.clear()
    monkeypatch.setattr(CachedDocs, "_spec", lambda *a: pytest.fail("the source was read on a hit"))
    assert render_text(diff, docs=CachedDocs(new, DocsCache(folder))) == fresh
    assert renders == []


def test_a_corrupt_or_foreign_entry_is_a_miss(tmp_path: Path, renders: list[tuple[str, str]]) -> None:
    source = resolve_source(str(data_dir(tmp_path / "m", model())))
    folder = tmp_path / "opdocs"
    first = CachedDocs(source, DocsCache(folder))("things", None, "GetThing")
    files = sorted(folder.rglob("*.json"))
    assert len(files) == 1 and first
    for garbage in (b"{not json", json.dumps({"key": "someone else", "text": "x"}).encode(), b"[]"):
        files[0].write_bytes(garbage)
        renders.clear()
        assert CachedDocs(source, DocsCache(folder))("things", None, "GetThing") == first
        assert renders == [("GetThing", "text")]
    assert CachedDocs(source, DocsCache(folder))("things", None, "NoSuchOperation") is None


def test_the_key_follows_the_content_of_the_operation_closure(tmp_path: Path) -> None:
    base = model()
    deep = copy.deepcopy(base)
    deep["shapes"]["Kind"]["documentation"] = "What sort of thing."  # reached from GetThing's output
    unrelated = copy.deepcopy(base)
    unrelated["operations"]["PutThing"]["documentation"] = "Stores a thing, now better."
    spec = {
        name: resolve_source(str(data_dir(tmp_path / name, raw))).service("things")
        for name, raw in (("base", base), ("deep", deep), ("unrelated", unrelated))
    }
    assert spec["base"].operation_digest("GetThing") != spec["deep"].operation_digest("GetThing")
    assert spec["base"].operation_digest("GetThing") == spec["unrelated"].operation_digest("GetThing")
    assert spec["base"].operation_digest("PutThing") != spec["unrelated"].operation_digest("PutThing")


@pytest.mark.network
def test_the_seed_renders_byte_for_byte_from_a_warm_cache(tmp_path: Path) -> None:
    reference = (Path(__file__).parent / "data" / "sagemaker-1.17.43.txt").read_text(encoding="utf-8")
    new = resolve_source("1.17.43")
    diff = diff_sources("1.17.42", new, ["sagemaker"])
    cold = render_text(diff, docs=CachedDocs(new, DocsCache(tmp_path)))
    warm = render_text(diff, docs=CachedDocs(new, DocsCache(tmp_path)))
    assert cold == warm == reference


def test_a_warm_render_loads_neither_docutils_nor_the_renderer(tmp_path: Path) -> None:
    import subprocess
    import sys

    base = model()
    changed = copy.deepcopy(base)
    changed["shapes"]["Kind"]["enum"].append("MEDIUM")
    old, new = data_dir(tmp_path / "old", base), data_dir(tmp_path / "new", changed)
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from botocontract.changes.docscache import CachedDocs, DocsCache\n"
        "from botocontract.changes.engine import diff_sources\n"
        "from botocontract.changes.render_text import render_text\n"
        "from botocontract.specs import resolve_source\n"
        f"new = resolve_source({str(new)!r})\n"
        f"diff = diff_sources(resolve_source({str(old)!r}), new)\n"
        f"text = render_text(diff, docs=CachedDocs(new, DocsCache(Path({str(tmp_path / 'docs')!r}))))\n"
        "assert 'client.get_thing(' in text\n"
        "print(sorted(m for m in ('docutils', 'botocontract.changes.opdocs') if m in sys.modules))\n"
    )
    runs = [
        subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
        for _ in range(2)
    ]
    assert runs[0].stdout.strip() == "['botocontract.changes.opdocs', 'docutils']"  # cold: rendered
    assert runs[1].stdout.strip() == "[]"  # warm: read back only
