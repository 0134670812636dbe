"""Staging web-form submissions in the store (SQLite file and PostgreSQL)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine

from ingest.records import ROW_COLUMN, SourceKind
from ingest.store.forms import (
    CONFIRMED_AT_COLUMN,
    LOCATION,
    confirm_submission,
    mark_imported,
    stage_submission,
    staged_batch,
)
from ingest.store.models import FormSubmission

PAYLOAD = {
    "submission_id": "s-1",
    "form_id": "contact-us",
    "name": "Ada Lovelace",
    "email": "ada@example.com",
}
EVIDENCE = {"received_at": "2026-07-01T10:00:00+00:00", "ip": "203.0.113.9", "user_agent": "UA"}


def _rows(engine: Engine) -> list[FormSubmission]:
    with sa.orm.Session(engine) as session:
        return list(session.scalars(sa.select(FormSubmission).order_by(FormSubmission.id)))


def test_stage_writes_one_committed_row_and_keeps_only_the_token_hash(engine: Engine) -> None:
    staged = stage_submission(engine, "contact-us", PAYLOAD, EVIDENCE, submission_id="s-1")
    assert staged.created
    assert staged.token is not None and len(staged.token) >= 40
    (row,) = _rows(engine)  # read through a new connection: the row is committed
    assert row.id == staged.id
    assert row.form_id == "contact-us"
    assert row.status == "staged"
    assert row.payload == PAYLOAD
    assert row.evidence == EVIDENCE
    assert row.confirm_token_hash == hashlib.sha256(staged.token.encode()).hexdigest()
    assert staged.token not in str(row.payload) + str(row.evidence)
    assert row.confirmed_at is None


def test_resubmitting_the_same_id_is_idempotent(engine: Engine) -> None:
    first = stage_submission(engine, "contact-us", PAYLOAD, EVIDENCE, submission_id="s-1")
    again = stage_submission(engine, "contact-us", {"changed": "x"}, EVIDENCE, submission_id="s-1")
    assert (again.id, again.created, again.token) == (first.id, False, None)
    other_form = stage_submission(engine, "newsletter", PAYLOAD, EVIDENCE, submission_id="s-1")
    assert other_form.created
    assert [r.payload for r in _rows(engine)] == [PAYLOAD, PAYLOAD]


def test_without_an_id_every_call_stages_a_row(engine: Engine) -> None:
    stage_submission(engine, "contact-us", PAYLOAD, EVIDENCE)
    stage_submission(engine, "contact-us", PAYLOAD, EVIDENCE)
    assert len(_rows(engine)) == 2


def test_no_token_when_no_double_opt_in_is_due(engine: Engine) -> None:
    staged = stage_submission(engine, "contact-us", PAYLOAD, EVIDENCE, double_opt_in=False)
    assert staged.token is None
    assert _rows(engine)[0].confirm_token_hash is None


def test_confirm_with_the_token(engine: Engine) -> None:
    staged = stage_submission(engine, "contact-us", PAYLOAD, EVIDENCE, submission_id="s-1")
    assert staged.token is not None
    assert not confirm_submission(engine, "not-the-token")
    assert _rows(engine)[0].confirmed_at is None
    assert confirm_submission(engine, staged.token)
    first = _rows(engine)[0].confirmed_at
    assert first is not None
    assert confirm_submission(engine, staged.token)  # a second click is fine and keeps the time
    assert _rows(engine)[0].confirmed_at == first


def test_staged_batch_builds_a_raw_batch_with_confirmation_evidence(engine: Engine) -> None:
    assert staged_batch(engine, limit=10) is None
    a = stage_submission(engine, "contact-us", PAYLOAD, EVIDENCE, submission_id="a")
    b = stage_submission(
        engine, "newsletter", {"email": "b@example.com", "extra": "x"}, EVIDENCE, submission_id="b"
    )
    assert a.token is not None
    confirm_submission(engine, a.token)
    batch = staged_batch(engine, limit=10)
    assert batch is not None
    assert batch.provenance.source_kind is SourceKind.WEB_FORM
    assert batch.provenance.location == LOCATION
    assert list(batch.rows[ROW_COLUMN]) == [a.id, b.id]
    assert set(batch.rows.columns) == {*PAYLOAD, "extra", CONFIRMED_AT_COLUMN, ROW_COLUMN}
    first, second = batch.rows.to_dict("records")
    assert datetime.fromisoformat(first[CONFIRMED_AT_COLUMN]).tzinfo is not None
    assert second[CONFIRMED_AT_COLUMN] is None
    assert second["name"] is None
    assert all(isinstance(v, str) or v is None for v in second.values() if v != second[ROW_COLUMN])


def test_batch_hash_follows_the_ids_and_limit_takes_the_oldest(engine: Engine) -> None:
    ids = [stage_submission(engine, "contact-us", PAYLOAD, EVIDENCE).id for _ in range(3)]
    one = staged_batch(engine, limit=2)
    same = staged_batch(engine, limit=2)
    assert one is not None and same is not None
    assert list(one.rows[ROW_COLUMN]) == ids[:2]
    assert one.provenance.file_hash == same.provenance.file_hash
    assert mark_imported(engine, ids[:2], None) == 2
    assert mark_imported(engine, ids[:2], None) == 0
    rest = staged_batch(engine, limit=2)
    assert rest is not None
    assert list(rest.rows[ROW_COLUMN]) == ids[2:]
    assert rest.provenance.file_hash != one.provenance.file_hash
    assert [r.status for r in _rows(engine)] == ["imported", "imported", "staged"]


def test_received_before_leaves_recent_rows(engine: Engine) -> None:
    stage_submission(engine, "contact-us", PAYLOAD, EVIDENCE)
    past = datetime.now(UTC) - timedelta(hours=1)
    assert staged_batch(engine, limit=5, received_before=past) is None
    assert staged_batch(engine, limit=5, received_before=past + timedelta(hours=2)) is not None


def test_limit_must_be_positive(engine: Engine) -> None:
    with pytest.raises(ValueError):
        staged_batch(engine, limit=0)
