"""Crawling a business directory into a feed (``leadflow crawl PROFILE --out FEED``)."""

from __future__ import annotations

from pathlib import Path

from sources.directory import CrawlSummary, crawl


def crawl_directory(
    profile_path: Path, *, out: Path, cache_dir: Path | None = None
) -> CrawlSummary:
    """Crawl the directory the profile describes into ``out`` (JSON Lines) in a subprocess.

    Import the feed afterwards as ``SourceKind.DIRECTORY`` with the profile's
    ``import_profile()`` (or ``sources.directory.default_profile``).
    """
    return crawl(Path(profile_path), out=Path(out), cache_dir=cache_dir)
