"""Carrying out steward decisions not yet applied, then refitting from the labels; defined
once here and run in this process (``leadflow review-apply``) or as Prefect tasks
(``flows.review_apply``, ``--prefect`` and the scheduled deployment).

The review page applies accept/reject/undo at once through ``ingest.store.merges``; this run
catches up with decisions recorded any other way (bulk label imports, API clients, a crash
between label and merge) on the smallest stable surface, the ``match_candidates`` rows:

* ``accepted`` without a merge in force → merge the pair (``merges.merge_people``);
* ``unmerge`` (an undo requested for an accepted pair) → ``merges.unmerge`` of its merge, which
  sets the pair back to ``pending``;
* ``rejected`` needs nothing applied: it is a label.

Each pair is applied in its own transaction, so one conflict (a person already merged away)
never holds back the others. Accepted and rejected pairs are then the labels for a refit of the
match model.
"""

from __future__ import annotations

import logging
from typing import Any

from pydantic import SecretStr
from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from flows.store import store_engine
from ingest.store.engine import load_transaction
from ingest.store.merges import DecisionError, audit, merge_people, unmerge
from ingest.store.models import MatchCandidate, Merge, Person
from matchers import refit_from_store

logger = logging.getLogger(__name__)

ACTOR = "review-apply"
UNMERGE = "unmerge"
"""Status of an accepted pair whose merge a steward asked to undo (the column holds 16 chars)."""


def _live_merge(session: Session, candidate_id: int) -> int | None:
    return session.scalar(
        select(Merge.id)
        .where(Merge.candidate_id == candidate_id, Merge.undone_at.is_(None))
        .order_by(Merge.id.desc())
    )


def _ids(engine: Engine, status: str) -> list[int]:
    with Session(engine) as session:
        return list(
            session.scalars(
                select(MatchCandidate.id)
                .where(MatchCandidate.status == status)
                .order_by(MatchCandidate.decided_at, MatchCandidate.id)
            )
        )


def apply_accepted(db_url: SecretStr) -> dict[str, int]:
    """Merge every accepted pair that has no merge in force."""
    engine = store_engine(db_url)
    done = {"merged": 0, "conflicts": 0}
    try:
        for candidate_id in _ids(engine, "accepted"):
            with load_transaction(engine) as session:
                if _live_merge(session, candidate_id) is not None:
                    continue
                candidate = session.get_one(MatchCandidate, candidate_id)
                winner_id, loser_id = sorted((candidate.person_a_id, candidate.person_b_id))
                merged_away = session.scalar(
                    select(func.count()).where(
                        Person.id.in_((winner_id, loser_id)), Person.merged_into_id.is_not(None)
                    )
                )
                if merged_away:
                    done["conflicts"] += 1
                    continue
                actor = candidate.decided_by or ACTOR
                merge_id = merge_people(
                    session, winner_id, loser_id, actor=actor, candidate_id=candidate_id
                )
                audit(session, ACTOR, "apply_accept", "match_candidate", candidate_id,
                      merge_id=merge_id, winner_id=winner_id, loser_id=loser_id)  # fmt: skip
                done["merged"] += 1
    finally:
        engine.dispose()
    return done


def apply_unmerges(db_url: SecretStr) -> dict[str, int]:
    """Undo the merge of every pair marked ``unmerge``; the pair is pending again."""
    engine = store_engine(db_url)
    done = {"unmerged": 0, "conflicts": 0}
    try:
        for candidate_id in _ids(engine, UNMERGE):
            with Session(engine) as session:
                merge_id = _live_merge(session, candidate_id)
                actor = session.get_one(MatchCandidate, candidate_id).decided_by or ACTOR
            if merge_id is not None:
                try:
                    unmerge(engine, merge_id, actor=actor)
                except DecisionError:
                    done["conflicts"] += 1  # e.g. the winner was merged again later
                    continue
                done["unmerged"] += 1
            with load_transaction(engine) as session:
                session.execute(
                    update(MatchCandidate)
                    .where(MatchCandidate.id == candidate_id, MatchCandidate.status == UNMERGE)
                    .values(status="pending", decided_by=None, decided_at=None)
                )
    finally:
        engine.dispose()
    return done


def refit_match_model(db_url: SecretStr) -> dict[str, Any]:
    """Refit the match model from every steward label into a new active version (none when
    nothing was decided since the last refit); the next import uses it."""
    engine = store_engine(db_url)
    try:
        with Session(engine) as session:
            labels = dict(
                session.execute(
                    select(MatchCandidate.status, func.count())
                    .where(MatchCandidate.status.in_(("accepted", "rejected")))
                    .group_by(MatchCandidate.status)
                ).all()
            )
        version = refit_from_store(engine)
    finally:
        engine.dispose()
    return {
        "accepted": labels.get("accepted", 0),
        "rejected": labels.get("rejected", 0),
        "refit": version is not None,
        "model_version": version,
    }


class ReviewStages:
    """The review-apply steps, run in this process."""

    def log(self, message: str, *args: object) -> None:
        logger.info(message, *args)

    def unmerges(self, db_url: SecretStr) -> dict[str, int]:
        return apply_unmerges(db_url)

    def accepted(self, db_url: SecretStr) -> dict[str, int]:
        return apply_accepted(db_url)

    def refit(self, db_url: SecretStr) -> dict[str, Any]:
        return refit_match_model(db_url)


def apply_reviews(stages: ReviewStages, db_url: SecretStr, *, refit: bool = True) -> dict[str, Any]:
    """Apply pending steward decisions (unmerges first), then refit the match model."""
    unmerged = stages.unmerges(db_url)
    merged = stages.accepted(db_url)
    result: dict[str, Any] = {**merged, "unmerged": unmerged["unmerged"]}
    result["conflicts"] = merged["conflicts"] + unmerged["conflicts"]
    if refit:
        result["labels"] = stages.refit(db_url)
    stages.log(
        "review apply: %d merged, %d unmerged, %d conflicts",
        result["merged"],
        result["unmerged"],
        result["conflicts"],
    )
    return result
