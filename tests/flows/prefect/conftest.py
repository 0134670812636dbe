"""One temporary Prefect API (``prefect_test_harness``) for every test in this folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from prefect.testing.utilities import prefect_test_harness
from sqlalchemy import Engine

from tests.flows.prefect.helpers import another_store


@pytest.fixture(scope="session", autouse=True)
def _prefect_api() -> Iterator[None]:
    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(autouse=True)
def _flow_imports(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEADFLOW_ORCHESTRATOR", "prefect")


@pytest.fixture
def other_engine(db_url: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A second empty store on the same dialect as ``db_url``."""
    admin = None if db_url.startswith("sqlite") else request.getfixturevalue("postgres_server")
    with another_store(db_url, tmp_path, admin) as engine:
        yield engine
