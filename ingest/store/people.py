"""Companies and golden person records: find-or-create companies, create and fill people.

Survivorship for this first path: within a cluster the first non-empty value wins; an existing
person's values are never overwritten, only missing ones are filled. Each value that lands on a
person records the raw record it came from (``value_provenance``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd
from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from ingest.store.models import Company, Person, ValueProvenance
from ingest.store.sql import chunks, insert_ignore

PERSON_FIELDS = (
    "honorific",
    "first_name",
    "middle_name",
    "last_name",
    "suffix",
    "full_name",
    "first_name_key",
    "last_name_key",
    "job_title",
)
COMPANY_FIELDS = {
    "company_name": "name",
    "company_domain": "domain",
    "website": "website",
    "industry": "industry",
    "company_size": "size",
    "street": "street",
    "city": "city",
    "region": "region",
    "postal_code": "postal_code",
    "country": "country",
}
COMPANY_ONLY_FIELDS = {**COMPANY_FIELDS, "phone": "phone"}
"""A company-only record (a directory listing) also gives the company's main line."""


def _present(value: Any) -> bool:
    return (
        value is not None
        and value is not pd.NA
        and not (isinstance(value, float) and value != value)
        and value != ""
    )


def first_by_group(
    rows: pd.DataFrame, by: str, fields: Iterable[str]
) -> dict[Any, dict[str, tuple[Any, int]]]:
    """Per group of ``by`` and per field: the first present value in row order and its row label.

    Vectorized per field (one pass each), so survivorship costs O(rows x fields), not O(groups).
    """
    chosen: dict[Any, dict[str, tuple[Any, int]]] = {}
    if rows.empty:
        return chosen
    labels = rows[by]
    row_labels = pd.Series(rows.index, index=rows.index)
    for field in fields:
        if field not in rows:
            continue
        column = rows[field]
        mask = column.map(_present).astype(bool)
        if not mask.any():
            continue
        firsts = pd.DataFrame(
            {"group": labels[mask], "value": column[mask], "row": row_labels[mask]}
        ).drop_duplicates("group", keep="first")
        for group, value, row in zip(firsts["group"], firsts["value"], firsts["row"], strict=True):
            chosen.setdefault(group, {})[field] = (value, int(row))
    return chosen


def resolve_companies(
    session: Session, frame: pd.DataFrame, *, fields: Mapping[str, str] = COMPANY_FIELDS
) -> tuple[dict[str, int], set[str]]:
    """Company id per ``company_key`` in the batch, creating the companies not yet stored.

    Returns the ids and the keys created here. Existing companies get their missing ``fields``
    filled (batch column → company column), never overwritten.
    """
    if "company_key" not in frame:
        return {}, set()
    keyed = frame.loc[frame["company_key"].map(_present).astype(bool)]
    keys = sorted(set(keyed["company_key"]))
    found: dict[str, int] = {}
    for part in chunks(keys):
        for company_id, key in session.execute(
            select(Company.id, Company.match_key)
            .where(Company.match_key.in_(part))
            .order_by(Company.id)
        ):
            found.setdefault(key, company_id)
    values_by_key = {
        key: {fields[col]: v for col, (v, _) in chosen.items()}
        for key, chosen in first_by_group(keyed, "company_key", fields).items()
    }
    values_by_key.update({k: {} for k in keys if k not in values_by_key})
    _fill_companies(session, {found[k]: values_by_key[k] for k in found})
    missing = [k for k in keys if k not in found]
    if missing:
        table = Company.__table__
        columns = ("match_key", *COMPANY_FIELDS.values(), *fields.values())
        new_rows = [
            {c: values_by_key[k].get(c) for c in columns} | {"match_key": k} for k in missing
        ]
        for row in new_rows:
            row["name"] = row.get("name") or row["match_key"]
        returned = session.execute(
            insert(table).returning(table.c.id, table.c.match_key, sort_by_parameter_order=True),
            new_rows,
        )
        found.update({key: company_id for company_id, key in returned})
    return found, set(missing)


