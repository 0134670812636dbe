"""Source priority in real imports: a web form's value beats a purchased list's whichever
arrives first, a profile's ``source_rank`` overrides its kind, and each golden value's
provenance names the raw record (and so the source) it came from."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from flows.importing import import_file
from ingest.config import Settings
from ingest.profiles import SourceProfile
from ingest.records import SourceKind
from ingest.store.models import ImportRun, Person, RawRecord, Source, ValueProvenance
from ingest.store.people import _read_stored, rank_of_source
from ingest.store.runs import ensure_source

EMAIL = "anna.meyer@acme-widgets.co.uk"
"""Same email, same first name, employer and title: "Meyer" and "Meier" link automatically."""
HEADER = "First Name,Last Name,Email,Company,Title,Country,Captured\n"


def load_list(
    engine: Engine, path: Path, last: str, captured: str, profile: SourceProfile | None = None
) -> None:
    """Import a purchased list with Anna's one row (captured on ``captured``)."""
    row = f"Anna,{last},{EMAIL},Acme Widgets Ltd,Analyst,UK,{captured}\n"
    path.write_text(HEADER + row, encoding="utf-8")
    import_file(
        engine,
        SourceKind.PURCHASED_LIST,
        path,
        settings=Settings(),
        profile=profile,
        orchestrate=False,
    )


def load_form(
    engine: Engine, path: Path, last: str, submitted: str, profile: SourceProfile | None = None
) -> None:
    """Import a web-form export with Anna's one submission (sent on ``submitted``)."""
    fields = {"name": f"Anna {last}", "email": EMAIL, "company": "Acme Widgets Ltd",
              "job_title": "Analyst", "country": "UK"}  # fmt: skip
    submission = {"submission_id": f"sub-{last.lower()}", "form_id": "contact-us",
                  "submitted_at": f"{submitted}T10:00:00Z", "fields": fields}  # fmt: skip
    path.write_text(json.dumps(submission) + "\n", encoding="utf-8")
    import_file(
        engine, SourceKind.WEB_FORM, path, settings=Settings(), profile=profile, orchestrate=False
    )


def golden(engine: Engine) -> Person:
    with Session(engine) as session:
        return session.scalars(select(Person).where(Person.merged_into_id.is_(None))).one()


def origin(engine: Engine, field: str) -> tuple[str, str]:
    """The kind and file name of the source the golden ``field`` value came from."""
    with Session(engine) as session:
        kind, location = session.execute(
            select(Source.kind, ImportRun.location)
            .join(ImportRun, ImportRun.source_id == Source.id)
            .join(RawRecord, RawRecord.run_id == ImportRun.id)
            .join(ValueProvenance, ValueProvenance.raw_record_id == RawRecord.id)
            .where(ValueProvenance.field == field)
        ).one()
    return kind, Path(location).name


def test_a_web_form_value_replaces_a_list_value(engine: Engine, tmp_path: Path) -> None:
    # the list's row is even newer: for names, source priority decides before recency
    load_list(engine, tmp_path / "list.csv", "Meyer", "2026-10-01")
    load_form(engine, tmp_path / "form.jsonl", "Meier", "2026-04-01")
    person = golden(engine)
    assert (person.last_name, person.last_name_key) == ("Meier", "meier")
    assert origin(engine, "last_name") == ("web_form", "form.jsonl")
    assert origin(engine, "last_name_key") == ("web_form", "form.jsonl")


def test_a_newer_list_value_does_not_replace_a_web_form_value(
    engine: Engine, tmp_path: Path
) -> None:
    load_form(engine, tmp_path / "form.jsonl", "Meier", "2026-03-01")
    load_list(engine, tmp_path / "list.csv", "Meyer", "2026-10-01")
    assert golden(engine).last_name == "Meier"
    assert origin(engine, "last_name") == ("web_form", "form.jsonl")


def test_a_list_ranked_1_by_its_profile_ties_with_a_web_form(
    engine: Engine, tmp_path: Path
) -> None:
    load_form(engine, tmp_path / "form.jsonl", "Meier", "2026-10-01")
    trusted = SourceProfile.from_dict({"name": "crm-export", "source_rank": 1})
    load_list(engine, tmp_path / "list.csv", "Meyer", "2026-11-01", trusted)
    # both rank 1, so recency decides: the list's row is newer
    assert golden(engine).last_name == "Meyer"
    assert origin(engine, "last_name") == ("purchased_list", "list.csv")


def test_a_better_ranked_list_wins_even_when_older(engine: Engine, tmp_path: Path) -> None:
    form_rank_3 = SourceProfile.from_dict({"name": "forms", "kind": "web_form", "source_rank": 3})
    load_form(engine, tmp_path / "form.jsonl", "Meier", "2026-10-01", form_rank_3)
    trusted = SourceProfile.from_dict({"name": "crm-export", "source_rank": 1})
    load_list(engine, tmp_path / "list.csv", "Meyer", "2026-01-01", trusted)
    assert golden(engine).last_name == "Meyer"
    assert origin(engine, "last_name") == ("purchased_list", "list.csv")


def test_source_ranks_come_from_profile_then_kind(engine: Engine) -> None:
    plain = ensure_source(engine, name="plain-list", kind="purchased_list", profile=None)
    form = ensure_source(engine, name="form", kind="web_form", profile={"name": "form"})
    ranked = ensure_source(engine, name="ranked", kind="census",
                           profile={"name": "ranked", "source_rank": 2})  # fmt: skip
    odd = ensure_source(engine, name="odd", kind="fax", profile=None)
    with Session(engine) as session:
        ranks = [rank_of_source(session, s) for s in (plain, form, ranked, odd, 10_000)]
    assert ranks == [4, 1, 2, None, None]


def test_stored_values_carry_their_sources_rank(engine: Engine, tmp_path: Path) -> None:
    load_form(engine, tmp_path / "form.jsonl", "Meier", "2026-03-01")
    person = golden(engine)
    with Session(engine) as session, session.begin():
        session.execute(  # a value without provenance (e.g. typed in by hand) has no rank
            delete(ValueProvenance).where(ValueProvenance.field == "job_title")
        )
    with Session(engine) as session:
        _, stored = _read_stored(session, [person.id])
    ranks = dict(zip(stored["_field"], stored["source_rank"], strict=True))
    assert ranks["last_name"] == 1
    assert pd.isna(ranks["job_title"])


@pytest.mark.parametrize("form_first", [True, False])
def test_a_resold_list_keeps_losing(engine: Engine, tmp_path: Path, form_first: bool) -> None:
    if form_first:
        load_form(engine, tmp_path / "form.jsonl", "Meier", "2026-03-01")
    load_list(engine, tmp_path / "list.csv", "Meyer", "2026-10-01")
    if not form_first:
        load_form(engine, tmp_path / "form.jsonl", "Meier", "2026-03-01")
    load_list(engine, tmp_path / "resold.csv", "Meyer", "2027-01-01")
    assert golden(engine).last_name == "Meier"
    assert origin(engine, "last_name") == ("web_form", "form.jsonl")
