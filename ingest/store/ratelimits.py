"""Request counters shared by every process serving one store: rate limits that hold however
many web workers run.

Each (bucket, client) counts its requests per fixed window in ``rate_limit_hits`` with one
atomic upsert (SQLite and PostgreSQL alike). The limit applies to a sliding window estimated
from two fixed ones: ``previous * (1 - elapsed / length) + current``, so a burst across a
window's edge is still limited. A refused request is not counted.
"""

from __future__ import annotations

import math
import time

from sqlalchemy import Engine, delete, select, update
from sqlalchemy.orm import Session

from ingest.store.models import RateLimitHit
from ingest.store.sql import dialect_insert

TABLE = RateLimitHit.__table__


def retry_after(
    engine: Engine,
    bucket: str,
    client: str,
    *,
    limit: int,
    window_seconds: float,
    now: float | None = None,
) -> int | None:
    """Count one request of ``client`` (a hashed key, never an address) against ``limit`` per
    ``window_seconds``: None when allowed, else the whole seconds to wait (at least 1)."""
    now = time.time() if now is None else now
    window = int(now // window_seconds)
    elapsed = (now - window * window_seconds) / window_seconds
    key = (TABLE.c.window == window) & (TABLE.c.bucket == bucket) & (TABLE.c.client == client)
    # a plain transaction: the import's load lock (load_transaction) must not hold up a form post
    with Session(engine) as session, session.begin():
        upsert = dialect_insert(session, TABLE).values(
            window=window, bucket=bucket, client=client, hits=1
        )
        current = session.scalar(
            upsert.on_conflict_do_update(
                index_elements=["window", "bucket", "client"], set_={"hits": TABLE.c.hits + 1}
            ).returning(TABLE.c.hits)
        )
        previous = session.scalar(
            select(TABLE.c.hits).where(
                TABLE.c.window == window - 1, TABLE.c.bucket == bucket, TABLE.c.client == client
            )
        )
        if current == 1:  # a client's first request in a window: forget windows gone by
            session.execute(delete(TABLE).where(TABLE.c.window < window - 1))
        before = (current or 1) - 1
        if (previous or 0) * (1 - elapsed) + before + 1 <= limit:
            return None
        session.execute(update(TABLE).where(key).values(hits=TABLE.c.hits - 1))
    return max(1, math.ceil(_wait(before, previous or 0, elapsed, limit) * window_seconds))


def _wait(current: int, previous: int, elapsed: float, limit: int) -> float:
    """Windows to wait until one more request fits: later in this window, once the previous
    window's share has faded enough, or else into the next window."""
    if current + 1 <= limit and previous:
        return max(0.0, 1 - (limit - current - 1) / previous - elapsed)
    into_next = max(0.0, 1 - (limit - 1) / current) if current else 0.0
    return 1 - elapsed + into_next
