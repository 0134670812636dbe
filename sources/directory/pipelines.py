"""Item pipelines: shape, drop empty listings, drop duplicate URLs, stamp provenance.

No cleaning here: phones, emails and addresses are normalized by ``ingest.normalize`` like every
other source's. Problems become namespaced stats (``directory/...``), not errors.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, Self

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector
from w3lib.url import canonicalize_url

from sources.directory.items import CONTENT_FIELDS, Listing
from sources.directory.spiders import STATS_PREFIX


class _Pipeline:
    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        assert crawler.stats is not None
        return cls(crawler.stats)

    def _inc(self, key: str) -> None:
        self.stats.inc_value(f"{STATS_PREFIX}/{key}")


class ShapePipeline(_Pipeline):
    """Make every item a Listing (a site spider may yield plain dicts) and count missing fields."""

    def process_item(self, item: Any) -> Listing:
        listing = item if isinstance(item, Listing) else None
        if listing is None and isinstance(item, Mapping):
            listing = Listing.from_mapping(item)
        if listing is None:
            self._inc("listing/dropped_unknown_type")
            raise DropItem(f"not a listing: {type(item).__name__}")
        for name in CONTENT_FIELDS:
            if getattr(listing, name) is None:
                self._inc(f"field/{name}/missing")
        return listing


class DropEmptyListingsPipeline(_Pipeline):
    """Drop a listing whose page held none of the profile's fields."""

    def process_item(self, item: Listing) -> Listing:
        if all(getattr(item, name) is None for name in CONTENT_FIELDS):
            self._inc("listing/dropped_empty")
            raise DropItem("the listing page held none of the profile's fields")
        return item


class DedupeByUrlPipeline(_Pipeline):
    """Drop a listing whose (canonicalized) URL was already scraped in this crawl."""

    def __init__(self, stats: StatsCollector) -> None:
        super().__init__(stats)
        self.seen: set[str] = set()

    def process_item(self, item: Listing) -> Listing:
        key = canonicalize_url(item.url) if item.url else None
        if key is not None and key in self.seen:
            self._inc("listing/dropped_duplicate")
            raise DropItem("a listing with the same URL was already scraped")
        if key is not None:
            self.seen.add(key)
        return item


class ProvenancePipeline(_Pipeline):
    """Stamp when the listing was fetched (UTC); its URL is the page it was read from."""

    def process_item(self, item: Listing) -> Listing:
        self._inc("listing/scraped")
        if item.fetched_at is not None:
            return item
        return replace(item, fetched_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
