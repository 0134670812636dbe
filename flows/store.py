"""Opening the store for a command: resolve the URL, create or check the schema."""

from __future__ import annotations

from sqlalchemy import Engine

from ingest.config import Settings
from ingest.errors import StoreError
from ingest.store.engine import make_engine
from ingest.store.migrate import HEAD_REVISION, stored_revision, upgrade


def resolve_url(db: str | None) -> str:
    """``--db`` wins, then ``LEADFLOW_DATABASE_URL``, then ``leadflow.db`` in the working dir."""
    return db or Settings.from_env().database_url


def open_store(url: str) -> Engine:
    """An engine on a store at the newest schema; a brand-new database is migrated on the spot.

    The check is one read of the stored revision; Alembic is loaded only to migrate.
    """
    engine = make_engine(url)
    try:
        revision = stored_revision(engine)
        if revision is None:
            upgrade(url)
        elif revision != HEAD_REVISION:
            raise StoreError(
                f"the store is at schema revision {revision}, this leadflow needs {HEAD_REVISION}",
                "run `leadflow db upgrade` first",
            )
    except BaseException:
        engine.dispose()
        raise
    return engine
