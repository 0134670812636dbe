"""The audit log read a page at a time on both stores: keyset pages, readable details, and the
input rows of the people an entry concerns (joined at read time, never stored in the log)."""

from __future__ import annotations

import json

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from ingest.store import merges
from ingest.store.audit import audit_page
from ingest.store.models import (
    AuditEntry,
    ImportRun,
    MatchCandidate,
    Person,
    RawRecord,
    RecordLink,
    Source,
)


def _pair(engine: Engine) -> tuple[int, int, int, int]:
    with Session(engine) as s, s.begin():
        source = Source(kind="purchased_list", name="list-a")
        s.add(source)
        s.flush()
        run = ImportRun(source_id=source.id, location="/ops/list-a.csv", file_hash="a" * 64)
        a = Person(full_name="Ada Lovelace", job_title="Analyst")
        b = Person(full_name="Ada Lovelace", job_title="Countess")
        s.add_all([run, a, b])
        s.flush()
        for row, person in enumerate((a, b), start=1):
            payload = {"Name": person.full_name, "Title": person.job_title}
            raw = RawRecord(run_id=run.id, row_number=row, outcome="loaded", person_id=person.id,
                            payload=payload)  # fmt: skip
            s.add(raw)
            s.flush()
            s.add(RecordLink(raw_record_id=raw.id, person_id=person.id, decided_by="new"))
        candidate = MatchCandidate(person_a_id=a.id, person_b_id=b.id, probability=0.8)
        s.add(candidate)
        s.flush()
        return a.id, b.id, candidate.id, source.id


def test_pages_go_back_and_forth_over_every_entry(engine: Engine) -> None:
    with Session(engine) as s, s.begin():
        s.add_all(AuditEntry(actor="t", action="note", entity="run", entity_id=i)
                  for i in range(23))  # fmt: skip
    newest = audit_page(engine, size=10)
    assert (newest.total, newest.first, newest.newer) == (23, 1, None)
    second = audit_page(engine, before=newest.older, size=10)
    third = audit_page(engine, before=second.older, size=10)
    assert (second.first, third.first, len(third.entries), third.older) == (11, 21, 3, None)
    ids = [e.id for p in (newest, second, third) for e in p.entries]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == 23
    back = audit_page(engine, after=third.newer, size=10)
    assert [e.id for e in back.entries] == [e.id for e in second.entries]


def test_entries_name_their_people_and_carry_their_input_rows(engine: Engine) -> None:
    a, b, candidate, source_id = _pair(engine)
    merges.accept(engine, candidate, actor="stew", keep={"job_title": b})
    with Session(engine) as s, s.begin():
        details = {"channel": "email", "source_id": source_id, "reason": None}
        s.add(AuditEntry(actor="import", action="consent.given", entity="person", entity_id=a,
                         details=details))  # fmt: skip
    page = audit_page(engine)
    by_action = {e.action: e for e in page.entries}
    accepted = by_action["accept"]
    assert set(accepted.people) == {a, b}
    assert ("kept", f"job title #{b}") in accepted.details and (
        "winner",
        f"#{a}",
    ) in accepted.details
    consent = by_action["consent.given"]
    assert consent.details == [("channel", "email"), ("source", "list-a")]  # no empty reason
    assert page.raw[a].total == 2 and b not in page.raw  # the loser's rows moved with the merge
    assert {dict(r.cells)["Title"] for r in page.raw[a].rows} == {"Analyst", "Countess"}
    assert {r.file for r in page.raw[a].rows} == {"list-a.csv"}  # not the operator's folders
    with Session(engine) as s:
        logged = " ".join(json.dumps(d) for d in s.scalars(select(AuditEntry.details)))
    assert "Countess" not in logged and "Lovelace" not in logged
