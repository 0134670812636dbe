"""Business directories: crawl them with Scrapy into a JSON Lines feed, then read the feed.

``crawl`` runs a crawl in a subprocess; ``read`` is the adapter for ``SourceKind.DIRECTORY``
(the feed is then an ordinary source); ``default_profile`` maps feed keys to canonical fields.
Importing this package does not import Scrapy.
"""

from __future__ import annotations

from sources.directory.feed import DEFAULT_COLUMNS, default_profile, read
from sources.directory.items import Listing
from sources.directory.profile import DirectoryProfile, Query
from sources.directory.run import CrawlError, CrawlSummary, crawl

__all__ = [
    "DEFAULT_COLUMNS",
    "CrawlError",
    "CrawlSummary",
    "DirectoryProfile",
    "Listing",
    "Query",
    "crawl",
    "default_profile",
    "read",
]
