"""Suppression lists: plain and already-hashed values, applied on import and to stored people."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from flows.suppressions import apply_suppression_list, import_suppression_file
from ingest.config import Settings
from ingest.consent import hash_value
from ingest.importer import ImportReport, run_import
from ingest.profiles import SourceProfile
from ingest.records import SourceKind
from ingest.store.consents import current_consents
from ingest.store.models import AuditEntry, Person, RawRecord, Suppression
from ingest.suppressions import suppression_frame, suppression_hashes
from matchers import ProbabilisticMatcher
from sources import ADAPTERS
from tests.manifests import DILIGENT

SALT = "s"
ANN_SHA = hashlib.sha256(b"ann.lee@example.org").hexdigest()
ANN_MD5 = hashlib.md5(b"ann.lee@example.org").hexdigest()
PROFILE = SourceProfile(
    name="vendor", kind=SourceKind.PURCHASED_LIST, declared_consent_basis="opt_in", **DILIGENT
)
HEADER = ["First Name", "Last Name", "Email", "Mobile", "Country", "Email Opt-In", "SMS Opt-In",
          "Consent Text"]  # fmt: skip
ANN = ["Ann", "Lee", "Ann.Lee@Example.org", "+1 412 555 0100", "US", "yes", "yes", "Text me"]
BOB = ["Bob", "Ray", "bob@example.com", "+1 412 555 0111", "US", "yes", "yes", "Text me"]


@pytest.mark.parametrize(
    ("value", "algorithm", "stored", "stored_algorithm"),
    [
        ("Ann.Lee@Example.org", None, hash_value("ann.lee@example.org", SALT), "salted_sha256"),
        (ANN_SHA.upper(), None, ANN_SHA, "sha256"),
        (ANN_MD5, None, ANN_MD5, "md5"),
        (ANN_SHA, "sha256", ANN_SHA, "sha256"),
        ("+1 (412) 555-0100", None, hash_value("+14125550100", SALT), "salted_sha256"),
    ],
)
def test_plain_and_hashed_values(
    value: str, algorithm: str | None, stored: str, stored_algorithm: str
) -> None:
    frame = pd.DataFrame({"value": [value], "kind": [None], "reason": [None],
                          "algorithm": [algorithm]})  # fmt: skip
    hashes = suppression_hashes(frame, salt=SALT)
    assert [(r["value_hash"], r["algorithm"]) for r in hashes.rows] == [(stored, stored_algorithm)]


def test_a_declared_hash_that_is_not_one_is_rejected() -> None:
    frame = pd.DataFrame({"value": ["ann@example.org"], "algorithm": ["sha256"]})
    assert suppression_hashes(frame, salt=SALT).rejected == 1


def write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([header, *rows])
    return path


def import_people(engine: Engine, path: Path) -> ImportReport:
    batches = ADAPTERS[SourceKind.PURCHASED_LIST](path, profile=PROFILE, chunk_rows=1000)
    return run_import(engine, batches, matcher=ProbabilisticMatcher(), profile=PROFILE)


def test_a_vendors_unsalted_sha256_list_suppresses_on_import(
    engine: Engine, tmp_path: Path, settings: Settings
) -> None:
    listing = write(tmp_path / "vendor_optouts.csv", ["email_sha256"], [[ANN_SHA]])
    report = import_suppression_file(engine, listing, settings=settings)
    assert report.added == 1
    with Session(engine) as session:
        assert session.scalars(select(Suppression.algorithm)).one() == "sha256"
    people = import_people(engine, write(tmp_path / "p.csv", HEADER, [ANN, BOB]))
    assert (people.counts.suppressed, people.counts.loaded_new) == (1, 1)
    with Session(engine) as session:
        reasons = session.scalars(
            select(RawRecord.outcome_reason).where(RawRecord.outcome == "suppressed")
        ).all()
        assert reasons == ["suppressed.unsubscribe"]


def test_apply_opts_out_stored_people_and_is_idempotent(
    engine: Engine, tmp_path: Path, settings: Settings
) -> None:
    import_people(engine, write(tmp_path / "p.csv", HEADER, [ANN, BOB]))
    with Session(engine) as session:
        ann, bob = session.scalars(select(Person.id).order_by(Person.id)).all()
        before = current_consents(session, [ann, bob])
    assert before[(ann, "email")].permitted() and before[(bob, "sms")].permitted()
    listing = write(tmp_path / "s.csv", ["value", "kind", "reason"],
                    [["ann.lee@example.org", "email", "unsubscribe"],
                     ["+14125550111", "phone", "do_not_call"]])  # fmt: skip
    import_suppression_file(engine, listing, settings=settings)

    applied = apply_suppression_list(engine, settings=settings)

    assert (applied.people, applied.consents_opted_out) == (2, 3)
    with Session(engine) as session:
        after = current_consents(session, [ann, bob])
        audit = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert after[(ann, "email")].status == "opt_out" and not after[(ann, "email")].permitted()
    assert after[(ann, "sms")].permitted()  # an email unsubscribe leaves texts alone
    assert not after[(bob, "sms")].permitted() and not after[(bob, "phone")].permitted()
    assert after[(bob, "email")].permitted()
    assert {(a.entity_id, a.details["channel"], a.action) for a in audit} == {
        (ann, "email", "consent.withdrawn"),
        (bob, "sms", "consent.withdrawn"),
        (bob, "phone", "consent.withdrawn"),
    }
    assert apply_suppression_list(engine, settings=settings).consents_opted_out == 0


ANN_EMAIL = "ann.lee@example.org"


@pytest.mark.parametrize(
    ("row", "value", "kind", "algorithm"),
    [
        ({"value": ANN_EMAIL, "kind": "email", "reason": "bounce"}, ANN_EMAIL, "email", None),
        ({"E-Mail-Adresse": ANN_EMAIL, "Grund": "bounce"}, ANN_EMAIL, "email", None),
        ({"Mobile Phone": "+1 412 555 0100"}, "+1 412 555 0100", "phone", None),
        ({"sha256_email": ANN_SHA}, ANN_SHA, "email", "sha256"),
        ({"Hashed Email": ANN_MD5, "algorithm": "md5"}, ANN_MD5, "email", "md5"),
        ({"Address": "1 Main St", "Email": ANN_EMAIL}, ANN_EMAIL, "email", None),  # not postal
        ({"Anything": ANN_EMAIL}, ANN_EMAIL, None, None),  # no known header: the first column
    ],
)
def test_suppression_columns_are_mapped_like_lead_columns(
    row: dict[str, str], value: str, kind: str | None, algorithm: str | None
) -> None:
    frame = suppression_frame(pd.DataFrame([row]))
    assert list(frame.columns) == ["value", "kind", "reason", "algorithm"]
    first = frame.iloc[0]
    assert (first["value"], first["kind"], first["algorithm"]) == (value, kind, algorithm)
