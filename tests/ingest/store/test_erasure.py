"""Erasure: after `erase`, the person's email and phone are in no text or JSON column of any
table; a re-import of them is suppressed; run counts still add up."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from flows.compliance import erase_subject
from ingest.config import Settings, sqlite_url
from ingest.importer import ImportReport, run_import
from ingest.profiles import SourceProfile
from ingest.records import SourceKind
from ingest.store.engine import make_engine, reader
from ingest.store.forms import stage_submission
from ingest.store.migrate import upgrade
from ingest.store.models import AuditEntry, ImportRun, Person, RawRecord, Suppression
from matchers import ProbabilisticMatcher
from sources import ADAPTERS

HEADER = ["First Name", "Last Name", "Email", "Phone", "Street", "City", "Country",
          "Email Opt-In", "Favourite Colour"]  # fmt: skip
ADA = ["Ada", "Lovelace", "Ada.Lovelace@Example.org", "(412) 645-4395", "12 Ada Way",
       "Pittsburgh", "US", "yes", "teal"]  # fmt: skip
BOB = ["Bob", "Stone", "bob.stone@example.com", "(412) 555-0199", "2 Main St", "Pittsburgh",
       "US", "no", "red"]  # fmt: skip
ADA_NEEDLES = ("ada.lovelace@example.org", "+14126454395", "(412) 645-4395", "4126454395")
PROFILE = SourceProfile(name="crm_export", kind=SourceKind.PURCHASED_LIST,
                        declared_consent_basis="opt_in")  # fmt: skip


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([HEADER, *rows])
    return path


def import_rows(engine: Engine, path: Path, profile: SourceProfile = PROFILE) -> ImportReport:
    batches = ADAPTERS[SourceKind.PURCHASED_LIST](path, profile=profile, chunk_rows=1000)
    return run_import(engine, batches, matcher=ProbabilisticMatcher(), profile=profile)


def text_hits(engine: Engine, needles: tuple[str, ...]) -> list[str]:
    """``table.column`` of every text or JSON cell in the store that contains a needle."""
    hits = []
    with engine.connect() as conn:
        inspector = sa.inspect(conn)
        for table in inspector.get_table_names():
            for column in inspector.get_columns(table):
                kind = column["type"]
                if not isinstance(kind, sa.String | sa.Text | sa.JSON) and "JSON" not in str(kind):
                    continue
                values = conn.execute(sa.text(f'SELECT "{column["name"]}" FROM "{table}"'))
                for (value,) in values:
                    text = value if isinstance(value, str) else json.dumps(value, default=str)
                    if any(n in text.lower() for n in needles):
                        hits.append(f"{table}.{column['name']}")
    return sorted(set(hits))


def test_erased_person_is_in_no_table_and_a_reimport_is_suppressed(
    engine: Engine, tmp_path: Path, settings: Settings
) -> None:
    first = import_rows(engine, write_csv(tmp_path / "a.csv", [ADA, BOB]))
    # a row of Ada's without a name is quarantined: its payload holds her email too
    nameless = ["", "", ADA[2], "", "", "", "US", "", ""]
    second = import_rows(engine, write_csv(tmp_path / "b.csv", [nameless, ADA]))
    stage_submission(engine, "contact", {"email": ADA[2], "name": "Ada Lovelace"},
                     {"ip": "203.0.113.9"}, double_opt_in=False)  # fmt: skip
    assert second.counts.quarantined == 1 and second.counts.merged == 1
    assert text_hits(engine, ADA_NEEDLES)  # the scan does find her before erasure

    report = erase_subject(engine, settings=settings, email="ADA.LOVELACE@example.org")

    assert len(report.people) == 1 and report.suppressions_added == 2
    assert report.form_submissions == 1 and report.raw_records == 3
    assert text_hits(engine, ADA_NEEDLES) == []
    assert text_hits(engine, ("bob.stone@example.com",))  # Bob is untouched
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Person)) == 1
        assert session.scalar(select(func.count()).select_from(RawRecord)) == 4
        reasons = set(session.scalars(select(Suppression.reason)))
        assert reasons == {"erasure"}
        audit = session.scalars(select(AuditEntry).where(AuditEntry.action == "erasure")).one()
        assert audit.details["people"] == list(report.people)

    again = import_rows(engine, write_csv(tmp_path / "c.csv", [BOB, ADA]))
    assert again.counts.suppressed == 1 and again.counts.merged == 1
    with Session(engine) as session:
        outcome = session.scalar(
            select(RawRecord.outcome_reason).where(
                RawRecord.run_id == again.run_id, RawRecord.outcome == "suppressed"
            )
        )
        assert outcome == "suppressed.erasure"
        for run in session.scalars(select(ImportRun)):
            assert run.rows_in == run.loaded_new + run.merged + run.suppressed + run.quarantined
            recorded = session.scalar(select(func.count()).where(RawRecord.run_id == run.id))
            assert recorded == run.rows_in
    assert first.counts.rows_in == 2 and text_hits(engine, ADA_NEEDLES) == []


def test_erasure_by_phone_and_by_id(engine: Engine, tmp_path: Path, settings: Settings) -> None:
    import_rows(engine, write_csv(tmp_path / "a.csv", [ADA, BOB]))
    report = erase_subject(engine, settings=settings, phone="+1 412 645 4395")
    assert len(report.people) == 1
    assert text_hits(engine, ADA_NEEDLES) == []
    with Session(engine) as session:
        bob = session.scalars(select(Person.id)).one()
    erase_subject(engine, settings=settings, person_id=bob)
    assert text_hits(engine, ("bob.stone@example.com", "4125550199")) == []


def test_erasure_compacts_what_it_touched_and_says_what_remains(
    engine: Engine, tmp_path: Path, settings: Settings
) -> None:
    import_rows(engine, write_csv(tmp_path / "a.csv", [ADA, BOB]))
    report = erase_subject(engine, settings=settings, email=ADA[2])
    assert {"raw_records", "people", "contact_points"} <= set(report.vacuumed)
    assert "write-ahead log" in report.residue
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            vacuumed = (
                conn.exec_driver_sql(
                    "SELECT relname FROM pg_stat_user_tables WHERE schemaname = current_schema() "
                    "AND last_vacuum IS NOT NULL"
                )
                .scalars()
                .all()
            )
        assert {"raw_records", "people", "contact_points"} <= set(vacuumed)
    else:
        database = Path(engine.url.database or "")
        files = [database, database.with_name(database.name + "-wal")]
        stored = b"".join(f.read_bytes() for f in files if f.exists())
        assert ADA[2].encode() not in stored and ADA[2].lower().encode() not in stored
        assert BOB[2].encode() in stored or BOB[2].lower().encode() in stored


ADA_BYTES = (b"Ada.Lovelace@Example.org", b"ada.lovelace@example.org", b"+14126454395",
             b"(412) 645-4395", b"Lovelace", b"12 Ada Way")  # fmt: skip


def file_bytes(database: Path) -> dict[str, bytes]:
    """The store's bytes on disk: the database file, its write-ahead log and shared memory."""
    files = [database, *(database.with_name(database.name + s) for s in ("-wal", "-shm"))]
    return {f.name: f.read_bytes() for f in files if f.exists()}


