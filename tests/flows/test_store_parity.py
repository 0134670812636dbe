"""SQLite and PostgreSQL take the same hostile inputs; a run that fails ends ``failed``."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from flows.importing import import_file
from ingest.config import Settings
from ingest.contracts import MatchResult
from ingest.importer import run_import
from ingest.records import SourceKind
from ingest.store.models import ImportRun, Person, Quarantine
from matchers import load_matcher
from sources import ADAPTERS

LONG_FIRST = "Maximiliana" * 22  # 242 characters: over the old varchar(200)
LONG_HEADER = "Please tell us how you heard about us " * 7


def _write_csv(path: Path) -> None:
    rows = [
        f"first_name,last_name,email,{LONG_HEADER}",
        f"{LONG_FIRST},Okafor,max.okafor@example.com,radio",
        "Ada,Lovelace,ada\x00@example.com,print",
        "Grace,Hopper,grace.hopper@example.com,web",
        "Alan,Turing,alan@example.com," + "x" * 600,
    ]
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode("utf-8"))


def _run(engine: Engine, run_id: int) -> ImportRun:
    with Session(engine) as session:
        return session.get_one(ImportRun, run_id)


def test_nul_long_names_headers_and_file_names_load_on_both_stores(
    engine: Engine, tmp_path: Path, settings: Settings
) -> None:
    path = tmp_path / ("vendor list " + "v" * 230 + ".csv")  # 246 characters
    _write_csv(path)
    report = import_file(engine, SourceKind.PURCHASED_LIST, path, settings=settings)
    counts = report.counts
    assert counts.adds_up and counts.rows_in == 4
    assert counts.quarantined == 1  # only the NUL row
    assert _run(engine, report.run_id).status == "completed"
    with Session(engine) as session:
        firsts = set(session.scalars(select(Person.first_name)))
        reasons = {q.reason_codes[0] for q in session.scalars(select(Quarantine))}
    assert LONG_FIRST in firsts and "Grace" in firsts
    assert reasons == {"row.nul_bytes"}


def test_nul_and_lone_surrogates_in_json_quarantine_their_row_only(
    engine: Engine, tmp_path: Path, settings: Settings
) -> None:
    path = tmp_path / "form.jsonl"
    names = ["A\u0000na", "B\ud800", "Cleo Marsh"]
    lines = [
        {
            "submission_id": f"s{n}",
            "form_id": "contact",
            "submitted_at": "2026-07-03T12:33:31Z",
            "fields": {"email": f"{name[0].lower()}@example.com", "name": name},
        }
        for n, name in enumerate(names)
    ]
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    report = import_file(engine, SourceKind.WEB_FORM, path, settings=settings)
    assert report.counts.adds_up and report.counts.rows_in == 3
    with Session(engine) as session:
        reasons = sorted(q.reason_codes[0] for q in session.scalars(select(Quarantine)))
        firsts = set(session.scalars(select(Person.first_name)))
    assert reasons == ["row.invalid_json", "row.nul_bytes"]  # the lone surrogate is bad JSON
    assert firsts == {"Cleo"}


def test_a_value_too_long_to_index_quarantines_its_row(
    engine: Engine, tmp_path: Path, settings: Settings
) -> None:
    path = tmp_path / "long.csv"
    frame = pd.DataFrame(
        {
            "first_name": ["Ann", "B" * 3000],
            "last_name": ["Lee", "Long"],
            "email": ["ann@example.com", "long@example.com"],
        }
    )
    frame.to_csv(path, index=False)
    report = import_file(engine, SourceKind.PURCHASED_LIST, path, settings=settings)
    assert report.counts.adds_up and report.counts.quarantined == 1
    with Session(engine) as session:
        codes = [c for q in session.scalars(select(Quarantine)) for c in q.reason_codes]
    assert "value.too_long" in codes


class _FailingMatcher:
    """A matcher that breaks on its first batch, as a bug or a lost connection would."""

    def match(self, batch: pd.DataFrame, existing: pd.DataFrame) -> MatchResult:
        raise RuntimeError("matcher exploded")


def test_a_failed_run_ends_failed_with_its_error_and_a_rerun_resumes(
    engine: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "leads.csv"
    _write_csv(path)
    batches = ADAPTERS[SourceKind.PURCHASED_LIST](path, chunk_rows=2)
    with pytest.raises(RuntimeError):
        run_import(engine, batches, matcher=_FailingMatcher())
    with Session(engine) as session:
        (run,) = session.scalars(select(ImportRun))
        assert run.status == "failed"
        assert run.error == "RuntimeError: matcher exploded"
    batches = ADAPTERS[SourceKind.PURCHASED_LIST](path, chunk_rows=2)
    report = run_import(engine, batches, matcher=load_matcher(engine))
    assert report.resumed and report.counts.adds_up and report.counts.rows_in == 4
    run = _run(engine, report.run_id)
    assert (run.status, run.error) == ("completed", None)


@pytest.mark.slow  # a subprocess
def test_a_read_only_store_gives_one_line_and_no_traceback(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from ingest.config import sqlite_url
    from ingest.store.migrate import upgrade
    from tests.conftest import REPO

    database = tmp_path / "store.db"
    upgrade(sqlite_url(database))
    path = tmp_path / "leads.csv"
    _write_csv(path)
    read_only = f"sqlite:///file:{database}?mode=ro&uri=true"
    done = subprocess.run(
        [sys.executable, "-m", "flows", "import", "purchased-list", str(path), "--db", read_only],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "LEADFLOW_ORCHESTRATOR": "plain"},
    )
    output = done.stdout + done.stderr
    assert done.returncode == 2, output
    assert "Traceback" not in output
    assert "the store is read-only" in output
