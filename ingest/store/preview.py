"""What an import did, read back inside its own (to be rolled back) transaction: the dry run's
preview of new people and companies, field updates, merges, review items, suppressions and
quarantined rows."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.orm import Session

from ingest.store.models import (
    Company,
    MatchCandidate,
    Person,
    Quarantine,
    RawRecord,
    RecordLink,
    ValueProvenance,
)

SAMPLE = 10
SAMPLE_PER_FIELD = 3


INTERNAL_FIELDS = frozenset({"company_id", "merged_into_id", "first_name_key", "last_name_key"})
"""Fields the preview leaves out: they change with the business fields and mean nothing alone."""


@dataclass(slots=True)
class Preview:
    """Samples (at most ``SAMPLE`` each; field updates ``SAMPLE_PER_FIELD`` per field) of what
    the import would do, plus full counts (and updates counted per field)."""

    counts: dict[str, int]
    new_people: list[dict[str, Any]] = field(default_factory=list)
    new_companies: list[dict[str, Any]] = field(default_factory=list)
    field_updates: list[dict[str, Any]] = field(default_factory=list)
    field_update_counts: dict[str, int] = field(default_factory=dict)
    merges: list[dict[str, Any]] = field(default_factory=list)
    review_items: list[dict[str, Any]] = field(default_factory=list)
    suppressions: list[dict[str, Any]] = field(default_factory=list)
    quarantined: list[dict[str, Any]] = field(default_factory=list)
    companies_before: int = 0
    mapping: dict[str, Any] | None = None
    """The column mapping the import would use (``ColumnMapping.to_dict``)."""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def company_watermark(bind: Connection) -> int:
    """The highest company id so far: companies above it are new (``read_preview``)."""
    return int(bind.scalar(select(func.coalesce(func.max(Company.id), 0))) or 0)


def read_preview(
    bind: Connection, run_id: int, *, counts: dict[str, int], companies_before: int
) -> Preview:
    """Collect samples of the run's effects; ``companies_before`` is the id high-water mark."""
    preview = Preview(counts=counts, companies_before=companies_before)
    with Session(bind) as session:
        new_rows = select(RawRecord.person_id).where(
            RawRecord.run_id == run_id, RawRecord.outcome == "loaded_new"
        )
        for person in session.scalars(
            select(Person).where(Person.id.in_(new_rows)).order_by(Person.id).limit(SAMPLE)
        ):
            preview.new_people.append(
                {"person_id": person.id, "name": person.full_name, "job_title": person.job_title}
            )
        for company in session.scalars(
            select(Company).where(Company.id > companies_before).order_by(Company.id).limit(SAMPLE)
        ):
            preview.new_companies.append({"company_id": company.id, "name": company.name})
        run_rows = select(RawRecord.id).where(RawRecord.run_id == run_id)
        updated = (
            select(ValueProvenance.person_id, ValueProvenance.field, RawRecord.row_number)
            .join(RawRecord, RawRecord.id == ValueProvenance.raw_record_id)
            .where(
                ValueProvenance.raw_record_id.in_(run_rows),
                ~ValueProvenance.person_id.in_(new_rows),
            )
        )
        per_field = updated.subquery()
        for fld, n in session.execute(
            select(per_field.c.field, func.count())
            .group_by(per_field.c.field)
            .order_by(per_field.c.field)
        ):
            if fld in INTERNAL_FIELDS or fld.endswith("_key"):
                continue  # matching keys and ids are bookkeeping, not business changes
            preview.field_update_counts[fld] = int(n)
            for pid, _, row_number in session.execute(
                updated.where(ValueProvenance.field == fld)
                .order_by(RawRecord.row_number)
                .limit(SAMPLE_PER_FIELD)
            ):
                value = getattr(session.get(Person, pid), fld, None)
                preview.field_updates.append(
                    {"person_id": pid, "field": fld, "old": None, "new": value, "row": row_number}
                )
        for row_number, into, prob, by in session.execute(
            select(
                RawRecord.row_number,
                RecordLink.person_id,
                RecordLink.probability,
                RecordLink.decided_by,
            )
            .join(RecordLink, RecordLink.raw_record_id == RawRecord.id)
            .where(RawRecord.run_id == run_id, RawRecord.outcome == "merged")
            .order_by(RawRecord.row_number)
            .limit(SAMPLE)
        ):
            preview.merges.append(
                {"row": row_number, "into_person_id": into, "probability": prob, "decided_by": by}
            )
        for candidate in session.scalars(
            select(MatchCandidate).where(MatchCandidate.run_id == run_id).limit(SAMPLE)
        ):
            preview.review_items.append(
                {"person_a_id": candidate.person_a_id, "person_b_id": candidate.person_b_id,
                 "probability": candidate.probability}
            )  # fmt: skip
        for row_number, reason in session.execute(
            select(RawRecord.row_number, RawRecord.outcome_reason)
            .where(RawRecord.run_id == run_id, RawRecord.outcome == "suppressed")
            .order_by(RawRecord.row_number)
            .limit(SAMPLE)
        ):
            preview.suppressions.append({"row": row_number, "reason": reason})
        for row_number, codes in session.execute(
            select(RawRecord.row_number, Quarantine.reason_codes)
            .join(Quarantine, Quarantine.raw_record_id == RawRecord.id)
            .where(Quarantine.run_id == run_id)
            .order_by(RawRecord.row_number)
            .limit(SAMPLE)
        ):
            preview.quarantined.append({"row": row_number, "reason_codes": list(codes or [])})
    return preview


def add_old_values(engine: Engine, preview: Preview) -> None:
    """Put the committed (pre-import) value next to each sampled field update."""
    wanted = {(u["person_id"], u["field"]) for u in preview.field_updates}
    if not wanted:
        return
    person_ids = sorted({pid for pid, _ in wanted})
    fields = sorted({f for _, f in wanted if hasattr(Person, f)})
    with engine.connect() as connection:
        rows = connection.execute(
            select(Person.id, *(getattr(Person, f) for f in fields)).where(
                Person.id.in_(person_ids)
            )
        ).mappings()
        old = {row["id"]: row for row in rows}
    for update in preview.field_updates:
        before = old.get(update["person_id"])
        update["old"] = before.get(update["field"]) if before is not None else None
