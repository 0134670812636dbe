"""The directory platform spider: list pages → detail pages → one Listing per detail page.

It only walks pages and yields listings; a site-specific spider subclasses it and overrides
``parse_item`` (e.g. to split a combined address) instead of copying the walking code.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any

import scrapy
from itemloaders.processors import Join, MapCompose, TakeFirst
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.loader import ItemLoader
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from sources.directory.items import Listing
from sources.directory.profile import DirectoryProfile, Query
from sources.directory.structured import organization_fields

STATS_PREFIX = "directory"
"""Namespace of every stats key this package writes (``directory/...``)."""


def _strip(value: str) -> str | None:
    return " ".join(value.split()) or None


class ListingLoader(ItemLoader):
    """Thin processors only: collapse whitespace, drop blanks, take the first value.

    Street lines are joined with ", " and description paragraphs with a space.
    """

    default_item_class = dict
    default_input_processor = MapCompose(_strip)
    default_output_processor = TakeFirst()
    street_out = Join(", ")
    description_out = Join(" ")


class DirectorySpider(scrapy.Spider):
    """Crawls one directory as its profile describes."""

    name = "directory"

    def __init__(self, profile: DirectoryProfile, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.profile = profile
        self.allowed_domains = list(profile.allowed_domains)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.profile.start_urls:
            yield scrapy.Request(url, callback=self.parse, errback=self.on_error)

    def parse(self, response: Response, **kwargs: Any) -> Iterator[scrapy.Request]:
        """A list page: follow every listing link, then the next page."""
        self._inc("page/list")
        for href in _select(response, self.profile.item_links):
            yield response.follow(href, callback=self.parse_listing, errback=self.on_error)
        if self.profile.next_page is not None:
            for href in _select(response, self.profile.next_page)[:1]:
                yield response.follow(href, callback=self.parse, errback=self.on_error)

    def parse_listing(self, response: Response) -> Iterator[Listing]:
        """A detail page: JSON-LD first (when the profile allows), selectors fill the rest."""
        self._inc("page/detail")
        if not isinstance(response, TextResponse):
            self._inc("page/not_text")  # a PDF or image behind a listing link: nothing to read
            return
        loader = ListingLoader(response=response)
        loader.add_value("url", response.url)
        found: dict[str, str] = {}
        if self.profile.json_ld:
            scripts = response.xpath('//script[@type="application/ld+json"]/text()').getall()
            found = organization_fields(scripts)
            if found:
                self._inc("listing/json_ld")
        for field, value in found.items():
            loader.add_value(field, value)
        for field, query in self.profile.fields.items():
            if field in found:
                continue
            if query.kind == "css":
                loader.add_css(field, query.query)
            else:
                loader.add_xpath(field, query.query)
        yield from self.parse_item(Listing.from_mapping(loader.load_item()), response)

    def parse_item(self, item: Listing, response: Response) -> Iterable[Listing]:
        """Hook for site spiders: adjust or split the listing read from ``response``."""
        yield item

    def on_error(self, failure: Failure) -> None:
        """Count failed or skipped pages by HTTP status or error type; the crawl goes on."""
        error = failure.value
        if isinstance(error, HttpError):
            self._inc(f"page/http_error/{error.response.status}")
        elif isinstance(error, IgnoreRequest):
            self._inc("page/ignored")  # robots.txt disallows it (or another middleware)
        else:
            self._inc(f"page/error/{type(error).__name__}")

    def _inc(self, key: str) -> None:
        if self.crawler is not None and self.crawler.stats is not None:
            self.crawler.stats.inc_value(f"{STATS_PREFIX}/{key}")


def _select(response: Response, query: Query) -> list[str]:
    found = response.css(query.query) if query.kind == "css" else response.xpath(query.query)
    return [value.strip() for value in found.getall() if value.strip()]
