"""Files shaped like real CRM exports, imported without a profile: opt-outs, do-not-call and
bounces honoured, vendor headers mapped, unexplained consent-like columns stop the import."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from flows.cli import app
from flows.importing import import_file
from ingest.config import Settings
from ingest.errors import MappingCheckError
from ingest.profiles import SourceProfile
from ingest.records import SourceKind
from ingest.store.models import Consent, ContactPoint, Person, RawRecord
from tests.conftest import REPO

EXPORTS = REPO / "tests" / "fixtures" / "exports"


def consents(engine: Engine) -> dict[tuple[str, str], Consent]:
    """(last name, channel) -> the consent row."""
    with Session(engine) as session:
        rows = session.execute(
            select(Person.last_name, Consent).join(Consent, Consent.person_id == Person.id)
        ).all()
        return {(name, c.channel): c for name, c in rows}


def test_hubspot_unsubscribe_and_bounce_withdraw_email(engine: Engine, settings: Settings) -> None:
    report = import_file(
        engine,
        SourceKind.PURCHASED_LIST,
        EXPORTS / "hubspot_contacts.csv",
        settings=settings,
        orchestrate=False,
    )
    assert report.counts.loaded_new == 3
    fields = {c["header"]: c["field"] for c in report.mapping["columns"]}
    assert fields["State/Region"] == "region"
    assert fields["Mobile Phone Number"] == "mobile"
    assert fields["Website URL"] == "website"
    assert fields["Unsubscribed from all email"] == "email_opt_out"
    found = consents(engine)
    stone = found[("Stone", "email")]
    assert stone.status == "opt_out" and stone.lawful_basis is None
    assert stone.evidence["source_email_opt_out"] is True
    assert stone.evidence["reason"] == "consent.opted_out"
    park = found[("Park", "email")]  # two marketing emails bounced
    assert park.lawful_basis is None and park.evidence["reason"] == "consent.email_bounced"
    ortiz = found[("Ortiz", "email")]  # US, not unsubscribed: CAN-SPAM allows it
    assert ortiz.lawful_basis == "legitimate_interest"


def test_salesforce_email_opt_out_and_do_not_call(engine: Engine, settings: Settings) -> None:
    profile = SourceProfile.from_dict(
        {"name": "sf", "kind": "purchased_list", "encoding": "latin-1"}
    )
    report = import_file(
        engine,
        SourceKind.PURCHASED_LIST,
        EXPORTS / "salesforce_leads_latin1.csv",
        settings=settings,
        profile=profile,
        orchestrate=False,
    )
    fields = {c["header"]: c["field"] for c in report.mapping["columns"]}
    assert fields["Company / Account"] == "company_name"
    assert fields["Do Not Call"] == "phone_opt_out"
    found = consents(engine)
    assert found[("Müller", "email")].status == "opt_out"
    schulz_phone = found[("Schulz", "phone")]
    assert schulz_phone.status == "opt_out" and schulz_phone.lawful_basis is None
    assert schulz_phone.evidence["source_phone_opt_out"] is True


def test_linkedin_rows_load_with_a_profile_url_and_split_location(
    engine: Engine, settings: Settings
) -> None:
    report = import_file(
        engine,
        SourceKind.PURCHASED_LIST,
        EXPORTS / "sales_navigator.csv",
        settings=settings,
        orchestrate=False,
    )
    assert (report.counts.loaded_new, report.counts.quarantined) == (2, 0)
    with Session(engine) as session:
        points = dict(
            session.execute(
                select(ContactPoint.match_key, ContactPoint.value).where(
                    ContactPoint.kind == "linkedin"
                )
            ).all()
        )
        cities = set(
            session.scalars(select(ContactPoint.city).where(ContactPoint.city.is_not(None)))
        )
        countries = set(session.scalars(select(ContactPoint.country)))
    assert points == {
        "in/dana-reyes-42": "https://www.linkedin.com/in/dana-reyes-42",
        "in/elinovak": "https://www.linkedin.com/in/elinovak",
    }
    assert {"Austin", "Berlin"} <= cities and {"US", "DE"} <= countries


def test_an_unexplained_consent_column_stops_the_import_until_the_profile_says(
    engine: Engine,
    settings: Settings,
) -> None:
    path = EXPORTS / "bought_list_unmapped_consent.csv"
    with pytest.raises(MappingCheckError) as stopped:
        import_file(engine, SourceKind.PURCHASED_LIST, path, settings=settings, orchestrate=False)
    assert stopped.value.headers == ("Newsletter Werbung OK",)
    assert "Newsletter Werbung OK" in str(stopped.value) and "->" in str(stopped.value)
    with Session(engine) as session:
        assert session.scalars(select(RawRecord)).first() is None  # nothing written
    profile = SourceProfile.from_dict(
        {"name": "bought", "columns": {"Newsletter Werbung OK": "custom"}}
    )
    report = import_file(engine, SourceKind.PURCHASED_LIST, path, settings=settings,
                         profile=profile, orchestrate=False)  # fmt: skip
    assert report.counts.loaded_new == 1


def test_a_bought_opt_in_without_a_profile_is_never_trusted(
    engine: Engine, settings: Settings
) -> None:
    path = EXPORTS / "bought_list_de.csv"  # "Einwilligung E-Mail = ja", no profile
    import_file(engine, SourceKind.PURCHASED_LIST, path, settings=settings, orchestrate=False)
    email = consents(engine)[("Berg", "email")]
    assert email.lawful_basis is None and email.status != "opt_in"
    assert email.evidence["reason"] == "consent.no_declared_opt_in"
    assert email.evidence["source_answer"] is True  # kept as evidence, grants nothing


def test_unprofiled_purchased_list_gets_the_untrusted_terms() -> None:
    from ingest.importer import consent_policy_for

    terms = consent_policy_for(None, kind=SourceKind.PURCHASED_LIST)
    assert (terms.trust_opt_in, terms.purchased) == (False, True)
    assert consent_policy_for(None, kind=SourceKind.WEB_FORM).trust_opt_in


def test_a_file_mapping_nothing_fails_with_the_table(
    engine: Engine, tmp_path: Path, settings: Settings
) -> None:
    path = tmp_path / "odd.csv"
    path.write_text("Spalte A,Spalte B\nfoo,bar\n", encoding="utf-8")
    with pytest.raises(MappingCheckError, match="no column maps to a name or contact") as failed:
        import_file(engine, SourceKind.PURCHASED_LIST, path, settings=settings, orchestrate=False)
    assert "Spalte A" in failed.value.table


def test_cli_prints_the_mapping_and_dry_run_shows_consent_like_columns(
    db_url: str, tmp_path: Path
) -> None:
    runner = CliRunner()
    path = EXPORTS / "bought_list_unmapped_consent.csv"
    dry = runner.invoke(app, ["import", "purchased-list", str(path), "--db", db_url, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Column mapping" in dry.output and "Newsletter Werbung OK" in dry.output
    real = runner.invoke(app, ["import", "purchased-list", str(path), "--db", db_url])
    assert real.exit_code == 2 and "look like consent" in real.output
    hub = runner.invoke(
        app, ["import", "purchased-list", str(EXPORTS / "hubspot_contacts.csv"), "--db", db_url,
              "--no-prefect"]
    )  # fmt: skip
    assert hub.exit_code == 0, hub.output
    assert "email_opt_out" in hub.output and "known header" in hub.output


def test_a_dry_run_creates_no_store_file(tmp_path: Path) -> None:
    target = tmp_path / "never.db"
    result = CliRunner().invoke(
        app,
        ["import", "purchased-list", str(EXPORTS / "hubspot_contacts.csv"), "--dry-run",
         "--db", f"sqlite:///{target}"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert not target.exists()
    assert "Column mapping" in result.output and "first_name_key" not in result.output
