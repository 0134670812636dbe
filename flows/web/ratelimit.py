"""Per-client rate limits on sign-ins and anonymous form posts: 429 with ``Retry-After``.

A sliding window per (bucket, client address), kept in this process's memory: each worker
process limits on its own, so N workers allow up to N times the limit. Put a shared limiter
(the reverse proxy's) in front when that matters.
"""

from __future__ import annotations

import math
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RateLimits:
    """Requests allowed per client address per ``window_seconds``."""

    login: int = 10
    forms: int = 30
    window_seconds: float = 60.0


class SlidingWindow:
    """Counts a client's requests over the last window; says how long to wait when over."""

    def __init__(self, limit: int, window_seconds: float) -> None:
        self.limit = limit
        self.window = window_seconds
        self._hits: defaultdict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def retry_after(self, client: str, now: float | None = None) -> int | None:
        """Record one request; None when allowed, else the seconds to wait (at least 1)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            hits = self._hits[client]
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                return max(1, math.ceil(hits[0] + self.window - now))
            hits.append(now)
            if len(self._hits) > 100_000:  # bound memory under a flood of addresses
                for key in [k for k, v in self._hits.items() if not v]:
                    del self._hits[key]
            return None
