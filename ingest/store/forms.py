"""Staging web-form submissions: durable before the HTTP answer, imported later in batches.

A submission is written in its own committed transaction, so a 202 means it is on disk. The
double opt-in token is returned once and only its SHA-256 is kept. Staged rows become RawBatches
whose file hash is derived from their ids, so importing the same rows again is a no-op.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pandas as pd
from sqlalchemy import Engine, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ingest.records import ROW_COLUMN, Provenance, RawBatch, SourceKind
from ingest.store.models import FormSubmission, Suppression
from ingest.store.sql import affected_rows, chunks

LOCATION = "form_submissions"
"""Provenance location of staged batches (the table they come from)."""
CONFIRMED_AT_COLUMN = "double_opt_in_confirmed_at"
"""Raw column carrying the double opt-in confirmation time into staged batches."""
STAGED = "staged"
IMPORTED = "imported"
SUPPRESSED = "suppressed"
"""A submission from a suppressed or erased address: kept as a row, never its payload."""
TOKEN_BYTES = 32


@dataclass(frozen=True, slots=True)
class StagedSubmission:
    """The stored submission: its row id, and the opt-in token when this call created it.

    ``created`` is False for a resubmission of a known ``submission_id``; ``token`` is then None
    (only its hash was kept, and the first answer already carried it).
    """

    id: int
    created: bool
    token: str | None


def token_hash(token: str) -> str:
    """The stored form of a double opt-in token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def submission_key(form_id: str, submission_id: str) -> str:
    """The idempotency key of a client-chosen submission id, scoped to its form."""
    return hashlib.sha256(f"{form_id}\x1f{submission_id}".encode()).hexdigest()


def stage_submission(
    engine: Engine,
    form_id: str,
    payload: Mapping[str, Any],
    evidence: Mapping[str, Any],
    *,
    submission_id: str | None = None,
    double_opt_in: bool = True,
) -> StagedSubmission:
    """Write one submission in its own committed transaction and return its id and token.

    ``payload`` holds the raw columns the import reads (see ``sources.web_forms.flatten``),
    ``evidence`` what the server observed (received time, IP, user agent, consent wording).
    With a ``submission_id`` the call is idempotent: a repeat returns the first row.
    """
    key = submission_key(form_id, submission_id) if submission_id else None
    if key is not None:
        existing = _find(engine, key)
        if existing is not None:
            return StagedSubmission(existing, created=False, token=None)
    token = secrets.token_urlsafe(TOKEN_BYTES) if double_opt_in else None
    row = FormSubmission(
        form_id=form_id,
        submission_key=key,
        received_at=datetime.now(UTC),
        payload=dict(payload),
        evidence=dict(evidence),
        confirm_token_hash=token_hash(token) if token else None,
        status=STAGED,
    )
    try:
        with Session(engine, expire_on_commit=False) as session, session.begin():
            session.add(row)
    except IntegrityError:
        existing = _find(engine, key) if key is not None else None
        if existing is None:
            raise
        return StagedSubmission(existing, created=False, token=None)  # a concurrent twin won
    return StagedSubmission(row.id, created=True, token=token)


def suppressed_reason(engine: Engine, payload: Mapping[str, Any], *, salt: str) -> str | None:
    """The suppression reason (``suppressed.erasure``, ...) of the submission's email or phone,
    looked up by digest before anything is stored; None when neither is suppressed."""
    from ingest.consent import value_digests
    from ingest.errors import LeadflowError
    from ingest.normalize.emails import normalize_email
    from ingest.normalize.phones import normalize_phone

    algorithms = ("salted_sha256", "sha256", "md5")
    digests: list[str] = []
    email = _text(payload.get("email"))
    if email:
        digests += value_digests(email, "email", salt, algorithms[1:])
        try:
            key = normalize_email(email).email_key
        except (LeadflowError, ValueError):
            key = None
        if key:
            digests += value_digests(key, "email", salt, algorithms)
    for column in ("phone", "mobile"):
        raw = _text(payload.get(column))
        try:
            e164 = normalize_phone(raw, _text(payload.get("country"))).e164 if raw else None
        except (LeadflowError, ValueError):
            e164 = None
        if e164:
            digests += value_digests(e164, "phone", salt, algorithms)
    if not digests:
        return None
    with Session(engine) as session:
        reason = session.scalar(
            select(Suppression.reason).where(Suppression.value_hash.in_(digests)).limit(1)
        )
    return f"suppressed.{reason}" if reason else None


