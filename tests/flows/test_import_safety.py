"""Imports survive ``kill -9`` and run concurrently without creating duplicate people."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from flows.importing import import_file
from ingest.config import Settings, sqlite_url
from ingest.records import SourceKind
from ingest.store.engine import make_engine
from ingest.store.migrate import upgrade
from ingest.store.models import ImportRun, Person, RawRecord, RecordLink
from sample_data.generate import generate_b2b_leads
from tests.conftest import REPO

pytestmark = pytest.mark.slow


def write_leads(path: Path, rows: int, *, seed: int) -> int:
    frame = generate_b2b_leads(rows, seed=seed).drop(columns=["true_person_id"], errors="ignore")
    frame.to_csv(path, index=False)
    return len(frame)


def start_import(path: Path, db_url: str, *, chunk_rows: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "LEADFLOW_CHUNK_ROWS": str(chunk_rows)}
    return subprocess.Popen(
        [sys.executable, "-m", "flows", "import", "purchased-list", str(path), "--db", db_url],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def scalar(engine: Engine, statement) -> int:
    with Session(engine) as session:
        return session.scalar(statement) or 0


def assert_store_consistent(engine: Engine) -> None:
    """Each run's counts equal its raw records; every loaded row is linked; no orphan people."""
    with Session(engine) as session:
        for run in session.scalars(select(ImportRun)):
            outcomes = dict(
                session.execute(
                    select(RawRecord.outcome, func.count())
                    .where(RawRecord.run_id == run.id)
                    .group_by(RawRecord.outcome)
                ).all()
            )
            assert run.rows_in == sum(outcomes.values())
            assert run.loaded_new == outcomes.get("loaded_new", 0)
            assert run.merged == outcomes.get("merged", 0)
            assert run.rows_in == run.loaded_new + run.merged + run.suppressed + run.quarantined
        loaded = session.scalar(
            select(func.count()).where(RawRecord.outcome.in_(["loaded_new", "merged"]))
        )
        assert session.scalar(select(func.count()).select_from(RecordLink)) == loaded
        people = session.scalar(select(func.count()).select_from(Person))
        assert people == session.scalar(
            select(func.count()).where(RawRecord.outcome == "loaded_new")
        )


def duplicate_email_keys(engine: Engine) -> int:
    """Email keys held by more than one (unmerged) person."""
    with engine.connect() as conn:
        return conn.execute(
            text(
                "SELECT count(*) FROM (SELECT cp.match_key FROM contact_points cp "
                "JOIN people p ON p.id = cp.person_id WHERE cp.kind = 'email' "
                "AND p.merged_into_id IS NULL GROUP BY cp.match_key "
                "HAVING count(DISTINCT cp.person_id) > 1) d"
            )
        ).scalar_one()


CHUNK = 300
"""Rows per batch for the kill -9 test: big enough that a batch's fit finds the matches it
needs to be kept for the rest of the import (100-row batches are each fitted anew)."""


def test_kill_9_mid_import_leaves_a_consistent_store_and_a_rerun_completes_it(
    engine: Engine, db_url: str, tmp_path: Path, settings: Settings
) -> None:
    path = tmp_path / "leads.csv"
    total = write_leads(path, 3000, seed=7)
    proc = start_import(path, db_url, chunk_rows=CHUNK)
    deadline = time.monotonic() + 120
    # killed once a batch's fit was kept (the second batch here), mid-file
    while (
        scalar(engine, select(func.count()).select_from(RawRecord)) < 4 * CHUNK
        or scalar(engine, select(func.count()).where(ImportRun.fitted_model.is_not(None))) == 0
    ):
        assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
        assert time.monotonic() < deadline, "the import made no progress"
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)

    with Session(engine) as session:
        run = session.scalars(select(ImportRun)).one()
        assert run.status == "running", "the import finished before it could be killed"
        assert 0 < run.rows_in < total
        assert run.fitted_model is not None  # the resumed run matches with the model it kept
    assert_store_consistent(engine)

    report = import_file(
        engine, SourceKind.PURCHASED_LIST, path, settings=settings, chunk_rows=CHUNK
    )
    assert report.resumed and not report.already_imported
    assert report.counts.rows_in == total
    assert report.counts.adds_up
    assert_store_consistent(engine)
    # the resumed store holds exactly what an uninterrupted import builds
    clean_url = sqlite_url(tmp_path / "clean.db")
    upgrade(clean_url)
    clean = make_engine(clean_url)
    clean_report = import_file(
        clean, SourceKind.PURCHASED_LIST, path, settings=settings, chunk_rows=CHUNK
    )
    assert report.counts == clean_report.counts
    people = select(func.count()).select_from(Person)
    assert scalar(engine, people) == scalar(clean, people)
    assert duplicate_email_keys(engine) == duplicate_email_keys(clean)
    clean.dispose()

    again = import_file(
        engine, SourceKind.PURCHASED_LIST, path, settings=settings, chunk_rows=CHUNK
    )
    assert again.already_imported
    assert again.counts == report.counts


def letters(number: int) -> str:
    """A distinct letters-only word per number (name keys keep letters only)."""
    word = ""
    while True:
        number, digit = divmod(number, 26)
        word += "abcdefghijklmnopqrstuvwxyz"[digit]
        if number == 0:
            return word


def distinct_people(rows: int) -> pd.DataFrame:
    """People who share nothing person-level: any duplicate in the store would be a race."""
    return pd.DataFrame(
        {
            "First Name": [f"Jo{letters(i)}" for i in range(rows)],
            "Last Name": [f"Mac{letters(i * 7 + 3)}" for i in range(rows)],
            "Company": [f"Company {i % 40} Ltd" for i in range(rows)],
            "Email": [f"person{i}@company{i % 40}.com" for i in range(rows)],
            "Country": "GB",
        }
    )


def test_two_concurrent_imports_create_no_duplicate_people(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    people = distinct_people(2000)
    people.to_csv(first, index=False)
    # the same people in another order and spelling: every row must merge, none create
    shuffled = people.sample(frac=1.0, random_state=3)
    shuffled.assign(Email=shuffled["Email"].str.upper()).to_csv(second, index=False)

    procs = [start_import(p, db_url, chunk_rows=100) for p in (first, second)]
    for proc in procs:
        assert proc.wait(timeout=600) == 0, proc.stderr.read().decode() if proc.stderr else ""

    with Session(engine) as session:
        runs = session.scalars(select(ImportRun).order_by(ImportRun.started_at)).all()
    assert [r.status for r in runs] == ["completed", "completed"]
    assert runs[1].started_at < runs[0].finished_at, "the imports did not overlap"
    assert_store_consistent(engine)
    assert scalar(engine, select(func.count()).select_from(Person)) == 2000
    assert sum(r.loaded_new for r in runs) == 2000
    assert sum(r.merged for r in runs) == 2000
    assert duplicate_email_keys(engine) == 0
