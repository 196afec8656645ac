"""Atom feeds (RFC 4287) of the changelog site, written with feedgen.

Ids are ``urn:`` names built from release and service, so they stay the same wherever the site is
published and across rebuilds; every timestamp comes from release upload times, never from the clock, so
an unchanged range gives a byte-identical feed (and the incremental build leaves it alone).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import urljoin

from feedgen.feed import FeedGenerator

__all__ = ["FeedItem", "atom_feed"]


@dataclass(frozen=True)
class FeedItem:
    """One entry: a release of one service."""

    id: str
    title: str
    updated: datetime
    #: Site-relative URL of the entry's page.
    link: str
    #: The entry's summary as HTML (already escaped/sanitized by the caller).
    html: str
    category: str | None = None


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def atom_feed(
    feed_id: str,
    title: str,
    items: Sequence[FeedItem],
    *,
    updated: datetime,
    self_link: str,
    site_link: str,
    base_url: str | None = None,
) -> bytes:
    """The Atom document for ``items`` (newest first as given). Links are relative to the feed's own
    location unless ``base_url`` is given, in which case they are absolute."""
    depth = self_link.count("/")

    def href(rel: str) -> str:
        if base_url:
            return urljoin(base_url.rstrip("/") + "/", rel)
        return "../" * depth + rel

    fg = FeedGenerator()
    fg.id(feed_id)
    fg.title(title)
    fg.author({"name": "botocontract"})
    fg.updated(_utc(updated))
    fg.link(href=href(site_link), rel="alternate", type="text/html")
    fg.link(href=href(self_link), rel="self", type="application/atom+xml")
    fg.generator("botocontract")
    fg.language("en")
    for item in items:
        entry = fg.add_entry(order="append")
        entry.id(item.id)
        entry.title(item.title)
        entry.updated(_utc(item.updated))
        entry.published(_utc(item.updated))
        entry.link(href=href(item.link), rel="alternate", type="text/html")
        entry.content(item.html, type="html")
        if item.category:
            entry.category(term=item.category)
    atom: bytes = fg.atom_str(pretty=True)
    return atom
