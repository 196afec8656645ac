"""Rendered operation documentation, cached on disk by content.

Rendering an operation's documentation (botocore's docstring generator, then docutils) costs tens of
milliseconds, and a changelog renders it for every changed operation. The rendered text depends only on the
operation's content (``ServiceSpec.operation_digest``: its dict, shape closures and service metadata) and
on the renderer (botocore, docutils and :data:`RENDER_VERSION`), so it is stored under a key made of both:
a rerun, a walk over many releases or the site renders each distinct operation once.

Entries are small JSON files written atomically; one that cannot be read or does not hold what its name
says is a miss and is rendered again. Nothing here imports docutils or ``botocore.docs``: a warm run never
loads them.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from botocore.model import OperationModel

    from botocontract.specs.model import ServiceSpec
    from botocontract.specs.sources import Source, SourceLike

__all__ = ["RENDER_VERSION", "CachedDocs", "DocsCache", "Kind"]

#: Bumped whenever ``opdocs`` lays text out differently, so older renderings are not reused.
RENDER_VERSION = 1

#: What is stored per operation: the changelog text, botocore's request/response syntax, the model's
#: documentation HTML (the site sanitizes it when it renders a page).
Kind = Literal["text", "request", "response", "html"]


@cache
def _renderer_id() -> str:
    """Versions of everything that shapes the rendering, besides the operation itself."""
    from importlib.metadata import PackageNotFoundError, version

    parts = [str(RENDER_VERSION)]
    for dist in ("botocore", "docutils"):
        try:
            parts.append(version(dist))
        except PackageNotFoundError:
            parts.append("-")
    return ":".join(parts)


class DocsCache:
    """Rendered documentation by ``(operation digest, kind)``: a memo in front of files under the cache."""

    def __init__(self, folder: Path | None = None) -> None:
        self._folder = folder
        self._memo: dict[str, str] = {}

    @property
    def folder(self) -> Path:
        if self._folder is None:
            from botocontract.specs.cache import cache_dir

            self._folder = cache_dir("opdocs")
        return self._folder

    def key(self, digest: str, kind: Kind) -> str:
        return hashlib.blake2b(f"{_renderer_id()}:{kind}:{digest}".encode(), digest_size=16).hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, digest: str, kind: Kind) -> str | None:
        """The stored rendering, or None (missing, unreadable or not the entry its name says)."""
        key = self.key(digest, kind)
        found = self._memo.get(key)
        if found is not None:
            return found
        from botocontract.specs.cache import read_json

        data = read_json(self._path(key))
        text = data.get("text") if isinstance(data, dict) and data.get("key") == key else None
        if not isinstance(text, str):
            return None
        self._memo[key] = text
        return text

    def put(self, digest: str, kind: Kind, text: str) -> None:
        from botocontract.specs.cache import atomic_write_json

        key = self.key(digest, kind)
        self._memo[key] = text
        with contextlib.suppress(OSError):  # a read-only or full cache only costs a rerender next time
            atomic_write_json(self._path(key), {"key": key, "kind": kind, "text": text})

    def rendered(self, digest: str, kind: Kind, render: Callable[[], str]) -> str:
        """The cached rendering, else ``render()`` stored for next time."""
        found = self.get(digest, kind)
        if found is None:
            found = render()
            self.put(digest, kind, found)
        return found


_SHARED = DocsCache()


def shared_cache() -> DocsCache:
    """The process-wide cache (its memo spans every render of a walk)."""
    return _SHARED


class CachedDocs:
    """Documentation of the operations of one source (normally a diff's new release), through the cache.

    Lookups name an operation and, when the diff carries it, the operation's digest: a hit then needs
    neither the source nor the model. On a miss the model is read from the source, its digest computed
    (so what is stored always matches the content rendered) and the rendering stored.
    """

    def __init__(
        self, source: SourceLike, docs_cache: DocsCache | None = None, *, kind: Kind = "text"
    ) -> None:
        self._source = source
        self._resolved: Source | None = None
        self.cache = docs_cache or shared_cache()
        #: What calling this object returns (the text format wants "text", markdown "request").
        self.kind: Kind = kind

    def _spec(self, service: str, api_version: str | None) -> ServiceSpec:
        if self._resolved is None:
            from botocontract.specs import resolve_source

            self._resolved = resolve_source(self._source)
        return self._resolved.service(f"{service}@{api_version}" if api_version else service)

    def get(
        self, service: str, api_version: str | None, operation: str, kind: Kind, digest: str | None = None
    ) -> str | None:
        """One kind of rendering of ``operation`` (None when the source does not have the operation)."""
        if digest is not None:
            found = self.cache.get(digest, kind)
            if found is not None:
                return found
        spec = self._spec(service, api_version)
        if operation not in spec.raw.get("operations", ()):
            return None
        model = spec.operation_model(operation)
        return self.cache.rendered(spec.operation_digest(operation), kind, lambda: _render(model, kind))

    def __call__(
        self, service: str, api_version: str | None, operation: str, digest: str | None = None
    ) -> str | None:
        """The :attr:`kind` rendering of ``operation`` (a ``render_text.DocsProvider``, or with kind
        "request" a ``render_markdown.SyntaxProvider``)."""
        return self.get(service, api_version, operation, self.kind, digest)


def _render(model: OperationModel, kind: Kind) -> str:
    if kind == "html":
        return model.documentation or ""
    from botocontract.changes import opdocs

    if kind == "request":
        return opdocs.request_syntax(model)
    if kind == "response":
        return opdocs.response_syntax(model)
    return opdocs.operation_docs_text(model)
