"""The scheduled enrichment flow: census figures, company from email domain, phone facts, MX.

The run is defined once, in :mod:`flows.enrich_steps`; this module runs its stages as Prefect
tasks. People are enriched in person-id ranges (one task and one transaction per range), so the
tasks pass ids and counts only. The MX check is off by default; when on, each domain is looked
up at most once a week (Prefect's input cache) with a time limit, and only domains are sent out.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import INPUTS, NO_CACHE
from prefect.futures import PrefectFuture
from pydantic import SecretStr

from flows.enrich_steps import (
    DEFAULT_STEPS,
    EnrichStages,
    mx_answer,
    run_enrichment,
    with_store,
)
from flows.import_flow import RETRY_TRANSIENT
from ingest.config import Settings
from ingest.store.enrichment import (
    EnrichmentCounts,
    email_domains,
    enrich_range,
    id_ranges,
    write_mx,
)

__all__ = ["DEFAULT_STEPS", "enrichment_flow"]
MX_CACHE = timedelta(days=7)


@task(name="person-ranges", persist_result=False, cache_policy=NO_CACHE, **RETRY_TRANSIENT)
def person_ranges(db_url: SecretStr, size: int) -> list[tuple[int, int]]:
    return with_store(db_url, id_ranges, size)


@task(name="enrich-range", persist_result=False, cache_policy=NO_CACHE, **RETRY_TRANSIENT)
def enrich_chunk(
    db_url: SecretStr, first: int, last: int, steps: tuple[str, ...]
) -> EnrichmentCounts:
    """Enrich the people with ids ``first``..``last`` in one transaction (idempotent)."""
    return with_store(db_url, enrich_range, first, last, steps=steps)


@task(name="company-domains", persist_result=False, cache_policy=NO_CACHE, **RETRY_TRANSIENT)
def company_domains(db_url: SecretStr) -> list[str]:
    return with_store(db_url, email_domains)


@task(
    name="mx-lookup",
    cache_policy=INPUTS,
    cache_expiration=MX_CACHE,
    persist_result=True,
    result_serializer="json",
    timeout_seconds=30,
)
def mx_lookup(domain: str, timeout_s: float = 3.0) -> bool | None:
    """Whether the domain publishes mail exchangers: True, False, or None when unsure."""
    return mx_answer(domain, timeout_s)


@task(name="write-mx", persist_result=False, cache_policy=NO_CACHE, **RETRY_TRANSIENT)
def record_mx(db_url: SecretStr, results: dict[str, bool]) -> EnrichmentCounts:
    return with_store(db_url, write_mx, results)


class PrefectEnrichStages(EnrichStages):
    """The enrichment stages as Prefect tasks; ranges run concurrently on the task runner."""

    def __init__(self, db_url: SecretStr) -> None:
        super().__init__(db_url)
        self.logger = get_run_logger()

    def log(self, message: str, *args: object) -> None:
        self.logger.info(message, *args)

    def ranges(self, size: int) -> list[tuple[int, int]]:
        return person_ranges(self.db_url, size)

    def enrich(
        self, first: int, last: int, steps: tuple[str, ...]
    ) -> PrefectFuture[EnrichmentCounts]:
        return enrich_chunk.submit(self.db_url, first, last, steps)

    def domains(self) -> list[str]:
        return company_domains(self.db_url)

    def mx(self, domain: str, timeout_s: float) -> PrefectFuture[bool | None]:
        return mx_lookup.submit(domain, timeout_s)

    def write_mx(self, known: dict[str, bool]) -> EnrichmentCounts:
        return record_mx(self.db_url, known)


@flow(name="enrich", validate_parameters=False)
def enrichment_flow(
    *,
    db_url: SecretStr | None = None,
    steps: list[str] | None = None,
    people_per_task: int = 5_000,
    in_flight: int = 4,
    check_mx: bool = False,
    mx_timeout_s: float = 3.0,
) -> dict[str, Any]:
    """Enrich every live person; the result is the counts (written, refreshed, kept, ...)."""
    url = db_url or SecretStr(Settings.from_env().database_url)
    return run_enrichment(
        PrefectEnrichStages(url),
        steps=steps,
        people_per_task=people_per_task,
        in_flight=in_flight,
        check_mx=check_mx,
        mx_timeout_s=mx_timeout_s,
    )
