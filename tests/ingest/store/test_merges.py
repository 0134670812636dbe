"""Merges, unmerges and labels against real stores: what moves, what survives, what comes back."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from ingest.store import merges
from ingest.store.merges import DecisionConflict, UnknownDecisionTarget
from ingest.store.models import (
    Activity,
    AuditEntry,
    BlockingKey,
    Company,
    CompanyAffiliation,
    Consent,
    ContactPoint,
    CustomField,
    CustomValue,
    ImportRun,
    MatchCandidate,
    Merge,
    Person,
    RawRecord,
    RecordLink,
    Source,
    ValueProvenance,
)

PERSONAL = ("Ada", "Lovelace", "ada@example.com", "Byron", "+441234")


def _person(s: Session, run: int, row: int, email: str, **values: Any) -> int:
    person = Person(**values)
    s.add(person)
    s.flush()
    raw = RawRecord(run_id=run, row_number=row, payload={"Email": email}, outcome="loaded",
                    person_id=person.id)  # fmt: skip
    s.add(raw)
    s.flush()
    s.add(RecordLink(raw_record_id=raw.id, person_id=person.id, decided_by="new"))
    point = ContactPoint(person_id=person.id, kind="email", value=email, match_key=email)
    s.add(point)
    s.flush()
    s.add(Consent(person_id=person.id, channel="email", contact_point_id=point.id, status="opt_in"))
    s.add(Activity(person_id=person.id, kind="form", raw_record_id=raw.id))
    s.add(BlockingKey(person_id=person.id, rule="email", key=email))
    for field in values:
        s.add(ValueProvenance(person_id=person.id, field=field, raw_record_id=raw.id))
    return person.id


@pytest.fixture
def pair(engine: Engine) -> dict[str, int]:
    """Two people who share an email (a collision) and one with another; candidates between."""
    with Session(engine) as s, s.begin():
        source = Source(kind="purchased_list", name="list-a")
        s.add(source)
        s.flush()
        run = ImportRun(source_id=source.id, location="a.csv", file_hash="a" * 64)
        company = Company(name="Analytical Engines", match_key="analytical engines")
        s.add_all([run, company])
        s.flush()
        a = _person(s, run.id, 1, "ada@example.com", first_name="Ada", full_name="Ada")
        b = _person(s, run.id, 2, "ada@example.com", first_name="Ada", last_name="Lovelace",
                    full_name="Ada Lovelace", lifecycle_stage="customer")  # fmt: skip
        s.add(ContactPoint(person_id=b, kind="phone", value="+441234"))
        c = _person(s, run.id, 3, "ada.king@example.com", first_name="Augusta")
        d = _person(s, run.id, 4, "countess@example.com", first_name="Augusta")
        field = CustomField(entity="person", name="Byron")
        s.add_all([field, CompanyAffiliation(person_id=b, company_id=company.id)])
        s.flush()
        s.add(CustomValue(field_id=field.id, entity_id=b, value="yes"))
        cands = [
            MatchCandidate(person_a_id=x, person_b_id=y, run_id=run.id, probability=p)
            for x, y, p in ((a, b, 0.7), (b, c, 0.55), (a, c, 0.2), (b, d, 0.4))
        ]
        s.add_all(cands)
        s.flush()
        ids = {"ab": cands[0].id, "bc": cands[1].id, "ac": cands[2].id, "bd": cands[3].id}
        return {"a": a, "b": b, "c": c, "d": d, **ids}


def _snapshot(engine: Engine) -> dict[str, Any]:
    """Every person-bearing column of the store, to compare before and after."""
    tables: dict[type[Any], tuple[str, ...]] = {
        Person: ("merged_into_id", "first_name", "last_name", "full_name", "lifecycle_stage"),
        ContactPoint: ("person_id",), Consent: ("person_id", "contact_point_id"),
        Activity: ("person_id",), RecordLink: ("person_id",), RawRecord: ("person_id",),
        BlockingKey: ("person_id",), ValueProvenance: ("person_id",),
        CustomValue: ("entity_id",), CompanyAffiliation: ("person_id",),
        MatchCandidate: ("person_a_id", "person_b_id", "status"),
    }  # fmt: skip
    with Session(engine) as s:
        return {
            model.__tablename__: s.execute(
                sa.select(model.id, *(getattr(model, c) for c in cols)).order_by(model.id)
            ).all()
            for model, cols in tables.items()
        }


def test_accept_moves_everything_fills_empty_fields_and_unmerge_restores(
    engine: Engine, pair: dict[str, int]
) -> None:
    before = _snapshot(engine)
    decision = merges.accept(engine, pair["ab"], actor="steward1")
    assert (decision.winner_id, decision.loser_id) == (pair["a"], pair["b"])
    with Session(engine) as s:
        winner, loser = s.get_one(Person, pair["a"]), s.get_one(Person, pair["b"])
        assert loser.merged_into_id == winner.id
        assert (winner.first_name, winner.last_name, winner.full_name) == ("Ada", "Lovelace", "Ada")
        assert winner.lifecycle_stage == "customer"
        points = s.execute(sa.select(ContactPoint.kind, ContactPoint.person_id)).all()
        # the shared email stays behind on the loser; the phone moves
        assert ("phone", pair["a"]) in points and ("email", pair["b"]) in points
        assert pair["b"] not in {c.person_id for c in s.scalars(sa.select(Consent))}
        assert (
            s.scalar(sa.select(RawRecord.person_id).where(RawRecord.row_number == 2)) == pair["a"]
        )
        assert s.scalar(sa.select(CustomValue.entity_id)) == pair["a"]
        assert s.scalar(sa.select(CompanyAffiliation.person_id)) == pair["a"]
        provenance = s.scalar(
            sa.select(ValueProvenance.person_id).where(ValueProvenance.field == "last_name")
        )
        assert provenance == pair["a"]
        # the loser's open candidate now asks about the winner, unless that pair is queued
        bd, bc = s.get_one(MatchCandidate, pair["bd"]), s.get_one(MatchCandidate, pair["bc"])
        assert (bd.person_a_id, bd.person_b_id) == (pair["a"], pair["d"])
        assert (bc.person_a_id, bc.person_b_id) == (pair["b"], pair["c"])
        assert s.get_one(MatchCandidate, pair["ab"]).status == "accepted"
        merge = s.scalar(sa.select(Merge))
        assert merge.moved["contact_points"] and merge.winner_before
    merges.unmerge(engine, decision.merge_id, actor="admin1")
    after = _snapshot(engine)
    assert after == {**before, "match_candidates": after["match_candidates"]}
    assert after["match_candidates"] == before["match_candidates"]


def test_audit_rows_hold_no_personal_data(engine: Engine, pair: dict[str, int]) -> None:
    decision = merges.accept(engine, pair["ab"], actor="steward1")
    merges.reject(engine, pair["ac"], actor="steward1")
    merges.unmerge(engine, decision.merge_id, actor="steward1")
    with Session(engine) as s:
        entries = s.scalars(sa.select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [e.action for e in entries] == ["merge", "accept", "reject", "unmerge"]
    text = repr([(e.details, e.entity, e.actor) for e in entries])
    assert not any(value in text for value in PERSONAL)


@pytest.mark.parametrize(
    ("action", "status"), [(merges.reject, "rejected"), (merges.skip, "skipped")]
)
def test_labels_are_kept_for_the_refit_and_undone(
    engine: Engine, pair: dict[str, int], action: Any, status: str
) -> None:
    action(engine, pair["ac"], actor="s1")
    with Session(engine) as s:
        cand = s.get_one(MatchCandidate, pair["ac"])
        assert (cand.status, cand.decided_by) == (status, "s1")
        assert cand.decided_at is not None
    assert merges.undo_last(engine, actor="s2") is None  # another user's decision is not undone
    undone = merges.undo_last(engine, actor="s1")
    assert undone is not None and undone.candidate_id == pair["ac"]
    with Session(engine) as s:
        assert s.get_one(MatchCandidate, pair["ac"]).status == "pending"


def test_undo_last_unmerges_an_accept_and_goes_back_one_decision_at_a_time(
    engine: Engine, pair: dict[str, int]
) -> None:
    before = _snapshot(engine)
    merges.reject(engine, pair["ac"], actor="s1")
    merges.accept(engine, pair["ab"], actor="s1")
    assert merges.undo_last(engine, actor="s1").candidate_id == pair["ab"]
    assert merges.undo_last(engine, actor="s1").candidate_id == pair["ac"]
    assert merges.undo_last(engine, actor="s1") is None
    assert _snapshot(engine) == before


def test_decisions_refuse_wrong_states(engine: Engine, pair: dict[str, int]) -> None:
    decision = merges.accept(engine, pair["ab"], actor="s1")
    with pytest.raises(DecisionConflict):
        merges.reject(engine, pair["ab"], actor="s1")
    with pytest.raises(UnknownDecisionTarget):
        merges.accept(engine, 999_999, actor="s1")
    merges.unmerge(engine, decision.merge_id, actor="s1")
    with pytest.raises(DecisionConflict):
        merges.unmerge(engine, decision.merge_id, actor="s1")


def test_a_merge_of_the_winner_must_be_undone_first(engine: Engine, pair: dict[str, int]) -> None:
    first = merges.accept(engine, pair["ab"], actor="s1")  # b into a
    second = merges.accept(engine, pair["ac"], actor="s1")  # c into a
    assert second.winner_id == pair["a"]
    merges.unmerge(engine, first.merge_id, actor="s1")  # out of order is fine: a is not merged
    with Session(engine) as s:
        a = s.get_one(Person, pair["a"])
        assert a.last_name is None and a.merged_into_id is None
        assert s.get_one(Person, pair["c"]).merged_into_id == pair["a"]


def test_bulk_accept_is_one_transaction_and_skips_closed_pairs(
    engine: Engine, pair: dict[str, int]
) -> None:
    merges.reject(engine, pair["ac"], actor="s1")
    ids = [pair["ab"], pair["ac"], pair["bc"], pair["bd"]]
    decisions = merges.bulk_accept(engine, ids, actor="s1")
    # bc is stale once b is merged (a-c is its own, rejected, pair); bd now asks a-d
    assert [d.candidate_id for d in decisions] == [pair["ab"], pair["bd"]]
    with Session(engine) as s:
        merged = dict(s.execute(sa.select(Person.id, Person.merged_into_id)).all())
        assert merged == {
            pair["a"]: None,
            pair["b"]: pair["a"],
            pair["c"]: None,
            pair["d"]: pair["a"],
        }
        bulk = s.scalar(sa.select(AuditEntry).where(AuditEntry.action == "bulk_accept"))
        assert bulk.details["accepted"] == 2
