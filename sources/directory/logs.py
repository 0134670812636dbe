"""Log lines without item contents: a listing may hold a sole trader's phone or email."""

from __future__ import annotations

import logging
from typing import Any

from scrapy.logformatter import LogFormatter, LogFormatterResult


class ListingLogFormatter(LogFormatter):
    """Scrapy's log formatter with every item printout replaced by the page URL."""

    def scraped(self, item: Any, response: Any, spider: Any) -> LogFormatterResult:
        return {
            "level": logging.DEBUG,
            "msg": "Scraped a listing from %(url)s",
            "args": {"url": getattr(response, "url", "?")},
        }

    def dropped(
        self, item: Any, exception: BaseException, response: Any, spider: Any
    ) -> LogFormatterResult:
        return {
            "level": logging.INFO,
            "msg": "Dropped a listing: %(exception)s",
            "args": {"exception": exception},
        }

    def item_error(
        self, item: Any, exception: BaseException, response: Any, spider: Any
    ) -> LogFormatterResult:
        return {
            "level": logging.ERROR,
            "msg": "Error processing a listing from %(url)s",
            "args": {"url": getattr(response, "url", "?")},
        }
