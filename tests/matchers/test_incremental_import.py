"""Importing a second file links returning people to the stored ones instead of duplicating
them, through the stored blocking keys, and keeps colleagues apart (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from flows.importing import import_file
from ingest.config import Settings
from ingest.records import SourceKind
from ingest.store.match_models import activate_model, active_model, list_models, save_model
from ingest.store.models import BlockingKey, ImportRun, Person, RawRecord, RecordLink
from matchers import MatchModel, default_model, load_matcher
from matchers.incremental import MIN_KEPT_MATCHES
from sample_data.generate import generate_b2b_leads
from tests.flows.test_import_safety import distinct_people

HEADERS = ["Lead ID", "First Name", "Last Name", "Title", "Company", "Email", "Phone", "Mobile",
           "Address", "City", "State", "Zip", "Country"]  # fmt: skip
ACME = ["Acme Robotics Inc.", "+1 617 555 0100", "1 Main Street", "Cambridge", "MA", "02139"]
GLOBEX = ["Globex LLC", "+1 212 555 0199", "9 Broad Street", "New York", "NY", "10004"]


def lead(lead_id, first, last, title, email, mobile, company, phone=None):
    name, switchboard, street, city, state, zip_code = company
    return [lead_id, first, last, title, name, email, phone or switchboard, mobile, street,
            city, state, zip_code, "US"]  # fmt: skip


FIRST = [
    lead("A1", "Robert", "Kowalczyk", "CTO", "robert.kowalczyk@acme-robotics.com",
         "+1 617 555 0142", ACME),
    lead("A2", "Maria", "Lindqvist", "VP Sales", "maria.lindqvist@acme-robotics.com",
         "", ACME),
    lead("A3", "Thomas", "Okafor", "Engineer", "thomas.okafor@acme-robotics.com", "", ACME),
    lead("A4", "Jennifer", "Abernathy", "Buyer", "jennifer.abernathy@acme-robotics.com",
         "+1 617 555 0177", ACME),
]  # fmt: skip
SECOND = [
    # nickname, same employer and email in capitals
    lead("B1", "Bob", "Kowalczyk", "CTO", "ROBERT.KOWALCZYK@ACME-ROBOTICS.COM", "", ACME),
    # swapped name fields
    lead("B2", "Lindqvist", "Maria", "VP Sales", "", "", ACME),
    # job changer: new employer, new email, same personal mobile
    lead("B3", "Jennifer", "Abernathy", "Buyer", "jennifer.abernathy@globex.com",
         "+1 617 555 0177", GLOBEX),
    # a new colleague: same company, address and switchboard, different person
    lead("B4", "Priya", "Raman", "Engineer", "priya.raman@acme-robotics.com", "", ACME),
    # a typo in the surname
    lead("B5", "Thomas", "Okafr", "Engineer", "thomas.okafor@acme-robotics.com", "", ACME),
]  # fmt: skip


def strict_model() -> MatchModel:
    """The shipped model with a link threshold of 0.99 for people."""
    shipped = default_model()
    assert shipped.people is not None
    return replace(shipped, people=replace(shipped.people, link_threshold=0.99))


def write(path: Path, rows: list[list[str]]) -> Path:
    return write_rows(path, HEADERS, rows)


def write_rows(path: Path, headers: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(headers)
        writer.writerows(rows)
    return path


def people_of(engine: Engine, run_id: int) -> dict[str, int]:
    """Lead id → person id for one run's rows."""
    with Session(engine) as session:
        rows = session.execute(
            select(RawRecord.payload, RecordLink.person_id)
            .join(RecordLink, RecordLink.raw_record_id == RawRecord.id)
            .where(RawRecord.run_id == run_id)
        )
        return {payload["Lead ID"]: person for payload, person in rows}


def test_returning_people_are_linked_not_duplicated(
    engine: Engine, tmp_path: Path, settings: Settings
) -> None:
    first = import_file(
        engine,
        SourceKind.PURCHASED_LIST,
        write(tmp_path / "a.csv", FIRST),
        settings=settings,
        orchestrate=False,
    )
    assert first.counts.loaded_new == 4
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(BlockingKey)) > 0
    before = people_of(engine, first.run_id)

    second = import_file(
        engine,
        SourceKind.PURCHASED_LIST,
        write(tmp_path / "b.csv", SECOND),
        settings=settings,
        orchestrate=False,
    )
    after = people_of(engine, second.run_id)
    assert after["B1"] == before["A1"]
    assert after["B2"] == before["A2"]
    assert after["B3"] == before["A4"]
    assert after["B5"] == before["A3"]
    assert after["B4"] not in before.values()  # the colleague is a new person
    assert second.counts.merged == 4 and second.counts.loaded_new == 1
    assert second.counts.adds_up
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Person)) == 5


