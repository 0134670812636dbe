"""Find people by what a steward knows: an email address, a phone number or a name."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Engine, func, or_, select
from sqlalchemy.orm import Session

from ingest.normalize import normalize_email
from ingest.normalize.errors import NormalizationError
from ingest.store.engine import reader
from ingest.store.models import Company, ContactPoint, Person

LIMIT = 50
_PHONE = re.compile(r"^[+(\d][\d\s().\-/]{5,}$")


@dataclass(frozen=True, slots=True)
class Found:
    """One person matching a search, with what identifies them on screen."""

    person_id: int
    name: str
    email: str | None
    company: str | None
    matched_on: str


def find_people(engine: Engine, query: str, *, limit: int = LIMIT) -> list[Found]:
    """People whose email, phone (last digits compared) or name matches ``query``."""
    text = query.strip()
    if not text:
        return []
    with Session(reader(engine)) as session:
        if "@" in text:
            keys = {text.lower()}
            try:
                found = normalize_email(text)
                keys |= {found.email_key, found.email.lower()}
            except NormalizationError:
                pass
            ids = session.scalars(
                select(ContactPoint.person_id).where(
                    ContactPoint.kind == "email",
                    or_(ContactPoint.match_key.in_(keys), func.lower(ContactPoint.value).in_(keys)),
                )
            ).all()
            matched = "email"
        elif _PHONE.match(text):
            digits = re.sub(r"\D", "", text)[-9:]
            ids = session.scalars(
                select(ContactPoint.person_id).where(
                    ContactPoint.kind == "phone", ContactPoint.value.like(f"%{digits}")
                )
            ).all()
            matched = "phone"
        else:
            words = [w.lower() for w in text.split() if w]
            name = func.lower(
                func.coalesce(Person.first_name, "") + " " + func.coalesce(Person.last_name, "")
                + " " + func.coalesce(Person.full_name, "")
            )  # fmt: skip
            ids = session.scalars(
                select(Person.id).where(*(name.like(f"%{w}%") for w in words))
            ).all()
            matched = "name"
        ids = sorted(set(ids))[:limit]
        rows = session.execute(
            select(Person, Company.name)
            .outerjoin(Company, Company.id == Person.company_id)
            .where(Person.id.in_(ids), Person.merged_into_id.is_(None))
            .order_by(Person.id)
        ).all()
        emails = dict(
            session.execute(
                select(ContactPoint.person_id, ContactPoint.value)
                .where(ContactPoint.person_id.in_(ids), ContactPoint.kind == "email")
                .order_by(ContactPoint.is_primary, ContactPoint.id)
            ).all()
        )
        return [
            Found(
                p.id,
                " ".join(x for x in (p.first_name, p.last_name) if x) or p.full_name or "",
                emails.get(p.id),
                company,
                matched,
            )
            for p, company in rows
        ]