def stage_suppressed(engine: Engine, form_id: str, reason: str) -> int:
    """Record that a suppressed person submitted, without a single value of the submission."""
    row = FormSubmission(
        form_id=form_id,
        received_at=datetime.now(UTC),
        payload={},
        evidence={"suppressed": reason},
        status=SUPPRESSED,
    )
    with Session(engine, expire_on_commit=False) as session, session.begin():
        session.add(row)
    return row.id


def confirm_submission(engine: Engine, token: str) -> bool:
    """Record the double opt-in confirmation; False when no submission has this token."""
    digest = token_hash(token)
    with Session(engine) as session, session.begin():
        found = session.execute(
            select(FormSubmission.id, FormSubmission.confirmed_at).where(
                FormSubmission.confirm_token_hash == digest
            )
        ).first()
        if found is None:
            return False
        if found.confirmed_at is None:
            session.execute(
                update(FormSubmission)
                .where(FormSubmission.id == found.id)
                .values(confirmed_at=datetime.now(UTC))
            )
    return True


def staged_batch(
    engine: Engine,
    *,
    limit: int,
    received_before: datetime | None = None,
    source_name: str = "web_forms",
) -> RawBatch | None:
    """The oldest ``limit`` staged submissions as one RawBatch, or None when none wait.

    ``_row`` is the staged row's id; the confirmation time (if any) is the raw column
    CONFIRMED_AT_COLUMN. ``received_before`` leaves recent rows time to be confirmed first.
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    query = select(FormSubmission).where(FormSubmission.status == STAGED)
    if received_before is not None:
        query = query.where(FormSubmission.received_at < received_before)
    with Session(engine) as session:
        staged = session.scalars(query.order_by(FormSubmission.id).limit(limit)).all()
    if not staged:
        return None
    records = []
    for item in staged:
        confirmed = _aware(item.confirmed_at)
        records.append(
            {
                **{str(k): _text(v) for k, v in item.payload.items()},
                CONFIRMED_AT_COLUMN: confirmed.isoformat() if confirmed else None,
            }
        )
    columns = list(dict.fromkeys(k for record in records for k in record))
    frame = pd.DataFrame.from_records(records, columns=columns).astype(object)
    frame = frame.where(frame.notna(), None)
    frame[ROW_COLUMN] = pd.Series([item.id for item in staged], dtype="int64")
    ids = ",".join(str(item.id) for item in staged)
    provenance = Provenance(
        source_kind=SourceKind.WEB_FORM,
        source_name=source_name,
        location=LOCATION,
        file_hash=hashlib.sha256(f"{LOCATION}:{ids}".encode()).hexdigest(),
        fetched_at=max(_aware(item.received_at) or datetime.now(UTC) for item in staged),
    )
    return RawBatch(rows=frame, provenance=provenance)


def mark_imported(engine: Engine, ids: Iterable[int], run_id: int | None) -> int:
    """Mark staged submissions as imported by ``run_id``; returns how many changed."""
    ids = sorted({int(i) for i in ids})
    changed = 0
    with Session(engine) as session, session.begin():
        for part in chunks(ids):
            result = session.execute(
                update(FormSubmission)
                .where(FormSubmission.id.in_(part), FormSubmission.status == STAGED)
                .values(status=IMPORTED, run_id=run_id)
            )
            changed += affected_rows(result)
    return changed


def _find(engine: Engine, key: str) -> int | None:
    with Session(engine) as session:
        return session.scalar(select(FormSubmission.id).where(FormSubmission.submission_key == key))


def _text(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, str) else str(value)


def _aware(value: datetime | None) -> datetime | None:
    """SQLite returns naive datetimes for timezone-aware columns; they are UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)