def left_on_disk(database: Path, needles: tuple[bytes, ...] = ADA_BYTES) -> list[str]:
    return sorted(
        f"{name}: {needle.decode()}"
        for name, data in file_bytes(database).items()
        for needle in needles
        if needle in data
    )


def store_with_ada_and_bob(tmp_path: Path, name: str, *, secure_delete: bool) -> Engine:
    """A SQLite store holding Ada and Bob. ``secure_delete`` False plays a SQLite built without
    SECURE_DELETE (Debian's zeroes deleted content, others do not)."""
    url = sqlite_url(tmp_path / name)
    upgrade(url)
    engine = make_engine(url)

    @sa.event.listens_for(engine, "connect")
    def _secure_delete(dbapi_connection, _record) -> None:
        dbapi_connection.execute(f"PRAGMA secure_delete={'ON' if secure_delete else 'OFF'}")

    import_rows(engine, write_csv(tmp_path / f"{name}.csv", [ADA, BOB]))
    return engine


@pytest.mark.parametrize("secure_delete", [True, False], ids=["secure-delete", "plain-delete"])
def test_sqlite_erasure_leaves_no_byte_of_the_person_in_the_file_or_its_wal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, secure_delete: bool, settings: Settings
) -> None:
    # The store stays open throughout (as under a running web app): closing the last
    # connection would checkpoint and delete the WAL whatever the erasure did.
    engine = store_with_ada_and_bob(tmp_path, "store.db", secure_delete=secure_delete)
    control = store_with_ada_and_bob(tmp_path, "control.db", secure_delete=secure_delete)
    with reader(engine).connect() as idle, reader(control).connect() as control_idle:
        assert left_on_disk(tmp_path / "store.db")  # her values are on disk before erasure

        # the same erasure without its compaction leaves her bytes in free pages or the WAL,
        # so the check below sees what an erasure leaves behind
        with monkeypatch.context() as patched:
            patched.setattr("ingest.store.erasure.compact", lambda _e, t: (tuple(t), ""))
            erase_subject(control, settings=settings, email=ADA[2])
        control_idle.exec_driver_sql("SELECT count(*) FROM people").scalar_one()
        control_idle.rollback()
        assert text_hits(control, ADA_NEEDLES) == []  # gone from every table ...
        assert left_on_disk(tmp_path / "control.db")  # ... but not from the disk

        idle.exec_driver_sql("SELECT count(*) FROM people").scalar_one()
        idle.rollback()  # an open, idle connection (one in a read transaction would wait)
        report = erase_subject(engine, settings=settings, email="ada.lovelace@EXAMPLE.org")
        assert len(report.people) == 1 and "VACUUM" in report.residue
        assert left_on_disk(tmp_path / "store.db") == []
        assert left_on_disk(tmp_path / "store.db", (b"bob.stone@example.com", b"Stone"))
        wal = tmp_path / "store.db-wal"
        assert not wal.exists() or wal.stat().st_size == 0  # checkpointed and truncated
    engine.dispose()
    control.dispose()
