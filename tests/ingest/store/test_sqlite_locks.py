"""SQLite: stages that only read neither wait for nor hold the write lock, and a stage that
fails on a lock is retried."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy import text

from ingest.config import sqlite_url
from ingest.importer import is_transient, with_retries
from ingest.mapping import ColumnMapping
from ingest.store.engine import make_engine, reader
from ingest.store.migrate import upgrade


def test_a_read_stage_runs_while_a_load_holds_the_write_lock(tmp_path: Path) -> None:
    from ingest.importer import import_context

    url = sqlite_url(tmp_path / "store.db")
    upgrade(url)
    engine = make_engine(url)
    import_context(engine, ColumnMapping(()), None, configured_salt="s")  # salt row exists
    writer = engine.connect()
    writer.begin()  # BEGIN IMMEDIATE: the write lock, as a long load step holds it
    writer.execute(text("INSERT INTO store_meta (key, value) VALUES ('probe', 'x')"))
    done: list[object] = []
    thread = threading.Thread(
        target=lambda: done.append(
            import_context(engine, ColumnMapping(()), None, configured_salt="s")
        ),
        daemon=True,
    )
    thread.start()
    thread.join(timeout=10)
    writer.rollback()
    writer.close()
    assert done, "reading the import context waited for the write lock"
    with reader(engine).connect() as conn:
        conn.execute(text("SELECT 1"))  # a deferred read still works on its own
    engine.dispose()


def test_lock_errors_are_retried_and_program_errors_are_not() -> None:
    locked = sa_exc.OperationalError("INSERT", {}, Exception("database is locked"))
    missing = sa_exc.OperationalError("SELECT", {}, Exception("no such table: people"))
    assert is_transient(locked) and not is_transient(missing)
    attempts: list[int] = []

    def flaky() -> str:
        attempts.append(1)
        if len(attempts) < 3:
            raise locked
        return "loaded"

    assert with_retries(flaky, [0, 0, 0]) == "loaded" and len(attempts) == 3

    def broken() -> None:
        attempts.append(1)
        raise missing

    attempts.clear()
    with pytest.raises(sa_exc.OperationalError):
        with_retries(broken, [0, 0, 0])
    assert len(attempts) == 1
