"""The input rows behind golden records, as received, with their provenance (source, file, run,
row, when, file hash) and how each was linked: what a steward reads to judge a pair or an
audit entry. These rows hold personal data: they are for signed-in pages, never for logs."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePath
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ingest.store.models import ImportRun, RawRecord, RecordLink, Source
from ingest.store.sql import chunks


@dataclass(frozen=True, slots=True)
class RawRow:
    """One input row of a person: its cells as ``(column, text)`` and where it came from."""

    id: int
    person_id: int
    source: str
    source_kind: str
    file: str
    file_hash: str
    run_id: int
    row_number: int
    received_at: datetime
    linked_by: str
    probability: float | None
    cells: list[tuple[str, str]]
    mapped: dict[str, str]
    """Column -> the field the run's mapping read it into (columns kept as custom are absent)."""


@dataclass(frozen=True, slots=True)
class RawRows:
    """A person's rows (the first ``limit`` of them) and how many there are in all."""

    rows: list[RawRow]
    total: int


def raw_rows_of(
    session: Session, person_ids: Iterable[int], *, limit: int | None = None
) -> dict[int, RawRows]:
    """Person id -> the input rows now linked to that person, oldest first (``limit`` per
    person at most); a handful of queries per chunk of ids, never one per person."""
    found: dict[int, RawRows] = {}
    for part in chunks(sorted(set(person_ids))):
        order = func.row_number().over(partition_by=RecordLink.person_id, order_by=RawRecord.id)
        ranked = (
            select(
                RawRecord.id, RecordLink.person_id, Source.name, Source.kind, ImportRun.location,
                ImportRun.file_hash, RawRecord.run_id, RawRecord.row_number, RawRecord.created_at,
                RecordLink.decided_by, RecordLink.probability, RawRecord.payload,
                order.label("n"),
            )
            .join(RecordLink, RecordLink.raw_record_id == RawRecord.id)
            .join(ImportRun, ImportRun.id == RawRecord.run_id)
            .join(Source, Source.id == ImportRun.source_id)
            .where(RecordLink.person_id.in_(part))
            .subquery()
        )  # fmt: skip
        stmt = select(ranked).order_by(ranked.c.person_id, ranked.c.id)
        if limit is not None:
            stmt = stmt.where(ranked.c.n <= limit)
        rows: dict[int, list[RawRow]] = {}
        found_rows = session.execute(stmt).all()
        headers = _headers(session, {r.run_id for r in found_rows})
        for r in found_rows:
            header_order, mapped = headers.get(r.run_id, ([], {}))
            rows.setdefault(r.person_id, []).append(
                RawRow(r.id, r.person_id, r.name, r.kind, _file(r.location), r.file_hash,
                       r.run_id, r.row_number, r.created_at, r.decided_by, r.probability,
                       cells(_in_order(r.payload, header_order)), mapped)
            )  # fmt: skip
        totals = session.execute(
            select(RecordLink.person_id, func.count())
            .where(RecordLink.person_id.in_(part))
            .group_by(RecordLink.person_id)
        )
        for person_id, total in totals:
            if person_id is not None:  # (``in_`` matched it)
                found[person_id] = RawRows(rows.get(person_id, []), total)
    return found


def _headers(session: Session, run_ids: set[int]) -> dict[int, tuple[list[str], dict[str, str]]]:
    """Run id -> its file's headers in file order, and header -> mapped field (from the mapping
    the run recorded; PostgreSQL's JSONB does not keep a row's keys in file order)."""
    found: dict[int, tuple[list[str], dict[str, str]]] = {}
    for part in chunks(sorted(run_ids)):
        for run_id, mapping in session.execute(
            select(ImportRun.id, ImportRun.mapping).where(ImportRun.id.in_(part))
        ):
            columns = (mapping or {}).get("columns") or []
            specs = [c for c in columns if isinstance(c, dict) and c.get("header")]
            order = [str(c["header"]) for c in specs]
            found[run_id] = (order, {str(c["header"]): str(c["field"]) for c in specs
                                     if c.get("field")})  # fmt: skip
    return found


def _in_order(payload: Any, order: list[str]) -> Any:
    """The payload's columns in the file's order, the others after them as stored."""
    if not isinstance(payload, dict) or not order:
        return payload
    rank = {header: i for i, header in enumerate(order)}
    return dict(sorted(payload.items(), key=lambda kv: rank.get(kv[0], len(rank))))


def _file(location: str) -> str:
    """A URL as given; a file by its name only (the operator's folders are not the steward's)."""
    return location if "://" in location else PurePath(location).name


def cells(payload: Any) -> list[tuple[str, str]]:
    """A row as received, as ``(column, text)`` pairs: nested objects flattened to
    ``outer.inner`` columns, lists joined, empty cells left out."""
    out: list[tuple[str, str]] = []

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), inner)
        elif isinstance(value, list | tuple):
            text = ", ".join(_text(v) for v in value if _text(v))
            if text:
                out.append((prefix, text))
        elif _text(value):
            out.append((prefix or "value", _text(value)))

    walk("", payload)
    return out


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict | list | tuple):
        return "; ".join(f"{k}: {v}" for k, v in cells(value))
    return str(value).strip()
