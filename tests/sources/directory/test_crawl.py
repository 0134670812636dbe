"""A whole crawl through ``crawl()`` (the production subprocess) against the loopback site."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from ingest.records import ROW_COLUMN
from sources.directory import CrawlError, CrawlSummary, crawl, read
from tests.sources.directory.conftest import write_profile
from tests.sources.directory.server import FLAKY_PATH, serve

FAST = {"AUTOTHROTTLE_START_DELAY": 0.01, "AUTOTHROTTLE_MAX_DELAY": 1, "DOWNLOAD_DELAY": 0}


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> tuple[CrawlSummary, list[str]]:
    tmp = tmp_path_factory.mktemp("crawl")
    with serve() as site:
        started = time.monotonic()
        summary = crawl(
            write_profile(tmp, site.base),
            out=tmp / "feed.jsonl",
            settings_overrides=FAST,
            cache_dir=tmp / "cache",
            timeout=60,
        )
        assert time.monotonic() - started < 30
        return summary, site.requested


@pytest.mark.slow
def test_listings_from_every_list_page(crawled: tuple[CrawlSummary, list[str]]) -> None:
    summary, requested = crawled
    names = sorted(json.loads(line)["name"] for line in summary.feed.read_text().splitlines())
    assert names == [
        "Acme Widgets, Inc.",  # from JSON-LD
        "Baker & Sons",
        "Cobalt Consulting",  # missing fields tolerated
        "Delta Dental Laboratory LLC",
        "Flaky Florists",  # 500 first, then retried and scraped
    ]
    assert summary.item_count == 5 == summary.stat("item_scraped_count")
    assert {"/index.html", "/page-2.html", "/page-3.html"} <= set(requested)  # pagination
    assert summary.stat("directory/page/list") == 3


@pytest.mark.slow
def test_failures_are_counted_not_fatal(crawled: tuple[CrawlSummary, list[str]]) -> None:
    summary, requested = crawled
    assert summary.stat("directory/page/http_error/404") == 1
    assert summary.stat("downloader/response_status_count/404") == 1
    assert requested.count(FLAKY_PATH) == 2
    assert summary.stat("retry/count") == 1
    assert summary.stat("directory/page/http_error/500") == 0
    assert summary.stat("directory/listing/dropped_empty") == 1
    assert summary.stat("directory/listing/json_ld") == 2
    assert summary.stat("finish_reason") == "finished"


@pytest.mark.slow
def test_robots_txt_is_obeyed(crawled: tuple[CrawlSummary, list[str]]) -> None:
    summary, requested = crawled
    assert "/robots.txt" in requested
    assert not any(path.startswith("/private/") for path in requested)
    assert summary.stat("robotstxt/forbidden") == 1
    assert summary.stat("directory/page/ignored") == 1
    assert "Remote control" not in summary.log_path.read_text(encoding="utf-8")


@pytest.mark.slow
def test_feed_items_carry_provenance_and_read_as_rows(
    crawled: tuple[CrawlSummary, list[str]],
) -> None:
    summary, _ = crawled
    items = [json.loads(line) for line in summary.feed.read_text().splitlines()]
    assert all(item["url"].startswith("http://127.0.0.1:") for item in items)
    assert all(item["fetched_at"].endswith("Z") for item in items)
    (batch,) = list(read(summary.feed))
    assert len(batch.rows) == 5 and batch.broken == ()
    acme = batch.rows[batch.rows["name"] == "Acme Widgets, Inc."].iloc[0]
    assert (acme["city"], acme["postal_code"], acme["category"]) == (
        "Cambridge",
        "02139",
        "Manufacturing",
    )
    assert sorted(batch.rows[ROW_COLUMN]) == [1, 2, 3, 4, 5]


@pytest.mark.slow
def test_log_holds_no_listing_values(crawled: tuple[CrawlSummary, list[str]]) -> None:
    summary, _ = crawled
    log = summary.log_path.read_text(encoding="utf-8")
    assert "Spider closed (finished)" in log
    assert "555-0142" not in log and "sales@acme-widgets.example" not in log


@pytest.mark.slow  # the crawl runs in a subprocess
def test_a_bad_profile_fails_with_crawl_error(tmp_path: Path) -> None:
    profile = tmp_path / "bad.yaml"
    profile.write_text("name: x\n", encoding="utf-8")
    with pytest.raises(CrawlError) as info:
        crawl(profile, out=tmp_path / "feed.jsonl", timeout=60)
    assert info.value.returncode not in (0, None)
    assert info.value.log.is_file()