def test_match_models_are_versioned_and_the_active_one_is_used(engine: Engine) -> None:
    assert active_model(engine) is None
    assert load_matcher(engine).name == "model:default"
    settings = default_model().to_dict()
    v1 = save_model(engine, settings, trained_on={"note": "shipped"})
    v2 = save_model(engine, strict_model().to_dict())
    assert (v1, v2) == (1, 2)
    assert load_matcher(engine).people.link_threshold == 0.99
    activate_model(engine, v1)
    assert [m.is_active for m in list_models(engine)] == [True, False]
    assert load_matcher(engine).name == "model:v1"


def test_steward_decisions_refit_the_model_into_a_new_version(
    engine: Engine, tmp_path: Path, settings: Settings
) -> None:
    from sqlalchemy import update

    from ingest.store.models import MatchCandidate
    from matchers import refit_from_store

    assert refit_from_store(engine) is None  # nothing decided yet
    # a model that links nothing on its own: every candidate pair waits for a steward
    shipped = default_model()
    assert shipped.people is not None
    cautious = replace(
        shipped, people=replace(shipped.people, link_threshold=1.0, review_threshold=0.0)
    )
    base = save_model(engine, cautious.to_dict())
    rows = [
        lead("C1", "Anneliese", "Brandstetter", "", "", "", ACME, phone="+1 617 555 0101"),
        lead("C2", "Annelise", "Brandstettr", "", "", "", ACME, phone="+1 617 555 0102"),
    ]
    report = import_file(engine, SourceKind.PURCHASED_LIST, write(tmp_path / "c.csv", rows),
                         settings=settings, orchestrate=False)  # fmt: skip
    assert report.counts.review_pending == 1
    with Session(engine) as session:
        detail = session.scalars(select(MatchCandidate.detail)).one()
    assert detail["model"] == "people"
    assert detail["levels"]["person_name"] == "close"  # the library's level labels
    assert detail["levels"]["employer"] == "same_company_and_site"
    assert detail["levels"]["phone"] == "different"
    assert detail["weights"]["phone"] < 0 < detail["weights"]["person_name"]
    with Session(engine) as session, session.begin():
        session.execute(update(MatchCandidate).values(status="accepted", decided_by="steward"))
    version = refit_from_store(engine)
    assert version == base + 1
    stored = active_model(engine)
    assert stored is not None and stored.trained_on == {
        "refit_from": base, "accepted": 1, "rejected": 0
    }  # fmt: skip
    assert load_matcher(engine).name == f"model:v{version}"
    refit = MatchModel.from_dict(stored.settings).people
    assert refit is not None
    before = cautious.people.comparison("person_name")
    after = refit.comparison("person_name")
    assert before is not None and after is not None
    assert after.levels[2].m > before.levels[2].m  # "close" names were one person
    assert refit.link_threshold == 1.0  # a refit learns weights, not thresholds
    # nothing new decided: no new version; a later refit starts again from the same base
    assert refit_from_store(engine) is None
    with Session(engine) as session, session.begin():
        session.execute(update(MatchCandidate).values(status="rejected"))
    assert refit_from_store(engine) == base + 2
    stored = active_model(engine)
    assert stored is not None and stored.trained_on == {
        "refit_from": base, "accepted": 0, "rejected": 1
    }  # fmt: skip


HOME_HEADERS = ["Lead ID", "First Name", "Last Name", "Email", "Address", "City", "Zip",
                "Country"]  # fmt: skip


