"""Dated company affiliations: a person who changes employer stays one person with a history.

Each loaded row that names a company is an observation "this person worked at this company at
this time" (``captured_at``, else the import's time). The newest observation decides the golden
record's current employer (and job title); the previous affiliation is closed, never deleted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pandas as pd
from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from ingest.store.details import parse_timestamp
from ingest.store.models import AuditEntry, CompanyAffiliation, Person
from ingest.store.sql import LIST_CHUNK, chunks, execute_many, fetch, one_of


@dataclass(frozen=True, slots=True)
class Observation:
    person_id: int
    company_id: int
    job_title: str | None
    seen_at: datetime
    raw_record_id: int


def _observations(
    rows: pd.DataFrame,
    person_of_row: Mapping[int, int],
    raw_ids: Mapping[int, int],
    company_ids: Mapping[str, int],
    observed_at: datetime,
) -> list[Observation]:
    found = []
    for row, key, title, captured in zip(
        rows.index,
        rows.get("company_key", pd.Series(None, index=rows.index)),
        rows.get("job_title", pd.Series(None, index=rows.index)),
        rows.get("captured_at", pd.Series(None, index=rows.index)),
        strict=True,
    ):
        if not isinstance(key, str) or key not in company_ids or int(row) not in person_of_row:
            continue
        found.append(
            Observation(
                person_of_row[int(row)],
                company_ids[key],
                title if isinstance(title, str) and title else None,
                parse_timestamp(captured) or observed_at,
                raw_ids[int(row)],
            )
        )
    return found


def record_affiliations(
    session: Session,
    rows: pd.DataFrame,
    person_of_row: Mapping[int, int],
    raw_ids: Mapping[int, int],
    company_ids: Mapping[str, int],
    *,
    source_id: int,
    observed_at: datetime | None = None,
) -> int:
    """Add the batch's affiliations and move people whose newest observation is a new employer.

    Returns how many people changed employer.
    """
    observations = _observations(
        rows, person_of_row, raw_ids, company_ids, observed_at or datetime.now(UTC)
    )
    if not observations:
        return 0
    people = sorted({o.person_id for o in observations})
    known: dict[tuple[int, int], dict[str, Any]] = {}
    for part in chunks(people, LIST_CHUNK):
        for aff_id, person_id, company_id, valid_from, is_current in fetch(session,
            select(CompanyAffiliation.id, CompanyAffiliation.person_id,
                   CompanyAffiliation.company_id, CompanyAffiliation.valid_from,
                   CompanyAffiliation.is_current)
            .where(one_of(session, CompanyAffiliation.person_id, part))
        ):  # fmt: skip
            known[(person_id, company_id)] = {
                "id": aff_id, "valid_from": valid_from, "is_current": is_current,
            }  # fmt: skip
    current = {pid: cid for (pid, cid), a in known.items() if a["is_current"]}
    current_since = {pid: known[(pid, cid)]["valid_from"] for pid, cid in current.items()}
    new_rows: dict[tuple[int, int], dict[str, Any]] = {}
    latest: dict[int, Observation] = {}
    for obs in sorted(observations, key=lambda o: o.seen_at):
        pair = (obs.person_id, obs.company_id)
        if pair not in known and pair not in new_rows:
            new_rows[pair] = {
                "person_id": obs.person_id, "company_id": obs.company_id,
                "job_title": obs.job_title, "valid_from": obs.seen_at, "valid_to": None,
                "is_current": False, "source_id": source_id, "raw_record_id": obs.raw_record_id,
            }  # fmt: skip
        latest[obs.person_id] = obs
    return _move_current(session, latest, current, current_since, new_rows)


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def _move_current(
    session: Session,
    latest: Mapping[int, Observation],
    current: Mapping[int, int],
    current_since: Mapping[int, datetime | None],
    new_rows: Mapping[tuple[int, int], dict[str, Any]],
) -> int:
    """Insert the new affiliations (a new one that becomes current is inserted as current, not
    updated after), close the affiliations people left, open the ones they moved to."""
    table = CompanyAffiliation.__table__
    closes, opens, people, audits = [], [], [], []
    for pid, obs in latest.items():
        was = current.get(pid)
        since = _aware(current_since.get(pid))
        if was == obs.company_id or (since is not None and obs.seen_at < since):
            continue
        if was is not None:
            closes.append({"p": pid, "c": was, "until": obs.seen_at})
            details = {"from_company_id": was, "to_company_id": obs.company_id}
            audits.append({"actor": "import", "action": "job_change", "entity": "person",
                           "entity_id": pid, "details": details})  # fmt: skip
        if (pid, obs.company_id) in new_rows:
            new_rows[(pid, obs.company_id)]["is_current"] = True
        else:
            opens.append({"p": pid, "c": obs.company_id})
        people.append({"pid": pid, "company_id": obs.company_id, "job_title": obs.job_title})
    if new_rows:
        execute_many(session, insert(table), list(new_rows.values()))
    if closes:
        session.execute(
            update(table)
            .where(table.c.person_id == bindparam("p"), table.c.company_id == bindparam("c"))
            .values(is_current=False, valid_to=bindparam("until")),
            closes,
        )
    if opens:
        session.execute(
            update(table)
            .where(table.c.person_id == bindparam("p"), table.c.company_id == bindparam("c"))
            .values(is_current=True, valid_to=None),
            opens,
        )
    if people:
        person = Person.__table__
        with_title = [p for p in people if p["job_title"]]
        without_title = [{"pid": p["pid"], "company_id": p["company_id"]} for p in people
                         if not p["job_title"]]  # fmt: skip
        for rows, values in ((with_title, ("company_id", "job_title")),
                             (without_title, ("company_id",))):  # fmt: skip
            if rows:
                session.execute(
                    update(person)
                    .where(person.c.id == bindparam("pid"))
                    .values({v: bindparam(v) for v in values}),
                    rows,
                )
    if audits:
        session.execute(insert(AuditEntry.__table__), audits)
    return len(closes)
