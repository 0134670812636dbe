"""A person who changes employer stays one person with dated affiliations; colleagues stay apart."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from flows.importing import import_file
from ingest.config import Settings
from ingest.records import SourceKind
from ingest.store.models import AuditEntry, Company, CompanyAffiliation, Person

HEADER = "First Name,Last Name,Email,Phone,Mobile,Company,Title,Country,Captured\n"


def write(path: Path, *rows: str) -> Path:
    path.write_text(HEADER + "".join(f"{r}\n" for r in rows), encoding="utf-8")
    return path


def test_a_job_change_keeps_one_person_with_two_affiliations(
    engine: Engine, tmp_path: Path, settings: Settings
) -> None:
    first = write(
        tmp_path / "spring.csv",
        "Ada,Lovelace,ada@acme-widgets.co.uk,020 7946 0001,07911 123456,Acme Widgets Ltd,"
        "Analyst,UK,2025-03-01",
        "Bob,Stone,bob@acme-widgets.co.uk,020 7946 0001,07911 123457,Acme Widgets Ltd,"
        "Engineer,UK,2025-03-01",
    )
    second = write(
        tmp_path / "autumn.csv",
        # Ada moved: new employer, email and office phone; same name and personal mobile
        "Ada,Lovelace,a.lovelace@globex-systems.co.uk,020 7946 0999,+44 7911 123456,"
        "Globex Systems plc,Head of Data,United Kingdom,2026-10-01",
        # her new colleague shares Globex's switchboard: must not merge with her
        "Carol,Reyes,carol@globex-systems.co.uk,020 7946 0999,07911 123458,Globex Systems plc,"
        "CTO,UK,2026-10-01",
    )
    import_file(engine, SourceKind.PURCHASED_LIST, first, settings=settings, orchestrate=False)
    report = import_file(
        engine, SourceKind.PURCHASED_LIST, second, settings=settings, orchestrate=False
    )
    assert (report.counts.loaded_new, report.counts.merged) == (1, 1)

    with Session(engine) as session:
        people = session.scalars(select(Person).order_by(Person.id)).all()
        assert [p.first_name for p in people] == ["Ada", "Bob", "Carol"]
        ada = people[0]
        companies = {c.id: c.name for c in session.scalars(select(Company))}
        assert companies[ada.company_id].startswith("Globex")
        assert ada.job_title == "Head of Data"
        history = session.scalars(
            select(CompanyAffiliation)
            .where(CompanyAffiliation.person_id == ada.id)
            .order_by(CompanyAffiliation.valid_from)
        ).all()
        assert [companies[a.company_id].split()[0] for a in history] == ["Acme", "Globex"]
        assert [a.is_current for a in history] == [False, True]
        assert history[0].valid_to is not None and history[1].valid_to is None
        assert history[0].job_title == "Analyst" and history[1].job_title == "Head of Data"
        change = session.scalars(select(AuditEntry).where(AuditEntry.action == "job_change")).one()
        assert change.entity_id == ada.id and "Ada" not in str(change.details)


def test_an_older_observation_does_not_move_the_current_employer(
    engine: Engine, tmp_path: Path, settings: Settings
) -> None:
    recent = write(tmp_path / "recent.csv",
                   "Ada,Lovelace,ada@globex-systems.co.uk,,07911 123456,Globex Systems plc,"
                   "Head of Data,UK,2026-10-01")  # fmt: skip
    old = write(tmp_path / "old.csv",
                "Ada,Lovelace,ada@acme-widgets.co.uk,,07911 123456,Acme Widgets Ltd,Analyst,UK,"
                "2025-03-01")  # fmt: skip
    import_file(engine, SourceKind.PURCHASED_LIST, recent, settings=settings, orchestrate=False)
    import_file(engine, SourceKind.PURCHASED_LIST, old, settings=settings, orchestrate=False)
    with Session(engine) as session:
        ada = session.scalars(select(Person)).one()
        current = session.scalars(
            select(Company.name)
            .join(CompanyAffiliation, CompanyAffiliation.company_id == Company.id)
            .where(CompanyAffiliation.is_current.is_(True))
        ).all()
        assert current == [session.get_one(Company, ada.company_id).name]
        assert current[0].startswith("Globex")
        assert len(session.scalars(select(CompanyAffiliation)).all()) == 2
