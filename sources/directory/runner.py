"""Run one directory crawl in this process: ``python -m sources.directory.runner PROFILE ...``.

Twisted's reactor cannot be restarted within a process, so ``sources.directory.crawl`` starts
this module in a fresh interpreter per crawl. It writes the listings as JSON Lines to ``--out``,
the crawl stats as JSON to ``--stats`` and the log to ``--log``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from scrapy.crawler import CrawlerProcess

from sources.directory.profile import DirectoryProfile
from sources.directory.settings import crawl_settings
from sources.directory.spiders import DirectorySpider


def build_settings(out: Path, log: Path | None, overrides: dict[str, Any]) -> dict[str, Any]:
    """Crawl settings with the feed (and log file) pointed at the given paths."""
    settings = crawl_settings(overrides)
    settings["FEEDS"] = {
        out.resolve().as_uri(): {"format": "jsonlines", "encoding": "utf-8", "overwrite": True}
    }
    if log is not None:
        settings["LOG_FILE"] = str(log)
        settings["LOG_FILE_APPEND"] = False
    return settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sources.directory.runner")
    parser.add_argument("profile", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--stats", type=Path, required=True)
    parser.add_argument("--log", type=Path)
    parser.add_argument("--settings", default="{}", help="JSON object of setting overrides")
    args = parser.parse_args(argv)
    profile = DirectoryProfile.from_path(args.profile)
    process = CrawlerProcess(build_settings(args.out, args.log, json.loads(args.settings)))
    crawler = process.create_crawler(DirectorySpider)
    process.crawl(crawler, profile=profile)
    process.start()
    stats = crawler.stats.get_stats() if crawler.stats is not None else {}
    args.stats.write_text(json.dumps(stats, default=str, indent=1, sort_keys=True), "utf-8")
    return 0 if stats.get("finish_reason") == "finished" else 1


if __name__ == "__main__":
    sys.exit(main())
