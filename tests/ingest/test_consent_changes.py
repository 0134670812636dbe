"""Consent changes across imports: a later opt-out wins over an earlier opt-in and is audited;
a list cannot undo an opt-out; counts add up. Real imports on both stores."""

from __future__ import annotations

import csv
import json
from dataclasses import replace
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from ingest.importer import ImportReport, run_import
from ingest.profiles import SourceProfile
from ingest.records import SourceKind
from ingest.store.consents import current_consents
from ingest.store.models import AuditEntry, Consent, Person
from ingest.store.subject import consent_reason_counts
from matchers import ProbabilisticMatcher
from sources import ADAPTERS
from tests.manifests import DILIGENT

HEADER = ["First Name", "Last Name", "Email", "Country", "Email Opt-In", "Captured At",
          "Consent Text"]  # fmt: skip
OPT_IN_LIST = SourceProfile(name="opt_in_vendor", kind=SourceKind.PURCHASED_LIST,
                            declared_consent_basis="opt_in", **DILIGENT)  # fmt: skip
OPTED_IN_UK_EU_US = (
    ("Ann", "Lee", "ann@example.org", "GB", "yes", "", ""),
    ("Jo", "Kim", "jo@example.de", "DE", "yes", "", ""),
    ("Al", "Ray", "al@example.com", "US", "yes", "", ""),
)
"""One opted-in row per jurisdiction model: UK (PECR), EU (GDPR), US (CAN-SPAM, opt-out)."""
PLAIN_LIST = SourceProfile(name="plain_vendor", kind=SourceKind.PURCHASED_LIST)


def import_rows(
    engine: Engine, tmp_path: Path, name: str, rows: list[list[str]], profile: SourceProfile
) -> ImportReport:
    path = tmp_path / f"{name}.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([HEADER, *rows])
    batches = ADAPTERS[SourceKind.PURCHASED_LIST](path, profile=profile, chunk_rows=1000)
    report = run_import(engine, batches, matcher=ProbabilisticMatcher(), profile=profile)
    counts = report.counts
    assert (
        counts.rows_in == counts.loaded_new + counts.merged + counts.suppressed + counts.quarantined
    )
    return report


def email_status(engine: Engine) -> str:
    with Session(engine) as session:
        person = session.scalars(select(Person.id)).one()
        return current_consents(session, [person])[(person, "email")].status


def test_a_later_opt_out_overrides_an_earlier_opt_in_and_is_audited(
    engine: Engine, tmp_path: Path
) -> None:
    ann = ["Ann", "Lee", "ann.lee@example.org", "GB"]
    import_rows(engine, tmp_path, "b1", [[*ann, "yes", "2026-01-10", ""]], OPT_IN_LIST)
    assert email_status(engine) == "opt_in"

    second = import_rows(engine, tmp_path, "b2", [[*ann, "no", "2026-03-01", ""]], OPT_IN_LIST)
    assert second.counts.merged == 1
    assert email_status(engine) == "opt_out"
    with Session(engine) as session:
        audit = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "consent.withdrawn")
        ).one()
        assert audit.entity == "person" and audit.details["channel"] == "email"
        assert (audit.details["from"], audit.details["to"]) == ("opt_in", "opt_out")
        assert "ann.lee" not in json.dumps(audit.details).lower()  # ids and codes only

    # an older opt-in arriving later, or a list's opt-in, does not undo the opt-out
    import_rows(engine, tmp_path, "b3", [[*ann, "yes", "2026-02-01", ""]], OPT_IN_LIST)
    import_rows(engine, tmp_path, "b4", [[*ann, "yes", "2026-04-01", ""]], OPT_IN_LIST)
    assert email_status(engine) == "opt_out"
    # the person's own newer opt-in (with the wording shown) does, and is audited
    words = "Yes, email me news."
    import_rows(engine, tmp_path, "b5", [[*ann, "yes", "2026-05-01", words]], OPT_IN_LIST)
    assert email_status(engine) == "opt_in"
    with Session(engine) as session:
        actions = session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
        assert actions == ["consent.withdrawn", "consent.given"]
        assert session.scalar(select(Consent.id).where(Consent.channel == "email")) is not None


def test_purchased_list_without_declared_opt_in_gets_no_email_permission(
    engine: Engine, tmp_path: Path
) -> None:
    rows = [list(r) for r in OPTED_IN_UK_EU_US]
    report = import_rows(engine, tmp_path, "plain", rows, PLAIN_LIST)
    assert report.counts.loaded_new == 3
    with Session(engine) as session:
        emails = session.execute(
            select(Consent.lawful_basis, Consent.evidence).where(Consent.channel == "email")
        ).all()
    by_jurisdiction = {e["jurisdiction"]: (basis, e["reason"]) for basis, e in emails}
    assert by_jurisdiction == {
        "UK": (None, "consent.no_declared_opt_in"),
        "EU": (None, "consent.no_declared_opt_in"),
        "US": ("legitimate_interest", None),  # CAN-SPAM: opt-out model
    }
    counts = consent_reason_counts(engine, report.run_id or 0)
    assert counts["consent.no_declared_opt_in"] >= 2


def test_declared_opt_in_without_due_diligence_grants_nothing_in_opt_in_jurisdictions(
    engine: Engine, tmp_path: Path
) -> None:
    rows = [list(r) for r in OPTED_IN_UK_EU_US]
    thin = replace(OPT_IN_LIST, name="thin_vendor", consent_wording=None,
                   suppression_screened_at=None)  # fmt: skip
    assert thin.due_diligence_gaps() == ["consent_wording", "suppression_screened_at"]
    report = import_rows(engine, tmp_path, "thin", rows, thin)
    with Session(engine) as session:
        emails = session.execute(
            select(Consent.lawful_basis, Consent.evidence).where(Consent.channel == "email")
        ).all()
    assert {e["jurisdiction"]: (basis, e["reason"]) for basis, e in emails} == {
        "UK": (None, "consent.due_diligence_incomplete"),
        "EU": (None, "consent.due_diligence_incomplete"),
        "US": ("legitimate_interest", None),
    }
    assert (
        consent_reason_counts(engine, report.run_id or 0)["consent.due_diligence_incomplete"] == 2
    )

    # the same rows from a list with the whole manifest: the opt-ins count
    rows = [[first, last, email.replace("@", "+2@"), *rest] for first, last, email, *rest in rows]
    import_rows(engine, tmp_path, "full", rows, OPT_IN_LIST)
    with Session(engine) as session:
        granted = (
            session.execute(
                select(Consent.evidence).where(
                    Consent.channel == "email", Consent.lawful_basis == "consent"
                )
            )
            .scalars()
            .all()
        )
    assert {e["jurisdiction"] for e in granted} >= {"UK", "EU"}
