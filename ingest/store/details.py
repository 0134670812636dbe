"""Write what hangs off a person: contact points, consents (see ``consents``), activities and
custom values."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from ingest.records import CUSTOM_COLUMN
from ingest.store.consents import write_consents
from ingest.store.models import Activity, ContactPoint, CustomField, CustomValue
from ingest.store.sql import chunks, dialect_insert, frame_records, insert_ignore

ADDRESS_FIELDS = ("street", "city", "region", "postal_code", "country")


def _text(value: Any) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    text = str(value)
    return text or None


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
    records = frame_records(loadable)
    _write_contact_points(session, records, person_of_row, raw_ids)
    write_consents(session, records, person_of_row, raw_ids, source_id)
    _write_activities(session, records, person_of_row, raw_ids, source_id)
    _write_custom_values(session, records, person_of_row, raw_ids)


def _phone_subtype(column: str, number_type: str | None) -> str:
    """The number's line type; a number from a mobile column is a mobile unless its type says
    otherwise (phonenumbers types most NANP numbers ``fixed_line_or_mobile``: it cannot tell)."""
    if column == "mobile" and number_type in (None, "", "fixed_line_or_mobile"):
        return "mobile"
    return number_type or column


def _contact_points_of(rec: Mapping[str, Any]) -> list[dict[str, Any]]:
    points = []
    if _text(rec.get("email")):
        points.append(
            {
                "kind": "email",
                "value": rec["email"],
                "match_key": _text(rec.get("email_key")),
                "original": _text(rec.get("email_original")),
                "subtype": "role" if rec.get("email_is_role") else None,
            }
        )
    for column in ("phone", "mobile"):
        if _text(rec.get(column)):
            points.append(
                {
                    "kind": "phone",
                    "value": rec[column],
                    "match_key": rec[column],
                    "original": _text(rec.get(f"{column}_original")),
                    "subtype": _phone_subtype(column, _text(rec.get(f"{column}_type"))),
                }
            )
    if _text(rec.get("linkedin_url")):
        points.append(
            {
                "kind": "linkedin",
                "value": rec["linkedin_url"],
                "match_key": _text(rec.get("linkedin_key")),
                "original": None,
                "subtype": None,
            }
        )
    address = {f: _text(rec.get(f)) for f in ADDRESS_FIELDS}
    if any(address.values()):
        line = ", ".join(v for v in address.values() if v)
        points.append(
            {
                "kind": "address",
                "value": line,
                "match_key": None,
                "original": None,
                "subtype": None,
                **address,
            }
        )
    return points


def _write_contact_points(
    session: Session,
    records: Mapping[Any, Mapping[str, Any]],
    person_of_row: Mapping[int, int],
    raw_ids: Mapping[int, int],
) -> None:
    people = sorted(set(person_of_row.values()))
    has_primary: set[tuple[int, str]] = set()
    known: set[tuple[int, str, str]] = set()
    for part in chunks(people):
        for person_id, kind, value, key, primary in session.execute(
            select(
                ContactPoint.person_id,
                ContactPoint.kind,
                ContactPoint.value,
                ContactPoint.match_key,
                ContactPoint.is_primary,
            ).where(ContactPoint.person_id.in_(part))
        ):
            known.add((person_id, kind, key or value))
            if primary:
                has_primary.add((person_id, kind))
    rows: list[dict[str, Any]] = []
    for row, rec in records.items():
        person_id = person_of_row[int(row)]
        for point in _contact_points_of(rec):
            # the same mailbox spelled differently (case, dots, +tags) is one contact point
            identity = (person_id, point["kind"], point["match_key"] or point["value"])
            if identity in known:
                continue
            known.add(identity)
            primary = (person_id, point["kind"]) not in has_primary
            has_primary.add((person_id, point["kind"]))
            rows.append(
                {
                    **dict.fromkeys(ADDRESS_FIELDS),
                    **point,
                    "person_id": person_id,
                    "is_valid": True,
                    "is_primary": primary,
                    "raw_record_id": raw_ids[int(row)],
                }
            )
    insert_ignore(session, ContactPoint.__table__, rows, "person_id", "kind", "value")


def _write_activities(
    session: Session,
    records: Mapping[Any, Mapping[str, Any]],
    person_of_row: Mapping[int, int],
    raw_ids: Mapping[int, int],
    source_id: int,
) -> None:
    rows = [
        {
            "person_id": person_of_row[int(row)],
            "kind": _text(rec.get("activity_kind")),
            "subject": _text(rec.get("activity_subject")),
            "occurred_at": parse_timestamp(rec.get("captured_at")),
            "source_id": source_id,
            "raw_record_id": raw_ids[int(row)],
            "details": None,
        }
        for row, rec in records.items()
        if _text(rec.get("activity_kind"))
    ]
    insert_ignore(session, Activity.__table__, rows, "raw_record_id", "kind")


def _write_custom_values(
    session: Session,
    records: Mapping[Any, Mapping[str, Any]],
    person_of_row: Mapping[int, int],
    raw_ids: Mapping[int, int],
) -> None:
    values: dict[tuple[str, int], dict[str, Any]] = {}
    for row, rec in records.items():
        custom = rec.get(CUSTOM_COLUMN)
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
