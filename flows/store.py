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
from ingest.store.migrate import HEAD_REVISION, stored_revision, upgrade


def resolve_url(db: str | None, settings: Settings) -> str:
    """``--db`` wins, then the settings (``LEADFLOW_DATABASE_URL``, else ``leadflow.db`` in the
    working dir)."""
    return db or settings.database_url


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


_STORAGE_PROBLEMS = (
    ("disk is full", "the store's disk is full", "free space on its disk, then rerun to resume"),
    ("no space left", "the store's disk is full", "free space on its disk, then rerun to resume"),
    ("could not extend file", "the store's disk is full", "free space, then rerun to resume"),
    ("readonly database", "the store is read-only", "make it writable, then rerun to resume"),
    ("read-only", "the store is read-only", "make it writable, then rerun to resume"),
    ("unable to open database", "the store cannot be opened",
     "check the path and its permissions"),
)  # fmt: skip


def storage_error(error: BaseException) -> StoreError | None:
    """A one-line StoreError for a full disk or a read-only store (whatever layer raised it:
    the database driver or the file system), else None."""
    import errno

    if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT):
        return StoreError("the disk is full", "free space, then rerun to resume the import")
    if isinstance(error, OSError) and error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return StoreError(
            f"a file cannot be written ({errno.errorcode.get(error.errno or 0, 'denied')})",
            "make the store and the temporary folder writable, then rerun",
        )
    text = str(error).lower()
    for needle, problem, hint in _STORAGE_PROBLEMS:
        if needle in text:
            return StoreError(problem, hint)
    return None


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
