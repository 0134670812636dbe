"""One rule for what a company record is (``ingest.entities``): ``leadflow dedupe`` and the
import treat the same rows of a mixed file as companies, and resolve them alike."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from flows.dedupe import dedupe_file, prepare_file
from flows.importing import import_file
from ingest.config import Settings
from ingest.entities import company_only
from ingest.records import SourceKind
from ingest.store.models import RawRecord, RecordLink

HEADERS = ["Lead ID", "First Name", "Last Name", "Company", "Website", "Email", "Phone",
           "Address", "City", "Zip", "Country"]  # fmt: skip
ROWS = [
    ["P1", "Ann", "Lee", "Acme Robotics Inc.", "", "ann.lee@acme-robotics.com",
     "+1 617 555 0101", "1 Main Street", "Cambridge", "02139", "US"],
    ["P2", "Bob", "Ray", "", "", "bob.ray@gmail.com", "+1 617 555 0177", "", "", "", "US"],
    ["P3", "Carla", "Mendes", "Globex LLC", "https://globex.com", "carla@globex.com",
     "+1 212 555 0150", "9 Broad Street", "New York", "10004", "US"],
    ["P4", "Ann", "Lee", "Acme Robotics", "", "ann.lee@acme-robotics.com", "", "", "", "",
     "US"],
    # company-only rows: a listing with a name, listings with only a web domain
    ["C1", "", "", "Acme Robotics Inc.", "https://www.acme-robotics.com/", "",
     "+1 617 555 0100", "1 Main Street", "Cambridge", "02139", "US"],
    ["C2", "", "", "ACME ROBOTICS", "acme-robotics.com", "", "+1 617 555 0100",
     "1 Main St", "Cambridge", "02139", "US"],
    ["C3", "", "", "", "https://globex.com", "", "+1 212 555 0199", "9 Broad Street",
     "New York", "10004", "US"],
    ["C4", "", "", "", "www.initech.de", "", "+49 30 5550 1234", "Hauptstrasse 5", "Berlin",
     "10115", "DE"],
    ["C5", "", "", "Initech GmbH", "initech.de", "", "", "Hauptstrasse 5", "Berlin", "10115",
     "DE"],
    ["C6", "", "", "Umbrella Logistics", "", "", "+1 312 555 0142", "400 Lake Shore Drive",
     "Chicago", "60611", "US"],
]  # fmt: skip
COMPANIES = {"C1", "C2", "C3", "C4", "C5", "C6"}
PEOPLE = {"P1", "P2", "P3", "P4"}
ONE_COMPANY = [{"C1", "C2"}, {"C4", "C5"}]
"""Listings that are one company: by domain and name (Acme), by domain only (Initech)."""


@pytest.fixture
def mixed_file(tmp_path: Path) -> Path:
    path = tmp_path / "mixed.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADERS)
        writer.writerows(ROWS)
    return path


def test_the_prepared_rows_are_companies_by_the_one_rule(mixed_file: Path) -> None:
    rows, ids = prepare_file(mixed_file, "Lead ID")
    flagged = set(ids[company_only(rows)])
    assert flagged == COMPANIES


def test_dedupe_treats_the_company_only_rows_as_companies(mixed_file: Path) -> None:
    run = dedupe_file(mixed_file, "Lead ID")
    ids = run.ids
    assert set(ids.loc[run.result.runs["companies"].rows]) == COMPANIES
    assert set(ids.loc[run.result.runs["people"].rows]) == PEOPLE
    clusters = pd.Series(run.result.clusters.to_numpy(), index=ids.to_numpy())
    assert all(str(c).startswith("c") for c in clusters[sorted(COMPANIES)])
    for group in ONE_COMPANY:
        assert clusters[sorted(group)].nunique() == 1
    assert clusters[["C1", "C3", "C4", "C6"]].nunique() == 4
    assert clusters["P1"] == clusters["P4"]  # the people model links Ann Lee's two rows


def targets(engine: Engine) -> tuple[dict[str, int], dict[str, int], dict[str, str]]:
    """Lead id → company id, lead id → person id, and lead id → outcome."""
    with Session(engine) as session:
        found = session.execute(
            select(RawRecord.payload, RawRecord.outcome, RecordLink.company_id,
                   RecordLink.person_id)
            .join(RecordLink, RecordLink.raw_record_id == RawRecord.id, isouter=True)
        ).all()  # fmt: skip
    companies = {p["Lead ID"]: c for p, _, c, _ in found if c is not None}
    people = {p["Lead ID"]: person for p, _, _, person in found if person is not None}
    outcomes = {p["Lead ID"]: outcome for p, outcome, _, _ in found}
    return companies, people, outcomes


def test_the_import_treats_the_same_rows_as_companies(
    engine: Engine, mixed_file: Path, settings: Settings
) -> None:
    report = import_file(
        engine, SourceKind.PURCHASED_LIST, mixed_file, settings=settings, orchestrate=False
    )
    companies, people, outcomes = targets(engine)
    quarantined = {lead for lead, outcome in outcomes.items() if outcome == "quarantined"}
    assert not quarantined  # a listing with only a web domain names a company
    assert report.counts.quarantined == 0
    assert set(companies) == COMPANIES
    assert set(people) == PEOPLE
    for group in ONE_COMPANY:
        assert len({companies[lead] for lead in group}) == 1
    assert len({companies[lead] for lead in ("C1", "C3", "C4", "C6")}) == 4
    assert people["P1"] == people["P4"]


def test_dedupe_and_import_resolve_the_companies_alike(
    engine: Engine, mixed_file: Path, settings: Settings
) -> None:
    run = dedupe_file(mixed_file, "Lead ID")
    clusters = pd.Series(run.result.clusters.to_numpy(), index=run.ids.to_numpy())
    import_file(engine, SourceKind.PURCHASED_LIST, mixed_file, settings=settings, orchestrate=False)
    companies, _, _ = targets(engine)
    assert set(companies) == COMPANIES
    deduped = clusters[sorted(COMPANIES)]
    imported = pd.Series(companies)[sorted(COMPANIES)]
    # the same partition of the company rows
    pairs = set(zip(deduped.to_numpy(), imported.to_numpy(), strict=True))
    assert len(pairs) == deduped.nunique() == imported.nunique()


ASSIGNEES = ["AGILENT TECHNOLOGIES, INC.", "Agilent Technologies Inc", "Canon Kabushiki Kaisha",
             "CANON KK", "Canon K.K.", "Siemens Aktiengesellschaft", "SIEMENS AG",
             "International Business Machines Corporation", "IBM Corp.", "Sony Corporation",
             "Micron Technology Inc"]  # fmt: skip


def test_a_list_of_company_names_alone_is_loaded_and_resolved_as_dedupe_clusters_it(
    engine: Engine, tmp_path: Path, settings: Settings
) -> None:
    """Names only, legal forms spelt every way, no contact point: accounts, not quarantine,
    and the import's companies are dedupe's clusters."""
    path = tmp_path / "assignees.csv"
    ids = [f"A{i}" for i in range(len(ASSIGNEES))]
    pd.DataFrame({"Lead ID": ids, "Assignee": ASSIGNEES}).to_csv(path, index=False)
    run = dedupe_file(path, "Lead ID")
    deduped = pd.Series(run.result.clusters.to_numpy(), index=run.ids.to_numpy())[ids]
    report = import_file(
        engine, SourceKind.PURCHASED_LIST, path, settings=settings, orchestrate=False
    )
    assert report.counts.quarantined == 0
    assert report.counts.loaded_new + report.counts.merged == len(ASSIGNEES)
    imported = pd.Series(targets(engine)[0])[ids]
    assert deduped.nunique() == imported.nunique() == 6  # Agilent Canon Siemens IBM Sony Micron
    pairs = set(zip(deduped.to_numpy(), imported.to_numpy(), strict=True))
    assert len(pairs) == 6
    again = import_file(
        engine, SourceKind.PURCHASED_LIST, path, settings=settings, orchestrate=False
    )
    assert again.run_id == report.run_id  # the same file again: its run, nothing new
    assert pd.Series(targets(engine)[0])[ids].equals(imported)


def test_dedupe_and_import_keep_many_copies_of_one_person_together(
    engine: Engine, tmp_path: Path, settings: Settings
) -> None:
    """A sign-up sheet with one person on 80 rows (every copy the same, some without a phone):
    the copies count once toward the cluster size cap on both paths, so both make one
    person of them."""
    rows = [["Grace", "Hopper", "Navy Labs", "grace.hopper@navylabs.org",
             "+1 202 555 0143" if i % 4 else ""] for i in range(80)]  # fmt: skip
    path = tmp_path / "signups.csv"
    frame = pd.DataFrame(rows, columns=["First Name", "Last Name", "Company", "Email", "Phone"])
    frame.insert(0, "Lead ID", [f"S{i}" for i in range(len(rows))])
    frame.to_csv(path, index=False)
    run = dedupe_file(path, "Lead ID")
    assert run.result.clusters.nunique() == 1
    report = import_file(engine, SourceKind.EVENT, path, settings=settings, orchestrate=False)
    assert report.counts.quarantined == 0
    _, people, _ = targets(engine)
    assert len(people) == len(rows)
    assert len(set(people.values())) == 1


SURNAMES = ["Okafor", "Lindqvist", "Moreau", "Tanaka", "Silva", "Novak", "Brennan", "Haddad",
            "Kowalczyk", "Ferreira", "Nakamura", "Osei", "Petrov", "Quintero", "Rasmussen",
            "Schultz", "Varga", "Whitaker", "Yilmaz", "Zimmerman", "Abbott", "Bergstrom",
            "Castellano", "Delacroix", "Eriksen", "Fitzgerald", "Gallagher", "Horvath",
            "Iverson", "Jankowski"]  # fmt: skip
GIVEN = [("Maria", "James"), ("Aiko", "Daniel"), ("Fatima", "Peter"), ("Grace", "Tomas")]
EMPLOYERS = ["Harbor Freight", "Mercy Clinic", "City of Tacoma", "Walgreens", "Boeing", "Costco",
             "Pierce Transit", "Safeway", "Home Depot", "Starbucks"]  # fmt: skip


def _tax_forms() -> pd.DataFrame:
    """Tax forms: two earners per household at its home, each at an employer of their own;
    every third earner files a second form from a second job. Headers as pseudopeople's, the
    street in parts."""
    forms = []
    for k, surname in enumerate(SURNAMES):
        for j, given in enumerate(GIVEN[k % len(GIVEN)]):
            person = f"{k}-{j}"
            jobs = [EMPLOYERS[(k + 3 * j) % len(EMPLOYERS)]]
            if (2 * k + j) % 3 == 0:
                jobs.append(EMPLOYERS[(k + 3 * j + 5) % len(EMPLOYERS)])
            forms += [[person, given, surname, job, str(100 + 7 * k), "Cedar Ave", "Tacoma",
                       "98402"] for job in jobs]  # fmt: skip
    frame = pd.DataFrame(forms, columns=["person", "first_name", "last_name", "employer_name",
                                         "mailing_address_street_number",
                                         "mailing_address_street_name", "mailing_address_city",
                                         "mailing_address_zipcode"])  # fmt: skip
    frame.insert(0, "Lead ID", [f"W{i}" for i in range(len(frame))])
    return frame


def test_dedupe_and_import_keep_a_second_job_at_home_with_its_earner(
    engine: Engine, tmp_path: Path, settings: Settings
) -> None:
    """Addresses that are homes (a household's two earners at unlike employers): both paths
    join a person's two forms, and into the same partition."""
    forms = _tax_forms()
    path = tmp_path / "forms.csv"
    forms.drop(columns=["person"]).to_csv(path, index=False)
    ids = forms["Lead ID"].tolist()
    truth = forms["person"].to_numpy()
    run = dedupe_file(path, "Lead ID")
    deduped = pd.Series(run.result.clusters.to_numpy(), index=run.ids.to_numpy())[ids]
    report = import_file(engine, SourceKind.PURCHASED_LIST, path, settings=settings,
                         orchestrate=False)  # fmt: skip
    assert report.counts.quarantined == 0
    imported = pd.Series(targets(engine)[1])[ids]
    pairs = set(zip(deduped.to_numpy(), imported.to_numpy(), strict=True))
    assert len(pairs) == deduped.nunique() == imported.nunique()
    for labels in (deduped.to_numpy(), imported.to_numpy()):
        for a in range(len(ids)):
            for b in range(a + 1, len(ids)):
                if truth[a] == truth[b]:  # a second job: the same person
                    assert labels[a] == labels[b], (ids[a], ids[b])
