"""Rate-limit counters in the store: a sliding window estimated from two fixed ones, shared by
everything that uses the same store, on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import Engine

from ingest.store.ratelimits import retry_after

W = 60.0
T0 = 1_000_000 * W  # the start of a window


def hit(engine: Engine, at: float, client: str = "c1", limit: int = 3) -> int | None:
    return retry_after(engine, "forms", client, limit=limit, window_seconds=W, now=at)


def rows(engine: Engine) -> list[tuple[int, str, str, int]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.text(
            'SELECT "window", bucket, client, hits FROM rate_limit_hits ORDER BY 1, 2, 3'
        ))]  # fmt: skip


def test_the_limit_holds_refusals_do_not_count_and_clients_are_apart(engine: Engine) -> None:
    assert [hit(engine, T0 + s) for s in (1, 2, 3)] == [None, None, None]
    # the fourth waits for the window to turn (56 s) and for this window's share of the
    # estimate to fade to 2 of 3 (20 s more)
    assert hit(engine, T0 + 4) == 76
    assert hit(engine, T0 + 5) == 75
    assert hit(engine, T0 + 5, client="c2") is None  # another client has its own count
    assert rows(engine) == [(1_000_000, "forms", "c1", 3), (1_000_000, "forms", "c2", 1)]
    assert retry_after(engine, "login", "c1", limit=1, window_seconds=W, now=T0 + 6) is None


def test_a_burst_across_the_window_edge_is_still_limited(engine: Engine) -> None:
    assert [hit(engine, T0 + 59) for _ in range(3)] == [None, None, None]
    # just after the edge, the previous window still weighs almost fully
    wait = hit(engine, T0 + W + 1)
    assert wait is not None and 1 <= wait <= W
    # once its share has faded (3 * (1 - f) + 1 <= 3 from f = 1/3), one more fits
    assert hit(engine, T0 + W + 21) is None
    assert hit(engine, T0 + W + 22) is not None


def test_windows_gone_by_are_forgotten(engine: Engine) -> None:
    hit(engine, T0 + 1)
    hit(engine, T0 + 1, client="c2")
    hit(engine, T0 + 3 * W + 1)  # a client's first request in a new window cleans up
    assert rows(engine) == [(1_000_003, "forms", "c1", 1)]
