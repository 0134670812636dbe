"""``leadflow export``: golden records out in a CRM's import columns, formula-safe, and a HubSpot
export that goes back in through ``leadflow import`` changes nothing."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from flows.cli import app
from flows.export import escape_cell, export_records
from flows.importing import import_file
from ingest.config import Settings
from ingest.mapping import propose_mapping
from ingest.records import Channel, SourceKind
from ingest.store.models import Consent, ContactPoint, Person
from tests.conftest import REPO

EXPORTS = REPO / "tests" / "fixtures" / "exports"


def people_state(engine: Engine) -> list[tuple]:
    with Session(engine) as session:
        people = session.execute(
            select(Person.id, Person.first_name, Person.last_name, Person.job_title,
                   Person.company_id).order_by(Person.id)
        ).all()  # fmt: skip
        points = session.execute(
            select(ContactPoint.person_id, ContactPoint.kind, ContactPoint.value).order_by(
                ContactPoint.person_id, ContactPoint.kind, ContactPoint.value
            )
        ).all()
    return [*people, *points]


def test_hubspot_export_round_trips_through_import(
    engine: Engine, tmp_path: Path, settings: Settings
) -> None:
    import_file(engine, SourceKind.PURCHASED_LIST, EXPORTS / "hubspot_contacts.csv",
                settings=settings, orchestrate=False)  # fmt: skip
    before = people_state(engine)
    out = tmp_path / "hubspot.csv"
    assert export_records(engine, "people", out, profile="hubspot") == 3
    frame = pd.read_csv(out, dtype=str)
    assert list(frame.columns)[:4] == ["First Name", "Last Name", "Email", "Phone Number"]
    mapping = propose_mapping(list(frame.columns))
    assert all(c.field is not None for c in mapping.columns)  # every column is understood
    report = import_file(
        engine, SourceKind.PURCHASED_LIST, out, settings=settings, orchestrate=False
    )
    assert report.counts.loaded_new == 0 and report.counts.merged == 3
    assert people_state(engine) == before


def test_consent_filter_and_flags(engine: Engine, tmp_path: Path, settings: Settings) -> None:
    import_file(engine, SourceKind.PURCHASED_LIST, EXPORTS / "hubspot_contacts.csv",
                settings=settings, orchestrate=False)  # fmt: skip
    out = tmp_path / "generic.csv"
    export_records(engine, "people", out)
    frame = pd.read_csv(out, dtype=str).set_index("last_name")
    assert frame.loc["Stone", "email_status"] == "opt_out"
    assert frame.loc["Stone", "email_permitted"] == "False"
    assert frame.loc["Ortiz", "email_permitted"] == "True"
    assert str(frame.loc["Ortiz", "source_ids"]).startswith("hubspot_contacts")
    permitted = tmp_path / "permitted.csv"
    assert export_records(engine, "people", permitted, consent=Channel.EMAIL) == 1
    sf = tmp_path / "sf.xlsx"
    export_records(engine, "people", sf, fmt="xlsx", profile="salesforce")
    book = pd.read_excel(sf, dtype=str).set_index("Last Name")
    assert book.loc["Stone", "Email Opt Out"] == "True"
    pq = tmp_path / "c.parquet"
    assert export_records(engine, "companies", pq, fmt="parquet") == 3
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Consent)) > 0


MOBILES = """First Name,Last Name,Email,Phone Number,Mobile Phone Number,Country/Region
Ava,Stone,ava.stone@northwind.example,+1 512 555 0101,+1 512 555 0111,United States
Ian,Hale,ian.hale@hale.example,+44 7911 123456,,United Kingdom
Eva,Roth,eva.roth@roth.example,,+49 30 1234567,Germany
"""


def test_mobile_column_holds_each_known_mobile(
    engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    source = tmp_path / "mobiles.csv"
    source.write_text(MOBILES, encoding="utf-8")
    import_file(engine, SourceKind.PURCHASED_LIST, source, settings=settings, orchestrate=False)
    out = tmp_path / "people.csv"
    export_records(engine, "people", out, profile="hubspot")
    frame = pd.read_csv(out, dtype=str).set_index("Last Name")
    # a NANP number from the vendor's mobile column (phonenumbers: fixed line or mobile)
    assert frame.loc["Stone", "Mobile Phone Number"] == "+15125550111"
    assert frame.loc["Stone", "Phone Number"] == "+15125550101"
    # a number phonenumbers knows is a mobile, whichever column it came in
    assert frame.loc["Hale", "Mobile Phone Number"] == "+447911123456"
    # a Berlin landline in the mobile column is not a mobile
    assert frame["Mobile Phone Number"].isna()["Roth"]
    assert frame.loc["Roth", "Phone Number"] == "+49301234567"


def test_formula_cells_are_escaped_but_phone_numbers_are_not() -> None:
    assert escape_cell('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    assert escape_cell("@SUM(A1)") == "'@SUM(A1)"
    assert escape_cell("+cmd|' /C calc'!A0") == "'+cmd|' /C calc'!A0"
    assert escape_cell("+15125550101") == "+15125550101"
    assert escape_cell("Ada") == "Ada"


def test_cli_export(db_url: str, tmp_path: Path) -> None:
    runner = CliRunner()
    source = str(EXPORTS / "hubspot_contacts.csv")
    imported = runner.invoke(app, ["import", "purchased-list", source, "--db", db_url,
                                   "--no-prefect"])  # fmt: skip
    assert imported.exit_code == 0, imported.output
    out = tmp_path / "people.csv"
    result = runner.invoke(app, ["export", "people", "--profile", "hubspot", "--out", str(out),
                                 "--db", db_url])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "3 people written" in result.output and out.exists()
    bad = runner.invoke(app, ["export", "people", "--format", "pdf", "--out", str(out),
                              "--db", db_url])  # fmt: skip
    assert bad.exit_code == 2 and "unknown format" in bad.output


def test_find_and_show_person(db_url: str) -> None:
    runner = CliRunner(env={"COLUMNS": "250"})  # sentences not wrapped across table lines
    source = str(EXPORTS / "hubspot_contacts.csv")
    runner.invoke(app, ["import", "purchased-list", source, "--db", db_url, "--no-prefect"])
    by_email = runner.invoke(app, ["find", "AVA.STONE@northwind.example", "--db", db_url])
    assert by_email.exit_code == 0 and "Stone" in by_email.output and "Northwind" in by_email.output
    by_phone = runner.invoke(app, ["find", "(512) 555-0102", "--db", db_url])
    assert "Ortiz" in by_phone.output and "Stone" not in by_phone.output
    by_name = runner.invoke(app, ["find", "cleo park", "--db", db_url])
    assert "Park" in by_name.output
    person_id = next(line.split()[1] for line in by_email.output.splitlines() if "Stone" in line)
    shown = runner.invoke(app, ["show", "person", person_id, "--db", db_url])
    assert shown.exit_code == 0, shown.output
    assert "Lifecycle Stage" in shown.output  # custom fields are shown
    consents_part = shown.output.split("Consents")[1].split("Activities")[0]
    assert "unsubscribe flag in the source: yes" in consents_part
    assert "{" not in consents_part  # no raw dicts
    assert runner.invoke(app, ["find", "nobody here", "--db", db_url]).exit_code == 1


def test_consent_evidence_reads_as_sentences() -> None:
    from flows.render import consent_evidence

    text = consent_evidence(
        {"permitted": False, "reason": "consent.opted_out", "source_email_opt_out": True,
         "jurisdiction": "US", "policy_version": "2026.1"}
    )  # fmt: skip
    assert text.startswith("The person opted out of this channel")
    assert "unsubscribe flag in the source: yes" in text and "jurisdiction: US" in text
