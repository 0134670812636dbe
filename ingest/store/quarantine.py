"""The quarantine as a work list: what is held and why, and releasing rows a replay loaded."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, bindparam, func, select, update
from sqlalchemy.orm import Session

from ingest.store.models import ImportRun, Quarantine, RawRecord, Source, utcnow
from ingest.store.sql import affected_rows, chunks


@dataclass(frozen=True, slots=True)
class HeldRow:
    """One quarantined row still held (``released_at`` is empty)."""

    raw_record_id: int
    run_id: int
    row_number: int
    source_name: str
    reason_codes: list[str]
    payload: dict[str, Any] | None

    @property
    def replayable(self) -> bool:
        """Rows the adapter parsed can be re-run; broken lines need the file itself fixed."""
        return bool(self.payload) and "raw_text" not in (self.payload or {})


def held_rows(
    engine: Engine, *, run_id: int | None = None, reason: str | None = None
) -> list[HeldRow]:
    """Quarantined rows not yet released, optionally of one run and/or with one reason code."""
    query = (
        select(Quarantine, RawRecord.row_number, RawRecord.payload, Source.name)
        .join(RawRecord, RawRecord.id == Quarantine.raw_record_id)
        .join(ImportRun, ImportRun.id == Quarantine.run_id)
        .join(Source, Source.id == ImportRun.source_id)
        .where(Quarantine.released_at.is_(None))
        .order_by(Quarantine.run_id, RawRecord.row_number)
    )
    if run_id is not None:
        query = query.where(Quarantine.run_id == run_id)
    with Session(engine) as session:
        rows = [
            HeldRow(
                q.raw_record_id, q.run_id, row_number, name, list(q.reason_codes or []), payload
            )
            for q, row_number, payload, name in session.execute(query)
        ]
    if reason is not None:
        rows = [r for r in rows if reason in r.reason_codes]
    return rows


def reason_counts(engine: Engine, *, run_id: int | None = None) -> dict[str, int]:
    """How many held rows carry each reason code."""
    counts: dict[str, int] = {}
    for row in held_rows(engine, run_id=run_id):
        for code in row.reason_codes:
            counts[code] = counts.get(code, 0) + 1
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def settle_replay(engine: Engine, replay_run_id: int, origin: dict[int, int]) -> int:
    """After a replay run (its rows numbered as in ``origin``: replay row number → original raw
    record id): release the originals that loaded; for rows quarantined again, keep the original
    held with the new reason codes and release the replay's duplicate entry, so a row is only
    ever held once. Idempotent; returns how many originals were released now.
    """
    with Session(engine) as session, session.begin():
        outcomes = session.execute(
            select(RawRecord.id, RawRecord.row_number, RawRecord.outcome, RawRecord.issues).where(
                RawRecord.run_id == replay_run_id
            )
        ).all()
        loaded = [origin[r.row_number] for r in outcomes if r.outcome != "quarantined"]
        released = 0
        for part in chunks([i for i in loaded if i is not None]):
            result = session.execute(
                update(Quarantine)
                .where(Quarantine.raw_record_id.in_(part), Quarantine.released_at.is_(None))
                .values(released_at=utcnow())
            )
            released += affected_rows(result)
        again = [r for r in outcomes if r.outcome == "quarantined" and r.row_number in origin]
        if again:
            table = Quarantine.__table__
            session.execute(
                update(table)
                .where(table.c.raw_record_id == bindparam("original"))
                .values(reason_codes=bindparam("codes")),
                [{"original": origin[r.row_number], "codes": list(r.issues or [])} for r in again],
            )
            for part in chunks([r.id for r in again]):
                session.execute(
                    update(Quarantine)
                    .where(Quarantine.raw_record_id.in_(part), Quarantine.released_at.is_(None))
                    .values(released_at=utcnow())
                )
        return released


def held_count(engine: Engine) -> int:
    with Session(engine) as session:
        return (
            session.scalar(
                select(func.count()).select_from(Quarantine).where(Quarantine.released_at.is_(None))
            )
            or 0
        )
