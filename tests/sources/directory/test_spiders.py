"""Offline parse tests: fixture pages as responses → listings and follow-up requests."""

from __future__ import annotations

from dataclasses import replace

import scrapy

from sources.directory import Listing
from sources.directory.spiders import DirectorySpider
from tests.sources.directory.conftest import OFFLINE_BASE, page


def test_list_page_follows_listings_then_the_next_page(spider: DirectorySpider) -> None:
    requests = list(spider.parse(page("index.html")))
    assert [r.url for r in requests] == [
        f"{OFFLINE_BASE}/members/acme.html",
        f"{OFFLINE_BASE}/members/baker.html",  # a root-relative link resolves the same way
        f"{OFFLINE_BASE}/page-2.html",
    ]
    assert [r.callback for r in requests] == [
        spider.parse_listing,
        spider.parse_listing,
        spider.parse,
    ]
    assert spider.crawler.stats.get_value("directory/page/list") == 1


def test_last_list_page_has_no_next_request(spider: DirectorySpider) -> None:
    requests = list(spider.parse(page("page-3.html")))
    assert all(r.callback == spider.parse_listing for r in requests)
    # offsite links are still yielded here; Scrapy's offsite middleware filters them
    assert f"{OFFLINE_BASE}/members/flaky.html" in [r.url for r in requests]


def test_detail_page_without_json_ld_uses_the_selectors(spider: DirectorySpider) -> None:
    (item,) = spider.parse_listing(page("members/baker.html"))
    assert item == Listing(
        url=f"{OFFLINE_BASE}/members/baker.html",
        name="Baker & Sons",  # whitespace and line breaks inside the heading collapse
        street="12 Main St, Suite 4",  # street lines are joined, nothing else is cleaned
        city="Springfield",  # selected by XPath in the profile
        region="IL",
        postal_code="62701",
        country="US",
        phone="(217) 555-0100",  # kept as shown: ingest.normalize parses phones
        website="https://bakerandsons.example/",
        email="hello@bakerandsons.example",
        category="Bakery",
        description="Family bakery. Open daily.",
    )


def test_json_ld_wins_and_selectors_fill_what_it_lacks(spider: DirectorySpider) -> None:
    (item,) = spider.parse_listing(page("members/acme.html"))
    # the page's own structured data is preferred to its visible markup
    assert (item.name, item.street, item.city, item.postal_code) == (
        "Acme Widgets, Inc.",
        "1 Main Street",
        "Cambridge",
        "02139",
    )
    assert item.phone == "+1 617-555-0142"
    assert item.website == "https://www.acme-widgets.example/"
    assert item.email == "sales@acme-widgets.example"
    # JSON-LD has no category or description: those come from the selectors
    assert (item.category, item.description) == ("Manufacturing", "Widgets since 1950.")
    assert spider.crawler.stats.get_value("directory/listing/json_ld") == 1


def test_json_ld_in_a_graph_with_a_broken_block_beside_it(spider: DirectorySpider) -> None:
    (item,) = spider.parse_listing(page("members/delta.html"))
    assert item.name == "Delta Dental Laboratory LLC"
    assert (item.street, item.city, item.country) == ("400 Lake Shore Dr", "Chicago", "US")
    assert item.phone == "(312) 555-0199"  # not in the JSON-LD, so read from the page


def test_missing_fields_are_none(spider: DirectorySpider) -> None:
    (item,) = spider.parse_listing(page("members/cobalt.html"))
    assert (item.name, item.city) == ("Cobalt Consulting", "Portland")
    assert item.street is item.phone is item.email is item.website is None


def test_a_listing_link_to_a_binary_file_is_counted_and_skipped(spider: DirectorySpider) -> None:
    pdf = scrapy.http.Response(
        f"{OFFLINE_BASE}/members/brochure.pdf",
        body=b"%PDF-1.7 not a page",
        headers={"Content-Type": "application/pdf"},
    )
    assert list(spider.parse_listing(pdf)) == []
    assert spider.crawler.stats.get_value("directory/page/not_text") == 1
    assert spider.crawler.stats.get_value("directory/page/detail") == 1


def test_json_ld_can_be_switched_off(spider: DirectorySpider) -> None:
    spider.profile = replace(spider.profile, json_ld=False)
    (item,) = spider.parse_listing(page("members/acme.html"))
    assert (item.name, item.city) == ("Acme Widgets", "Boston")


def test_parse_item_is_the_hook_for_site_spiders(spider: DirectorySpider) -> None:
    class UpperCaseCountry(DirectorySpider):
        def parse_item(self, item: Listing, response: scrapy.http.Response):
            yield replace(item, country="USA")

    site = UpperCaseCountry(profile=spider.profile)
    site.crawler = spider.crawler
    (item,) = site.parse_listing(page("members/baker.html"))
    assert item.country == "USA"


def test_sample_profile_reads_the_sample_site() -> None:
    from scrapy.http import HtmlResponse
    from scrapy.utils.test import get_crawler

    from sources.directory import DirectoryProfile
    from sources.directory.settings import crawl_settings
    from tests.sources.directory.conftest import REPO, REPO_SAMPLE_PROFILE

    site = REPO / "sample_data" / "directory" / "site"
    profile = DirectoryProfile.from_path(REPO_SAMPLE_PROFILE)
    sample = DirectorySpider.from_crawler(
        get_crawler(DirectorySpider, crawl_settings()), profile=profile
    )

    def response(path: str) -> HtmlResponse:
        body = (site / path).read_bytes()
        return HtmlResponse(url=f"http://127.0.0.1:8000/{path}", body=body, encoding="utf-8")

    links = [r.url.rsplit("/", 1)[1] for r in sample.parse(response("index.html"))]
    assert links == ["keystone-labs.html", "granite-materials.html", "page-2.html"]
    items = {
        path: next(iter(sample.parse_listing(response(f"members/{path}.html"))))
        for path in ("keystone-labs", "granite-materials", "copperfield-manufacturing")
    }
    assert items["keystone-labs"].street == "229 Congress Street"  # from JSON-LD
    assert items["keystone-labs"].category == "Construction"  # from the selectors
    assert items["granite-materials"].phone == "(412) 555-0178"
    assert items["copperfield-manufacturing"].email == "office@copperfield.example"
    assert items["granite-materials"].email is None
