"""Compliance entry points composed for the CLI: erasure, subject export, consent views."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import Engine

from ingest.config import Settings
from ingest.consent_policy import ConsentPolicy, load_policy
from ingest.errors import LeadflowError
from ingest.normalize import NormalizationError
from ingest.store.erasure import ErasureReport, erase_people, find_people
from ingest.store.meta import hash_salt
from ingest.store.subject import consent_reason_counts, subject_export
from ingest.suppressions import matching_key


class SubjectNotFoundError(LeadflowError):
    """No stored person matches the given email, phone or id."""


def _keys(
    email: str | None, phone: str | None, region: str | None
) -> tuple[str | None, str | None]:
    try:
        email_key = matching_key(email, "email") if email else None
        e164 = matching_key(phone, "phone", default_region=region) if phone else None
    except NormalizationError as exc:
        raise SubjectNotFoundError(
            f"the given {'email' if email else 'phone'} cannot be normalized ({exc.code})"
        ) from None
    return email_key, e164


def erase_subject(
    engine: Engine, *, settings: Settings, email: str | None = None, phone: str | None = None,
    person_id: int | None = None, region: str | None = None, files: Sequence[Path] = (),
) -> ErasureReport:  # fmt: skip
    """Erase everyone the email, phone or id identifies; the values are suppressed even when no
    one is stored, so a later import of them is suppressed too."""
    email_key, e164 = _keys(email, phone, region)
    people = find_people(engine, email_key=email_key, phone=e164, person_id=person_id)
    if not people and email_key is None and e164 is None:
        raise SubjectNotFoundError(f"no person with id {person_id}")
    salt = hash_salt(engine, settings.hash_salt)
    return erase_people(
        engine, people, salt=salt,
        extra_emails=[email_key] if email_key else [], extra_phones=[e164] if e164 else [],
        files=files,
    )  # fmt: skip


def export_subject(
    engine: Engine, *, email: str | None = None, phone: str | None = None,
    person_id: int | None = None, region: str | None = None, out: Path | None = None,
) -> str:  # fmt: skip
    """Everything held about the person as JSON text (also written to ``out`` when given)."""
    email_key, e164 = _keys(email, phone, region)
    people = find_people(engine, email_key=email_key, phone=e164, person_id=person_id)
    if not people:
        raise SubjectNotFoundError("no stored person matches the given identifier")
    text = json.dumps(subject_export(engine, people), indent=2, ensure_ascii=False, default=str)
    if out is not None:
        out.write_text(text + "\n", encoding="utf-8")
    return text


def run_consent_reasons(engine: Engine, run_id: int) -> dict[str, int]:
    return consent_reason_counts(engine, run_id)


def policy(settings: Settings, path: Path | None = None) -> ConsentPolicy:
    """The consent policy in effect: ``path``, else the configured one, else the defaults."""
    return load_policy(path or settings.consent_policy)
