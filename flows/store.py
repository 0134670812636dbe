"""Opening the store for a command: resolve the URL, create or check the schema."""

from __future__ import annotations

from sqlalchemy import Engine

from ingest.config import Settings
from ingest.errors import StoreError
from ingest.store.engine import make_engine
from ingest.store.migrate import current_revision, head_revision, upgrade


def resolve_url(db: str | None) -> str:
    """``--db`` wins, then ``LEADFLOW_DATABASE_URL``, then ``leadflow.db`` in the working dir."""
    return db or Settings.from_env().database_url


def open_store(url: str) -> Engine:
    """An engine on a store at the newest schema; a brand-new database is migrated on the spot."""
    revision = current_revision(url)
    if revision is None:
        upgrade(url)
    elif revision != head_revision():
        raise StoreError(
            f"the store is at schema revision {revision}, this leadflow needs {head_revision()}",
            "run `leadflow db upgrade` first",
        )
    return make_engine(url)
