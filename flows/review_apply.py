"""The review-apply flow: the steps of :mod:`flows.review_steps` as Prefect tasks (the
``leadflow-review-apply`` deployment, ``leadflow review-apply --prefect``)."""

from __future__ import annotations

from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from pydantic import SecretStr

from flows.import_flow import RETRY_TRANSIENT
from flows.review_steps import (
    ACTOR,
    ReviewStages,
    apply_accepted,
    apply_reviews,
    apply_unmerges,
    refit_match_model,
)
from ingest.config import Settings
from ingest.store.decisions import UNMERGE

__all__ = ["ACTOR", "UNMERGE", "review_apply_flow"]
accepted_task = task(
    name="apply-accepted", persist_result=False, cache_policy=NO_CACHE, **RETRY_TRANSIENT
)(apply_accepted)
unmerges_task = task(
    name="apply-unmerges", persist_result=False, cache_policy=NO_CACHE, **RETRY_TRANSIENT
)(apply_unmerges)
refit_task = task(
    name="refit-match-model", persist_result=False, cache_policy=NO_CACHE, **RETRY_TRANSIENT
)(refit_match_model)


class PrefectReviewStages(ReviewStages):
    """The review-apply steps as Prefect tasks."""

    def __init__(self) -> None:
        self.logger = get_run_logger()

    def log(self, message: str, *args: object) -> None:
        self.logger.info(message, *args)

    def unmerges(self, db_url: SecretStr) -> dict[str, int]:
        return unmerges_task(db_url)

    def accepted(self, db_url: SecretStr) -> dict[str, int]:
        return accepted_task(db_url)

    def refit(self, db_url: SecretStr) -> dict[str, Any]:
        return refit_task(db_url)


@flow(name="review-apply", validate_parameters=False)
def review_apply_flow(*, db_url: SecretStr | None = None, refit: bool = True) -> dict[str, Any]:
    """Apply pending steward decisions, then refit the match model from the labels."""
    url = db_url or SecretStr(Settings.from_env().database_url)
    return apply_reviews(PrefectReviewStages(), url, refit=refit)
