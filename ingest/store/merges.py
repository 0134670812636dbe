"""Steward decisions on review candidates: accept (merge with survivorship), reject, skip, undo,
unmerge. Each call is one transaction and writes an audit row holding ids and codes only.

The winner of a merge is the older person (lower id). Everything hanging off the loser moves to
the winner unless the winner already has the same item (same email, same blocking key, ...);
the winner's empty golden fields are filled from the loser, and the ``merges`` row records the
moved ids and the winner's values before, so :func:`unmerge` restores both people exactly.
Decided candidates keep their status as labels for the match model's refit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, Table, select, update
from sqlalchemy.orm import Session

from ingest.errors import LeadflowError
from ingest.store.engine import load_transaction
from ingest.store.models import (
    Activity,
    AuditEntry,
    BlockingKey,
    CompanyAffiliation,
    Consent,
    ContactPoint,
    CustomField,
    CustomValue,
    MatchCandidate,
    Merge,
    Opportunity,
    Person,
    RawRecord,
    RecordLink,
    ValueProvenance,
    utcnow,
)
from ingest.store.people import PERSON_FIELDS
from ingest.store.pins import PINNABLE, pin_choices, unpin_choices
from ingest.store.sql import chunks

FILL_FIELDS = (*PERSON_FIELDS, "company_id", "owner")
STAGES = {"lead": 0, "contact": 1, "customer": 2}
OPEN = ("pending", "skipped")
DECIDED = ("accepted", "rejected", "skipped")
LABEL_ACTIONS = {"rejected": "reject", "skipped": "skip"}
_PERSON_CUSTOM = CustomValue.field_id.in_(
    select(CustomField.id).where(CustomField.entity == "person")
)
_AFFILIATIONS = CompanyAffiliation.__table__
MOVABLE: tuple[tuple[str, Table, str, tuple[str, ...], tuple[Any, ...]], ...] = (
    ("contact_points", ContactPoint.__table__, "person_id", ("kind", "value"), ()),
    ("consents", Consent.__table__, "person_id", (), ()),
    ("activities", Activity.__table__, "person_id", (), ()),
    ("record_links", RecordLink.__table__, "person_id", (), ()),
    ("raw_records", RawRecord.__table__, "person_id", (), ()),
    ("custom_values", CustomValue.__table__, "entity_id", ("field_id",), (_PERSON_CUSTOM,)),
    ("blocking_keys", BlockingKey.__table__, "person_id", ("rule", "key"), ()),
    ("company_affiliations", _AFFILIATIONS, "person_id", ("company_id", "valid_from"), ()),
    ("opportunities", Opportunity.__table__, "person_id", (), ()),
)  # fmt: skip
"""(name in ``merges.moved``, table, person column, keys that must not repeat on the winner,
extra filter). Items whose keys the winner already has stay on the loser."""


class DecisionError(LeadflowError):
    """A decision cannot be applied as asked."""


class UnknownDecisionTarget(DecisionError):
    """No such candidate or merge."""


class DecisionConflict(DecisionError):
    """The candidate or merge is not in a state that allows this (already decided, undone...)."""


class InvalidChoice(DecisionError):
    """A surviving value was chosen for a field that cannot be pinned, or from someone outside
    the pair: choose a pinnable field and one of the pair's two people."""


@dataclass(frozen=True, slots=True)
class Decision:
    candidate_id: int | None
    action: str
    merge_id: int | None = None
    winner_id: int | None = None
    loser_id: int | None = None


def audit(
    session: Session, actor: str, action: str, entity: str, entity_id: int | None, **details: Any
) -> None:
    """One audit row; ``details`` must hold ids, codes and numbers only, never personal values."""
    session.add(
        AuditEntry(actor=actor, action=action, entity=entity, entity_id=entity_id, details=details)
    )


def record_event(
    engine: Engine, actor: str, action: str, entity: str, entity_id: int | None, **details: Any
) -> None:
    """An audit row on its own (sign-ins, refused requests); same rules as :func:`audit`."""
    with Session(engine) as session, session.begin():
        audit(session, actor, action, entity, entity_id, **details)


def accept(
    engine: Engine, candidate_id: int, *, actor: str, keep: Mapping[str, int] | None = None
) -> Decision:
    """Merge the candidate's two people (the same person) and label the pair ``accepted``.

    ``keep`` is the steward's choice of surviving values: field -> the person of the pair whose
    value survives. Each choice becomes a pin (:mod:`ingest.store.pins`) on the merged person,
    so later imports keep it; the audit row of the decision names the fields and people.
    """
    with load_transaction(engine) as session:
        return _accept(session, candidate_id, actor, utcnow(), keep)


