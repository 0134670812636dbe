"""Scrapy settings for directory crawls: polite, cached, retrying, quiet about item contents."""

from __future__ import annotations

from typing import Any

BOT_NAME = "leadflow"
USER_AGENT = "leadflow-directory-crawler/0.1 (business directory import; obeys robots.txt)"
ROBOTSTXT_OBEY = True
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False  # Scrapy 2.19 listens on a port for remote control by default
COOKIES_ENABLED = False

CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
DOWNLOAD_TIMEOUT = 30
DNS_TIMEOUT = 20

AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]

HTTPCACHE_ENABLED = True
HTTPCACHE_DIR = "httpcache"  # relative: under .scrapy/ in the working directory
HTTPCACHE_EXPIRATION_SECS = 24 * 3600
HTTPCACHE_IGNORE_HTTP_CODES = RETRY_HTTP_CODES  # a retried failure must not be served from cache

ITEM_PIPELINES = {
    "sources.directory.pipelines.ShapePipeline": 100,
    "sources.directory.pipelines.DropEmptyListingsPipeline": 200,
    "sources.directory.pipelines.DedupeByUrlPipeline": 300,
    "sources.directory.pipelines.ProvenancePipeline": 400,
}
LOG_FORMATTER = "sources.directory.logs.ListingLogFormatter"
LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"


def crawl_settings(overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """This module's settings as a dict, with ``overrides`` applied on top."""
    base = {name: value for name, value in globals().items() if name.isupper()}
    return {**base, **(overrides or {})}
