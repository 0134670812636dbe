"""Opening the store for a command: resolve the URL, create or check the schema."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url

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


@contextmanager
def preview_store(url: str) -> Iterator[tuple[Engine, bool]]:
    """The store a dry run reads: the real one, or, when the SQLite file does not exist yet, an
    empty throwaway store in a temporary folder (a dry run must create no file). Yields the
    engine and whether it is the throwaway one."""
    parsed = make_url(url)
    database = parsed.database
    missing = (
        parsed.get_backend_name() == "sqlite"
        and database not in (None, "", ":memory:")
        and not Path(database).exists()
    )
    if not missing:
        engine = open_store(url)
        try:
            yield engine, False
        finally:
            engine.dispose()
        return
    with tempfile.TemporaryDirectory(prefix="leadflow-dry-run-") as folder:
        engine = open_store(f"sqlite:///{Path(folder) / 'preview.db'}")
        try:
            yield engine, True
        finally:
            engine.dispose()
