"""A steward's field choice is a pin: later imports do not overwrite it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from flows.cli import app
from flows.importing import import_file
from ingest.config import Settings
from ingest.records import SourceKind
from ingest.store import merges
from ingest.store.models import AuditEntry, MatchCandidate, Person
from ingest.store.pins import pin_in, pins_of
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


def _duplicate_of_stone(engine: Engine, title: str) -> tuple[int, int, int]:
    """Stone (imported) and a second record of her with another title, queued as a pair."""
    import_file(
        engine, SourceKind.PURCHASED_LIST, HUBSPOT, settings=Settings.from_env(), orchestrate=False
    )
    with Session(engine) as session, session.begin():
        stone = session.scalar(select(Person.id).where(Person.last_name == "Stone"))
        dup = Person(first_name="Ava", last_name="Stone", full_name="Ava Stone", job_title=title)
        session.add(dup)
        session.flush()
        candidate = MatchCandidate(person_a_id=stone, person_b_id=dup.id, probability=0.9)
        session.add(candidate)
        session.flush()
        return stone, dup.id, candidate.id


def _title(engine: Engine, person_id: int) -> str | None:
    with Session(engine) as session:
        return session.get(Person, person_id).job_title


def test_a_value_chosen_at_merge_is_pinned_kept_by_imports_and_undone_by_unmerge(
    engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    stone, dup, candidate = _duplicate_of_stone(engine, "Chief Technology Officer")
    decision = merges.accept(engine, candidate, actor="stew", keep={"job_title": dup})
    assert decision.winner_id == stone and _title(engine, stone) == "Chief Technology Officer"
    later = tmp_path / "hubspot_later.csv"
    text = HUBSPOT.read_text(encoding="utf-8")
    later.write_text(text.replace(",CTO,", ",Head of Engineering,")
                     .replace(",2026-01-1", ",2026-06-1"), encoding="utf-8")  # fmt: skip
    import_file(engine, SourceKind.PURCHASED_LIST, later, settings=settings, orchestrate=False)
    assert _title(engine, stone) == "Chief Technology Officer"  # the steward's choice stays
    with Session(engine) as session:
        entries = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
        accepted = next(e for e in entries if e.action == "accept")
        assert accepted.details["kept"] == {"job_title": dup}
        pinned = next(e for e in entries if e.action == "field.pinned")
        assert (pinned.actor, pinned.entity_id, pinned.details) == (
            "stew", stone, {"field": "job_title"})  # fmt: skip
        assert not any("Chief" in json.dumps(e.details) for e in entries)  # no values logged
        assert pins_of(session, [stone]) == {stone: {"job_title": "Chief Technology Officer"}}
    merges.unmerge(engine, decision.merge_id, actor="stew")
    with Session(engine) as session:
        assert pins_of(session, [stone]) == {}
        assert session.get(Person, stone).job_title != "Chief Technology Officer"
        assert session.scalar(select(AuditEntry.id).where(AuditEntry.action == "field.unpinned"))


def test_unmerge_gives_back_an_earlier_pin(engine: Engine) -> None:
    stone, dup, candidate = _duplicate_of_stone(engine, "Chief Technology Officer")
    with Session(engine) as session, session.begin():
        pin_in(session, stone, "job_title", "CTO (pinned)", actor="earlier")
    decision = merges.accept(engine, candidate, actor="stew", keep={"job_title": dup})
    assert _title(engine, stone) == "Chief Technology Officer"
    merges.unmerge(engine, decision.merge_id, actor="stew")
    assert _title(engine, stone) == "CTO (pinned)"
    with Session(engine) as session:
        assert pins_of(session, [stone]) == {stone: {"job_title": "CTO (pinned)"}}


@pytest.mark.parametrize("choice", [{"lifecycle_stage": "dup"}, {"job_title": "other"}])
def test_a_choice_outside_the_pair_or_the_pinnable_fields_is_refused(
    engine: Engine, choice: dict[str, str]
) -> None:
    _, dup, candidate = _duplicate_of_stone(engine, "Chief Technology Officer")
    keep = {field: dup if who == "dup" else dup + 100 for field, who in choice.items()}
    with pytest.raises(merges.InvalidChoice):
        merges.accept(engine, candidate, actor="stew", keep=keep)
    with Session(engine) as session:
        assert session.get(MatchCandidate, candidate).status == "pending"
        assert session.get(Person, dup).merged_into_id is None
