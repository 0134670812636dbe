"""Pipelines: shaping, empty and duplicate listings dropped with stats, provenance stamped."""

from __future__ import annotations

import re

import pytest
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from sources.directory import Listing
from sources.directory.pipelines import (
    DedupeByUrlPipeline,
    DropEmptyListingsPipeline,
    ProvenancePipeline,
    ShapePipeline,
)
from sources.directory.settings import crawl_settings
from sources.directory.spiders import DirectorySpider

URL = "https://d.example/members/a.html"


@pytest.fixture
def crawler() -> Crawler:
    return get_crawler(DirectorySpider, crawl_settings())


def stat(crawler: Crawler, key: str) -> int | None:
    return crawler.stats.get_value(f"directory/{key}")


def test_shape_turns_dicts_into_listings_and_counts_missing_fields(crawler: Crawler) -> None:
    pipeline = ShapePipeline.from_crawler(crawler)
    listing = pipeline.process_item({"url": URL, "name": " Acme ", "extra": "ignored"})
    assert listing == Listing(url=URL, name="Acme")
    assert stat(crawler, "field/phone/missing") == 1 and stat(crawler, "field/name/missing") is None
    with pytest.raises(DropItem):
        pipeline.process_item(["not", "a", "listing"])
    assert stat(crawler, "listing/dropped_unknown_type") == 1


@pytest.mark.parametrize(
    ("listing", "dropped"),
    [
        (Listing(url=URL), True),
        (Listing(url=URL, fetched_at="2026-01-01T00:00:00Z"), True),  # provenance is not content
        (Listing(url=URL, city="Portland"), False),
        (Listing(name="Acme"), False),
    ],
)
def test_empty_listings_are_dropped(crawler: Crawler, listing: Listing, dropped: bool) -> None:
    pipeline = DropEmptyListingsPipeline.from_crawler(crawler)
    if dropped:
        with pytest.raises(DropItem) as info:
            pipeline.process_item(listing)
        assert "Portland" not in str(info.value)
        assert stat(crawler, "listing/dropped_empty") == 1
    else:
        assert pipeline.process_item(listing) is listing


def test_duplicate_urls_are_dropped_after_canonicalization(crawler: Crawler) -> None:
    pipeline = DedupeByUrlPipeline.from_crawler(crawler)
    pipeline.process_item(Listing(url="https://d.example/m?b=2&a=1", name="A"))
    pipeline.process_item(Listing(url="https://d.example/m?a=2", name="B"))
    with pytest.raises(DropItem) as info:
        pipeline.process_item(Listing(url="https://d.example/m?a=1&b=2#top", name="A again"))
    assert "d.example" not in str(info.value)  # messages carry no listing values
    assert stat(crawler, "listing/dropped_duplicate") == 1
    # a listing without a URL cannot be a duplicate of anything
    assert pipeline.process_item(Listing(name="C")).name == "C"
    assert pipeline.process_item(Listing(name="C")).name == "C"


def test_provenance_stamps_fetched_at_once(crawler: Crawler) -> None:
    pipeline = ProvenancePipeline.from_crawler(crawler)
    stamped = pipeline.process_item(Listing(url=URL, name="A"))
    assert stamped.url == URL
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", stamped.fetched_at or "")
    kept = Listing(url=URL, fetched_at="2026-10-05T17:28:08Z")
    assert pipeline.process_item(kept) is kept
    assert stat(crawler, "listing/scraped") == 2


def test_pipelines_use_the_modern_signature() -> None:
    # process_item(self, item) without the spider argument (Scrapy 2.13+)
    import inspect

    for cls in (ShapePipeline, DropEmptyListingsPipeline, DedupeByUrlPipeline, ProvenancePipeline):
        assert list(inspect.signature(cls.process_item).parameters) == ["self", "item"]