def reject(engine: Engine, candidate_id: int, *, actor: str) -> Decision:
    """Label the pair ``rejected`` (two different people)."""
    return _label(engine, candidate_id, actor, "rejected")


def skip(engine: Engine, candidate_id: int, *, actor: str) -> Decision:
    """Put the pair aside as ``skipped`` (not sure); it can still be decided later."""
    return _label(engine, candidate_id, actor, "skipped")


def bulk_accept(engine: Engine, candidate_ids: list[int], *, actor: str) -> list[Decision]:
    """Accept many candidates in one transaction; pairs that are no longer open are left out."""
    now, decisions = utcnow(), []
    with load_transaction(engine) as session:
        for candidate_id in candidate_ids:
            try:
                decisions.append(_accept(session, candidate_id, actor, now))
            except DecisionError:
                continue
        audit(session, actor, "bulk_accept", "match_candidate", None,
              requested=len(candidate_ids), accepted=len(decisions),
              candidate_ids=[d.candidate_id for d in decisions])  # fmt: skip
    return decisions


def unmerge(engine: Engine, merge_id: int, *, actor: str) -> Decision:
    """Undo a past merge: both people get back exactly what they had; the pair is pending again."""
    with load_transaction(engine) as session:
        return _unmerge(session, merge_id, actor, utcnow())


def undo_last(engine: Engine, *, actor: str) -> Decision | None:
    """Undo ``actor``'s most recent decision still in force (None when there is none)."""
    with load_transaction(engine) as session:
        candidate = session.scalar(
            select(MatchCandidate)
            .where(MatchCandidate.decided_by == actor, MatchCandidate.status.in_(DECIDED))
            .order_by(MatchCandidate.decided_at.desc(), MatchCandidate.id.desc())
            .limit(1)
        )
        if candidate is None:
            return None
        previous = candidate.status
        if previous == "accepted":
            merge_id = live_merge(session, candidate.id)
            if merge_id is not None:
                _unmerge(session, merge_id, actor, utcnow())
        _reopen(candidate)
        audit(session, actor, "undo", "match_candidate", candidate.id, undone=previous)
        return Decision(candidate.id, "undo")


def live_merge(session: Session, candidate_id: int) -> int | None:
    """The merge of the pair that is in force (not undone), if any."""
    return session.scalar(
        select(Merge.id)
        .where(Merge.candidate_id == candidate_id, Merge.undone_at.is_(None))
        .order_by(Merge.id.desc())
    )


def _open_candidate(session: Session, candidate_id: int) -> MatchCandidate:
    candidate = session.get(MatchCandidate, candidate_id, with_for_update=True)
    if candidate is None:
        raise UnknownDecisionTarget(f"no match candidate {candidate_id}")
    if candidate.status not in OPEN:
        raise DecisionConflict(f"match candidate {candidate_id} is already {candidate.status}")
    return candidate


def _label(engine: Engine, candidate_id: int, actor: str, status: str) -> Decision:
    with load_transaction(engine) as session:
        candidate = _open_candidate(session, candidate_id)
        candidate.status, candidate.decided_by, candidate.decided_at = status, actor, utcnow()
        audit(session, actor, LABEL_ACTIONS[status], "match_candidate", candidate_id,
              probability=candidate.probability)  # fmt: skip
        return Decision(candidate_id, status)


def _reopen(candidate: MatchCandidate) -> None:
    candidate.status, candidate.decided_by, candidate.decided_at = "pending", None, None


def _accept(
    session: Session,
    candidate_id: int,
    actor: str,
    now: datetime,
    keep: Mapping[str, int] | None = None,
) -> Decision:
    candidate = _open_candidate(session, candidate_id)
    winner_id, loser_id = sorted((candidate.person_a_id, candidate.person_b_id))
    keep = dict(keep or {})
    for field, person_id in keep.items():
        if field not in PINNABLE or person_id not in (winner_id, loser_id):
            raise InvalidChoice(f"cannot keep {field!r} of person {person_id} in this pair")
    for person_id in (winner_id, loser_id):
        person = session.get(Person, person_id)
        if person is None or person.merged_into_id is not None:
            raise DecisionConflict(f"person {person_id} was already merged into another")
    merge_id = merge_people(
        session, winner_id, loser_id, actor=actor, candidate_id=candidate_id, keep=keep
    )
    candidate.status, candidate.decided_by, candidate.decided_at = "accepted", actor, now
    extra = {"kept": keep} if keep else {}
    audit(session, actor, "accept", "match_candidate", candidate_id, merge_id=merge_id,
          winner_id=winner_id, loser_id=loser_id, probability=candidate.probability,
          **extra)  # fmt: skip
    return Decision(candidate_id, "accepted", merge_id, winner_id, loser_id)


