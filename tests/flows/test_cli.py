"""The command line end to end: demo, import, runs, show person, errors."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from flows.cli import app
from flows.demo import SAMPLE_FOLDERS, run_demo, sample_files
from flows.importing import import_file, profile_for
from ingest.config import Settings, sqlite_url
from ingest.store.engine import make_engine
from ingest.store.models import Company, ImportRun, Person, RawRecord
from tests.conftest import REPO
from tests.waiting import waited_for_lock

SAMPLES = REPO / "sample_data"
runner = CliRunner()


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    database = tmp_path_factory.mktemp("demo") / "demo.db"
    result = runner.invoke(app, ["demo", "--database", str(database), "--sample-dir", str(SAMPLES)])
    assert result.exit_code == 0, result.output
    assert "adds up" in result.output
    assert str(database.resolve()) in result.output.replace("\n", "")
    return database


@pytest.mark.slow  # the demo store
def test_demo_imports_every_sample_source(demo_db: Path) -> None:
    engine = make_engine(sqlite_url(demo_db))
    with Session(engine) as session:
        runs = session.scalars(select(ImportRun)).all()
        assert len(runs) == len(sample_files(SAMPLES)) >= len(SAMPLE_FOLDERS)
        for run in runs:
            assert run.status == "completed"
            assert run.rows_in == run.loaded_new + run.merged + run.suppressed + run.quarantined
            assert run.rows_in == session.scalar(
                select(func.count()).where(RawRecord.run_id == run.id)
            )
        created = session.scalar(select(func.count()).where(RawRecord.outcome == "loaded_new"))
        people = session.scalar(select(func.count()).select_from(Person))
        listing_companies = session.scalar(
            select(func.count(func.distinct(RawRecord.company_id))).where(
                RawRecord.outcome == "loaded_new"
            )
        )
        assert people + listing_companies == created
        assert session.scalar(select(func.count()).select_from(Company)) > 0
        assert sum(r.suppressed for r in runs) > 0  # the sample suppression list applies
    engine.dispose()


@pytest.mark.slow  # the demo store
def test_reimporting_the_demo_files_changes_nothing(demo_db: Path, settings: Settings) -> None:
    engine = make_engine(sqlite_url(demo_db))
    with Session(engine) as session:
        before = session.scalar(select(func.count()).select_from(Person))
        raw_before = session.scalar(select(func.count()).select_from(RawRecord))
    for kind, path in sample_files(SAMPLES):
        report = import_file(
            engine, kind, path, settings=settings, profile=profile_for(path, SAMPLES / "profiles")
        )
        assert report.already_imported, path.name
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Person)) == before
        assert session.scalar(select(func.count()).select_from(RawRecord)) == raw_before
    engine.dispose()


@pytest.mark.slow  # the demo store
def test_runs_and_show_person(demo_db: Path) -> None:
    url = sqlite_url(demo_db)
    runs = runner.invoke(app, ["runs", "--db", url], env={"COLUMNS": "200"})
    assert runs.exit_code == 0, runs.output
    assert "acme_b2b_2026q3" in runs.output
    engine = make_engine(url)
    with Session(engine) as session:
        merged_person = session.scalar(
            select(RawRecord.person_id)
            .where(RawRecord.outcome == "merged", RawRecord.person_id.is_not(None))
            .limit(1)
        )
    engine.dispose()
    shown = runner.invoke(app, ["show", "person", str(merged_person), "--db", url],
                          env={"COLUMNS": "200"})  # fmt: skip
    assert shown.exit_code == 0, shown.output
    for section in ("Contact points", "Consents", "Activities", "Raw records"):
        assert section in shown.output
    assert "merged" in shown.output and "loaded_new" in shown.output
    missing = runner.invoke(app, ["show", "person", "999999", "--db", url])
    assert missing.exit_code == 1


def test_reading_commands_answer_while_an_import_holds_the_write_lock(
    demo_db: Path, tmp_path: Path
) -> None:
    """An import holds SQLite's write lock while it loads a chunk; a steward's ``runs``,
    ``show``, ``find`` and ``report sources`` read beside it (WAL) instead of waiting up to the
    busy timeout (60 s) for the chunk to commit."""
    database = tmp_path / "busy.db"
    with sqlite3.connect(demo_db) as source, sqlite3.connect(database) as copy:
        source.backup(copy)
    url = sqlite_url(database)
    results = {}

    def read_all() -> None:
        for args in (["runs"], ["show", "person", "1"], ["find", "example"],
                     ["report", "sources"]):  # fmt: skip
            results[args[0]] = runner.invoke(app, [*args, "--db", url], env={"COLUMNS": "200"})

    import_lock = sqlite3.connect(database, isolation_level=None)
    import_lock.execute("BEGIN IMMEDIATE")  # what a loading import holds
    try:
        waited = waited_for_lock(read_all, lambda: import_lock.execute("ROLLBACK"))
    finally:
        import_lock.close()
    assert not waited, "a reading command waited for the import's write lock"
    assert results["runs"].exit_code == 0 and "acme_b2b_2026q3" in results["runs"].output
    assert results["show"].exit_code == 0, results["show"].output
    assert results["find"].exit_code in (0, 1), results["find"].output
    assert results["report"].exit_code == 0 and "acme_b2b_2026q3" in results["report"].output


def test_import_of_an_empty_file_fails_clearly(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    url = sqlite_url(tmp_path / "store.db")
    result = runner.invoke(app, ["import", "purchased-list", str(empty), "--db", url])
    assert result.exit_code == 2
    assert "empty" in result.output and "Traceback" not in result.output


def test_unknown_source_kind_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a\n1\n", encoding="utf-8")
    result = runner.invoke(app, ["import", "carrier-pigeon", str(path)])
    assert result.exit_code == 2
    assert "purchased-list" in result.output


def test_a_headers_only_file_imports_as_an_empty_completed_run(tmp_path: Path) -> None:
    path = tmp_path / "headers.csv"
    path.write_text("First Name,Last Name,Email\n", encoding="utf-8")
    url = sqlite_url(tmp_path / "store.db")
    result = runner.invoke(app, ["import", "purchased-list", str(path), "--db", url])
    assert result.exit_code == 0, result.output
    engine = make_engine(url)
    with Session(engine) as session:
        run = session.scalars(select(ImportRun)).one()
        assert (run.status, run.rows_in) == ("completed", 0)
    engine.dispose()


@pytest.mark.slow  # imports every sample file
def test_demo_is_fresh_each_time(tmp_path: Path, settings: Settings) -> None:
    database = tmp_path / "again.db"
    first = run_demo(database, SAMPLES, settings=settings)
    second = run_demo(database, SAMPLES, settings=settings)
    assert [r.counts for r in first.reports] == [r.counts for r in second.reports]
    assert not any(r.already_imported for r in second.reports)
