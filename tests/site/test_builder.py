"""The changelog site from release diffs: pages, escaping and sanitizing, filters, search, feeds, and the
incremental rewrite."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from botocontract.changes.changedict import format_delta
from botocontract.changes.model import (
    Finding,
    Location,
    OperationChange,
    ReleaseDiff,
    ServiceChange,
    Severity,
)
from botocontract.cli import main
from botocontract.errors import BotocontractError
from botocontract.site.builder import (
    OperationDocs,
    build_site,
    docs_from_source,
    write_site,
)

ATOM = "{http://www.w3.org/2005/Atom}"
EVIL_DOC = (
    '<p onclick="steal()">Sends a <b>message</b>.<script>alert(1)</script><a href="javascript:x()">x</a></p>'
)


def _finding(service: str, op: str | None, rule: str, severity: Severity, path: str = "") -> Finding:
    return Finding(
        rule,
        severity,
        Location(service, op, "request" if op else "service", path),
        f"{rule} at {path or service}",
    )


def _diffs() -> list[ReleaseDiff]:
    """Two releases: 2.0.1 changes 'queue' (new, updated and removed operations, breaking findings) and
    'evil' (a full name with markup); 2.0.2 changes 'queue' again."""
    enum_delta = {"Attributes": {"Policy": {"NEW"}}}
    first = ReleaseDiff(
        "botocore 2.0.0",
        "botocore 2.0.1",
        "2.0.0",
        "2.0.1",
        released=datetime(2021, 3, 1, 12, tzinfo=timezone.utc),
        notes={"queue": ["Adds <PurgeAll> & more"]},
        services=[
            ServiceChange(
                "queue",
                "Simple Queue",
                "updated",
                "2012-11-05",
                "2012-11-05",
                operations=[
                    OperationChange(
                        "SendMessage",
                        "updated",
                        request={"DelaySeconds": "integer"},
                        findings=[
                            _finding("queue", "SendMessage", "AddedMember", Severity.INFO, "DelaySeconds"),
                            _finding(
                                "queue", "SendMessage", "AddedRequiredMember", Severity.ERROR, "QueueUrl"
                            ),
                        ],
                    ),
                    OperationChange("GetQueueAttributes", "updated", request=enum_delta, response=enum_delta),
                    OperationChange("PurgeAll", "new", request={"QueueUrl": "string"}),
                    OperationChange(
                        "OldThing",
                        "removed",
                        findings=[
                            _finding("queue", "OldThing", "RemovedOperation", Severity.ERROR),
                        ],
                    ),
                ],
                findings=[_finding("queue", None, "ChangedMetadata", Severity.WARNING, "protocol")],
            ),
            ServiceChange(
                "evil",
                "<script>alert('x')</script> Service",
                "new",
                None,
                "2020-01-01",
                operations=[OperationChange("DoIt", "new")],
            ),
        ],
    )
    second = ReleaseDiff(
        "botocore 2.0.1",
        "botocore 2.0.2",
        "2.0.1",
        "2.0.2",
        released=datetime(2021, 3, 2, 12, tzinfo=timezone.utc),
        services=[
            ServiceChange(
                "queue",
                "Simple Queue",
                "updated",
                "2012-11-05",
                "2012-11-05",
                operations=[
                    OperationChange("ReceiveMessage", "updated", response={"Messages": {"Extra": "string"}})
                ],
            )
        ],
    )
    return [first, second]


def _docs(diff: ReleaseDiff, change: ServiceChange, names: Sequence[str]) -> dict[str, OperationDocs]:
    return {
        n: OperationDocs(EVIL_DOC, f"client.{n.lower()}(<b>Queue='string'</b>)", "{'Ok': True}")
        for n in names
    }


@pytest.fixture
def site(tmp_path: Path) -> Path:
    result = write_site(_diffs(), tmp_path, docs=_docs)
    assert result.releases == ["2.0.2", "2.0.1"]
    assert result.pages_unchanged == []
    assert "2.0.1/queue.html" in result.pages_written
    return tmp_path


def _read(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def test_index_lists_releases_newest_first_with_counts(site: Path) -> None:
    html = _read(site, "index.html")
    assert html.index('href="2.0.2/index.html"') < html.index('href="2.0.1/index.html"')
    row = re.search(r'<tr><th scope="row"><a href="2\.0\.1/queue\.html">.*?</tr>', html, re.S)
    assert row is not None
    cells = re.findall(r'<td class="num[^"]*">([^<]*)</td>', row.group())
    assert cells == ["1", "2", "1", "2"]  # new, updated, removed, breaking


def test_release_page_has_every_operation_with_anchor_dicts_and_findings(site: Path) -> None:
    html = _read(site, "2.0.1/queue.html")
    ids = re.findall(r'<section class="op[^"]*" id="([^"]+)"', html)
    assert ids == ["SendMessage", "GetQueueAttributes", "PurgeAll", "OldThing"]
    for name in ids:
        assert f'<a class="permalink" href="#{name}"' in html
    # Equal request and response dicts are shown once, as "both".
    assert "<h3>Changes (both)</h3>" in html
    assert html.count("Changes (both)") == 2  # heading and its aria-label
    assert "<h3>Changes (request)</h3>" in html
    escaped = format_delta({"Attributes": {"Policy": {"NEW"}}}).replace("'", "&#39;")
    assert escaped in html
    # Findings by severity: the error comes before the info.
    send = html[html.index('id="SendMessage"') : html.index('id="GetQueueAttributes"')]
    assert send.index("AddedRequiredMember") < send.index("AddedMember<")
    assert 'class="op has-breaking" id="SendMessage"' in html
    assert 'id="service-findings"' in html and "ChangedMetadata" in html
    assert "<details><summary>Request syntax</summary>" in html


def test_model_documentation_is_sanitized_and_everything_else_escaped(site: Path) -> None:
    pages = ("2.0.1/queue.html", "2.0.1/evil.html", "index.html", "services/evil.html", "2.0.1/index.html")
    for rel in pages:
        html = _read(site, rel)
        assert "<script>alert" not in html and "onclick" not in html and "javascript:" not in html, rel
    html = _read(site, "2.0.1/queue.html")
    assert "Sends a <b>message</b>." in html  # allowed markup of the docs survives
    assert "client.sendmessage(&lt;b&gt;Queue=&#39;string&#39;&lt;/b&gt;)" in html  # syntax text is escaped
    assert "Adds &lt;PurgeAll&gt; &amp; more" in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Service" in _read(site, "2.0.1/evil.html")


def test_breaking_page_lists_only_breaking_findings(site: Path) -> None:
    html = _read(site, "breaking.html")
    assert "AddedRequiredMember" in html and "RemovedOperation" in html
    assert "ChangedMetadata" not in html and "AddedMember<" not in html
    assert 'href="2.0.1/queue.html#SendMessage"' in html
    assert "<script" not in html  # works without JavaScript
    page = _read(site, "2.0.1/queue.html")
    assert 'id="only-breaking"' in page and "only-breaking" in _read(site, "static/style.css")


def test_service_history_and_search_index(site: Path) -> None:
    history = _read(site, "services/queue.html")
    assert history.index('href="../2.0.2/queue.html"') < history.index('href="../2.0.1/queue.html"')
    assert 'href="../2.0.1/queue.html#PurgeAll"' in history
    docs = json.loads(_read(site, "search.json"))
    urls = {d["url"] for d in docs}
    assert {"services/queue.html", "2.0.1/queue.html#PurgeAll", "2.0.2/queue.html#ReceiveMessage"} <= urls
    assert any("Adds <PurgeAll> & more" in d["text"] for d in docs)
    assert 'fetch("search.json")' in _read(site, "static/search.js")
    assert "prefers-color-scheme: dark" in _read(site, "static/style.css")


def test_feeds_are_valid_atom_with_stable_ids(site: Path) -> None:
    feed = ET.parse(site / "feed.xml").getroot()
    assert_atom_feed(feed)
    ids = [e.findtext(f"{ATOM}id") for e in feed.iter(f"{ATOM}entry")]
    assert ids == [
        "urn:botocontract:changes:2.0.2:queue",
        "urn:botocontract:changes:2.0.1:evil",
        "urn:botocontract:changes:2.0.1:queue",
    ]
    assert feed.findtext(f"{ATOM}updated").startswith("2021-03-02T12:00:00")
    queue = ET.parse(site / "services" / "queue.xml").getroot()
    assert_atom_feed(queue)
    links = [e.find(f"{ATOM}link").get("href") for e in queue.iter(f"{ATOM}entry")]
    assert links == ["../2.0.2/queue.html", "../2.0.1/queue.html"]  # relative to the feed itself


def test_base_url_makes_feed_links_absolute(tmp_path: Path) -> None:
    write_site(_diffs(), tmp_path, docs=_docs, base_url="https://changes.example/aws/")
    queue = ET.parse(tmp_path / "services" / "queue.xml").getroot()
    self_link = next(ln for ln in queue.findall(f"{ATOM}link") if ln.get("rel") == "self")
    assert self_link.get("href") == "https://changes.example/aws/services/queue.xml"


def test_second_run_rewrites_only_changed_pages(site: Path) -> None:
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    again = write_site(_diffs(), site, docs=_docs)
    assert again.pages_written == []
    assert len(again.pages_unchanged) == len(before)
    diffs = _diffs()
    diffs[1].services[0].operations[0].findings.append(
        _finding("queue", "ReceiveMessage", "RemovedMember", Severity.ERROR, "Messages.Body")
    )
    third = write_site(diffs, site, docs=_docs)
    written = set(third.pages_written)
    assert {"2.0.2/queue.html", "breaking.html", "index.html", "services/queue.html"} <= written
    assert "2.0.1/queue.html" not in written and "2.0.1/evil.html" not in written
    assert "static/style.css" not in written
    assert written.isdisjoint(third.pages_unchanged)
    assert not list(site.rglob("*.tmp"))
    # A run over another range leaves the pages it does not produce, and says so.
    fourth = write_site(diffs[1:], site, docs=_docs)
    assert "2.0.1/queue.html" in fourth.pages_stale and "2.0.2/queue.html" not in fourth.pages_stale
    assert "from other ranges left in place" in fourth.summary()


def test_real_syntax_from_botocore(tmp_path: Path) -> None:
    import botocore.session

    api = botocore.session.get_session().get_service_model("sqs").api_version
    diff = ReleaseDiff(
        "a",
        "b",
        "1.0.0",
        "1.0.1",
        released=datetime(2024, 1, 1, tzinfo=timezone.utc),
        services=[
            ServiceChange(
                "sqs",
                "Amazon SQS",
                "updated",
                api,
                api,
                operations=[OperationChange("SendMessage", "updated", request={"X": "string"})],
            )
        ],
    )
    write_site([diff], tmp_path, docs=docs_from_source("installed"))
    html = _read(tmp_path, "1.0.1/sqs.html")
    assert "client.send_message(" in html and "QueueUrl=&#39;string&#39;" in html
    assert "<summary>Response syntax</summary>" in html and "&#39;MessageId&#39;: &#39;string&#39;" in html


def test_diffs_without_release_facts_are_refused(tmp_path: Path) -> None:
    with pytest.raises(BotocontractError, match="no release version or date"):
        write_site([ReleaseDiff("a", "b")], tmp_path, docs=_docs)


def test_dates_and_versions_are_exclusive(tmp_path: Path) -> None:
    with pytest.raises(BotocontractError, match="not both"):
        build_site("2020-08-01", from_version="1.17.40", out=tmp_path)


@pytest.mark.network
def test_cli_builds_a_range(tmp_path: Path) -> None:
    out = tmp_path / "site"
    runner = CliRunner()
    args = ["--from", "1.17.42", "--to", "1.17.43", "--service", "sagemaker", "--out", str(out)]
    first = runner.invoke(main, ["site", *args])
    assert first.exit_code == 0, first.output
    assert "1 releases" in first.output and "0 unchanged" in first.output
    second = runner.invoke(main, ["site", *args])
    assert "0 pages written" in second.output and "1 release diffs reused" in second.output
    assert sorted(p.name for p in (out / "1.17.43").iterdir()) == ["index.html", "sagemaker.html"]


def assert_atom_feed(feed: ET.Element) -> None:
    """RFC 4287 4.1.1/4.1.2: the feed has exactly one id, title and updated, an author unless every entry
    has one; each entry has one id (an IRI), title and updated, and content or an alternate link."""
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert len(feed.findall(f"{ATOM}{name}")) == 1, name
    entries = feed.findall(f"{ATOM}entry")
    assert feed.findall(f"{ATOM}author") or all(e.findall(f"{ATOM}author") for e in entries)
    assert _is_datetime(feed.findtext(f"{ATOM}updated"))
    ids = set()
    for entry in entries:
        for name in ("id", "title", "updated"):
            assert len(entry.findall(f"{ATOM}{name}")) == 1, name
        assert _is_datetime(entry.findtext(f"{ATOM}updated"))
        entry_id = entry.findtext(f"{ATOM}id") or ""
        assert re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", entry_id), entry_id
        ids.add(entry_id)
        alternate = [ln for ln in entry.findall(f"{ATOM}link") if ln.get("rel", "alternate") == "alternate"]
        assert entry.find(f"{ATOM}content") is not None or alternate
    assert len(ids) == len(entries)


def _is_datetime(text: str | None) -> bool:
    if not text:
        return False
    return datetime.fromisoformat(text.replace("Z", "+00:00")).tzinfo is not None
