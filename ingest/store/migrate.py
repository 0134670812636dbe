"""Schema migrations through Alembic: ``leadflow db upgrade`` calls :func:`upgrade`.

Alembic is imported only to migrate. Commands check the schema with :func:`stored_revision`,
one cheap read of ``alembic_version``, against :data:`HEAD_REVISION` (a test keeps it equal to
the newest migration's revision).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
HEAD_REVISION = "0007"
"""The newest revision shipped with this version of leadflow."""


def alembic_config(url: str) -> Config:
    """An Alembic config pointing at the packaged migrations and the given database."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


MIGRATE_LOCK_KEY = 0x1EADF11
"""PostgreSQL advisory-lock key held while migrating, so concurrent first starts queue."""


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the database at ``url`` to ``revision`` (creating it when it is a new SQLite file).

    On PostgreSQL the migration runs under a session advisory lock: the first of several
    processes starting on an empty store creates the schema, the others wait and find it done.
    (SQLite serializes the DDL itself: every transaction starts ``BEGIN IMMEDIATE``.)
    """
    from alembic import command

    from ingest.store.engine import make_engine

    config = alembic_config(url)
    engine = make_engine(url)
    try:
        if engine.dialect.name != "postgresql":
            command.upgrade(config, revision)
            return
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATE_LOCK_KEY})
            conn.commit()
            try:
                config.attributes["connection"] = conn
                command.upgrade(config, revision)
            finally:
                conn.rollback()
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATE_LOCK_KEY})
                conn.commit()
    finally:
        engine.dispose()


def stored_revision(engine: Engine) -> str | None:
    """The revision the store is at (one small read), or None for an empty database. Read as
    a reader: every command checks it first, and on SQLite a write-first BEGIN would wait for
    an import's chunk to commit."""
    from ingest.store.engine import reader

    with reader(engine).connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def current_revision(url: str) -> str | None:
    """The revision the database at ``url`` is at, or None for an empty database."""
    from ingest.store.engine import make_engine

    engine = make_engine(url)
    try:
        return stored_revision(engine)
    finally:
        engine.dispose()


def head_revision() -> str:
    """The newest revision among the packaged migrations (read by Alembic)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head() or ""