def merge_people(
    session: Session,
    winner_id: int,
    loser_id: int,
    *,
    actor: str,
    candidate_id: int | None = None,
    keep: Mapping[str, int] | None = None,
) -> int:
    """Merge ``loser_id`` into ``winner_id`` inside ``session``; returns the merge id.
    ``keep`` (field -> winner or loser id) pins the chosen values on the winner."""
    moved: dict[str, Any] = {}
    for name, table, column, keys, extra in MOVABLE:
        moved[name] = _move(session, table, column, keys, extra, loser_id, winner_id)
    moved["consent_points"] = _repoint_consents(session, moved["consents"], winner_id)
    moved["candidates"] = _repoint_candidates(session, loser_id, winner_id, candidate_id)
    winner_before, moved["filled"], moved["provenance"] = _survive(session, winner_id, loser_id)
    moved["pins"] = pin_choices(session, winner_id, loser_id, keep or {}, winner_before, actor)
    session.get_one(Person, loser_id).merged_into_id = winner_id
    merge = Merge(winner_id=winner_id, loser_id=loser_id, candidate_id=candidate_id,
                  decided_by=actor, moved=moved, winner_before=winner_before)  # fmt: skip
    session.add(merge)
    session.flush()
    audit(session, actor, "merge", "person", winner_id, merge_id=merge.id, loser_id=loser_id,
          moved={k: len(v) for k, v in moved.items()})  # fmt: skip
    return merge.id


def _move(
    session: Session,
    table: Table,
    column: str,
    keys: tuple[str, ...],
    extra: tuple[Any, ...],
    loser_id: int,
    winner_id: int,
) -> list[int]:
    col = table.c[column]
    rows = session.execute(
        select(table.c.id, *(table.c[k] for k in keys)).where(col == loser_id, *extra)
    ).all()
    taken: set[tuple[Any, ...]] = set()
    if keys:
        taken = {
            tuple(r)
            for r in session.execute(
                select(*(table.c[k] for k in keys)).where(col == winner_id, *extra)
            )
        }
    ids = [r[0] for r in rows if None in r[1:] or tuple(r[1:]) not in taken]
    _set(session, table, column, ids, winner_id)
    return ids


def _set(session: Session, table: Table, column: str, ids: list[int], value: int) -> None:
    for part in chunks(ids):
        session.execute(update(table).where(table.c.id.in_(part)).values({column: value}))


def _repoint_consents(session: Session, consent_ids: list[int], winner_id: int) -> dict[str, int]:
    """Consents that moved but whose contact point stayed behind (the winner has the same one)
    now point at the winner's equal contact point; returns ``{consent id: old point id}``."""
    old: dict[str, int] = {}
    for part in chunks(consent_ids):
        rows = session.execute(
            select(Consent.id, Consent.contact_point_id, ContactPoint.kind, ContactPoint.value)
            .join(ContactPoint, ContactPoint.id == Consent.contact_point_id)
            .where(Consent.id.in_(part), ContactPoint.person_id != winner_id)
        ).all()
        for consent_id, point_id, kind, value in rows:
            equal = session.scalar(
                select(ContactPoint.id).where(
                    ContactPoint.person_id == winner_id,
                    ContactPoint.kind == kind,
                    ContactPoint.value == value,
                )
            )
            if equal is not None and point_id is not None:  # (the join needs a point)
                session.execute(
                    update(Consent).where(Consent.id == consent_id).values(contact_point_id=equal)
                )
                old[str(consent_id)] = point_id
    return old


