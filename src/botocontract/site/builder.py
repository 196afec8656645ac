"""A static changelog site over a range of botocore releases, rebuilt incrementally.

Layout of ``out``::

    index.html                  releases, newest first, with per-service counts
    <version>/index.html        one release: its services
    <version>/<service>.html    one release of one service: every operation with a permalink anchor
    services/<service>.html     one service's history over the range (+ ``<service>.xml`` Atom feed)
    breaking.html               breaking findings only (plain HTML, no script needed)
    search.html, search.json    client-side search over services, operations and release notes
    feed.xml                    Atom feed of the whole site
    static/                     stylesheet and the search script

Release diffs come from :mod:`botocontract.changes.walk`, which caches each pair on disk, so a second
run over an overlapping range only diffs new pairs. Every page is rendered, compared with what is on disk
and written (atomically) only when it differs, so a publish step sees exactly the pages that changed.

Model documentation is HTML written by AWS: it is sanitized with nh3 before it enters a page; everything
else goes through Jinja2 with autoescaping on.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
import nh3
from markupsafe import Markup

from botocontract.changes.changedict import format_delta
from botocontract.changes.model import Finding, OperationChange, ReleaseDiff, ServiceChange
from botocontract.errors import BotocontractError

if TYPE_CHECKING:
    from botocontract.specs.model import ServiceSpec
    from botocontract.specs.sources import SourceLike

__all__ = [
    "DocsProvider",
    "OperationDocs",
    "ReleaseDocs",
    "SiteResult",
    "build_feed",
    "build_site",
    "docs_from_source",
    "sanitize",
    "write_site",
]

STATIC_FILES = ("style.css", "search.js")


@dataclass
class SiteResult:
    """What a build did: pages written (new or changed) and left unchanged, and the diffs it reused."""

    out: Path
    releases: list[str] = field(default_factory=list)
    pages_written: list[str] = field(default_factory=list)
    pages_unchanged: list[str] = field(default_factory=list)
    #: Files in ``out`` this build did not produce (left by a run over another range); never deleted.
    pages_stale: list[str] = field(default_factory=list)
    diffs_reused: int = 0
    diffs_computed: int = 0

    def summary(self) -> str:
        stale = f", {len(self.pages_stale)} from other ranges left in place" if self.pages_stale else ""
        return (
            f"{len(self.releases)} releases, {len(self.pages_written)} pages written, "
            f"{len(self.pages_unchanged)} unchanged{stale}, {self.diffs_reused} release diffs reused from "
            f"the cache, {self.diffs_computed} computed -> {self.out}"
        )


class _Writer:
    """Writes a file only when its content differs from what is on disk (atomic replace)."""

    def __init__(self, root: Path, result: SiteResult) -> None:
        self.root = root
        self.result = result

    def write(self, rel: str, content: str | bytes) -> None:
        from botocontract.specs.cache import atomic_write_bytes

        data = content.encode("utf-8") if isinstance(content, str) else content
        path = self.root / rel
        try:
            same = path.read_bytes() == data
        except OSError:
            same = False
        if same:
            self.result.pages_unchanged.append(rel)
        else:
            atomic_write_bytes(path, data)
            self.result.pages_written.append(rel)


# --------------------------------------------------------------------------------------------- docs


def sanitize(html: str | None) -> Markup:
    """AWS model documentation as safe HTML (nh3's default allow-list; links get ``rel=noopener``)."""
    return Markup(nh3.clean(html or "")) if html else Markup("")


@dataclass(frozen=True)
class OperationDocs:
    """What an operation page shows besides the diff: its docs and botocore's request/response examples."""

    #: The model's documentation as written (HTML from AWS; sanitized when rendered).
    html: str
    request: str
    response: str


#: ``(diff, service entry, operation names) -> docs per operation`` (missing names are left out).
DocsProvider = Callable[[ReleaseDiff, ServiceChange, Sequence[str]], dict[str, OperationDocs]]


def _operation_docs(spec: ServiceSpec, names: Sequence[str]) -> dict[str, OperationDocs]:
    from botocontract.changes.opdocs import request_syntax, response_syntax

    out = {}
    for name in names:
        if name in spec.operation_names:
            model = spec.operation_model(name)
            docs = model.documentation or ""
            out[name] = OperationDocs(docs, request_syntax(model), response_syntax(model))
    return out


def docs_from_source(source: SourceLike) -> DocsProvider:
    """Docs read from one source (anything ``resolve_source`` accepts) whatever the diff says; for
    diffs of local model folders."""
    from botocontract.specs import resolve_source

    resolved = resolve_source(source)

    def provide(diff: ReleaseDiff, change: ServiceChange, names: Sequence[str]) -> dict[str, OperationDocs]:
        version = change.new_api_version
        return _operation_docs(
            resolved.service(f"{change.service}@{version}" if version else change.service), names
        )

    return provide


class ReleaseDocs:
    """Docs from each diff's new release, through the documentation cache keyed by operation content
    (:mod:`botocontract.changes.docscache`, shared with the text format): rendering botocore's docstrings
    costs tens of milliseconds per operation, and an operation unchanged across releases renders once."""

    def __init__(self) -> None:
        self._sources: dict[str, Any] = {}

    def _docs(self, version: str) -> Any:
        from botocontract.changes.docscache import CachedDocs

        if version not in self._sources:
            self._sources[version] = CachedDocs(version)
        return self._sources[version]

    def __call__(
        self, diff: ReleaseDiff, change: ServiceChange, names: Sequence[str]
    ) -> dict[str, OperationDocs]:
        version, api_version = diff.new_version, change.new_api_version
        if not version or not api_version or not names:
            return {}
        docs = self._docs(version)
        digests = {op.name: op.digest for op in change.operations}
        out = {}
        for name in names:
            parts = [
                docs.get(change.service, api_version, name, kind, digests.get(name))
                for kind in ("html", "request", "response")
            ]
            if all(part is not None for part in parts):
                out[name] = OperationDocs(*parts)
        return out


# --------------------------------------------------------------------------------------------- views


@dataclass
class OpView:
    op: OperationChange
    docs: OperationDocs | None

    @property
    def name(self) -> str:
        return self.op.name

    @property
    def changes(self) -> list[tuple[str, str]]:
        """``(label, pprint text)`` blocks in the awsapichanges format (``both`` when sides agree)."""
        req, resp = self.op.request, self.op.response
        if req and resp and req == resp:
            return [("both", format_delta(req))]
        out = []
        if req:
            out.append(("request", format_delta(req)))
        if resp:
            out.append(("response", format_delta(resp)))
        return out

    @property
    def findings(self) -> list[Finding]:
        return _ordered(self.op.findings)

    @property
    def breaking(self) -> int:
        return sum(1 for f in self.op.findings if f.breaking)

    @property
    def doc_html(self) -> Markup:
        return sanitize(self.docs.html) if self.docs else Markup("")


@dataclass
class EntryView:
    """One service in one release."""

    release: ReleaseView
    change: ServiceChange
    ops: list[OpView] = field(default_factory=list)

    @property
    def service(self) -> str:
        return self.change.service

    @property
    def url(self) -> str:
        return f"{self.release.version}/{self.service}.html"

    def count(self, status: str) -> int:
        return sum(1 for op in self.change.operations if op.status == status)

    @cached_property
    def breaking(self) -> int:
        return sum(1 for f in self.change.all_findings() if f.breaking)

    @property
    def service_findings(self) -> list[Finding]:
        return _ordered(self.change.findings)

    @property
    def notes(self) -> str | None:
        from botocontract.changes.render_text import release_notes

        return release_notes(self.release.diff, self.service)

    @property
    def summary(self) -> str:
        parts = [f"{self.count(s)} {s}" for s in ("new", "updated", "removed") if self.count(s)]
        if not parts:
            return "documentation only" if self.change.status == "docs-only" else "no operation changes"
        return " ".join(parts) + " api methods"

    @property
    def breaking_findings(self) -> list[tuple[str | None, Finding]]:
        out: list[tuple[str | None, Finding]] = [(None, f) for f in self.service_findings if f.breaking]
        for op in self.ops:
            out.extend((op.name, f) for f in op.findings if f.breaking)
        return out


@dataclass
class ReleaseView:
    diff: ReleaseDiff
    version: str
    old_version: str
    released: datetime
    entries: list[EntryView] = field(default_factory=list)

    @property
    def day(self) -> str:
        return self.released.strftime("%Y-%m-%d")

    @property
    def breaking(self) -> int:
        return sum(e.breaking for e in self.entries)


def _ordered(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (-f.severity, str(f.location), f.rule))


# --------------------------------------------------------------------------------------------- build


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("botocontract.site", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["sanitize"] = sanitize
    return env


def _walk(
    from_version: str | None,
    to_version: str | None,
    since: date | str | None,
    until: date | str | None,
    services: Sequence[str] | None,
    result: SiteResult,
    progress: Callable[[int, int, str], None] | None = None,
) -> list[ReleaseDiff]:
    """One diff per consecutive pair of the range (from walk's cache when there), counting reuses."""
    from botocontract.changes.walk import pair_cache_path, release_range, walk

    span = release_range(from_version, to_version, since=since, until=until)
    if len(span) < 2:
        raise BotocontractError(
            "the range holds a single release, so there is nothing to compare", hint="widen the range"
        )
    chosen = sorted(set(services)) if services else None
    for old, new in itertools.pairwise(span):
        if pair_cache_path(old.version, new.version, chosen).exists():
            result.diffs_reused += 1
        else:
            result.diffs_computed += 1
    diffs = list(walk(from_version, to_version, since=since, until=until, services=chosen, progress=progress))
    for release, diff in zip(span[1:], diffs, strict=True):
        if diff.released is None:
            diff.released = release.uploaded
    return diffs


def build_site(
    since: date | str | None = None,
    until: date | str | None = None,
    *,
    from_version: str | None = None,
    to_version: str | None = None,
    out: str | Path,
    services: Sequence[str] | None = None,
    base_url: str | None = None,
    title: str = "AWS API changes",
    scope: Callable[[ReleaseDiff], ReleaseDiff] | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> SiteResult:
    """Build (or update) the site in ``out`` for releases uploaded ``since``..``until`` (UTC days) or
    from ``from_version`` (the old side of the first pair) to ``to_version``.

    ``base_url`` makes feed links absolute (feeds are valid without it; links are then relative).
    ``scope`` cuts each release diff down first (to what one contract uses, say); ``progress`` is called
    as ``(done, total, version)`` while the range is diffed.
    """
    result = SiteResult(out=Path(out))
    diffs = _walk(from_version, to_version, since, until, services, result, progress)
    if scope is not None:
        diffs = [scope(d) for d in diffs]
    return write_site(diffs, out, docs=ReleaseDocs(), base_url=base_url, title=title, result=result)


def write_site(
    diffs: Sequence[ReleaseDiff],
    out: str | Path,
    *,
    docs: DocsProvider | None = None,
    base_url: str | None = None,
    title: str = "AWS API changes",
    result: SiteResult | None = None,
) -> SiteResult:
    """Write the site for ready-made release diffs (each needs ``new_version`` and ``released``).

    ``docs`` supplies operation documentation and syntax (default: each diff's new release, cached).
    """
    from botocontract.site.feed import FeedItem, atom_feed

    root = Path(out)
    result = result if result is not None else SiteResult(out=root)
    provider = docs if docs is not None else ReleaseDocs()
    releases: list[ReleaseView] = []
    for diff in diffs:
        if not diff.new_version or diff.released is None:
            raise BotocontractError(
                f"the diff {diff.old_label} -> {diff.new_label} has no release version or date",
                hint="build sites from release diffs (botocontract.changes.walk)",
            )
        view = ReleaseView(diff, diff.new_version, diff.old_version or diff.old_label, diff.released)
        for change in sorted(diff.services, key=lambda s: s.service):
            entry = EntryView(view, change)
            names = [op.name for op in change.operations if op.status != "removed"]
            found = provider(diff, change, names) if names else {}
            entry.ops = [OpView(op, found.get(op.name)) for op in change.operations]
            view.entries.append(entry)
        releases.append(view)
    releases.sort(key=lambda r: (r.released, r.version), reverse=True)
    result.releases = [r.version for r in releases]

    env = _environment()
    writer = _Writer(root, result)
    common = {"site_title": title}

    def page(template: str, rel: str, **context: Any) -> None:
        depth = rel.count("/")
        html = env.get_template(template).render(root="../" * depth, page=rel, **common, **context)
        writer.write(rel, html)

    history: dict[str, list[EntryView]] = {}
    for release in releases:
        for entry in release.entries:
            history.setdefault(entry.service, []).append(entry)
    full_names = {name: entries[0].change.full_name for name, entries in history.items()}

    page("index.html.j2", "index.html", releases=releases, services=sorted(full_names.items()))
    for release in releases:
        page("release.html.j2", f"{release.version}/index.html", release=release)
        for entry in release.entries:
            page("entry.html.j2", entry.url, release=release, entry=entry)
    for name, entries in sorted(history.items()):
        page(
            "service.html.j2",
            f"services/{name}.html",
            service=name,
            full_name=full_names[name],
            entries=entries,
        )
    page("breaking.html.j2", "breaking.html", releases=releases)
    page("search.html.j2", "search.html")

    writer.write("search.json", json.dumps(_search_index(releases), indent=1, sort_keys=True) + "\n")
    for name in STATIC_FILES:
        static = resources.files("botocontract.site").joinpath("static").joinpath(name)
        writer.write(f"static/{name}", static.read_bytes())

    items = [
        FeedItem(
            id=f"urn:botocontract:changes:{e.release.version}:{e.service}",
            title=f"{e.change.full_name}: {e.summary} (botocore {e.release.version})",
            updated=e.release.released,
            link=e.url,
            html=env.get_template("feed_entry.html.j2").render(entry=e),
            category=e.service,
        )
        for r in releases
        for e in r.entries
    ]
    stamp = releases[0].released if releases else datetime.now(timezone.utc)
    writer.write(
        "feed.xml",
        atom_feed(
            "urn:botocontract:changes",
            title,
            items,
            updated=stamp,
            self_link="feed.xml",
            site_link="index.html",
            base_url=base_url,
        ),
    )
    for name in sorted(history):
        own = [i for i in items if i.category == name]
        writer.write(
            f"services/{name}.xml",
            atom_feed(
                f"urn:botocontract:changes:{name}",
                f"{title}: {full_names[name]}",
                own,
                updated=own[0].updated,
                self_link=f"services/{name}.xml",
                site_link=f"services/{name}.html",
                base_url=base_url,
            ),
        )
    produced = set(result.pages_written) | set(result.pages_unchanged)
    result.pages_stale = sorted(
        rel
        for rel in (p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
        if rel not in produced
    )
    return result


def _search_index(releases: Sequence[ReleaseView]) -> list[dict[str, str]]:
    """Documents for the client-side search: services, operations (per release) and release notes."""
    docs: list[dict[str, str]] = []
    seen: set[str] = set()
    for release in releases:
        for entry in release.entries:
            if entry.service not in seen:
                seen.add(entry.service)
                docs.append(
                    {
                        "kind": "service",
                        "title": entry.change.full_name,
                        "name": entry.service,
                        "url": f"services/{entry.service}.html",
                        "text": "",
                    }
                )
            docs.append(
                {
                    "kind": "release",
                    "title": f"{entry.change.full_name} {release.version}",
                    "name": entry.service,
                    "url": entry.url,
                    "text": f"{release.day} {entry.summary}. {entry.notes or ''}".strip(),
                }
            )
            for op in entry.ops:
                docs.append(
                    {
                        "kind": "operation",
                        "title": f"{entry.service} {op.name} ({op.op.status})",
                        "name": op.name,
                        "url": f"{entry.url}#{op.name}",
                        "text": f"botocore {release.version}, {release.day}",
                    }
                )
    return docs


def build_feed(
    since: date | str | None = None,
    until: date | str | None = None,
    *,
    from_version: str | None = None,
    to_version: str | None = None,
    services: Sequence[str] | None = None,
    scope: Callable[[ReleaseDiff], ReleaseDiff] | None = None,
    feed_id: str = "urn:botocontract:changes",
    title: str = "AWS API changes",
    base_url: str | None = None,
) -> bytes:
    """One Atom feed over a range (one entry per release and service, each finding listed), without
    writing a site; ``scope`` cuts each release diff down first. Entry links point at the pages a site of
    the same range and scope has (absolute with ``base_url``)."""
    from botocontract.site.feed import FeedItem, atom_feed

    diffs = _walk(from_version, to_version, since, until, services, SiteResult(out=Path(".")))
    if scope is not None:
        diffs = [scope(d) for d in diffs]
    env = _environment()
    items = []
    for diff in sorted(diffs, key=lambda d: (d.released, d.new_version or ""), reverse=True):
        assert diff.new_version and diff.released
        view = ReleaseView(diff, diff.new_version, diff.old_version or diff.old_label, diff.released)
        for change in sorted(diff.services, key=lambda c: c.service):
            entry = EntryView(view, change)
            entry.ops = [OpView(op, None) for op in change.operations]
            items.append(
                FeedItem(
                    id=f"{feed_id}:{view.version}:{entry.service}",
                    title=f"{change.full_name}: {entry.summary} (botocore {view.version})",
                    updated=view.released,
                    link=entry.url,
                    html=env.get_template("feed_entry_findings.html.j2").render(entry=entry),
                    category=entry.service,
                )
            )
    stamp = max((d.released for d in diffs if d.released), default=datetime(1970, 1, 1, tzinfo=timezone.utc))
    return atom_feed(
        feed_id, title, items, updated=stamp, self_link="feed.xml", site_link="index.html", base_url=base_url
    )
