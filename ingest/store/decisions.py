"""Steward decisions recorded but not applied yet, applied one pair per transaction.

The review page applies accept/reject/undo at once (``merges``); decisions recorded any other way
(bulk label imports, API clients, a crash between label and merge) are caught up from the
``match_candidates`` rows: ``accepted`` without a merge in force is merged, ``unmerge`` (an undo
requested for an accepted pair) has its merge undone. ``rejected`` needs nothing: it is a label.
"""

from __future__ import annotations

from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from ingest.store.engine import load_transaction
from ingest.store.merges import DecisionError, audit, live_merge, merge_people, unmerge
from ingest.store.models import MatchCandidate, Person

UNMERGE = "unmerge"
"""Status of an accepted pair whose merge a steward asked to undo (the column holds 16 chars)."""
LABELS = ("accepted", "rejected")


def pairs_with_status(engine: Engine, status: str) -> list[int]:
    """Ids of the candidate pairs in ``status``, oldest decision first."""
    with Session(engine) as session:
        return list(
            session.scalars(
                select(MatchCandidate.id)
                .where(MatchCandidate.status == status)
                .order_by(MatchCandidate.decided_at, MatchCandidate.id)
            )
        )


def merge_accepted_pair(engine: Engine, candidate_id: int, *, actor: str) -> bool | None:
    """Merge an accepted pair that has no merge in force (as its decider, else ``actor``).

    True when merged, False on a conflict (one of the two was merged away since), None when a
    merge is already in force.
    """
    with load_transaction(engine) as session:
        if live_merge(session, candidate_id) is not None:
            return None
        candidate = session.get_one(MatchCandidate, candidate_id)
        winner_id, loser_id = sorted((candidate.person_a_id, candidate.person_b_id))
        merged_away = session.scalar(
            select(func.count()).where(
                Person.id.in_((winner_id, loser_id)), Person.merged_into_id.is_not(None)
            )
        )
        if merged_away:
            return False
        merge_id = merge_people(
            session, winner_id, loser_id, actor=candidate.decided_by or actor,
            candidate_id=candidate_id,
        )  # fmt: skip
        audit(session, actor, "apply_accept", "match_candidate", candidate_id,
              merge_id=merge_id, winner_id=winner_id, loser_id=loser_id)  # fmt: skip
    return True


def unmerge_requested_pair(engine: Engine, candidate_id: int, *, actor: str) -> bool | None:
    """Undo the merge of a pair marked ``unmerge`` (as its decider, else ``actor``); the pair is
    pending again. True when undone, False on a conflict (e.g. the winner was merged again
    later; the request stays), None when no merge was in force."""
    with Session(engine) as session:
        merge_id = live_merge(session, candidate_id)
        decider = session.get_one(MatchCandidate, candidate_id).decided_by or actor
    if merge_id is not None:
        try:
            unmerge(engine, merge_id, actor=decider)
        except DecisionError:
            return False
    with load_transaction(engine) as session:
        session.execute(
            update(MatchCandidate)
            .where(MatchCandidate.id == candidate_id, MatchCandidate.status == UNMERGE)
            .values(status="pending", decided_by=None, decided_at=None)
        )
    return merge_id is not None


def label_counts(engine: Engine) -> dict[str, int]:
    """How many pairs stewards accepted and rejected: the labels a refit learns from."""
    with Session(engine) as session:
        found = dict(
            session.execute(
                select(MatchCandidate.status, func.count())
                .where(MatchCandidate.status.in_(LABELS))
                .group_by(MatchCandidate.status)
            ).all()
        )
    return {label: found.get(label, 0) for label in LABELS}
