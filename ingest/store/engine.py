"""Engines and transactions for SQLite (embedded default) and PostgreSQL (production)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

READ_ONLY_OPTION = "leadflow_read_only"
LOAD_LOCK_KEY = 0x1EADF10
"""PostgreSQL advisory-lock key that serializes the match+load step of concurrent imports."""
SQLITE_CACHE_KIB = 64 * 1024
"""Page cache per SQLite connection (the default is 2 MiB)."""


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine; SQLite gets WAL, foreign keys, a busy timeout and write-first BEGINs.

    Statement parameters are hidden from error messages (they hold personal data).
    """
    kwargs.setdefault("hide_parameters", True)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": 60}, **kwargs)
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below emit BEGIN instead of the driver (pysqlite recipe).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=60000")
        # a load writes a chunk's rows into a dozen indexes in one transaction: with SQLite's
        # default 2 MiB page cache their pages spill to the WAL and are read back (the cache grows
        # only as pages are used)
        cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # IMMEDIATE takes the write lock up front, so two writers queue instead of deadlocking
        # on a read-to-write upgrade; a reader (see ``reader``) neither waits for nor holds it.
        if connection.get_execution_options().get(READ_ONLY_OPTION):
            connection.exec_driver_sql("BEGIN DEFERRED")
        else:
            connection.exec_driver_sql("BEGIN IMMEDIATE")


def reader(engine: Engine) -> Engine:
    """The same store for transactions that only read: on SQLite they begin DEFERRED, so a
    long load holding the write lock does not block them and they never block a writer (WAL).

    A ``Connection`` (the dry run's outer transaction) is returned unchanged.
    """
    if not isinstance(engine, Engine):
        return engine
    return engine.execution_options(**{READ_ONLY_OPTION: True})


def is_postgres(engine_or_session: Engine | Session) -> bool:
    bind = (
        engine_or_session.get_bind()
        if isinstance(engine_or_session, Session)
        else engine_or_session
    )
    return bind.dialect.name == "postgresql"


@contextmanager
def load_transaction(engine: Engine) -> Iterator[Session]:
    """One atomic load step: commits on success, rolls back on any error.

    On PostgreSQL it takes a transaction-scoped advisory lock first, so that matching against the
    store and writing the result happen as one step even when imports run concurrently. SQLite
    gets the same guarantee from ``BEGIN IMMEDIATE``.
    """
    with Session(engine, expire_on_commit=False) as session, session.begin():
        if is_postgres(engine):
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOAD_LOCK_KEY})
        yield session


@contextmanager
def rolled_back(engine: Engine) -> Iterator[Connection]:
    """A connection inside one outer transaction that is always rolled back: whatever is done
    on it (nested load steps included) can be read back, and nothing stays (the dry run)."""
    with engine.connect() as connection:
        outer = connection.begin()
        try:
            yield connection
        finally:
            outer.rollback()
