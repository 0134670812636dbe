"""Fixtures for the directory tests: the fixture site's pages and profile."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from sources.directory import DirectoryProfile
from sources.directory.settings import crawl_settings
from sources.directory.spiders import DirectorySpider

HERE = Path(__file__).resolve().parent
SITE = HERE / "site"
PROFILE_TEXT = (HERE / "profile.yaml").read_text(encoding="utf-8")
OFFLINE_BASE = "https://directory.example"


def write_profile(directory: Path, base: str) -> Path:
    """The test profile with its start URL pointed at ``base``."""
    path = directory / "profile.yaml"
    path.write_text(PROFILE_TEXT.replace("BASE", base), encoding="utf-8")
    return path


def page(path: str, base: str = OFFLINE_BASE) -> HtmlResponse:
    """A response for a fixture page, as if fetched from ``base``."""
    return HtmlResponse(url=f"{base}/{path}", body=(SITE / path).read_bytes(), encoding="utf-8")


@pytest.fixture
def profile(tmp_path: Path) -> DirectoryProfile:
    return DirectoryProfile.from_path(write_profile(tmp_path, OFFLINE_BASE))


@pytest.fixture
def spider(profile: DirectoryProfile) -> DirectorySpider:
    crawler = get_crawler(DirectorySpider, crawl_settings())
    return DirectorySpider.from_crawler(crawler, profile=profile)


REPO = HERE.parents[2]
REPO_SAMPLE_PROFILE = REPO / "sample_data" / "profiles" / "chamber_directory.yaml"
