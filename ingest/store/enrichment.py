"""Enrichment of people already in the store, one id range at a time.

Every value goes into ``enrichments`` with its source and time; user- and source-entered data
is never changed. The only golden-record column written is a *missing* ``people.company_id``,
when a person's company email domain matches exactly one existing company. An enrichment row
whose source is not an enrichment job (a user or a source set it) is never replaced.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import phonenumbers
from sqlalchemy import Engine, and_, func, select, update
from sqlalchemy.orm import Session

from ingest.normalize.emails import DISPOSABLE_DOMAINS, FREE_DOMAINS
from ingest.records import row_dicts
from ingest.store.census import census_for_postal_codes
from ingest.store.models import Company, ContactPoint, Enrichment, Person, utcnow
from ingest.store.sql import chunks as in_chunks

JOB_PREFIX = "enrichment:"
"""Sources of values written by enrichment jobs; only these may be refreshed."""
CENSUS_SOURCE = JOB_PREFIX + "census:{dataset}"
DOMAIN_SOURCE = JOB_PREFIX + "email_domain"
PHONE_SOURCE = JOB_PREFIX + "phone"
MX_SOURCE = JOB_PREFIX + "mx"


@dataclass(slots=True)
class EnrichmentCounts:
    """What one enrichment step did (counts only)."""

    people: int = 0
    """Live people in the ranges processed."""
    written: int = 0
    refreshed: int = 0
    kept: int = 0
    companies_linked: int = 0
    by_field: dict[str, int] = field(default_factory=dict)

    def __add__(self, other: EnrichmentCounts) -> EnrichmentCounts:
        fields = dict(self.by_field)
        for key, value in other.by_field.items():
            fields[key] = fields.get(key, 0) + value
        return EnrichmentCounts(
            self.people + other.people,
            self.written + other.written,
            self.refreshed + other.refreshed,
            self.kept + other.kept,
            self.companies_linked + other.companies_linked,
            fields,
        )


@dataclass(frozen=True, slots=True)
class Value:
    entity: str
    entity_id: int
    field: str
    value: str
    source: str


def id_ranges(engine: Engine, size: int) -> list[tuple[int, int]]:
    """Inclusive ``(first, last)`` person-id ranges of about ``size`` ids each."""
    with Session(engine) as session:
        low, high = session.execute(select(func.min(Person.id), func.max(Person.id))).one()
    if low is None:
        return []
    return [(start, min(start + size - 1, high)) for start in range(low, high + 1, size)]


def _live(first: int, last: int) -> Any:
    return and_(Person.id.between(first, last), Person.merged_into_id.is_(None))


def census_values(session: Session, first: int, last: int) -> Iterator[Value]:
    """Census figures for every live person with a postal address that has a postal code."""
    rows = session.execute(
        select(ContactPoint.person_id, ContactPoint.postal_code)
        .join(Person, Person.id == ContactPoint.person_id)
        .where(_live(first, last), ContactPoint.kind == "address")
        .where(ContactPoint.postal_code.is_not(None))
        .where(func.coalesce(ContactPoint.country, "US") == "US")
    ).all()
    codes: dict[int, str] = {}
    for person_id, code in rows:
        if code is not None:  # (the query selects only stored codes)
            codes.setdefault(person_id, code.strip()[:5])
    figures = census_for_postal_codes(session, set(codes.values()))
    by_code: dict[str, list[dict[str, Any]]] = {}
    for figure in row_dicts(figures):
        by_code.setdefault(figure["postal_code"], []).append(figure)
    for person_id, code in sorted(codes.items()):
        for figure in by_code.get(code, ()):
            text = _figure_text(figure)
            if text is not None:
                yield Value(
                    "person",
                    person_id,
                    f"census.{figure['variable']}",
                    text,
                    CENSUS_SOURCE.format(dataset=figure["dataset"]),
                )


def _figure_text(figure: dict[str, Any]) -> str | None:
    for key, prefix in (("estimate", ""), ("lower_bound", ">=")):
        value = figure.get(key)
        if value is not None and value == value:  # not NaN
            return f"{prefix}{value:g}"
    return None


def company_domain_values(session: Session, first: int, last: int) -> Iterator[Value]:
    """A company guessed from a company email domain for live people without a company."""
    rows = session.execute(
        select(ContactPoint.person_id, ContactPoint.value)
        .join(Person, Person.id == ContactPoint.person_id)
        .where(_live(first, last), Person.company_id.is_(None), ContactPoint.kind == "email")
        .where(ContactPoint.is_valid.is_(True))
        .order_by(ContactPoint.person_id, ContactPoint.is_primary.desc(), ContactPoint.id)
    ).all()
    domains: dict[int, str] = {}
    for person_id, email in rows:
        domain = email.rsplit("@", 1)[-1].lower()
        if domain not in FREE_DOMAINS and domain not in DISPOSABLE_DOMAINS:
            domains.setdefault(person_id, domain)
    companies = _companies_by_domain(session, set(domains.values()))
    for person_id, domain in sorted(domains.items()):
        yield Value("person", person_id, "company_domain", domain, DOMAIN_SOURCE)
        if domain in companies:
            yield Value("person", person_id, "company_id", str(companies[domain]), DOMAIN_SOURCE)


def _companies_by_domain(session: Session, domains: set[str]) -> dict[str, int]:
    """Domain → company id, only for domains that exactly one company has."""
    found: dict[str, list[int]] = {}
    for chunk in in_chunks(sorted(domains)):
        for company_id, domain in session.execute(
            select(Company.id, Company.domain).where(Company.domain.in_(chunk))
        ):
            if domain is not None:  # (``in_`` matched it)
                found.setdefault(domain, []).append(company_id)
    return {d: ids[0] for d, ids in found.items() if len(ids) == 1}


def phone_values(session: Session, first: int, last: int) -> Iterator[Value]:
    """Line type and region of every phone contact point of live people (per distinct number)."""
    rows = session.execute(
        select(ContactPoint.id, ContactPoint.value)
        .join(Person, Person.id == ContactPoint.person_id)
        .where(_live(first, last), ContactPoint.kind == "phone")
    ).all()
    described: dict[str, tuple[str, str] | None] = {}
    for point_id, number in rows:
        if number not in described:
            described[number] = _describe_phone(number)
        facts = described[number]
        if facts is not None:
            yield Value("contact_point", point_id, "phone.line_type", facts[0], PHONE_SOURCE)
            yield Value("contact_point", point_id, "phone.region", facts[1], PHONE_SOURCE)


_TYPES = {v: k.lower() for k, v in vars(phonenumbers.PhoneNumberType).items() if k.isupper()}


def _describe_phone(e164: str) -> tuple[str, str] | None:
    try:
        parsed = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return None
    region = phonenumbers.region_code_for_number(parsed)
    if not region:
        return None
    return _TYPES.get(phonenumbers.number_type(parsed), "unknown"), region


def write_values(
    session: Session, values: Iterable[Value], *, now: datetime | None = None
) -> EnrichmentCounts:
    """Insert new values, refresh changed job values, keep everything a user or source set."""
    now = now or utcnow()
    wanted = {(v.entity, v.entity_id, v.field): v for v in values}
    counts = EnrichmentCounts()
    if not wanted:
        return counts
    existing: dict[tuple[str, int, str], list[tuple[int, str | None, str]]] = {}
    for entity in {k[0] for k in wanted}:
        ids = sorted({k[1] for k in wanted if k[0] == entity})
        for chunk in in_chunks(ids):
            for row in session.execute(
                select(
                    Enrichment.id,
                    Enrichment.entity_id,
                    Enrichment.field,
                    Enrichment.value,
                    Enrichment.source,
                ).where(Enrichment.entity == entity, Enrichment.entity_id.in_(chunk))
            ):
                existing.setdefault((entity, row.entity_id, row.field), []).append(
                    (row.id, row.value, row.source)
                )
    inserts, refresh = [], []
    for key, value in wanted.items():
        present = existing.get(key, [])
        if any(not source.startswith(JOB_PREFIX) for _, _, source in present):
            counts.kept += 1  # set by a user or a source: never replaced
            continue
        if any(old == value.value for _, old, _ in present):
            continue
        if present:
            refresh.append({"row_id": present[0][0], "value": value.value, "fetched_at": now})
            counts.refreshed += 1
        else:
            inserts.append(_row(value, now))
            counts.written += 1
        group = value.field.split(".", 1)[0]
        counts.by_field[group] = counts.by_field.get(group, 0) + 1
    if inserts:
        session.execute(Enrichment.__table__.insert(), inserts)
    for item in refresh:
        session.execute(
            update(Enrichment)
            .where(Enrichment.id == item["row_id"])
            .values(value=item["value"], fetched_at=item["fetched_at"])
        )
    return counts


def _row(value: Value, now: datetime) -> dict[str, Any]:
    return {
        "entity": value.entity,
        "entity_id": value.entity_id,
        "field": value.field,
        "value": value.value,
        "source": value.source,
        "fetched_at": now,
    }


def link_companies(session: Session, first: int, last: int) -> int:
    """Set a missing ``company_id`` from this job's ``company_id`` enrichment (never replaces)."""
    rows = session.execute(
        select(Enrichment.entity_id, Enrichment.value)
        .join(Person, Person.id == Enrichment.entity_id)
        .where(Enrichment.entity == "person", Enrichment.field == "company_id")
        .where(Enrichment.source == DOMAIN_SOURCE, _live(first, last))
        .where(Person.company_id.is_(None))
    ).all()
    links = [(person_id, int(value)) for person_id, value in rows if value is not None]
    for person_id, company_id in links:
        session.execute(
            update(Person)
            .where(Person.id == person_id, Person.company_id.is_(None))
            .values(company_id=company_id)
        )
    return len(links)


