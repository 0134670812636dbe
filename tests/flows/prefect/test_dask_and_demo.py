"""Scale-out and the demo: the import flow on a 2-worker Dask cluster against PostgreSQL builds
the same store as the default runner; ``leadflow demo`` works with no Prefect server."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from pydantic import SecretStr
from sqlalchemy import Engine

from flows.enrichment import enrichment_flow
from flows.import_flow import dask_task_runner
from flows.importing import import_file
from ingest.config import Settings
from ingest.records import SourceKind
from tests.conftest import REPO
from tests.flows.prefect.helpers import another_store, snapshot
from tests.flows.test_import_safety import write_leads

pytestmark = pytest.mark.slow  # starts a temporary Prefect server (conftest)


@pytest.fixture
def two_postgres_stores(postgres_server: str, tmp_path: Path) -> Iterator[tuple[Engine, Engine]]:
    with (
        another_store("postgresql", tmp_path, postgres_server) as first,
        another_store("postgresql", tmp_path, postgres_server) as second,
    ):
        yield first, second


@pytest.mark.postgres
def test_dask_runner_builds_the_same_store_as_the_default_runner(
    two_postgres_stores: tuple[Engine, Engine], tmp_path: Path, settings: Settings
) -> None:
    default, on_dask = two_postgres_stores
    path = tmp_path / "leads.csv"
    total = write_leads(path, 800, seed=21)
    expected = import_file(
        default, SourceKind.PURCHASED_LIST, path, settings=settings, chunk_rows=100
    )
    seen: list[int] = []
    report = import_file(
        on_dask,
        SourceKind.PURCHASED_LIST,
        path,
        settings=settings,
        chunk_rows=100,
        task_runner=dask_task_runner(workers=2),
        on_batch=seen.append,
    )
    assert sum(seen) == total and len(seen) == 8
    assert report.counts == expected.counts and report.counts.adds_up
    assert snapshot(on_dask) == snapshot(default)

    # the enrichment flow's range tasks on Dask write the same values
    plain_result = enrichment_flow(db_url=_url(default), people_per_task=200)
    dask_result = enrichment_flow.with_options(task_runner=dask_task_runner(workers=2))(
        db_url=_url(on_dask), people_per_task=200
    )
    assert dask_result == plain_result and plain_result["written"] > 0
    assert enrichment_rows(on_dask) == enrichment_rows(default)


def _url(engine: Engine) -> SecretStr:
    return SecretStr(engine.url.render_as_string(hide_password=False))


def enrichment_rows(engine: Engine) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        return sorted(
            tuple(r)
            for r in conn.execute(
                sa.text("SELECT entity, entity_id, field, value, source FROM enrichments")
            )
        )


def _demo(tmp_path: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], Path]:
    """``leadflow demo`` in a fresh home with no Prefect or leadflow settings."""
    home = tmp_path / "home"
    prefect_home = home / ".prefect"
    home.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "LEADFLOW_"))}
    env |= {"HOME": str(home), "PREFECT_HOME": str(prefect_home)}
    database = tmp_path / "demo.db"
    result = subprocess.run(
        [sys.executable, "-m", "flows", "demo", "--database", str(database), *args],
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(REPO), "COLUMNS": "200"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "adds up" in result.stdout
    assert database.is_file()
    return result, prefect_home


def test_the_demo_imports_in_process_by_default_and_starts_no_prefect_server(
    tmp_path: Path,
) -> None:
    result, prefect_home = _demo(tmp_path)
    output = result.stderr + result.stdout
    assert "Beginning flow run" not in output and "Prefect" not in output
    assert not (prefect_home / "prefect.db").exists()  # no temporary API ran


def test_demo_with_prefect_runs_the_import_flow_on_a_temporary_server_and_says_so(
    tmp_path: Path,
) -> None:
    result, prefect_home = _demo(tmp_path, "--prefect")
    output = result.stderr + result.stdout
    assert "starting a temporary Prefect server" in output
    assert "Beginning flow run 'import-" in output
    assert (prefect_home / "prefect.db").is_file()  # the ephemeral API ran under this home
    assert "telemetry" not in output.lower()
