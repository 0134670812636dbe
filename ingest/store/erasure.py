"""Erasure (right to be forgotten): remove a person's personal data from every table.

The people are found by email key, E.164 phone or id (with everyone merged into or from them).
Their rows go from people, contact points, consents, activities, custom values, enrichments,
value provenance, blocking keys, affiliations, merges and the review queue; their raw records
stay as rows (so run counts stay valid) with the payload replaced by a tombstone, and so do any
other raw records or staged form submissions whose payload holds one of their values. Salted
hashes of their emails and phones go to ``suppressions`` (reason ``erasure``) so a later import
of the same person is suppressed. One audit entry records ids and counts only.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, delete, or_, select, update
from sqlalchemy.orm import Session

from ingest.consent import SALTED, hash_value
from ingest.store.models import (
    Activity,
    AuditEntry,
    BlockingKey,
    CompanyAffiliation,
    Consent,
    ContactPoint,
    CustomField,
    CustomValue,
    Enrichment,
    FormSubmission,
    MatchCandidate,
    Merge,
    Opportunity,
    Person,
    Quarantine,
    RawRecord,
    RecordLink,
    Suppression,
    ValueProvenance,
)  # fmt: skip
from ingest.store.sql import affected_rows, chunks, insert_ignore

TOMBSTONE: dict[str, Any] = {"erased": True}
SCAN_CHUNK = 2000
_DIGITS = re.compile(r"\D+")
_PHONE_LIKE = re.compile(r"\+?\(?\d[\d\s().\-/]{5,}\d")


@dataclass(frozen=True, slots=True)
class ErasureReport:
    """What an erasure did (ids and counts, nothing personal)."""

    people: tuple[int, ...]
    raw_records: int = 0
    form_submissions: int = 0
    suppressions_added: int = 0
    deleted: dict[str, int] = field(default_factory=dict)
    file_lines_removed: int = 0
    vacuumed: tuple[str, ...] = ()
    """Tables compacted after the erasure, so erased values leave their data pages."""
    residue: str = ""
    """Where copies of erased values may still live for a while (write-ahead log), in words."""


@dataclass(frozen=True, slots=True)
class Needles:
    """The values that identify a person in free text: emails (lowercase) and phone digits."""

    emails: frozenset[str]
    phones: frozenset[str]

    def found_in(self, payload: Any) -> bool:
        text = json.dumps(payload, ensure_ascii=False, default=str).lower()
        if any(e in text for e in self.emails):
            return True
        digits = {_DIGITS.sub("", m) for v in _strings(payload) for m in _PHONE_LIKE.findall(v)}
        return any(_same_number(d, p) for d in digits if len(d) >= 7 for p in self.phones)


def find_people(
    engine: Engine, *, email_key: str | None = None, phone: str | None = None,
    person_id: int | None = None,
) -> set[int]:  # fmt: skip
    """The ids of the people an erasure or export is about (merge groups included)."""
    with Session(engine) as session:
        found: set[int] = set()
        if person_id is not None and session.get(Person, person_id) is not None:
            found.add(person_id)
        for kind, key in (("email", email_key), ("phone", phone)):
            if key:
                found.update(session.scalars(select(ContactPoint.person_id).where(
                    ContactPoint.kind == kind,
                    or_(ContactPoint.match_key == key, ContactPoint.value == key)))
                )  # fmt: skip
        return _merge_group(session, found)


def _merge_group(session: Session, people: set[int]) -> set[int]:
    group, frontier = set(people), set(people)
    while frontier:
        linked = set(session.scalars(select(Person.id).where(Person.merged_into_id.in_(frontier))))
        linked |= {
            p for p in session.scalars(select(Person.merged_into_id).where(Person.id.in_(frontier)))
            if p is not None
        }  # fmt: skip
        frontier = linked - group
        group |= frontier
    return group


def erase_people(
    engine: Engine, people: Iterable[int], *, salt: str, extra_emails: Iterable[str] = (),
    extra_phones: Iterable[str] = (), actor: str = "erasure", files: Sequence[Path] = (),
) -> ErasureReport:  # fmt: skip
    """Erase the people (see the module docstring) in one transaction; then drop the lines of
    ``files`` (feeds, logs kept outside the store) that mention them."""
    ids = sorted(set(people))
    with Session(engine) as session, session.begin():
        points = session.execute(
            select(ContactPoint.kind, ContactPoint.value, ContactPoint.match_key,
                   ContactPoint.original).where(ContactPoint.person_id.in_(ids))
        ).all() if ids else []  # fmt: skip
        emails = {v.lower() for k, *vs in points if k == "email" for v in vs if v}
        emails |= {e.lower() for e in extra_emails}
        phones = {_DIGITS.sub("", v) for k, *vs in points if k == "phone" for v in vs if v}
        phones |= {_DIGITS.sub("", p) for p in extra_phones}
        needles = Needles(frozenset(emails), frozenset(p for p in phones if len(p) >= 7))
        keys = {(k, mk or v) for k, v, mk, _ in points if k in ("email", "phone")}
        keys |= {("email", e) for e in extra_emails} | {("phone", p) for p in extra_phones}
        added = _suppress(session, keys, salt)
        raw_ids = _linked_raw_records(session, ids)
        raw_ids |= _raw_records_mentioning(session, needles, raw_ids)
        deleted = _delete_rows(session, ids, raw_ids)
        forms = _tombstone_forms(session, needles)
        for part in chunks(sorted(raw_ids)):
            session.execute(
                update(RawRecord).where(RawRecord.id.in_(part))
                .values(payload=TOMBSTONE, person_id=None)
            )  # fmt: skip
        session.add(AuditEntry(
            actor=actor, action="erasure", entity="person", entity_id=ids[0] if ids else None,
            details={"people": list(ids), "raw_records": len(raw_ids), "form_submissions": forms,
                     "suppressions_added": added, "deleted": deleted, "files": len(files)},
        ))  # fmt: skip
    removed = scrub_files(files, needles)
    touched = sorted({"raw_records", "form_submissions", "people", "contact_points", *deleted})
    vacuumed, residue = compact(engine, touched)
    return ErasureReport(
        tuple(ids), len(raw_ids), forms, added, deleted, removed, vacuumed, residue
    )


WAL_RESIDUE = {
    "postgresql": "PostgreSQL: the touched tables were vacuumed; copies of the erased values "
    "remain in write-ahead log segments (and in backups and replicas) until the segments are "
    "recycled after the next checkpoints. Run CHECKPOINT and archive-cleanup to hasten it.",
    "sqlite": "SQLite: the database file was rewritten (VACUUM) and its write-ahead log "
    "checkpointed and truncated; backups still hold the values until they expire.",
}


WAL_BUSY = (
    "SQLite: the database file was rewritten (VACUUM), but a reader kept the write-ahead log "
    "from being truncated: it holds copies of the erased values until the next checkpoint "
    "(run `leadflow erase` again when the store is idle)."
)


def compact(engine: Engine, tables: Sequence[str]) -> tuple[tuple[str, ...], str]:
    """Vacuum the tables an erasure touched (PostgreSQL) or the whole file (SQLite), outside
    any transaction, so deleted rows leave the data files; returns the tables and a sentence
    saying what remains (see WAL_RESIDUE)."""
    known = set(Person.metadata.tables)
    names = tuple(t for t in tables if t in known)
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for name in names:
                conn.exec_driver_sql(f'VACUUM (ANALYZE) "{name}"')
        return names, WAL_RESIDUE["postgresql"]
    if engine.dialect.name == "sqlite":
        raw = engine.raw_connection()
        try:
            cursor = raw.cursor()
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cursor.execute("VACUUM")
            # waits (busy timeout) for readers; busy = 1 when one still held an old snapshot
            busy = cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
            cursor.close()
        finally:
            raw.close()
        if busy:
            return names, WAL_BUSY
        return names, WAL_RESIDUE["sqlite"]
    return (), ""


def scrub_files(paths: Sequence[Path], needles: Needles) -> int:
    """Remove every line that mentions a needle from text files (rewritten atomically)."""
    removed = 0
    for path in paths:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines(keepends=True)
        kept = [line for line in lines if not needles.found_in(line)]
        if len(kept) != len(lines):
            tmp = path.with_name(path.name + ".erasing")
            tmp.write_text("".join(kept), encoding="utf-8")
            os.replace(tmp, path)
            removed += len(lines) - len(kept)
    return removed


def _suppress(session: Session, keys: set[tuple[str, str]], salt: str) -> int:
    rows = [
        {"kind": k, "value_hash": hash_value(v, salt), "algorithm": SALTED, "reason": "erasure",
         "source": "erasure"}
        for k, v in sorted(keys)
    ]  # fmt: skip
    if not rows:
        return 0
    hashes = [r["value_hash"] for r in rows]
    known = set(session.scalars(select(Suppression.value_hash).where(
        Suppression.value_hash.in_(hashes))))  # fmt: skip
    # an existing hash (say, an unsubscribe) becomes an erasure: the stronger reason
    session.execute(
        update(Suppression).where(Suppression.value_hash.in_(hashes)).values(reason="erasure")
    )
    insert_ignore(session, Suppression.__table__, rows, "kind", "value_hash")
    return len(set(hashes) - known)


def _linked_raw_records(session: Session, ids: list[int]) -> set[int]:
    found: set[int] = set()
    for part in chunks(ids):
        found.update(session.scalars(select(RawRecord.id).where(RawRecord.person_id.in_(part))))
        for model in (RecordLink, ContactPoint, Consent, Activity, ValueProvenance):
            found.update(
                r for r in session.scalars(
                    select(model.raw_record_id).where(model.person_id.in_(part))
                ) if r is not None
            )  # fmt: skip
    return found


def _raw_records_mentioning(session: Session, needles: Needles, skip: set[int]) -> set[int]:
    """Unlinked raw records (suppressed, quarantined rows) whose payload holds a value."""
    found: set[int] = set()
    if not (needles.emails or needles.phones):
        return found
    last = 0
    while True:
        rows = session.execute(
            select(RawRecord.id, RawRecord.payload).where(RawRecord.id > last)
            .order_by(RawRecord.id).limit(SCAN_CHUNK)
        ).all()  # fmt: skip
        if not rows:
            return found
        last = rows[-1].id
        found.update(i for i, p in rows if i not in skip and p and needles.found_in(p))


def _delete_rows(session: Session, ids: list[int], raw_ids: set[int]) -> dict[str, int]:
    counts: dict[str, int] = {}

    def run(name: str, stmt: Any) -> None:
        counts[name] = counts.get(name, 0) + affected_rows(session.execute(stmt))

    for part in chunks(sorted(raw_ids)):
        run("quarantine", delete(Quarantine).where(Quarantine.raw_record_id.in_(part)))
        run("record_links", delete(RecordLink).where(RecordLink.raw_record_id.in_(part)))
        run("custom_values", delete(CustomValue).where(CustomValue.raw_record_id.in_(part)))
    person_fields = select(CustomField.id).where(CustomField.entity == "person")
    person_fields = select(CustomField.id).where(CustomField.entity == "person")
    for part in chunks(ids):
        session.execute(
            update(Person).where(Person.merged_into_id.in_(part)).values(merged_into_id=None)
        )
        for name, model in (("blocking_keys", BlockingKey), ("value_provenance", ValueProvenance),
                            ("consents", Consent), ("activities", Activity),
                            ("record_links", RecordLink),
                            ("company_affiliations", CompanyAffiliation)):  # fmt: skip
            run(name, delete(model).where(model.person_id.in_(part)))
        run(
            "custom_values",
            delete(CustomValue).where(
                CustomValue.entity_id.in_(part), CustomValue.field_id.in_(person_fields)
            ),
        )
        run("enrichments", delete(Enrichment).where(
            Enrichment.entity == "person", Enrichment.entity_id.in_(part)))  # fmt: skip
        run("merges", delete(Merge).where(or_(Merge.winner_id.in_(part), Merge.loser_id.in_(part))))
        run(
            "match_candidates",
            delete(MatchCandidate).where(
                or_(MatchCandidate.person_a_id.in_(part), MatchCandidate.person_b_id.in_(part))
            ),
        )
        session.execute(update(Opportunity).where(Opportunity.person_id.in_(part))
                        .values(person_id=None))  # fmt: skip
        session.execute(update(RawRecord).where(RawRecord.person_id.in_(part))
                        .values(person_id=None))  # fmt: skip
        run("contact_points", delete(ContactPoint).where(ContactPoint.person_id.in_(part)))
        run("people", delete(Person).where(Person.id.in_(part)))
    return {k: v for k, v in counts.items() if v}


def _tombstone_forms(session: Session, needles: Needles) -> int:
    hits = [
        i for i, payload, evidence in session.execute(
            select(FormSubmission.id, FormSubmission.payload, FormSubmission.evidence))
        if needles.found_in(payload) or (evidence and needles.found_in(evidence))
    ]  # fmt: skip
    for part in chunks(hits):
        session.execute(update(FormSubmission).where(FormSubmission.id.in_(part))
                        .values(payload=TOMBSTONE, evidence=None))  # fmt: skip
    return len(hits)


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _strings(v)


def _same_number(digits: str, phone: str) -> bool:
    """Raw digits name the stored number: equal, or its national form without country code."""
    national = digits.lstrip("0")
    return digits.endswith(phone) or (phone.endswith(national) and len(national) >= 7)
