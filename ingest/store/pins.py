"""Steward pins: the value a steward chose for a person's field survives later imports."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, delete, select, update
from sqlalchemy.orm import Session

from ingest.errors import StoreError
from ingest.store.models import AuditEntry, FieldPin, Person
from ingest.store.sql import chunks

PINNABLE = ("honorific", "first_name", "middle_name", "last_name", "suffix", "full_name",
            "job_title")  # fmt: skip
"""Person fields a steward may pin (names and title: what a merge gets wrong)."""


@dataclass(frozen=True, slots=True)
class Choice:
    """A field whose value differs between the two people: the steward may choose the survivor
    (``default`` is the side survivorship keeps without a choice: the older person)."""

    name: str
    left: str
    right: str
    default: str


def choices(left: dict[str, Any], right: dict[str, Any]) -> list[Choice]:
    """The pinnable fields both people fill with different values."""
    default = "left" if left["id"] < right["id"] else "right"
    return [
        Choice(name, _text(left.get(name)), _text(right.get(name)), default)
        for name in PINNABLE
        if left.get(name) and right.get(name) and left.get(name) != right.get(name)
    ]


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def pin_field(engine: Engine, person_id: int, field: str, value: str | None, *, actor: str) -> None:
    """Set the person's ``field`` to ``value`` and keep it there (replacing an earlier pin),
    in a transaction of its own."""
    with Session(engine) as session, session.begin():
        pin_in(session, person_id, field, value, actor=actor)


def unpin_field(engine: Engine, person_id: int, field: str, *, actor: str) -> None:
    """Let survivorship decide the field again from the next import on."""
    with Session(engine) as session, session.begin():
        unpin_in(session, person_id, field, actor=actor)


def pin_in(session: Session, person_id: int, field: str, value: str | None, *, actor: str) -> None:
    """:func:`pin_field` inside the caller's transaction (a merge's choices)."""
    if field not in PINNABLE:
        raise StoreError(
            f"field {field!r} cannot be pinned", f"choose one of: {', '.join(PINNABLE)}"
        )
    if session.get(Person, person_id) is None:
        raise StoreError(f"no person with id {person_id}")
    session.execute(
        delete(FieldPin).where(FieldPin.person_id == person_id, FieldPin.field == field)
    )
    session.add(FieldPin(person_id=person_id, field=field, value=value, pinned_by=actor))
    session.execute(update(Person).where(Person.id == person_id).values({field: value}))
    session.add(AuditEntry(actor=actor, action="field.pinned", entity="person",
                           entity_id=person_id, details={"field": field}))  # fmt: skip


def unpin_in(session: Session, person_id: int, field: str, *, actor: str) -> None:
    """:func:`unpin_field` inside the caller's transaction."""
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


def pin_choices(
    session: Session,
    winner_id: int,
    loser_id: int,
    keep: Mapping[str, int],
    before: dict[str, Any],
    actor: str,
) -> list[dict[str, Any]]:
    """Pin each chosen value on the winner; returns what :func:`unpin_choices` needs to put
    the winner's pins back as they were (the earlier pin of each field, if any)."""
    if not keep:
        return []
    earlier = {
        field: (value, by)
        for field, value, by in session.execute(
            select(FieldPin.field, FieldPin.value, FieldPin.pinned_by).where(
                FieldPin.person_id == winner_id, FieldPin.field.in_(list(keep))
            )
        )
    }
    loser = session.get(Person, loser_id)
    undo = []
    for field, person_id in keep.items():
        value = before[field] if person_id == winner_id else getattr(loser, field)
        pin_in(session, winner_id, field, value, actor=actor)
        had, (old_value, old_by) = field in earlier, earlier.get(field, (None, None))
        undo.append({"field": field, "value": value, "had": had, "old": old_value, "by": old_by})
    return undo


def unpin_choices(
    session: Session, winner: Person, pins: list[dict[str, Any]], before: dict[str, Any], actor: str
) -> None:
    """Undo the pins a merge set, unless a later choice replaced them."""
    for pin in pins:
        field = pin["field"]
        current = session.scalar(
            select(FieldPin.value).where(FieldPin.person_id == winner.id, FieldPin.field == field)
        )
        if current != pin["value"]:
            continue
        unpin_in(session, winner.id, field, actor=actor)
        if pin["had"]:
            pin_in(session, winner.id, field, pin["old"], actor=pin["by"] or actor)
        else:
            setattr(winner, field, before.get(field))
