"""The enrichment run, defined once: person id ranges → enrich each range → (optionally) MX.

:func:`run_enrichment` drives an :class:`EnrichStages`. ``leadflow enrich`` runs the stages in
this process by default (Prefect is not even imported); ``flows.enrichment`` subclasses them
with Prefect tasks wrapping the very same functions (``leadflow enrich --prefect``, a configured
``PREFECT_API_URL``, Dask, or the scheduled deployment).
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import SecretStr
from sqlalchemy import Engine

from flows.store import store_engine
from ingest.errors import ConfigError
from ingest.importer import Done, Pending
from ingest.store.enrichment import (
    STEPS,
    EnrichmentCounts,
    email_domains,
    enrich_range,
    id_ranges,
    write_mx,
)

logger = logging.getLogger(__name__)
T = TypeVar("T")
DEFAULT_STEPS = tuple(STEPS)


def with_store(db_url: SecretStr, work: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``work(engine, *args, **kwargs)`` on an engine opened for it alone (tasks may run in
    other processes, so each step opens and disposes its own)."""
    engine: Engine = store_engine(db_url)
    try:
        return work(engine, *args, **kwargs)
    finally:
        engine.dispose()


def mx_answer(domain: str, timeout_s: float = 3.0) -> bool | None:
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


class EnrichStages:
    """The enrichment's steps, run in this process one after the other."""

    def __init__(self, db_url: SecretStr) -> None:
        self.db_url = db_url

    def log(self, message: str, *args: object) -> None:
        logger.info(message, *args)

    def ranges(self, size: int) -> list[tuple[int, int]]:
        return with_store(self.db_url, id_ranges, size)

    def enrich(self, first: int, last: int, steps: tuple[str, ...]) -> Pending[EnrichmentCounts]:
        return Done(with_store(self.db_url, enrich_range, first, last, steps=steps))

    def domains(self) -> list[str]:
        return with_store(self.db_url, email_domains)

    def mx(self, domain: str, timeout_s: float) -> Pending[bool | None]:
        return Done(mx_answer(domain, timeout_s))

    def write_mx(self, known: dict[str, bool]) -> EnrichmentCounts:
        return with_store(self.db_url, write_mx, known)


def run_enrichment(
    stages: EnrichStages,
    *,
    steps: list[str] | tuple[str, ...] | None = None,
    people_per_task: int = 5_000,
    in_flight: int = 4,
    check_mx: bool = False,
    mx_timeout_s: float = 3.0,
) -> dict[str, Any]:
    """Enrich every live person in id ranges (at most ``in_flight`` ranges at a time); the
    result is the counts (written, refreshed, kept, ...)."""
    chosen = tuple(steps or DEFAULT_STEPS)
    unknown = sorted(set(chosen) - set(STEPS))
    if unknown:
        raise ConfigError("steps", f"unknown enrichment steps {unknown}", f"use {sorted(STEPS)}")
    total = EnrichmentCounts()
    window: deque[Pending[EnrichmentCounts]] = deque()
    for first, last in stages.ranges(people_per_task):
        window.append(stages.enrich(first, last, chosen))
        if len(window) >= max(in_flight, 1):
            total = total + window.popleft().result()
    while window:
        total = total + window.popleft().result()
    if check_mx:
        domains = stages.domains()
        pending = {d: stages.mx(d, mx_timeout_s) for d in domains}
        answers = {d: p.result() for d, p in pending.items()}
        known = {d: bool(a) for d, a in answers.items() if a is not None}
        total = total + stages.write_mx(known)
        stages.log("MX checked for %d domains (%d unsure)", len(domains), len(domains) - len(known))
    stages.log(
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
