"""Settings: read once from the environment by an entry point (the CLI, the web app, a Prefect
flow) and passed down; the only module that reads ``os.environ``.

Library functions take a ``Settings`` (or the one value they need) as a parameter and never read
the environment themselves; ``Settings()`` is the defaults, with nothing from the environment.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_DATABASE_FILE = "leadflow.db"


@dataclass(frozen=True, slots=True)
class Settings:
    """Runtime settings. Secrets (the hash salt) come from the environment, never from files."""

    database_url: str = field(default_factory=lambda: sqlite_url(Path(DEFAULT_DATABASE_FILE)))
    """``LEADFLOW_DATABASE_URL``, else ``leadflow.db`` in the working directory."""
    hash_salt: str | None = None
    """``LEADFLOW_HASH_SALT``: the salt of suppression hashes (else one kept in the store)."""
    chunk_rows: int = 20_000
    """``LEADFLOW_CHUNK_ROWS``: rows per chunk an adapter yields."""
    consent_policy: str | None = None
    """``LEADFLOW_CONSENT_POLICY``: a consent policy file (else the shipped defaults)."""
    secret_key: str | None = None
    """Signs the review pages' session cookies (``LEADFLOW_SECRET_KEY``)."""
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
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """The settings of this process; only entry points call this, once."""
        env = os.environ if environ is None else environ
        return cls(
            database_url=env.get("LEADFLOW_DATABASE_URL")
            or sqlite_url(Path(DEFAULT_DATABASE_FILE)),
            hash_salt=env.get("LEADFLOW_HASH_SALT") or None,
            chunk_rows=int(env.get("LEADFLOW_CHUNK_ROWS", "20000")),
            consent_policy=env.get("LEADFLOW_CONSENT_POLICY") or None,
            secret_key=env.get("LEADFLOW_SECRET_KEY") or None,
            orchestrator=(env.get("LEADFLOW_ORCHESTRATOR") or "auto").strip().lower(),
            prefect_api_url=env.get("PREFECT_API_URL") or None,
            spool_dir=env.get("LEADFLOW_SPOOL_DIR") or None,
        )


def sqlite_url(path: Path) -> str:
    """The SQLAlchemy URL of a SQLite file (absolute, so it does not depend on the cwd later)."""
    return f"sqlite:///{path.resolve()}"


def postgres_test_url(environ: Mapping[str, str] | None = None) -> str:
    """Where the PostgreSQL tests connect (``LEADFLOW_TEST_PG_URL``, default the local server)."""
    env = os.environ if environ is None else environ
    return env.get("LEADFLOW_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