def test_returning_private_people_are_linked_by_name_and_home_address(
    engine: Engine, tmp_path: Path, settings: Settings
) -> None:
    """People with no employer (a B2C list): the stored home address and name find them."""

    def homes(name: str, rows: list[list[str]]) -> Path:
        path = tmp_path / name
        with path.open("w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows([HOME_HEADERS, *rows])
        return path

    first = import_file(engine, SourceKind.PURCHASED_LIST, homes("a.csv", [
        ["H1", "Margaret", "Oyelaran", "maggie.o@gmail.com", "14 Birch Lane", "Salem", "97301",
         "US"],
        ["H2", "Tobias", "Lindgren", "", "7 Harbor Drive", "Bristol", "06010", "US"],
    ]), settings=settings, orchestrate=False)  # fmt: skip
    before = people_of(engine, first.run_id)
    second = import_file(engine, SourceKind.PURCHASED_LIST, homes("b.csv", [
        # a nickname, a typo in the street and no email: name and home still agree
        ["J1", "Maggie", "Oyelaran", "", "14 Birch Ln", "Salem", "97301", "US"],
        # a mistyped postcode: surname, first name, street and city agree
        ["J2", "Tobias", "Lindgren", "", "7 Harbor Drive", "Bristol", "06001", "US"],
        # a namesake of H2 in another town is someone else
        ["J3", "Tobias", "Lindgren", "", "88 Elm Street", "Dover", "19901", "US"],
    ]), settings=settings, orchestrate=False)  # fmt: skip
    after = people_of(engine, second.run_id)
    assert after["J1"] == before["H1"]
    assert after["J2"] == before["H2"]
    assert after["J3"] not in before.values()
    assert second.counts.merged == 2 and second.counts.loaded_new == 1


def test_a_run_can_pin_a_model_version(engine: Engine) -> None:
    from ingest.store.match_models import UnknownModelVersionError
    from matchers.loading import active_version

    assert active_version(engine) == "default"
    v1 = save_model(engine, strict_model().to_dict())
    v2 = save_model(engine, default_model().to_dict())
    assert active_version(engine) == v2
    pinned = load_matcher(engine, v1)
    assert pinned.name == "model:v1" and pinned.people.link_threshold == 0.99
    assert load_matcher(engine, "default").name == "model:default"
    assert load_matcher(engine).name == "model:v2"
    with pytest.raises(UnknownModelVersionError):
        load_matcher(engine, 9)


def test_an_import_fits_once_and_keeps_the_model_with_the_run(
    engine: Engine, tmp_path: Path, settings: Settings
) -> None:
    """With the shipped priors, the first batch whose fit found enough matches is fitted; the
    run keeps that model, and the later batches (and a resumed run) are matched with its m and
    u, each with its own match rate. A first batch of distinct people only (a file sorted
    originals first) teaches nothing about matches and is not kept."""
    path = tmp_path / "leads.csv"
    leads = generate_b2b_leads(600, seed=5).drop(columns=["true_person_id"], errors="ignore")
    strangers = distinct_people(200).assign(Email=lambda f: f["Email"].str.replace("@", "+s@"))
    pd.concat([strangers, leads], ignore_index=True).to_csv(path, index=False)
    report = import_file(
        engine, SourceKind.PURCHASED_LIST, path, settings=settings, orchestrate=False,
        chunk_rows=200,
    )  # fmt: skip
    assert report.counts.adds_up and report.counts.merged > 0
    with Session(engine) as session:
        kept = session.scalars(select(ImportRun.fitted_model)).one()
    assert kept is not None
    people = MatchModel.from_dict(kept).people
    assert people is not None and people.fitted and people.prior is not None
    records = people.trained_on["records"]
    assert records > 200  # a later batch with its stored candidates, not the strangers
    assert people.prior * records * (records - 1) / 2 >= MIN_KEPT_MATCHES
    assert people.trained_on["em_sessions"] > 0

    resumed = load_matcher(engine)
    resumed.use_fitted(kept)
    assert resumed.fitted() == kept  # what a resumed run is handed is what it matches with
    resumed.use_fitted(None)
    assert resumed.fitted() is None  # a new run fits its own batches again


def test_a_returning_person_with_a_misspelt_surname_and_no_contact_point_is_found(
    engine: Engine, tmp_path: Path, settings: Settings
) -> None:
    """No email, phone or surname in common with the store, only the first name, the postcode
    and a street with a slip: the stored keys (postcode + first initial, the name sounds) still
    bring the stored person in as a candidate, and the two are linked."""
    headers = ["Lead ID", "First Name", "Last Name", "Address", "City", "Zip", "Country"]
    first = write_rows(tmp_path / "a.csv", headers, [
        ["N1", "Nikki", "Neik", "180 Balfour Crescent", "Charlestown", "2228", "AU"],
        ["N2", "Amy", "Urenda", "15 Jerrabomberra Avenue", "Riverwood", "4610", "AU"],
    ])  # fmt: skip
    second = write_rows(tmp_path / "b.csv", headers, [
        ["M1", "Nikki", "Neigk", "180 Balfourcrescent", "Charlestown", "2228", "AU"],
    ])  # fmt: skip
    stored = import_file(
        engine, SourceKind.PURCHASED_LIST, first, settings=settings, orchestrate=False
    )
    returning = import_file(
        engine, SourceKind.PURCHASED_LIST, second, settings=settings, orchestrate=False
    )
    assert returning.counts.merged == 1 and returning.counts.loaded_new == 0
    assert people_of(engine, returning.run_id)["M1"] == people_of(engine, stored.run_id)["N1"]
