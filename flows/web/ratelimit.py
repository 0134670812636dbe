"""Per-client rate limits on sign-ins and anonymous form posts: 429 with ``Retry-After``.

The counts live in the store (``ingest.store.ratelimits``), so every worker process serving
the same store shares them: N workers allow the limit once, not N times. Client addresses are
counted under a keyed hash (the store's hash salt), never stored as they are.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from ingest.store.meta import hash_salt
from ingest.store.ratelimits import retry_after

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RateLimits:
    """Requests allowed per client address per ``window_seconds``."""

    login: int = 10
    forms: int = 30
    window_seconds: float = 60.0

    def limit(self, bucket: str) -> int:
        return self.login if bucket == "login" else self.forms


class StoreLimiter:
    """Counts requests per bucket and client address in the store shared by all workers."""

    def __init__(
        self, engine: Engine, limits: RateLimits, *, configured_salt: str | None = None
    ) -> None:
        self.engine = engine
        self.limits = limits
        self.configured_salt = configured_salt
        self._key: bytes | None = None

    def client_key(self, address: str) -> str:
        if self._key is None:
            self._key = hash_salt(self.engine, self.configured_salt).encode()
        return hmac.new(self._key, address.encode(), hashlib.sha256).hexdigest()[:32]

    def retry_after(self, bucket: str, address: str) -> int | None:
        """Count one request; None when allowed, else the seconds to wait. A store that cannot
        count (down, locked for too long) lets the request through: it fails on its own."""
        try:
            return retry_after(
                self.engine,
                bucket,
                self.client_key(address),
                limit=self.limits.limit(bucket),
                window_seconds=self.limits.window_seconds,
            )
        except SQLAlchemyError as error:
            log.warning("rate limit not counted (%s)", type(error).__name__)
            return None
