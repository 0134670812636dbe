"""Write what hangs off a person: contact points, consents (see ``consents``), activities and
custom values."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from ingest.records import CUSTOM_COLUMN
from ingest.store.consents import write_consents
from ingest.store.models import Activity, ContactPoint, CustomField, CustomValue
from ingest.store.sql import (
    LIST_CHUNK,
    chunks,
    column_values,
    dialect_insert,
    execute_columns,
    fetch,
    ignoring,
    insert_ignore,
    one_of,
)

ADDRESS_FIELDS = ("street", "city", "region", "postal_code", "country")


def _text(value: Any) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    text = str(value)
    return text or None


def _texts(values: list[Any]) -> list[str | None]:
    """``_text`` of each value; a plain string (the usual cell) is taken as it is."""
    return [(v or None) if type(v) is str else _text(v) for v in values]


def parse_timestamp(value: Any) -> datetime | None:
    """An ISO-8601 string from the normalize stage as an aware datetime (naive → UTC)."""
    text = _text(value)
    if text is None:
        return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def write_details(
    session: Session,
    loadable: pd.DataFrame,
    person_of_row: Mapping[int, int],
    raw_ids: Mapping[int, int],
    *,
    source_id: int,
) -> None:
    """Write the contact points, consents, activities and custom values of the loaded rows."""
    if loadable.empty:
        return
    _write_contact_points(session, loadable, person_of_row, raw_ids)
    write_consents(session, loadable, person_of_row, raw_ids, source_id)
    _write_activities(session, loadable, person_of_row, raw_ids, source_id)
    _write_custom_values(session, loadable, person_of_row, raw_ids)


def _phone_subtype(column: str, number_type: str | None) -> str:
    """The number's line type; a number from a mobile column is a mobile unless its type says
    otherwise (phonenumbers types most NANP numbers ``fixed_line_or_mobile``: it cannot tell)."""
    if column == "mobile" and number_type in (None, "", "fixed_line_or_mobile"):
        return "mobile"
    return number_type or column


def _point_parts(rows: pd.DataFrame) -> list[tuple[list[int], dict[str, list[Any]]]]:
    """The rows' contact points column by column, one part per column of the rows they come
    from (email, phone, mobile, LinkedIn, address): the row positions that have one, and the
    point's columns for those positions."""

    def part(kind: str, values: list[Any], **columns: list[Any]) -> tuple[list[int], dict]:
        kept = [i for i, v in enumerate(_texts(values)) if v]
        picked = {name: [column[i] for i in kept] for name, column in columns.items()}
        return kept, {"kind": [kind] * len(kept), "value": [values[i] for i in kept], **picked}

    def col(name: str) -> list[str | None]:
        return _texts(column_values(rows, name))

    nothing = [None] * len(rows)
    roles = ["role" if role else None for role in column_values(rows, "email_is_role")]
    parts = [part("email", column_values(rows, "email"), match_key=col("email_key"),
                  original=col("email_original"), subtype=roles)]  # fmt: skip
    for column in ("phone", "mobile"):
        numbers = column_values(rows, column)
        subtypes = [_phone_subtype(column, kind) for kind in col(f"{column}_type")]
        parts.append(part("phone", numbers, match_key=numbers,
                          original=col(f"{column}_original"), subtype=subtypes))  # fmt: skip
    linkedin = column_values(rows, "linkedin_url")
    parts.append(part("linkedin", linkedin, match_key=col("linkedin_key"), original=nothing,
                      subtype=nothing))  # fmt: skip
    address = {f: col(f) for f in ADDRESS_FIELDS}
    joined = zip(*address.values(), strict=True)
    lines = [", ".join(v for v in values if v) or None for values in joined]
    parts.append(part("address", lines, match_key=nothing, original=nothing, subtype=nothing,
                      **address))  # fmt: skip
    return parts


