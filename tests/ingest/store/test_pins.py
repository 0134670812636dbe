"""A steward's field choice is a pin: later imports do not overwrite it."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from flows.cli import app
from flows.importing import import_file
from ingest.config import Settings
from ingest.records import SourceKind
from ingest.store.models import AuditEntry, Person
from tests.conftest import REPO

HUBSPOT = REPO / "tests" / "fixtures" / "exports" / "hubspot_contacts.csv"


def titles(engine: Engine) -> dict[str, str | None]:
    with Session(engine) as session:
        return dict(session.execute(select(Person.last_name, Person.job_title)).all())


def test_a_pinned_value_survives_a_later_import(
    engine: Engine, db_url: str, tmp_path: Path, settings: Settings
) -> None:
    import_file(engine, SourceKind.PURCHASED_LIST, HUBSPOT, settings=settings, orchestrate=False)
    with Session(engine) as session:
        stone = session.scalar(select(Person.id).where(Person.last_name == "Stone"))
    result = CliRunner().invoke(
        app, ["pin", str(stone), "job_title", "Chief Technology Officer", "--db", db_url,
              "--actor", "steward1"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert titles(engine)["Stone"] == "Chief Technology Officer"
    # a later export of the same contacts brings new titles for everyone
    later = tmp_path / "hubspot_later.csv"
    text = HUBSPOT.read_text(encoding="utf-8")
    later.write_text(
        text.replace(",CTO,", ",Head of Engineering,")
        .replace(",CFO,", ",Finance Director,")
        .replace(",2026-01-1", ",2026-06-1"),  # observed later
        encoding="utf-8",
    )
    report = import_file(
        engine, SourceKind.PURCHASED_LIST, later, settings=settings, orchestrate=False
    )
    assert report.counts.merged == 3
    after = titles(engine)
    assert after["Stone"] == "Chief Technology Officer"  # the steward's choice stays
    assert after["Ortiz"] == "Finance Director"  # an unpinned field follows the newer source
    with Session(engine) as session:
        pinned = select(AuditEntry).where(AuditEntry.action == "field.pinned")
        entry = session.scalars(pinned).one()
        assert (entry.actor, entry.entity_id) == ("steward1", stone)
        assert entry.details == {"field": "job_title"}


def test_only_name_and_title_fields_can_be_pinned(
    engine: Engine, db_url: str, settings: Settings
) -> None:
    import_file(engine, SourceKind.PURCHASED_LIST, HUBSPOT, settings=settings, orchestrate=False)
    result = CliRunner().invoke(app, ["pin", "1", "lifecycle_stage", "x", "--db", db_url])
    assert result.exit_code == 2 and "cannot be pinned" in result.output