def _emails(session: Session) -> Iterator[tuple[int, str]]:
    """(contact point id, domain) of every valid email, streamed in one query."""
    rows = session.execute(
        select(ContactPoint.id, ContactPoint.value)
        .where(ContactPoint.kind == "email", ContactPoint.is_valid.is_(True))
        .execution_options(yield_per=10_000)
    )
    for point_id, email in rows:
        yield point_id, email.rsplit("@", 1)[-1].lower()


def email_domains(engine: Engine) -> list[str]:
    """Distinct domains of valid email contact points (free-mail and disposable excluded)."""
    with Session(engine) as session:
        found = {domain for _, domain in _emails(session)}
    return sorted(found - FREE_DOMAINS - DISPOSABLE_DOMAINS)


def write_mx(engine: Engine, results: dict[str, bool]) -> EnrichmentCounts:
    """Record ``email.mx`` (yes/no) on the email contact points of each checked domain."""
    with Session(engine) as session, session.begin():
        values = [
            Value("contact_point", point_id, "email.mx", "yes" if results[d] else "no", MX_SOURCE)
            for point_id, d in list(_emails(session))
            if d in results
        ]
        return write_values(session, values)


STEPS = {
    "census": census_values,
    "company": company_domain_values,
    "phone": phone_values,
}
"""The enrichment steps by name; each yields values for one person-id range."""


def enrich_range(
    engine: Engine, first: int, last: int, *, steps: Iterable[str] = tuple(STEPS)
) -> EnrichmentCounts:
    """Run the named steps over one id range in one transaction."""
    with Session(engine) as session, session.begin():
        counts = EnrichmentCounts()
        for step in steps:
            counts = counts + write_values(session, STEPS[step](session, first, last))
        counts.people = session.scalar(select(func.count()).where(_live(first, last))) or 0
        if "company" in steps:
            counts.companies_linked = link_companies(session, first, last)
        return counts
