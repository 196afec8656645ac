"""A static changelog site over a range of botocore releases: pages, Atom feeds, client-side search.

It sits above :mod:`botocontract.changes` (whose release walk and diffs it renders); names load on first
use, so importing the package stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from botocontract.lazy import lazy_exports

if TYPE_CHECKING:
    from botocontract.site.builder import SiteResult, build_feed, build_site, write_site
    from botocontract.site.feed import FeedItem, atom_feed

_WHERE = {
    "FeedItem": "feed",
    "SiteResult": "builder",
    "atom_feed": "feed",
    "build_feed": "builder",
    "build_site": "builder",
    "write_site": "builder",
}

__all__ = ["FeedItem", "SiteResult", "atom_feed", "build_feed", "build_site", "write_site"]

__getattr__ = lazy_exports(__name__, _WHERE)
