"""Read models for the CLI and the web app: runs, and a golden record with everything about it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from ingest.store.engine import reader
from ingest.store.models import (
    Activity,
    Company,
    Consent,
    ContactPoint,
    CustomField,
    CustomValue,
    Enrichment,
    ImportRun,
    Person,
    RawRecord,
    RecordLink,
    Source,
)
from ingest.store.runs import RunCounts, read_counts


@dataclass(frozen=True, slots=True)
class RunSummary:
    run_id: int
    source_name: str
    source_kind: str
    location: str
    status: str
    started_at: datetime
    finished_at: datetime | None
    counts: RunCounts


@dataclass(frozen=True, slots=True)
class PersonDetail:
    """A golden record with its company, contact points, consents, activities and raw rows."""

    person: dict[str, Any]
    company: dict[str, Any] | None
    contact_points: list[dict[str, Any]]
    consents: list[dict[str, Any]]
    activities: list[dict[str, Any]]
    raw_records: list[dict[str, Any]]
    custom: dict[str, str | None] = field(default_factory=dict)
    enrichments: list[dict[str, Any]] = field(default_factory=list)


def list_runs(engine: Engine) -> list[RunSummary]:
    with Session(reader(engine)) as session:
        rows = session.execute(
            select(ImportRun, Source.name, Source.kind)
            .join(Source, Source.id == ImportRun.source_id)
            .order_by(ImportRun.id)
        ).all()
        return [
            RunSummary(
                run.id, name, kind, run.location, run.status, run.started_at, run.finished_at,
                read_counts(run),
            )
            for run, name, kind in rows
        ]  # fmt: skip


def _as_dict(obj: Any, *skip: str) -> dict[str, Any]:
    return {c.key: getattr(obj, c.key) for c in obj.__table__.columns if c.key not in skip}


def person_detail(engine: Engine, person_id: int) -> PersonDetail | None:
    """Everything held about one person, or None when there is no such person."""
    with Session(reader(engine)) as session:
        person = session.get(Person, person_id)
        if person is None:
            return None
        company = session.get(Company, person.company_id) if person.company_id else None
        points = session.scalars(
            select(ContactPoint)
            .where(ContactPoint.person_id == person_id)
            .order_by(ContactPoint.kind, ContactPoint.id)
        ).all()
        consents = session.scalars(
            select(Consent).where(Consent.person_id == person_id).order_by(Consent.id)
        ).all()
        activities = session.scalars(
            select(Activity).where(Activity.person_id == person_id).order_by(Activity.id)
        ).all()
        raw = session.execute(
            select(RawRecord, RecordLink.decided_by, RecordLink.probability, Source.name)
            .join(RecordLink, RecordLink.raw_record_id == RawRecord.id)
            .join(ImportRun, ImportRun.id == RawRecord.run_id)
            .join(Source, Source.id == ImportRun.source_id)
            .where(RecordLink.person_id == person_id)
            .order_by(RawRecord.id)
        ).all()
        custom = dict(
            session.execute(
                select(CustomField.name, CustomValue.value)
                .join(CustomValue, CustomValue.field_id == CustomField.id)
                .where(CustomField.entity == "person", CustomValue.entity_id == person_id)
                .order_by(CustomField.name)
            ).all()
        )
        enrichments = session.scalars(
            select(Enrichment)
            .where(Enrichment.entity == "person", Enrichment.entity_id == person_id)
            .order_by(Enrichment.id)
        ).all()
        return PersonDetail(
            custom=custom,
            enrichments=[_as_dict(e) for e in enrichments],
            person=_as_dict(person),
            company=_as_dict(company) if company else None,
            contact_points=[_as_dict(p) for p in points],
            consents=[_as_dict(c) for c in consents],
            activities=[_as_dict(a) for a in activities],
            raw_records=[
                {**_as_dict(r), "decided_by": by, "probability": prob, "source": name}
                for r, by, prob, name in raw
            ],
        )
