"""Carrying out steward decisions not yet applied, then refitting from the labels; defined once
here and run in this process (``leadflow review-apply``) or as Prefect tasks
(``flows.review_apply``: ``--prefect`` and the scheduled deployment).

The review page applies accept/reject/undo at once through ``ingest.store.merges``; this run
catches up with decisions recorded any other way (``ingest.store.decisions``): accepted pairs
without a merge in force are merged, undo requests (``unmerge``) undone. Each pair is applied in
its own transaction, so one conflict (a person already merged away) never holds back the others.
Accepted and rejected pairs are then the labels for a refit of the match model.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from pydantic import SecretStr

from flows.store import store_engine
from ingest.store.decisions import (
    UNMERGE,
    label_counts,
    merge_accepted_pair,
    pairs_with_status,
    unmerge_requested_pair,
)
from matchers import refit_from_store

logger = logging.getLogger(__name__)
ACTOR = "review-apply"


def _apply_each(
    db_url: SecretStr, status: str, apply: Callable[..., bool | None], counted: str
) -> dict[str, int]:
    """``apply`` every pair with ``status``, each in its own transaction; count the pairs done
    under ``counted`` and the ones that conflicted (None: nothing left to do for the pair)."""
    engine = store_engine(db_url)
    done = {counted: 0, "conflicts": 0}
    try:
        for candidate_id in pairs_with_status(engine, status):
            applied = apply(engine, candidate_id, actor=ACTOR)
            if applied is not None:
                done[counted if applied else "conflicts"] += 1
    finally:
        engine.dispose()
    return done


def apply_accepted(db_url: SecretStr) -> dict[str, int]:
    """Merge every accepted pair that has no merge in force."""
    return _apply_each(db_url, "accepted", merge_accepted_pair, "merged")


def apply_unmerges(db_url: SecretStr) -> dict[str, int]:
    """Undo the merge of every pair marked ``unmerge``; the pair is pending again."""
    return _apply_each(db_url, UNMERGE, unmerge_requested_pair, "unmerged")


def refit_match_model(db_url: SecretStr) -> dict[str, Any]:
    """Refit the match model from every steward label into a new active version (none when
    nothing was decided since the last refit); the next import uses it."""
    engine = store_engine(db_url)
    try:
        labels = label_counts(engine)
        version = refit_from_store(engine)
    finally:
        engine.dispose()
    return {**labels, "refit": version is not None, "model_version": version}


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
