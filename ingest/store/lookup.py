"""Reads the matcher needs: people already in the store who share a blocking key with a batch."""

from __future__ import annotations

from collections import defaultdict

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from ingest.store.models import BlockingKey, Company, ContactPoint, Person
from ingest.store.sql import chunks

EXISTING_COLUMNS = (
    "person_id",
    "first_name_key",
    "last_name_key",
    "company_key",
    "postal_code",
    "email_keys",
    "phones",
    "company_domain",
    "street",
    "city",
    "job_title",
)


def _values(batch: pd.DataFrame, *columns: str) -> list[str]:
    found: set[str] = set()
    for column in columns:
        if column in batch:
            found.update(v for v in batch[column].dropna().unique() if isinstance(v, str) and v)
    return sorted(found)


def find_candidates(
    session: Session, batch: pd.DataFrame, keys: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Existing (unmerged) people sharing an email key, a phone, a surname key or one of the
    matcher's blocking ``keys`` (``rule``, ``key`` columns) with the batch.

    Uses the indexes on ``contact_points(kind, match_key)``, ``people(last_name_key, ...)`` and
    ``blocking_keys(rule, key)``; never scans the whole store.
    """
    person_ids: set[int] = set()
    if keys is not None and not keys.empty:
        for rule, group in keys.groupby("rule", sort=True):
            for part in chunks(sorted(set(group["key"]))):
                person_ids.update(
                    session.scalars(
                        select(BlockingKey.person_id).where(
                            BlockingKey.rule == rule, BlockingKey.key.in_(part)
                        )
                    )
                )
    for kind, columns in (("email", ("email_key",)), ("phone", ("phone", "mobile"))):
        for part in chunks(_values(batch, *columns)):
            person_ids.update(
                session.scalars(
                    select(ContactPoint.person_id).where(
                        ContactPoint.kind == kind, ContactPoint.match_key.in_(part)
                    )
                )
            )
    for part in chunks(_values(batch, "last_name_key")):
        person_ids.update(
            session.scalars(
                select(Person.id).where(
                    Person.last_name_key.in_(part), Person.merged_into_id.is_(None)
                )
            )
        )
    return _describe_people(session, sorted(person_ids))


def _describe_people(session: Session, person_ids: list[int]) -> pd.DataFrame:
    rows: list[dict[str, object]] = []
    emails: dict[int, list[str]] = defaultdict(list)
    phones: dict[int, list[str]] = defaultdict(list)
    postal: dict[int, str] = {}
    streets: dict[int, str] = {}
    cities: dict[int, str] = {}
    for part in chunks(person_ids):
        for person_id, kind, key, postal_code, street, city in session.execute(
            select(
                ContactPoint.person_id,
                ContactPoint.kind,
                ContactPoint.match_key,
                ContactPoint.postal_code,
                ContactPoint.street,
                ContactPoint.city,
            ).where(ContactPoint.person_id.in_(part))
        ):
            if kind == "email" and key:
                emails[person_id].append(key)
            elif kind == "phone" and key:
                phones[person_id].append(key)
            elif kind == "address" and postal_code:
                postal.setdefault(person_id, postal_code)
                if street:
                    streets.setdefault(person_id, street)
                if city:
                    cities.setdefault(person_id, city)
        for person_id, first, last, title, company_key, domain, merged_into in session.execute(
            select(
                Person.id,
                Person.first_name_key,
                Person.last_name_key,
                Person.job_title,
                Company.match_key,
                Company.domain,
                Person.merged_into_id,
            )
            .outerjoin(Company, Company.id == Person.company_id)
            .where(Person.id.in_(part))
        ):
            if merged_into is not None:
                continue
            rows.append(
                {
                    "person_id": person_id,
                    "first_name_key": first,
                    "last_name_key": last,
                    "company_key": company_key,
                    "postal_code": postal.get(person_id),
                    "email_keys": tuple(emails.get(person_id, ())),
                    "phones": tuple(phones.get(person_id, ())),
                    "company_domain": domain,
                    "street": streets.get(person_id),
                    "city": cities.get(person_id),
                    "job_title": title,
                }
            )
    frame = pd.DataFrame(rows, columns=list(EXISTING_COLUMNS))
    return frame.sort_values("person_id", kind="stable").reset_index(drop=True)