def _repoint_candidates(
    session: Session, loser_id: int, winner_id: int, decided_id: int | None
) -> list[list[int]]:
    """Open candidates of the loser now ask about the winner (unless that pair exists)."""
    changed = []
    rows = session.scalars(
        select(MatchCandidate).where(
            MatchCandidate.status.in_(OPEN),
            (MatchCandidate.person_a_id == loser_id) | (MatchCandidate.person_b_id == loser_id),
        )
    ).all()
    for candidate in rows:
        if candidate.id == decided_id:
            continue
        other = (
            candidate.person_b_id if candidate.person_a_id == loser_id else candidate.person_a_id
        )
        a, b = sorted((winner_id, other))
        exists = session.scalar(
            select(MatchCandidate.id).where(
                MatchCandidate.person_a_id == a, MatchCandidate.person_b_id == b
            )
        )
        if other == winner_id or exists is not None:
            continue
        changed.append([candidate.id, candidate.person_a_id, candidate.person_b_id])
        candidate.person_a_id, candidate.person_b_id = a, b
        session.flush()
    return changed


def _survive(
    session: Session, winner_id: int, loser_id: int
) -> tuple[dict[str, Any], list[str], list[int]]:
    """Fill the winner's empty fields from the loser (and take the later lifecycle stage).

    Returns the winner's values before, the fields filled and the provenance rows moved.
    """
    winner, loser = session.get(Person, winner_id), session.get(Person, loser_id)
    assert winner is not None and loser is not None
    fields = (*FILL_FIELDS, "lifecycle_stage")
    before = {f: getattr(winner, f) for f in fields}
    filled = [
        f for f in FILL_FIELDS if before[f] in (None, "") and getattr(loser, f) not in (None, "")
    ]
    if STAGES.get(loser.lifecycle_stage, 0) > STAGES.get(winner.lifecycle_stage, 0):
        filled.append("lifecycle_stage")
    for field in filled:
        setattr(winner, field, getattr(loser, field))
    provenance: list[int] = []
    if filled:
        have = set(session.scalars(
            select(ValueProvenance.field).where(ValueProvenance.person_id == winner_id)
        ))  # fmt: skip
        provenance = list(session.scalars(
            select(ValueProvenance.id).where(
                ValueProvenance.person_id == loser_id,
                ValueProvenance.field.in_([f for f in filled if f not in have]),
            )
        ))  # fmt: skip
        _set(session, ValueProvenance.__table__, "person_id", provenance, winner_id)
    return before, filled, provenance


def _unmerge(session: Session, merge_id: int, actor: str, now: datetime) -> Decision:
    merge = session.get(Merge, merge_id, with_for_update=True)
    if merge is None:
        raise UnknownDecisionTarget(f"no merge {merge_id}")
    if merge.undone_at is not None:
        raise DecisionConflict(f"merge {merge_id} was already undone")
    winner, loser = session.get(Person, merge.winner_id), session.get(Person, merge.loser_id)
    if winner is None or loser is None or loser.merged_into_id != winner.id:
        raise DecisionConflict(f"merge {merge_id} no longer matches the people it joined")
    if winner.merged_into_id is not None:
        raise DecisionConflict(
            f"person {winner.id} was merged again later; undo that merge before merge {merge_id}"
        )
    moved = merge.moved or {}
    for name, table, column, _, _ in MOVABLE:
        _set(session, table, column, moved.get(name, []), loser.id)
    for consent_id, point_id in moved.get("consent_points", {}).items():
        session.execute(
            update(Consent).where(Consent.id == int(consent_id)).values(contact_point_id=point_id)
        )
    for candidate_id, a, b in moved.get("candidates", []):
        session.execute(
            update(MatchCandidate)
            .where(MatchCandidate.id == candidate_id)
            .values(person_a_id=a, person_b_id=b)
        )
    before = merge.winner_before or {}
    unpin_choices(session, winner, moved.get("pins", []), before, actor)
    for field in moved.get("filled", []):
        if getattr(winner, field) == getattr(loser, field):
            setattr(winner, field, before.get(field))
    _set(session, ValueProvenance.__table__, "person_id", moved.get("provenance", []), loser.id)
    loser.merged_into_id = None
    merge.undone_at = now
    if merge.candidate_id is not None:
        candidate = session.get(MatchCandidate, merge.candidate_id)
        if candidate is not None and candidate.status == "accepted":
            _reopen(candidate)
    audit(session, actor, "unmerge", "merge", merge_id, winner_id=winner.id, loser_id=loser.id,
          candidate_id=merge.candidate_id)  # fmt: skip
    return Decision(merge.candidate_id, "unmerged", merge_id, winner.id, loser.id)
