"""Settings built once from the environment: the only module that reads ``os.environ``."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DATABASE_FILE = "leadflow.db"


@dataclass(frozen=True, slots=True)
class Settings:
    """Runtime settings. Secrets (the hash salt) come from the environment, never from files."""

    database_url: str
    hash_salt: str | None
    require_postgres: bool
    chunk_rows: int
    consent_policy: str | None = None
    secret_key: str | None = None
    """Signs the review pages' session cookies (``LEADFLOW_SECRET_KEY``)."""
    require_browser: bool = False
    """Browser tests fail instead of skipping when Chromium is missing."""
    orchestrator: str = "auto"
    """How imports run: ``plain`` (in this process, no Prefect), ``prefect`` (the import flow)
    or ``auto`` (the flow when a Prefect API is configured, else in this process)."""
    prefect_api_url: str | None = None
    """``PREFECT_API_URL``: a running Prefect server that imports may report to."""
    spool_dir: str | None = None
    """``LEADFLOW_SPOOL_DIR``: where orchestrated imports spool raw chunks (default: beside the
    SQLite store, else the user's cache folder)."""

    @property
    def use_prefect(self) -> bool:
        """Whether imports run as the Prefect flow when the caller does not say."""
        if self.orchestrator == "prefect":
            return True
        return self.orchestrator == "auto" and bool(self.prefect_api_url)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        return cls(
            database_url=env.get("LEADFLOW_DATABASE_URL")
            or sqlite_url(Path(DEFAULT_DATABASE_FILE)),
            hash_salt=env.get("LEADFLOW_HASH_SALT") or None,
            require_postgres=env.get("LEADFLOW_REQUIRE_POSTGRES", "") not in ("", "0", "false"),
            chunk_rows=int(env.get("LEADFLOW_CHUNK_ROWS", "20000")),
            consent_policy=env.get("LEADFLOW_CONSENT_POLICY") or None,
            secret_key=env.get("LEADFLOW_SECRET_KEY") or None,
            require_browser=env.get("LEADFLOW_REQUIRE_BROWSER", "") not in ("", "0", "false"),
            orchestrator=(env.get("LEADFLOW_ORCHESTRATOR") or "auto").strip().lower(),
            prefect_api_url=env.get("PREFECT_API_URL") or None,
            spool_dir=env.get("LEADFLOW_SPOOL_DIR") or None,
        )


def sqlite_url(path: Path) -> str:
    """The SQLAlchemy URL of a SQLite file (absolute, so it does not depend on the cwd later)."""
    return f"sqlite:///{path.resolve()}"


def postgres_test_url(environ: dict[str, str] | None = None) -> str:
    """Where the PostgreSQL tests connect (``LEADFLOW_TEST_PG_URL``, default the local server)."""
    env = os.environ if environ is None else environ
    return env.get("LEADFLOW_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