def _fill_companies(session: Session, values: Mapping[int, Mapping[str, Any]]) -> None:
    if not values:
        return
    columns = sorted({c for v in values.values() for c in v})
    if not columns:
        return
    table = Company.__table__
    current = {}
    for part in chunks(sorted(values)):
        for row in session.execute(
            select(table.c.id, *(table.c[c] for c in columns)).where(table.c.id.in_(part))
        ):
            current[row.id] = row._asdict()
    _update_missing(session, table, current, values)


def _update_missing(
    session: Session,
    table: Any,
    current: Mapping[int, Mapping[str, Any]],
    values: Mapping[int, Mapping[str, Any]],
) -> None:
    """Set only the columns that are empty today; one executemany per shape of change."""
    by_shape: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row_id, new in values.items():
        have = current.get(row_id, {})
        changes = {c: v for c, v in new.items() if _present(v) and not _present(have.get(c))}
        if changes:
            by_shape.setdefault(tuple(sorted(changes)), []).append({"pid": row_id, **changes})
    for shape, rows in by_shape.items():
        stmt = (
            update(table)
            .where(table.c.id == bindparam("pid"))
            .values({c: bindparam(c) for c in shape})
        )
        session.execute(stmt, rows)


def create_people(
    session: Session,
    rows: pd.DataFrame,
    *,
    by: str,
    company_ids: Mapping[str, int],
    lead_source: str,
) -> tuple[dict[Any, int], dict[int, dict[str, int]]]:
    """Insert one golden person per group of ``by`` (a new cluster).

    Returns the person id per group and, per new person, the row each value came from.
    """
    labels = list(dict.fromkeys(rows[by])) if not rows.empty else []
    if not labels:
        return {}, {}
    chosen_by_group = first_by_group(rows, by, (*PERSON_FIELDS, "company_key"))
    records, provenance = [], []
    for label in labels:
        chosen = dict(chosen_by_group.get(label, {}))
        company = chosen.pop("company_key", (None, None))[0]
        records.append(
            {
                **{f: chosen[f][0] if f in chosen else None for f in PERSON_FIELDS},
                "company_id": company_ids.get(company) if company else None,
                "lead_source": lead_source,
            }
        )
        provenance.append({f: row for f, (_, row) in chosen.items()})
    table = Person.__table__
    ids = list(
        session.scalars(insert(table).returning(table.c.id, sort_by_parameter_order=True), records)
    )
    return dict(zip(labels, ids, strict=True)), dict(zip(ids, provenance, strict=True))


def fill_people(
    session: Session, rows: pd.DataFrame, *, by: str, company_ids: Mapping[str, int]
) -> dict[int, dict[str, int]]:
    """Fill the missing values of existing people (ids in ``by``) from their rows; never
    overwrite a value they have."""
    if rows.empty:
        return {}
    person_ids = sorted({int(p) for p in rows[by]})
    current: dict[int, dict[str, Any]] = {}
    for part in chunks(person_ids):
        for row in session.execute(
            select(
                Person.id, Person.company_id, *(getattr(Person, f) for f in PERSON_FIELDS)
            ).where(Person.id.in_(part))
        ):
            current[row.id] = row._asdict()
    values: dict[int, dict[str, Any]] = {}
    provenance: dict[int, dict[str, int]] = {}
    for person_id, chosen in first_by_group(rows, by, (*PERSON_FIELDS, "company_key")).items():
        person_id = int(person_id)
        have = current.get(person_id, {})
        changes: dict[str, Any] = {}
        sources: dict[str, int] = {}
        for field, (value, row) in chosen.items():
            if field == "company_key":
                if have.get("company_id") is None and value in company_ids:
                    changes["company_id"], sources["company_id"] = company_ids[value], row
            elif not _present(have.get(field)):
                changes[field], sources[field] = value, row
        if changes:
            values[person_id] = changes
            provenance[person_id] = sources
    _update_missing(session, Person.__table__, current, values)
    return provenance


def record_provenance(
    session: Session, provenance: Mapping[int, Mapping[str, int]], raw_ids: Mapping[int, int]
) -> None:
    """Store, per person and field, the raw record the surviving value came from."""
    rows = [
        {"person_id": pid, "field": field, "raw_record_id": raw_ids[row]}
        for pid, fields in provenance.items()
        for field, row in fields.items()
        if row in raw_ids
    ]
    insert_ignore(session, ValueProvenance.__table__, rows, "person_id", "field")
