"""Subject access: everything held about a person, as JSON-ready data with provenance.

Consent rows carry their evidence and where they came from (source, run, row); every raw record
the person came from is listed with its payload; golden values name the raw record they survived
from. Also: per-run counts of consent reason codes (why channels were not permitted).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from ingest.store.consents import current_consents
from ingest.store.models import (
    Activity,
    CompanyAffiliation,
    Consent,
    ContactPoint,
    CustomField,
    CustomValue,
    Enrichment,
    ImportRun,
    MatchCandidate,
    Person,
    RawRecord,
    RecordLink,
    Source,
    ValueProvenance,
)
from ingest.store.sql import chunks


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _row(obj: Any, *skip: str) -> dict[str, Any]:
    return {c.key: _plain(getattr(obj, c.key)) for c in obj.__table__.columns if c.key not in skip}


INTERNAL_COLUMNS = ("first_name_key", "last_name_key", "match_key", "merged_into_id")
"""Matching keys and bookkeeping ids: not data about the person, left out of the export."""


def file_name(location: str | None) -> str | None:
    """The file's name only: the operator's folders are not the subject's data."""
    if not location:
        return location
    return location.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]


def _origins(session: Session, raw_ids: Iterable[int | None]) -> dict[int | None, dict[str, Any]]:
    """Raw record id → source name, run id, file location and row number (looked up by a
    nullable ``raw_record_id``: None finds nothing)."""
    found: dict[int | None, dict[str, Any]] = {}
    for part in chunks(sorted({r for r in raw_ids if r is not None})):
        for rid, run_id, row, location, name in session.execute(
            select(RawRecord.id, RawRecord.run_id, RawRecord.row_number, ImportRun.location,
                   Source.name)
            .join(ImportRun, ImportRun.id == RawRecord.run_id)
            .join(Source, Source.id == ImportRun.source_id)
            .where(RawRecord.id.in_(part))
        ):  # fmt: skip
            found[rid] = {"source": name, "run_id": run_id, "row": row, "file": file_name(location)}
    return found


def subject_export(engine: Engine, people: Iterable[int]) -> dict[str, Any]:
    """Everything held about the given people (one merge group), ready for ``json.dumps``."""
    ids = sorted(set(people))
    with Session(engine) as session:
        persons = session.scalars(select(Person).where(Person.id.in_(ids))).all()

        def rows(model: Any, column: Any) -> list[Any]:
            return list(session.scalars(select(model).where(column.in_(ids)).order_by(model.id)))

        points = rows(ContactPoint, ContactPoint.person_id)
        consents = rows(Consent, Consent.person_id)
        activities = rows(Activity, Activity.person_id)
        provenance = rows(ValueProvenance, ValueProvenance.person_id)
        affiliations = rows(CompanyAffiliation, CompanyAffiliation.person_id)
        enrichments = [e for e in rows(Enrichment, Enrichment.entity_id) if e.entity == "person"]
        custom = session.execute(
            select(CustomValue, CustomField.name)
            .join(CustomField, CustomField.id == CustomValue.field_id)
            .where(CustomField.entity == "person", CustomValue.entity_id.in_(ids))
        ).all()
        raw = list(session.scalars(
            select(RawRecord).where(RawRecord.id.in_(
                select(RecordLink.raw_record_id).where(RecordLink.person_id.in_(ids))
            ) | RawRecord.person_id.in_(ids)).order_by(RawRecord.id)
        ))  # fmt: skip
        reviews = session.scalars(
            select(MatchCandidate).where(
                MatchCandidate.person_a_id.in_(ids) | MatchCandidate.person_b_id.in_(ids)
            )
        ).all()
        origins = _origins(
            session,
            [r.id for r in raw]
            + [c.raw_record_id for c in (*points, *consents, *activities, *provenance)]
            + [cv.raw_record_id for cv, _ in custom],
        )
        current = current_consents(session, ids)
        run_ids = sorted({o["run_id"] for o in origins.values()})
        runs = session.execute(
            select(ImportRun.id, Source.name, Source.kind, ImportRun.location,
                   ImportRun.started_at, ImportRun.manifest)
            .join(Source, Source.id == ImportRun.source_id)
            .where(ImportRun.id.in_(run_ids))
            .order_by(ImportRun.id)
        ).all()  # fmt: skip

        def with_origin(obj: Any) -> dict[str, Any]:
            return {**_row(obj, *INTERNAL_COLUMNS), "origin": origins.get(obj.raw_record_id)}

        return {
            "people": [_row(p, *INTERNAL_COLUMNS) for p in persons],
            "contact_points": [with_origin(p) for p in points],
            "consents": {
                "current": [
                    {
                        "person_id": pid,
                        "channel": ch,
                        "status": s.status,
                        "lawful_basis": s.lawful_basis,
                        "expires_at": _plain(s.expires_at),
                        "permitted": s.permitted(),
                        "consent_id": s.consent_id,
                    }
                    for (pid, ch), s in sorted(current.items())
                ],
                "history": [with_origin(c) for c in consents],
            },
            "activities": [with_origin(a) for a in activities],
            "custom_values": [
                {"field": name, "value": cv.value, "origin": origins.get(cv.raw_record_id)}
                for cv, name in custom
            ],
            "enrichments": [_row(e) for e in enrichments],
            "value_provenance": [
                with_origin(v) for v in provenance if v.field not in INTERNAL_COLUMNS
            ],
            "company_affiliations": [_row(a) for a in affiliations],
            "raw_records": [{**_row(r), "origin": origins.get(r.id)} for r in raw],
            # where the data came from: each run's source and vendor manifest (due diligence)
            "import_runs": [
                {
                    "run_id": rid,
                    "source": name,
                    "kind": kind,
                    "file": file_name(location),
                    "started_at": _plain(started),
                    "manifest": _plain(manifest),
                }
                for rid, name, kind, location, started, manifest in runs
            ],
            "review_queue": [_row(r) for r in reviews],
        }


def consent_reason_counts(engine: Engine, run_id: int) -> dict[str, int]:
    """Why channels were not permitted in one run: reason code → consent rows, plus the
    suppressed rows' reasons (``suppressed.*``)."""
    counts: Counter[str] = Counter()
    with Session(engine) as session:
        raw_ids = select(RawRecord.id).where(RawRecord.run_id == run_id)
        for (evidence,) in session.execute(
            select(Consent.evidence).where(Consent.raw_record_id.in_(raw_ids))
        ):
            reason = (evidence or {}).get("reason")
            if reason:
                counts[reason] += 1
        for (reason,) in session.execute(
            select(RawRecord.outcome_reason).where(
                RawRecord.run_id == run_id, RawRecord.outcome == "suppressed"
            )
        ):
            counts[reason or "suppressed"] += 1
    return dict(sorted(counts.items()))
