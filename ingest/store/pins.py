"""Steward pins: the value a steward chose for a person's field survives later imports."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Engine, delete, select, update
from sqlalchemy.orm import Session

from ingest.errors import StoreError
from ingest.store.models import AuditEntry, FieldPin, Person
from ingest.store.sql import chunks

PINNABLE = ("honorific", "first_name", "middle_name", "last_name", "suffix", "full_name",
            "job_title")  # fmt: skip
"""Person fields a steward may pin (names and title: what a merge gets wrong)."""


def pin_field(engine: Engine, person_id: int, field: str, value: str | None, *, actor: str) -> None:
    """Set the person's ``field`` to ``value`` and keep it there (replacing an earlier pin)."""
    if field not in PINNABLE:
        raise StoreError(
            f"field {field!r} cannot be pinned", f"choose one of: {', '.join(PINNABLE)}"
        )
    with Session(engine) as session, session.begin():
        if session.get(Person, person_id) is None:
            raise StoreError(f"no person with id {person_id}")
        session.execute(
            delete(FieldPin).where(FieldPin.person_id == person_id, FieldPin.field == field)
        )
        session.add(FieldPin(person_id=person_id, field=field, value=value, pinned_by=actor))
        session.execute(update(Person).where(Person.id == person_id).values({field: value}))
        session.add(AuditEntry(actor=actor, action="field.pinned", entity="person",
                               entity_id=person_id, details={"field": field}))  # fmt: skip


def unpin_field(engine: Engine, person_id: int, field: str, *, actor: str) -> None:
    """Let survivorship decide the field again from the next import on."""
    with Session(engine) as session, session.begin():
        session.execute(
            delete(FieldPin).where(FieldPin.person_id == person_id, FieldPin.field == field)
        )
        session.add(AuditEntry(actor=actor, action="field.unpinned", entity="person",
                               entity_id=person_id, details={"field": field}))  # fmt: skip


def pins_of(session: Session, person_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """Person id -> {field: pinned value} (one query per chunk of ids)."""
    found: dict[int, dict[str, Any]] = {}
    for part in chunks(sorted(set(person_ids))):
        for pid, field, value in session.execute(
            select(FieldPin.person_id, FieldPin.field, FieldPin.value).where(
                FieldPin.person_id.in_(part)
            )
        ):
            found.setdefault(pid, {})[field] = value
    return found
