"""Shared fixtures: a fresh, migrated store per test on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine

from ingest.config import Settings, postgres_test_url, sqlite_url
from ingest.store.engine import make_engine
from ingest.store.migrate import upgrade

REPO = Path(__file__).resolve().parent.parent
# before anything imports prefect: its ephemeral server may start slowly on a loaded runner
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")


def required(service: str) -> bool:
    """Whether the tests must fail instead of skipping when ``service`` (``postgres``,
    ``browser``) is missing: ``LEADFLOW_REQUIRE_POSTGRES`` / ``LEADFLOW_REQUIRE_BROWSER``, set
    by CI."""
    return os.environ.get(f"LEADFLOW_REQUIRE_{service.upper()}", "") not in ("", "0", "false")


def _postgres_reachable(url: str) -> str | None:
    """None when the server answers, else the reason it does not."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        return None
    except Exception as exc:  # any driver error means "not reachable"
        return f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """The admin URL of the test PostgreSQL server; skips (or fails in CI) without one."""
    url = postgres_test_url()
    problem = _postgres_reachable(url)
    if problem is not None:
        message = (
            f"PostgreSQL not reachable at {sa.engine.make_url(url).render_as_string()}: {problem}"
        )
        if required("postgres"):
            pytest.fail(f"LEADFLOW_REQUIRE_POSTGRES is set but {message}")
        pytest.skip(message)
    return url


def fresh_postgres_url(admin_url: str) -> Iterator[str]:
    """A throwaway schema on the server, selected through ``search_path``; dropped afterwards."""
    schema = f"lf_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(admin_url)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    url = sa.engine.make_url(admin_url).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated, empty store: a SQLite file, or a fresh schema on the PostgreSQL server."""
    if request.param == "sqlite":
        url = sqlite_url(tmp_path / "store.db")
        upgrade(url)
        yield url
        return
    admin_url = request.getfixturevalue("postgres_server")
    for url in fresh_postgres_url(admin_url):
        upgrade(url)
        yield url


@pytest.fixture
def settings() -> Settings:
    """What an entry point would read from this test's environment (after the folder's switches,
    such as ``LEADFLOW_ORCHESTRATOR``), to pass to the library functions under test."""
    return Settings.from_env()


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()