def _write_contact_points(
    session: Session,
    rows: pd.DataFrame,
    person_of_row: Mapping[int, int],
    raw_ids: Mapping[int, int],
) -> None:
    people = sorted(set(person_of_row.values()))
    has_primary: set[tuple[int, str]] = set()
    known: set[tuple[int, str, str]] = set()
    for part in chunks(people, LIST_CHUNK):
        for person_id, kind, value, key, primary in fetch(
            session,
            select(
                ContactPoint.person_id,
                ContactPoint.kind,
                ContactPoint.value,
                ContactPoint.match_key,
                ContactPoint.is_primary,
            ).where(one_of(session, ContactPoint.person_id, part)),
        ):
            known.add((person_id, kind, key or value))
            if primary:
                has_primary.add((person_id, kind))
    labels = [int(r) for r in rows.index]
    persons = [person_of_row[r] for r in labels]
    parts = _point_parts(rows)
    # every part's points one after the other ("flat" positions), visited by row, then part
    flat: dict[str, list[Any]] = {}
    nothing = [None] * len(rows)
    for c in ("kind", "value", "match_key", "original", "subtype", *ADDRESS_FIELDS):
        flat[c] = [v for kept, point in parts for v in point.get(c, nothing)[: len(kept)]]
    row_of = np.fromiter((i for kept, _ in parts for i in kept), dtype=np.int64)
    part_of = np.repeat(np.arange(len(parts)), [len(kept) for kept, _ in parts])
    picked: list[int] = []  # the new points' flat positions
    primaries: list[bool] = []
    rows_of = row_of.tolist()
    for f in np.lexsort((part_of, row_of)).tolist():
        person_id, kind = persons[rows_of[f]], flat["kind"][f]
        # the same mailbox spelled differently (case, dots, +tags) is one contact point
        identity = (person_id, kind, flat["match_key"][f] or flat["value"][f])
        if identity in known:
            continue
        known.add(identity)
        primaries.append((person_id, kind) not in has_primary)
        has_primary.add((person_id, kind))
        picked.append(f)
    columns: dict[str, list[Any]] = {c: [values[f] for f in picked] for c, values in flat.items()}
    columns.update(
        person_id=[persons[rows_of[f]] for f in picked],
        is_valid=[True] * len(picked),
        is_primary=primaries,
        raw_record_id=[raw_ids[labels[rows_of[f]]] for f in picked],
    )
    execute_columns(session, ignoring(session, ContactPoint.__table__, "person_id", "kind",
                                      "value"), columns)  # fmt: skip


def _write_activities(
    session: Session,
    rows: pd.DataFrame,
    person_of_row: Mapping[int, int],
    raw_ids: Mapping[int, int],
    source_id: int,
) -> None:
    kinds = [_text(v) for v in column_values(rows, "activity_kind")]
    kept = [i for i, kind in enumerate(kinds) if kind]
    if not kept:
        return
    labels = [int(r) for r in rows.index]
    subjects, captured = column_values(rows, "activity_subject"), column_values(rows, "captured_at")
    columns: dict[str, list[Any]] = {
        "person_id": [person_of_row[labels[i]] for i in kept],
        "kind": [kinds[i] for i in kept],
        "subject": [_text(subjects[i]) for i in kept],
        "occurred_at": [parse_timestamp(captured[i]) for i in kept],
        "source_id": [source_id] * len(kept),
        "raw_record_id": [raw_ids[labels[i]] for i in kept],
        "details": [None] * len(kept),
    }
    execute_columns(
        session, ignoring(session, Activity.__table__, "raw_record_id", "kind"), columns
    )


def _write_custom_values(
    session: Session,
    rows: pd.DataFrame,
    person_of_row: Mapping[int, int],
    raw_ids: Mapping[int, int],
) -> None:
    values: dict[tuple[str, int], dict[str, Any]] = {}
    for row, custom in zip(rows.index.tolist(), column_values(rows, CUSTOM_COLUMN), strict=True):
        if not isinstance(custom, Mapping):
            continue
        for name, value in custom.items():
            if _text(value) is not None:
                values[(str(name), person_of_row[int(row)])] = {
                    "value": str(value),
                    "raw_record_id": raw_ids[int(row)],
                }
    if not values:
        return
    names = sorted({name for name, _ in values})
    insert_ignore(
        session,
        CustomField.__table__,
        [{"entity": "person", "name": n, "data_type": "text"} for n in names],
        "entity",
        "name",
    )
    field_ids: dict[str, int] = {}
    for part in chunks(names):
        field_ids.update(
            (name, fid)
            for fid, name in session.execute(
                select(CustomField.id, CustomField.name).where(
                    CustomField.entity == "person", CustomField.name.in_(part)
                )
            )
        )
    table = CustomValue.__table__
    stmt = dialect_insert(session, table)
    stmt = stmt.on_conflict_do_update(
        index_elements=["field_id", "entity_id"],
        set_={"value": stmt.excluded.value, "raw_record_id": stmt.excluded.raw_record_id},
    )
    session.execute(
        stmt,
        [
            {"field_id": field_ids[name], "entity_id": person_id, **value}
            for (name, person_id), value in values.items()
        ],
    )
