"""Golden records out: one row per person (or company) with contact points, consent per channel,
affiliation and source ids, in leadflow's own field names (``flows.export`` renames them for a
target CRM). Read in chunks: a handful of queries per chunk, never one per person."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from ingest.records import Channel
from ingest.store.consents import current_consents
from ingest.store.models import Company, ContactPoint, ImportRun, Person, RawRecord, Source
from ingest.store.sql import chunks

PERSON_COLUMNS = (
    "person_id", "honorific", "first_name", "middle_name", "last_name", "suffix", "full_name",
    "job_title", "email", "phone", "mobile", "linkedin_url", "company_name", "website",
    "street", "city", "region", "postal_code", "country",
    *(f"{c.value}_status" for c in Channel), *(f"{c.value}_permitted" for c in Channel),
    "source_ids",
)  # fmt: skip
COMPANY_COLUMNS = (
    "company_id", "name", "domain", "website", "phone", "industry", "size", "street", "city",
    "region", "postal_code", "country", "people",
)  # fmt: skip


def _aware(value: datetime | None) -> datetime | None:
    return value if value is None or value.tzinfo else value.replace(tzinfo=UTC)


def people_rows(engine: Engine, *, consent: Channel | None = None) -> Iterator[dict[str, Any]]:
    """Every person as a flat row; ``consent`` keeps only people permitted on that channel."""
    now = datetime.now(UTC)
    with Session(engine) as session:
        ids = list(session.scalars(select(Person.id).order_by(Person.id)))
        for part in chunks(ids):
            people = session.scalars(select(Person).where(Person.id.in_(part))).all()
            company_ids = {p.company_id for p in people if p.company_id}
            companies: dict[int | None, Company] = {
                c.id: c for c in session.scalars(select(Company).where(Company.id.in_(company_ids)))
            }
            points: dict[int, dict[str, Any]] = defaultdict(dict)
            for cp in session.scalars(
                select(ContactPoint)
                .where(ContactPoint.person_id.in_(part))
                .order_by(ContactPoint.is_primary.desc(), ContactPoint.id)
            ):
                slot = points[cp.person_id]
                key = "mobile" if cp.kind == "phone" and cp.subtype == "mobile" else cp.kind
                slot.setdefault(key, cp)
            sources: dict[int, list[str]] = defaultdict(list)
            for person_id, name, payload in session.execute(
                select(RawRecord.person_id, Source.name, RawRecord.row_number)
                .join(ImportRun, ImportRun.id == RawRecord.run_id)
                .join(Source, Source.id == ImportRun.source_id)
                .where(RawRecord.person_id.in_(part))
                .order_by(RawRecord.id)
            ):
                if person_id is not None:  # (``in_`` matched it)
                    sources[person_id].append(f"{name}:{payload}")
            states = current_consents(session, part)
            for p in people:
                row = _person_row(p, companies.get(p.company_id), points[p.id], now, states)
                row["source_ids"] = "; ".join(dict.fromkeys(sources[p.id]))
                if consent is None or row[f"{consent.value}_permitted"]:
                    yield row


def _person_row(
    p: Person, company: Company | None, points: dict[str, Any], now: datetime, states: Any
) -> dict[str, Any]:
    address = points.get("address")
    row: dict[str, Any] = {
        "person_id": p.id,
        **{
            f: getattr(p, f)
            for f in (
                "honorific",
                "first_name",
                "middle_name",
                "last_name",
                "suffix",
                "full_name",
                "job_title",
            )
        },
        "email": points["email"].value if "email" in points else None,
        "phone": points["phone"].value if "phone" in points else None,
        "mobile": points["mobile"].value if "mobile" in points else None,
        "linkedin_url": points["linkedin"].value if "linkedin" in points else None,
        "company_name": company.name if company else None,
        "website": company.website if company else None,
        **{
            f: getattr(address, f) if address else None
            for f in ("street", "city", "region", "postal_code", "country")
        },
    }
    for channel in Channel:
        state = states.get((p.id, channel.value))
        expires = _aware(state.expires_at) if state else None
        permitted = bool(state and state.lawful_basis and (expires is None or expires > now))
        row[f"{channel.value}_status"] = state.status if state else "unknown"
        row[f"{channel.value}_permitted"] = permitted
    return row


def company_rows(engine: Engine) -> Iterator[dict[str, Any]]:
    """Every company as a flat row, with the number of people affiliated to it."""
    with Session(engine) as session:
        counts: dict[int, int] = defaultdict(int)
        for company_id in session.scalars(
            select(Person.company_id).where(Person.company_id.is_not(None))
        ):
            if company_id is not None:  # (the query selects only set ones)
                counts[company_id] += 1
        for c in session.scalars(select(Company).order_by(Company.id)):
            yield {
                "company_id": c.id,
                **{f: getattr(c, f) for f in COMPANY_COLUMNS[1:-1]},
                "people": counts.get(c.id, 0),
            }
