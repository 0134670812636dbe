"""The scheduled enrichment flow: census figures, company from email domain, phone facts, MX.

People are enriched in person-id ranges (one task and one transaction per range), so the tasks
pass ids and counts only. The MX check is off by default; when on, each domain is looked up at
most once a week (Prefect's input cache) with a time limit, and only domains are sent out.
"""

from __future__ import annotations

from collections import deque
from datetime import timedelta
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import INPUTS, NO_CACHE
from prefect.futures import PrefectFuture
from pydantic import SecretStr

from flows.import_flow import RETRY_TRANSIENT, store_engine
from ingest.config import Settings
from ingest.errors import ConfigError
from ingest.store.enrichment import (
    STEPS,
    EnrichmentCounts,
    email_domains,
    enrich_range,
    id_ranges,
    write_mx,
)

DEFAULT_STEPS = tuple(STEPS)
MX_CACHE = timedelta(days=7)


@task(name="person-ranges", persist_result=False, cache_policy=NO_CACHE, **RETRY_TRANSIENT)
def person_ranges(db_url: SecretStr, size: int) -> list[tuple[int, int]]:
    engine = store_engine(db_url)
    try:
        return id_ranges(engine, size)
    finally:
        engine.dispose()


@task(name="enrich-range", persist_result=False, cache_policy=NO_CACHE, **RETRY_TRANSIENT)
def enrich_chunk(
    db_url: SecretStr, first: int, last: int, steps: tuple[str, ...]
) -> EnrichmentCounts:
    """Enrich the people with ids ``first``..``last`` in one transaction (idempotent)."""
    engine = store_engine(db_url)
    try:
        return enrich_range(engine, first, last, steps=steps)
    finally:
        engine.dispose()


@task(name="company-domains", persist_result=False, cache_policy=NO_CACHE, **RETRY_TRANSIENT)
def company_domains(db_url: SecretStr) -> list[str]:
    engine = store_engine(db_url)
    try:
        return email_domains(engine)
    finally:
        engine.dispose()


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
    import dns.exception
    import dns.resolver

    resolver = dns.resolver.Resolver()
    resolver.lifetime = timeout_s
    try:
        return len(resolver.resolve(domain, "MX")) > 0
    except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
        return False
    except (dns.exception.Timeout, dns.resolver.NoNameservers):
        return None


@task(name="write-mx", persist_result=False, cache_policy=NO_CACHE, **RETRY_TRANSIENT)
def record_mx(db_url: SecretStr, results: dict[str, bool]) -> EnrichmentCounts:
    engine = store_engine(db_url)
    try:
        return write_mx(engine, results)
    finally:
        engine.dispose()


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
    logger = get_run_logger()
    url = db_url or SecretStr(Settings.from_env().database_url)
    chosen = tuple(steps or DEFAULT_STEPS)
    unknown = sorted(set(chosen) - set(STEPS))
    if unknown:
        raise ConfigError("steps", f"unknown enrichment steps {unknown}", f"use {sorted(STEPS)}")
    total = EnrichmentCounts()
    window: deque[PrefectFuture[EnrichmentCounts]] = deque()
    for first, last in person_ranges(url, people_per_task):
        window.append(enrich_chunk.submit(url, first, last, chosen))
        if len(window) >= max(in_flight, 1):
            total = total + window.popleft().result()
    while window:
        total = total + window.popleft().result()
    if check_mx:
        domains = company_domains(url)
        futures = {d: mx_lookup.submit(d, mx_timeout_s) for d in domains}
        answers = {d: f.result() for d, f in futures.items()}
        known = {d: bool(a) for d, a in answers.items() if a is not None}
        total = total + record_mx(url, known)
        logger.info(
            "MX checked for %d domains (%d unsure)", len(domains), len(domains) - len(known)
        )
    logger.info(
        "enrichment (%s): %d people, %d values written, %d refreshed, %d kept, %d companies linked",
        ", ".join(chosen),
        total.people,
        total.written,
        total.refreshed,
        total.kept,
        total.companies_linked,
    )
    return {
        "people": total.people,
        "written": total.written,
        "refreshed": total.refreshed,
        "kept": total.kept,
        "companies_linked": total.companies_linked,
        "by_field": total.by_field,
    }
