"""Shared fixtures: a fresh, migrated store per test on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import os
import shutil
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
# Rich fixes a console's width when the console is built (at import) if COLUMNS is set, and
# pytest-xdist workers inherit COLUMNS=80: a test that widens its own invocation would then
# still get 80 columns. Without it every run reads the width per invocation, like a serial one.
os.environ.pop("COLUMNS", None)
os.environ.pop("LINES", None)


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


@pytest.fixture(autouse=True)
def _cheap_password_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Real argon2id hashes at the lowest cost: the production cost (about 0.3 s a hash or a
    check) protects stored passwords and only slows tests, which add users and sign in by the
    dozen. A server started in a subprocess (the browser tests) keeps the production cost."""
    from argon2 import PasswordHasher

    from ingest.store import users

    monkeypatch.setattr(users, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once per session (per xdist worker); each test gets a copy."""
    path = tmp_path_factory.mktemp("migrated") / "store.db"
    upgrade(sqlite_url(path))
    assert not path.with_name("store.db-wal").exists()  # closed cleanly: the file is the store
    return path


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated, empty store: a SQLite file, or a fresh schema on the PostgreSQL server."""
    if request.param == "sqlite":
        path = tmp_path / "store.db"
        shutil.copyfile(request.getfixturevalue("migrated_sqlite"), path)
        yield sqlite_url(path)
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


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that uses the ``browser`` fixture (headless Chromium, ``tests/flows/web``) is a
    ``browser`` test, so ``-m "not browser"`` leaves it out without a mark of its own."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
