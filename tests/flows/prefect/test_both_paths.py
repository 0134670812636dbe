"""One import pipeline, two ways to run it: in this process (the default) and as Prefect tasks.

Every test here runs on both paths and expects the same counts, resume and dry-run behaviour.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from flows.dry_run import dry_run
from flows.importing import import_file
from ingest.config import Settings
from ingest.importer import ImportReport
from ingest.records import SourceKind
from ingest.spool import PREFIX
from ingest.store.models import ImportRun
from tests.flows.prefect.helpers import snapshot
from tests.flows.test_import_safety import write_leads

pytestmark = pytest.mark.slow  # starts a temporary Prefect server (conftest)

PATHS = [pytest.param(False, id="in-process"), pytest.param(True, id="prefect")]


class Interrupted(Exception):
    """Stands in for a crash between two chunks."""


def _store_folder(engine: Engine) -> Path | None:
    database = engine.url.database
    return Path(database).parent if engine.dialect.name == "sqlite" and database else None


def import_leads(engine: Engine, path: Path, settings: Settings, **options: Any) -> ImportReport:
    """The purchased list at ``path``, imported in chunks of 100 rows."""
    return import_file(
        engine, SourceKind.PURCHASED_LIST, path, settings=settings, chunk_rows=100, **options
    )


@pytest.mark.parametrize("orchestrate", PATHS)
def test_counts_add_up_and_a_rerun_changes_nothing(
    engine: Engine, tmp_path: Path, orchestrate: bool, settings: Settings
) -> None:
    path = tmp_path / "leads.csv"
    total = write_leads(path, 300, seed=4)
    seen: list[int] = []
    first = import_leads(engine, path, settings, on_batch=seen.append, orchestrate=orchestrate)
    assert seen == [100, 100, 100]
    assert first.counts.rows_in == total and first.counts.adds_up
    before = snapshot(engine)
    again = import_leads(engine, path, settings, orchestrate=orchestrate)
    assert again.already_imported and again.counts == first.counts
    assert snapshot(engine) == before
    folder = _store_folder(engine)
    if folder is not None:  # the spool went with the import
        assert not list(folder.glob(f"{PREFIX}*"))


@pytest.mark.parametrize("orchestrate", PATHS)
def test_an_interrupted_import_resumes_to_the_store_a_clean_import_builds(
    engine: Engine, other_engine: Engine, tmp_path: Path, orchestrate: bool, settings: Settings
) -> None:
    path = tmp_path / "leads.csv"
    write_leads(path, 400, seed=9)

    def crash_after_first_chunk(rows: int) -> None:
        raise Interrupted

    with pytest.raises(Interrupted):
        import_leads(
            engine, path, settings, on_batch=crash_after_first_chunk, orchestrate=orchestrate
        )
    with Session(engine) as session:
        run = session.scalars(select(ImportRun)).one()
        assert run.status == "failed" and 0 < run.rows_in < 400  # ended with its error
    resumed = import_leads(engine, path, settings, orchestrate=orchestrate)
    clean = import_leads(other_engine, path, settings)
    assert resumed.resumed and not resumed.already_imported
    assert resumed.counts == clean.counts and resumed.counts.adds_up
    assert snapshot(engine) == snapshot(other_engine)


@pytest.mark.parametrize("orchestrate", PATHS)
def test_the_dry_run_predicts_the_counts_of_either_path_and_keeps_nothing(
    engine: Engine, tmp_path: Path, orchestrate: bool, settings: Settings
) -> None:
    path = tmp_path / "leads.csv"
    write_leads(path, 150, seed=12)
    empty = snapshot(engine)
    preview = dry_run(engine, SourceKind.PURCHASED_LIST, path, settings=settings)
    assert snapshot(engine) == empty
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(ImportRun)) == 0
    report = import_file(
        engine, SourceKind.PURCHASED_LIST, path, settings=settings, orchestrate=orchestrate
    )
    predicted = {k: v for k, v in preview.counts.items() if k != "already_imported"}
    assert predicted == report.counts.as_dict()
