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
HEAD_REVISION = "0001"
"""The newest revision shipped with this version of leadflow."""


def alembic_config(url: str) -> Config:
    """An Alembic config pointing at the packaged migrations and the given database."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the database at ``url`` to ``revision`` (creating it when it is a new SQLite file)."""
    from alembic import command

    command.upgrade(alembic_config(url), revision)


def stored_revision(engine: Engine) -> str | None:
    """The revision the store is at (one small read), or None for an empty database."""
    with engine.connect() as conn:
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
