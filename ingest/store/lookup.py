"""Reads the matcher needs: people already in the store who share a blocking key with a batch."""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from ingest.normalize.nicknames import name_variants
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
    """Existing (unmerged) people sharing an email key, a phone, a surname key and first
    initial, or one of the matcher's blocking ``keys`` (``rule``, ``key`` columns) with the
    batch.

    Uses the indexes on ``contact_points(kind, match_key)``, ``people(last_name_key, ...)`` and
    ``blocking_keys(rule, key)``; never scans the whole store.
    """
    person_ids: set[int] = set()
    if keys is not None and not keys.empty:
        for rule, group in keys.groupby("rule", sort=True):
            person_ids.update(_keyed_people(session, str(rule), _with_names(group, batch)))
    for kind, columns in (("email", ("email_key",)), ("phone", ("phone", "mobile"))):
        for part in chunks(_values(batch, *columns)):
            person_ids.update(
                session.scalars(
                    select(ContactPoint.person_id).where(
                        ContactPoint.kind == kind, ContactPoint.match_key.in_(part)
                    )
                )
            )
    person_ids.update(_namesakes(session, batch))
    return _describe_people(session, sorted(person_ids))


PAIRS_PER_ROW = 5
"""A stored blocking rule may bring at most this many (row, stored person) pairs per batch row
(or ``MIN_RULE_PAIRS``), as the batch planner's budget of one rule: a key over it is tightened
by the first initial, then the last (a street and postcode shared by a whole office)."""
MIN_RULE_PAIRS = 200_000
TIGHTEN = ("fi", "li")


def _with_names(keys: pd.DataFrame, batch: pd.DataFrame) -> pd.DataFrame:
    """One rule's keys (``row``, ``key``) with the first initials (``fi``, nickname forms
    exploded) and the last initial (``li``) of their row."""
    rows = batch.reindex(keys.index)
    return _initial_rows(keys.index.tolist(), keys["key"].tolist(), rows, "row")


def _initial_rows(
    ids: list[object], keys: list[object], names: pd.DataFrame, id_column: str
) -> pd.DataFrame:
    firsts = names["first_name_key"].tolist() if "first_name_key" in names else [None] * len(ids)
    lasts = names["last_name_key"].tolist() if "last_name_key" in names else [None] * len(ids)
    out = [
        (i, key, fi, last[:1] if isinstance(last, str) else "")
        for i, key, first, last in zip(ids, keys, firsts, lasts, strict=True)
        for fi in _initials(first)
    ]
    return pd.DataFrame(out, columns=[id_column, "key", "fi", "li"])


def _keyed_people(session: Session, rule: str, wanted: pd.DataFrame) -> set[int]:
    """Unmerged people holding one of the batch's keys of ``rule`` (``wanted``: ``row``, ``key``,
    ``fi``, ``li``), the rule tightened (see ``PAIRS_PER_ROW``) while over its budget; the
    tightest form is kept even over it (a key is never dropped: the store keeps no other)."""
    found: list[tuple[Any, ...]] = []
    for part in chunks(sorted(set(wanted["key"]))):
        found.extend(
            session.execute(
                select(
                    BlockingKey.person_id, BlockingKey.key, Person.first_name_key,
                    Person.last_name_key,
                )
                .join(Person, Person.id == BlockingKey.person_id)
                .where(
                    BlockingKey.rule == rule, BlockingKey.key.in_(part),
                    Person.merged_into_id.is_(None),
                )
            )
        )  # fmt: skip
    if not found:
        return set()
    ids, keys, firsts, lasts = zip(*found, strict=True)
    names = pd.DataFrame({"first_name_key": firsts, "last_name_key": lasts})
    stored = _initial_rows(list(ids), list(keys), names, "person_id")
    budget = max(PAIRS_PER_ROW * wanted["row"].nunique(), MIN_RULE_PAIRS)
    columns = ["key"]
    pairs = _shared(wanted, stored, columns)
    for more in TIGHTEN:
        if len(pairs) <= budget:
            break
        columns.append(more)
        pairs = _shared(wanted, stored, columns)
    return set(pairs["person_id"].tolist())


def _shared(wanted: pd.DataFrame, stored: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The (``row``, ``person_id``) pairs that agree on ``columns``."""
    rows = wanted[["row", *columns]].drop_duplicates()
    people = stored[["person_id", *columns]].drop_duplicates()
    return rows.merge(people, on=columns)[["row", "person_id"]].drop_duplicates()


def _initials(first_key: object) -> frozenset[str]:
    """A first-name key's initial and its nickname initial (that of its alphabetically first
    nickname form, the blocking's ``fn_nick_initial``: "bob" and "robert" share "b");
    ``{""}`` for no first name."""
    if not isinstance(first_key, str) or not first_key:
        return frozenset({""})
    return _name_initials(first_key)


@lru_cache(maxsize=50_000)
def _name_initials(first_key: str) -> frozenset[str]:
    return frozenset({first_key[:1], min(name_variants(first_key) or {first_key})[:1]})


def _namesakes(session: Session, batch: pd.DataFrame) -> set[int]:
    """Unmerged people sharing a row's surname key and a first initial (nickname forms
    counted): a lone surname would bring every Smith of the store to every Smith of the batch.
    Reads the ``people(last_name_key, first_name_key)`` index only."""
    if "last_name_key" not in batch:
        return set()
    firsts = batch["first_name_key"] if "first_name_key" in batch else pd.Series(index=batch.index)
    wanted: set[tuple[str, str]] = set()
    for last, first in zip(batch["last_name_key"].tolist(), firsts.tolist(), strict=True):
        if isinstance(last, str) and last:
            wanted.update((last, initial) for initial in _initials(first))
    found: set[int] = set()
    for part in chunks(sorted({last for last, _ in wanted})):
        for person_id, last, first in session.execute(
            select(Person.id, Person.last_name_key, Person.first_name_key).where(
                Person.last_name_key.in_(part), Person.merged_into_id.is_(None)
            )
        ):
            if any((last, initial) in wanted for initial in _initials(first)):
                found.add(person_id)
    return found


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
