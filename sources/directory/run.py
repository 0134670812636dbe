"""Start a directory crawl from Python: one subprocess per crawl, a JSON Lines feed as result."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ingest.errors import LeadflowError

_ROOT = Path(__file__).resolve().parents[2]


class CrawlError(LeadflowError):
    """The crawl process failed; ``log`` is its log file, ``returncode`` its exit status."""

    def __init__(self, problem: str, *, log: Path, returncode: int | None) -> None:
        self.log = log
        self.returncode = returncode
        super().__init__(f"{problem}. See the crawl log {log}")


@dataclass(frozen=True, slots=True)
class CrawlSummary:
    """What a crawl produced: the feed, its item count and Scrapy's stats (JSON-safe values)."""

    feed: Path
    item_count: int
    stats: dict[str, Any]
    stats_path: Path
    log_path: Path

    def stat(self, key: str, default: int = 0) -> Any:
        """One stats value, ``default`` when the crawl never counted it."""
        return self.stats.get(key, default)


def crawl(
    profile_path: Path,
    *,
    out: Path,
    settings_overrides: dict[str, Any] | None = None,
    cache_dir: Path | None = None,
    timeout: float | None = None,
) -> CrawlSummary:
    """Crawl the directory a profile describes into ``out`` (JSON Lines), in a subprocess.

    ``cache_dir`` sets the HTTP cache directory; ``settings_overrides`` are Scrapy settings
    (JSON-serializable values). The stats and log are written next to the feed.
    Raises CrawlError when the crawl process fails or does not finish normally.
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    stats_path = out.with_name(out.name + ".stats.json")
    log_path = out.with_name(out.name + ".log")
    stats_path.unlink(missing_ok=True)
    overrides = dict(settings_overrides or {})
    if cache_dir is not None:
        overrides["HTTPCACHE_DIR"] = str(Path(cache_dir).resolve())
    command = [
        sys.executable,
        "-m",
        "sources.directory.runner",
        str(Path(profile_path).resolve()),
        "--out",
        str(out.resolve()),
        "--stats",
        str(stats_path.resolve()),
        "--log",
        str(log_path.resolve()),
        "--settings",
        json.dumps(overrides),
    ]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(_ROOT), env.get("PYTHONPATH")]))
    try:
        done = subprocess.run(
            command, env=env, timeout=timeout, capture_output=True, text=True, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise CrawlError(
            f"the crawl ran longer than {timeout} s", log=log_path, returncode=None
        ) from exc
    if not stats_path.is_file():
        if not log_path.exists():
            log_path.write_text(done.stderr, encoding="utf-8")
        raise CrawlError(
            "the crawl process stopped early", log=log_path, returncode=done.returncode
        )
    stats = json.loads(stats_path.read_text(encoding="utf-8"))
    if done.returncode != 0:
        reason = stats.get("finish_reason", "unknown")
        raise CrawlError(
            f"the crawl finished with reason {reason!r}", log=log_path, returncode=done.returncode
        )
    return CrawlSummary(
        feed=out,
        item_count=_count_lines(out),
        stats=stats,
        stats_path=stats_path,
        log_path=log_path,
    )


def _count_lines(path: Path) -> int:
    if not path.is_file():
        return 0
    with path.open("rb") as handle:
        return sum(1 for line in handle if line.strip())
