"""The audit log read a page at a time, newest first, with the people each entry concerns and
their input rows. The log itself holds ids and codes only; the rows are joined at read time
for signed-in pages, so personal data never enters the log.

Pages are keyed on the entry id (``before`` / ``after``), so a deep page costs what the first
one does, however long the log."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from ingest.store.models import AuditEntry, MatchCandidate, Merge, Source
from ingest.store.raw_rows import RawRows, raw_rows_of

PAGE_SIZE = 50
PERSON_KEYS = ("winner_id", "loser_id", "person_id")
"""Detail keys that name a person."""


@dataclass(frozen=True, slots=True)
class AuditRow:
    """One entry: who did what to which entity, its details as ``(label, text)`` pairs, and
    the people it concerns."""

    id: int
    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: int | None
    details: list[tuple[str, str]]
    people: list[int] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class AuditPage:
    entries: list[AuditRow]
    total: int
    first: int
    """Position of the page's first entry, counted from the newest (1)."""
    newer: int | None
    """``after`` for the page before this one (None on the newest page)."""
    older: int | None
    """``before`` for the page after this one (None on the oldest page)."""
    raw: dict[int, RawRows]


def audit_page(
    engine: Engine,
    *,
    before: int | None = None,
    after: int | None = None,
    size: int = PAGE_SIZE,
    rows_per_person: int = 3,
) -> AuditPage:
    """``size`` entries older than ``before``, or newer than ``after``, or the newest."""
    with Session(engine) as session:
        stmt = select(AuditEntry)
        if after is not None:
            stmt = stmt.where(AuditEntry.id > after).order_by(AuditEntry.id)
        else:
            if before is not None:
                stmt = stmt.where(AuditEntry.id < before)
            stmt = stmt.order_by(AuditEntry.id.desc())
        entries = list(session.scalars(stmt.limit(size)))
        entries.sort(key=lambda e: -e.id)
        count = select(func.count()).select_from(AuditEntry)
        total = session.scalar(count) or 0
        ahead = session.scalar(count.where(AuditEntry.id > entries[0].id)) if entries else 0
        first = (ahead or 0) + 1
        people = _people(session, entries)
        sources = _source_names(session, entries)
        rows = [
            AuditRow(e.id, e.at, e.actor, e.action, e.entity, e.entity_id,
                     _readable(e.details or {}, sources), people.get(e.id, []))
            for e in entries
        ]  # fmt: skip
        raw = raw_rows_of(session, {p for r in rows for p in r.people}, limit=rows_per_person)
    newer = entries[0].id if entries and first > 1 else None
    older = entries[-1].id if entries and first + len(entries) - 1 < total else None
    return AuditPage(rows, total, first, newer, older, raw)


def _people(session: Session, entries: list[AuditEntry]) -> dict[int, list[int]]:
    """Entry id -> the people it concerns (the person, both sides of a pair or a merge)."""
    candidates = {e.entity_id for e in entries if e.entity == "match_candidate" and e.entity_id}
    merges = {e.entity_id for e in entries if e.entity == "merge" and e.entity_id}
    pairs: dict[tuple[str, int], tuple[int, int]] = {}
    if candidates:
        for cid, a, b in session.execute(
            select(MatchCandidate.id, MatchCandidate.person_a_id, MatchCandidate.person_b_id)
            .where(MatchCandidate.id.in_(candidates))
        ):  # fmt: skip
            pairs[("match_candidate", cid)] = (a, b)
    if merges:
        for mid, a, b in session.execute(
            select(Merge.id, Merge.winner_id, Merge.loser_id).where(Merge.id.in_(merges))
        ):
            pairs[("merge", mid)] = (a, b)
    found: dict[int, list[int]] = {}
    for e in entries:
        ids: list[int] = []
        if e.entity == "person" and e.entity_id is not None:
            ids.append(e.entity_id)
        if e.entity_id is not None:
            ids.extend(pairs.get((e.entity, e.entity_id), ()))
        details = e.details or {}
        ids.extend(details[k] for k in PERSON_KEYS if isinstance(details.get(k), int))
        if ids:
            found[e.id] = list(dict.fromkeys(ids))
    return found


def _source_names(session: Session, entries: list[AuditEntry]) -> dict[int, str]:
    ids = {(e.details or {}).get("source_id") for e in entries}
    ids = {i for i in ids if isinstance(i, int)}
    if not ids:
        return {}
    rows = session.execute(select(Source.id, Source.name).where(Source.id.in_(ids)))
    return {source_id: name for source_id, name in rows}


def _readable(details: dict[str, Any], sources: dict[int, str]) -> list[tuple[str, str]]:
    """Details as short sentences' parts: ids as ``#12``, sources by name, nested counts as
    ``contact points 2``; empty values left out."""
    out = []
    for key, value in details.items():
        if value in (None, "", [], {}):
            continue
        if key == "source_id" and value in sources:
            out.append(("source", sources[value]))
        elif key.endswith("_id") and isinstance(value, int):
            out.append((key[:-3].replace("_", " "), f"#{value}"))
        else:
            out.append((key.replace("_", " "), _text(key, value)))
    return out


def _text(key: str, value: Any) -> str:
    if isinstance(value, dict):
        person = key == "kept"  # field -> the person whose value was kept
        return ", ".join(
            f"{str(k).replace('_', ' ')} {'#' if person else ''}{_text(k, v)}"
            for k, v in value.items()
            if v not in (None, 0, [], {})
        )
    if isinstance(value, list | tuple):
        shown = ", ".join(_text(key, v) for v in value[:10])
        return shown + (f" (+{len(value) - 10} more)" if len(value) > 10 else "")
    if isinstance(value, float):
        return f"{value:.3f}"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
