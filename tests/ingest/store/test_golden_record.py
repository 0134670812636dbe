"""The golden record follows the survivorship policies: the batch's values compete with the
stored ones, and each value's provenance names the raw record it came from."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from flows.importing import import_file
from ingest.config import Settings
from ingest.records import SourceKind
from ingest.store.models import ImportRun, Person, RawRecord, ValueProvenance

HEADER = "First Name,Last Name,Email,Company,Title,Country,Captured\n"


def write(path: Path, *rows: str) -> Path:
    path.write_text(HEADER + "".join(f"{r}\n" for r in rows), encoding="utf-8")
    return path


def load(engine: Engine, path: Path) -> None:
    import_file(engine, SourceKind.PURCHASED_LIST, path, settings=Settings(), orchestrate=False)


def person(engine: Engine) -> Person:
    with Session(engine) as session:
        return session.scalars(select(Person)).one()


def origin(engine: Engine, field: str) -> tuple[str, int]:
    """The file name and row number the person's ``field`` value came from."""
    with Session(engine) as session:
        location, row = session.execute(
            select(ImportRun.location, RawRecord.row_number)
            .join(RawRecord, RawRecord.run_id == ImportRun.id)
            .join(ValueProvenance, ValueProvenance.raw_record_id == RawRecord.id)
            .where(ValueProvenance.field == field)
        ).one()
    return Path(location).name, row


def snapshot(engine: Engine) -> tuple[list[dict[str, Any]], list[tuple[Any, ...]]]:
    """People's golden values and all provenance rows."""
    columns = [c for c in Person.__table__.columns if c.key not in {"created_at", "updated_at"}]
    with Session(engine) as session:
        people = [dict(r._mapping) for r in session.execute(select(*columns).order_by("id"))]
        provenance = session.execute(
            select(ValueProvenance.person_id, ValueProvenance.field,
                   ValueProvenance.raw_record_id, ValueProvenance.recorded_at)
            .order_by(ValueProvenance.person_id, ValueProvenance.field)
        ).all()  # fmt: skip
    return people, [tuple(p) for p in provenance]


def test_a_newer_title_wins_and_an_older_import_does_not_overwrite_it(
    engine: Engine, tmp_path: Path
) -> None:
    ada = "Ada,Lovelace,ada@acme-widgets.co.uk,Acme Widgets Ltd"
    load(engine, write(tmp_path / "spring.csv", f"{ada},Analyst,UK,2025-03-01"))
    load(engine, write(tmp_path / "autumn.csv", f"{ada},Head of Data,UK,2026-10-01"))
    assert person(engine).job_title == "Head of Data"
    assert origin(engine, "job_title") == ("autumn.csv", 2)

    load(engine, write(tmp_path / "archive.csv", f"{ada},Data Intern,UK,2023-06-01"))
    assert person(engine).job_title == "Head of Data"
    assert origin(engine, "job_title") == ("autumn.csv", 2)

    # seen again later: same value, same provenance, but it now counts as seen in 2027 ...
    load(engine, write(tmp_path / "confirm.csv", f"{ada},Head of Data,UK,2027-01-15"))
    assert origin(engine, "job_title") == ("autumn.csv", 2)
    # ... so a title observed before that sighting does not replace it
    load(engine, write(tmp_path / "winter.csv", f"{ada},Data Lead,UK,2026-12-01"))
    assert person(engine).job_title == "Head of Data"


def test_a_full_first_name_beats_an_initial_either_way(engine: Engine, tmp_path: Path) -> None:
    robert = "Smith,robert.smith@acme-widgets.co.uk,Acme Widgets Ltd,Engineer,UK,2025-03-01"
    load(engine, write(tmp_path / "short.csv", f"R.,{robert}"))
    load(engine, write(tmp_path / "full.csv", f"Robert,{robert}"))
    golden = person(engine)
    assert (golden.first_name, golden.first_name_key, golden.full_name) == (
        "Robert", "robert", "Robert Smith",
    )  # fmt: skip
    assert origin(engine, "first_name") == ("full.csv", 2)
    assert origin(engine, "first_name_key") == ("full.csv", 2)

    people, provenance = snapshot(engine)
    load(engine, write(tmp_path / "later_short.csv", f"R.,{robert.replace('2025', '2026')}"))
    after_people, after_provenance = snapshot(engine)
    assert after_people == people  # a newer initial does not replace the full name
    assert [p[:3] for p in after_provenance] == [p[:3] for p in provenance]


def test_a_flagged_value_loses_to_a_clean_stored_one(engine: Engine, tmp_path: Path) -> None:
    maria = "maria@acme-widgets.co.uk,Acme Widgets Ltd,Engineer,UK"
    load(engine, write(tmp_path / "clean.csv", f"G.,Maria,{maria},2025-03-01"))
    # newer and more complete, but flagged name.maybe_swapped: the clean value stays
    load(engine, write(tmp_path / "swapped.csv", f"Garcia,Maria,{maria},2026-10-01"))
    golden = person(engine)
    assert (golden.first_name, golden.first_name_key) == ("G.", "g")
    assert origin(engine, "first_name") == ("clean.csv", 2)


def test_values_of_a_new_cluster_survive_by_policy(engine: Engine, tmp_path: Path) -> None:
    ada = "Ada,Lovelace,ada@acme-widgets.co.uk,Acme Widgets Ltd"
    load(
        engine,
        write(
            tmp_path / "both.csv",
            f"{ada},Analyst,UK,2025-03-01",
            f"{ada},Head of Data,UK,2026-10-01",
        ),
    )
    golden = person(engine)
    assert (golden.first_name, golden.job_title) == ("Ada", "Head of Data")
    assert origin(engine, "job_title") == ("both.csv", 3)  # the newer title, not the first
    assert origin(engine, "first_name") == ("both.csv", 3)  # equal names: recency breaks the tie


def test_importing_the_same_rows_again_changes_nothing(engine: Engine, tmp_path: Path) -> None:
    rows = (
        "Ada,Lovelace,ada@acme-widgets.co.uk,Acme Widgets Ltd,Head of Data,UK,2026-10-01",
        "Robert,Smith,robert.smith@acme-widgets.co.uk,Acme Widgets Ltd,Engineer,UK,2025-03-01",
    )
    first = write(tmp_path / "leads.csv", *rows)
    load(engine, first)
    before = snapshot(engine)
    load(engine, first)
    assert snapshot(engine) == before
    # the same rows in another file (another hash, so a new run): nothing changes either
    load(engine, write(tmp_path / "resold.csv", *reversed(rows)))
    assert snapshot(engine) == before
