"""Loading prepared batches: outcomes add up, re-loading is a no-op, failures roll back."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from ingest.contracts import MatchResult
from ingest.records import BrokenRow
from ingest.store.engine import load_transaction
from ingest.store.load import load_batch
from ingest.store.models import (
    ContactPoint,
    CustomValue,
    Person,
    Quarantine,
    RawRecord,
    RecordLink,
    ValueProvenance,
)
from ingest.store.runs import finish_run, run_counts
from matchers import ProbabilisticMatcher
from tests.ingest.store.helpers import PROVENANCE, person_row, prepared, start_run


def count(engine: Engine, model: type) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def first_batch():
    return prepared(
        [
            person_row(
                2, "Ada", "Lovelace", "ada@analytical.example.org", custom={"Lead Score": "91"}
            ),
            person_row(3, "Ada", "Lovelace", "ADA@analytical.example.org",
                       email_key="ada@analytical.example.org", job_title="Countess"),
            person_row(4, "Charles", "Babbage", "cb@engines.example.org"),
            person_row(
                5, "Bad", "Row", None, quarantined=True, issues=("record.no_contact_point",)
            ),
            person_row(6, "Gone", "Away", "gone@example.org",
                       suppression_reason="suppressed.unsubscribe"),
        ],
        broken=(BrokenRow(7, 'x,"unterminated', "row.bad_quoting", "bad quote"),),
    )  # fmt: skip


def load(engine: Engine, run, batch) -> None:
    with load_transaction(engine) as session:
        load_batch(session, run, batch, ProbabilisticMatcher(), source_name="test-list")


def test_every_row_ends_in_exactly_one_outcome(engine: Engine) -> None:
    run = start_run(engine)
    load(engine, run, first_batch())
    counts = finish_run(engine, run.run_id, timings={}, mapping=None)

    assert counts.as_dict() == {
        "rows_in": 6, "loaded_new": 2, "merged": 1, "suppressed": 1, "quarantined": 2,
        "review_pending": 0,
    }  # fmt: skip
    assert counts.adds_up
    assert count(engine, Person) == 2
    assert count(engine, RawRecord) == 6
    assert count(engine, Quarantine) == 2
    assert count(engine, RecordLink) == 3
    with Session(engine) as session:
        ada = session.scalars(select(Person).where(Person.first_name == "Ada")).one()
        assert ada.job_title == "Countess"  # filled from the second row of the cluster
        emails = session.scalars(
            select(ContactPoint.value).where(ContactPoint.person_id == ada.id)
        ).all()
        assert emails == ["ada@analytical.example.org"]  # one mailbox, two spellings
        assert session.scalar(select(CustomValue.value)) == "91"
        sources = dict(
            session.execute(
                select(ValueProvenance.field, RawRecord.row_number)
                .join(RawRecord, RawRecord.id == ValueProvenance.raw_record_id)
                .where(ValueProvenance.person_id == ada.id)
            ).all()
        )
        assert sources["first_name"] == 2 and sources["job_title"] == 3
        broken = session.scalars(select(RawRecord).where(RawRecord.row_number == 7)).one()
        assert broken.outcome == "quarantined" and broken.payload == {"raw_text": 'x,"unterminated'}


def test_loading_the_same_batch_again_changes_nothing(engine: Engine) -> None:
    run = start_run(engine)
    load(engine, run, first_batch())
    before = run_counts(engine, run.run_id)
    load(engine, run, first_batch())
    assert run_counts(engine, run.run_id) == before
    assert count(engine, Person) == 2
    assert count(engine, RawRecord) == 6


def test_a_later_run_merges_into_existing_people_without_overwriting(engine: Engine) -> None:
    load(engine, start_run(engine), first_batch())
    later = dataclasses.replace(PROVENANCE, file_hash="e" * 64, location="/data/later.csv")
    run = start_run(engine, later)
    batch = prepared(
        [person_row(2, "Augusta", "Lovelace", "ada@analytical.example.org", job_title="Analyst",
                    phone="+442079460123")]
    )  # fmt: skip
    load(engine, run, batch)
    counts = finish_run(engine, run.run_id, timings={}, mapping=None)
    assert (counts.loaded_new, counts.merged) == (0, 1)
    assert count(engine, Person) == 2
    with Session(engine) as session:
        ada = session.scalars(select(Person).where(Person.last_name == "Lovelace")).one()
        assert (ada.first_name, ada.job_title) == ("Ada", "Countess")
        phones = session.scalars(
            select(ContactPoint.value).where(
                ContactPoint.person_id == ada.id, ContactPoint.kind == "phone"
            )
        ).all()
        assert phones == ["+442079460123"]


class ExplodingMatcher:
    def match(self, batch: pd.DataFrame, existing: pd.DataFrame) -> MatchResult:
        raise RuntimeError("matcher failed mid-load")


def test_a_failing_load_rolls_back_the_whole_batch(engine: Engine) -> None:
    run = start_run(engine)
    with pytest.raises(RuntimeError), load_transaction(engine) as session:
        session.execute(
            RawRecord.__table__.insert(),
            [{"run_id": run.run_id, "row_number": 99, "outcome": "merged"}],
        )
        load_batch(session, run, first_batch(), ExplodingMatcher(), source_name="test-list")
    assert count(engine, RawRecord) == 0
    assert count(engine, Person) == 0
    assert run_counts(engine, run.run_id).rows_in == 0


def listing_row(row: int, name: str, key: str, **extra: object) -> dict[str, object]:
    """A company-only row (a directory listing): no person name, the company is the entity."""
    return person_row(
        row, "", "", None, first_name=None, last_name=None, full_name=None, first_name_key=None,
        last_name_key=None, company_name=name, company_key=key, **extra,
    )  # fmt: skip


def test_company_only_rows_load_companies_not_people(engine: Engine) -> None:
    from ingest.store.models import Company

    run = start_run(engine)
    batch = prepared(
        [
            listing_row(2, "Northwind Analytics GmbH", "northwind analytics", phone="+4930901820"),
            listing_row(3, "NORTHWIND ANALYTICS", "northwind analytics", website="northwind.de"),
            person_row(4, "Ada", "Lovelace", "ada@northwind.de", company_name="Northwind",
                       company_key="northwind analytics"),
        ]
    )  # fmt: skip
    load(engine, run, batch)
    counts = finish_run(engine, run.run_id, timings={}, mapping=None)
    assert (counts.loaded_new, counts.merged, counts.rows_in) == (2, 1, 3)
    assert count(engine, Person) == 1
    with Session(engine) as session:
        company = session.scalars(select(Company)).one()
        assert (company.phone, company.website) == ("+4930901820", "northwind.de")
        ada = session.scalars(select(Person)).one()
        assert ada.company_id == company.id
        linked = session.scalars(
            select(RecordLink.company_id).where(RecordLink.company_id.is_not(None))
        ).all()
        assert linked == [company.id, company.id]


def test_a_company_name_with_a_typo_is_the_company_of_its_web_domain(engine: Engine) -> None:
    from ingest.store.models import Company

    run = start_run(engine)
    load(engine, run, prepared([
        listing_row(2, "Northwind Analytics", "northwind analytics",
                    company_domain="northwind.de"),
        listing_row(3, "Northwnd Analytics", "northwnd analytics", company_domain="northwind.de"),
        listing_row(4, "Globex", "globex"),
    ]))  # fmt: skip
    counts = finish_run(engine, run.run_id, timings={}, mapping=None)
    assert (counts.loaded_new, counts.merged) == (2, 1)  # one company per domain, counted once
    later = start_run(engine, dataclasses.replace(PROVENANCE, file_hash="e" * 64))
    load(engine, later, prepared([
        listing_row(2, "NORTHWIND ANALYTIKS GMBH", "northwind analytiks",
                    company_domain="northwind.de"),
    ]))  # fmt: skip
    assert finish_run(engine, later.run_id, timings={}, mapping=None).merged == 1
    with Session(engine) as session:
        assert sorted(session.scalars(select(Company.match_key))) == [
            "globex", "northwind analytics"
        ]  # fmt: skip


def test_reason_codes_are_kept_for_loaded_rows_too(engine: Engine) -> None:
    run = start_run(engine)
    batch = prepared(
        [person_row(2, "Ada", "Lovelace", None, phone="+442079460123", email_original="ada@",
                    issues=("email.invalid_syntax",))]
    )  # fmt: skip
    load(engine, run, batch)
    with Session(engine) as session:
        raw = session.scalars(select(RawRecord)).one()
        assert (raw.outcome, raw.issues) == ("loaded_new", ["email.invalid_syntax"])


def test_database_errors_do_not_carry_personal_data(engine: Engine) -> None:
    from sqlalchemy.exc import IntegrityError

    run = start_run(engine)
    row = {"run_id": run.run_id, "row_number": 1, "outcome": "merged",
           "payload": {"Email": "secret.person@example.org"}}  # fmt: skip
    with pytest.raises(IntegrityError) as caught, load_transaction(engine) as session:
        session.execute(RawRecord.__table__.insert(), [row, row])  # duplicate (run, row)
    assert "secret.person" not in str(caught.value)
