"""The review-apply flow: carry out steward decisions not yet applied, then refit from labels.

The review page applies accept/reject/undo at once through ``ingest.store.merges``; this flow
catches up with decisions recorded any other way (``ingest.store.decisions``): accepted pairs
without a merge in force are merged, undo requests (``unmerge``) undone. Each pair is applied in
its own transaction, so one conflict (a person already merged away) never holds back the others.
Accepted and rejected pairs are then the labels for a refit of the match model.
"""

from __future__ import annotations

from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from pydantic import SecretStr

from flows.import_flow import RETRY_TRANSIENT, store_engine
from ingest.config import Settings
from ingest.store.decisions import (
    UNMERGE,
    label_counts,
    merge_accepted_pair,
    pairs_with_status,
    unmerge_requested_pair,
)
from matchers import refit_from_store

ACTOR = "review-apply"


@task(name="apply-accepted", persist_result=False, cache_policy=NO_CACHE, **RETRY_TRANSIENT)
def apply_accepted(db_url: SecretStr) -> dict[str, int]:
    """Merge every accepted pair that has no merge in force."""
    engine = store_engine(db_url)
    done = {"merged": 0, "conflicts": 0}
    try:
        for candidate_id in pairs_with_status(engine, "accepted"):
            merged = merge_accepted_pair(engine, candidate_id, actor=ACTOR)
            if merged is not None:
                done["merged" if merged else "conflicts"] += 1
    finally:
        engine.dispose()
    return done


@task(name="apply-unmerges", persist_result=False, cache_policy=NO_CACHE, **RETRY_TRANSIENT)
def apply_unmerges(db_url: SecretStr) -> dict[str, int]:
    """Undo the merge of every pair marked ``unmerge``; the pair is pending again."""
    engine = store_engine(db_url)
    done = {"unmerged": 0, "conflicts": 0}
    try:
        for candidate_id in pairs_with_status(engine, UNMERGE):
            undone = unmerge_requested_pair(engine, candidate_id, actor=ACTOR)
            if undone is not None:
                done["unmerged" if undone else "conflicts"] += 1
    finally:
        engine.dispose()
    return done


@task(name="refit-match-model", persist_result=False, cache_policy=NO_CACHE, **RETRY_TRANSIENT)
def refit_match_model(db_url: SecretStr) -> dict[str, Any]:
    """Refit the match model from every steward label into a new active version (none when
    nothing was decided since the last refit); the next import uses it."""
    engine = store_engine(db_url)
    try:
        labels = label_counts(engine)
        version = refit_from_store(engine)
    finally:
        engine.dispose()
    return {
        **labels,
        "refit": version is not None,
        "model_version": version,
    }


@flow(name="review-apply", validate_parameters=False)
def review_apply_flow(*, db_url: SecretStr | None = None, refit: bool = True) -> dict[str, Any]:
    """Apply pending steward decisions, then refit the match model from the labels."""
    logger = get_run_logger()
    url = db_url or SecretStr(Settings.from_env().database_url)
    unmerged = apply_unmerges(url)
    merged = apply_accepted(url)
    result: dict[str, Any] = {**merged, "unmerged": unmerged["unmerged"]}
    result["conflicts"] = merged["conflicts"] + unmerged["conflicts"]
    if refit:
        result["labels"] = refit_match_model(url)
    logger.info(
        "review apply: %d merged, %d unmerged, %d conflicts",
        result["merged"],
        result["unmerged"],
        result["conflicts"],
    )
    return result
