"""Reads the matcher needs: people already in the store who share a blocking key with a batch."""

from __future__ import annotations

from collections import defaultdict

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from ingest.store.models import BlockingKey, Company, ContactPoint, Person
from ingest.store.sql import LIST_CHUNK, chunks, fetch, one_of

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
    "linkedin_key",
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
            listed = sorted(set(group["key"]))
            person_ids.update(
                person for person, in fetch(session, select(BlockingKey.person_id).where(
                    BlockingKey.rule == rule, one_of(session, BlockingKey.key, listed)
                ))
            )  # fmt: skip
    points = (("email", ("email_key",)), ("phone", ("phone", "mobile")),
              ("linkedin", ("linkedin_key",)))  # fmt: skip
    for kind, columns in points:
        if listed := _values(batch, *columns):
            person_ids.update(
                person for person, in fetch(session, select(ContactPoint.person_id).where(
                    ContactPoint.kind == kind, one_of(session, ContactPoint.match_key, listed)
                ))
            )  # fmt: skip
    if listed := _values(batch, "last_name_key"):
        # merged people are left out here, not in SQL: given ``merged_into_id IS NULL``, SQLite
        # (without statistics) reads every unmerged person through that column's index
        person_ids.update(
            person
            for person, merged_into in fetch(session, select(Person.id, Person.merged_into_id)
                                            .where(one_of(session, Person.last_name_key, listed)))
            if merged_into is None
        )  # fmt: skip
    return _describe_people(session, sorted(person_ids))


def _describe_people(session: Session, person_ids: list[int]) -> pd.DataFrame:
    rows: list[tuple[object, ...]] = []
    emails: dict[int, list[str]] = defaultdict(list)
    phones: dict[int, list[str]] = defaultdict(list)
    postal: dict[int, str] = {}
    streets: dict[int, str] = {}
    cities: dict[int, str] = {}
    profiles: dict[int, str] = {}
    for part in chunks(person_ids, LIST_CHUNK):
        for person_id, kind, key, postal_code, street, city in fetch(
            session,
            select(
                ContactPoint.person_id,
                ContactPoint.kind,
                ContactPoint.match_key,
                ContactPoint.postal_code,
                ContactPoint.street,
                ContactPoint.city,
            )
            .where(one_of(session, ContactPoint.person_id, part))
            .order_by(ContactPoint.id),  # first stored wins, on either store and any index
        ):
            if kind == "email" and key:
                emails[person_id].append(key)
            elif kind == "phone" and key:
                phones[person_id].append(key)
            elif kind == "linkedin" and key:
                profiles.setdefault(person_id, key)
            elif kind == "address" and postal_code:
                postal.setdefault(person_id, postal_code)
                if street:
                    streets.setdefault(person_id, street)
                if city:
                    cities.setdefault(person_id, city)
        for person_id, first, last, title, company_key, domain, merged_into in fetch(
            session,
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
            .where(one_of(session, Person.id, part)),
        ):
            if merged_into is not None:
                continue
            # in the order of EXISTING_COLUMNS
            rows.append((
                person_id, first, last, company_key, postal.get(person_id),
                tuple(emails.get(person_id, ())), tuple(phones.get(person_id, ())), domain,
                streets.get(person_id), cities.get(person_id), title, profiles.get(person_id),
            ))  # fmt: skip
    frame = pd.DataFrame.from_records(rows, columns=list(EXISTING_COLUMNS))
    return frame.sort_values("person_id", kind="stable").reset_index(drop=True)
