"""Web-form submissions: the boundary model, flattening, form-encoded bodies, JSONL exports."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ingest.mapping import apply_mapping, propose_mapping
from ingest.profiles import SourceProfile
from ingest.reasons import REASONS
from ingest.records import CUSTOM_COLUMN, ROW_COLUMN, SourceKind
from sources import web_forms
from sources.web_forms import (
    MAX_FIELDS,
    MAX_SUBMISSION_BYTES,
    MAX_VALUE_CHARS,
    Submission,
    SubmissionError,
    body_from_form,
    flatten,
    parse_json_body,
)

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "sample_data" / "web_forms" / "contact_form_export.jsonl"
MIXED = REPO / "tests" / "fixtures" / "web_forms" / "mixed_export.jsonl"
NOW = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)


def _received(body: web_forms.SubmissionBody, ip: str | None = "198.51.100.7") -> Submission:
    return Submission.received(
        body, form_id="contact-us", received_at=NOW, ip=ip, user_agent="UA/1"
    )


def test_sample_export_reads_whole_and_maps_with_the_default_profile() -> None:
    (batch,) = web_forms.read(SAMPLE)
    assert batch.provenance.source_kind is SourceKind.WEB_FORM
    assert len(batch.rows) == 150
    assert batch.broken == ()
    assert list(batch.rows[ROW_COLUMN]) == list(range(1, 151))
    headers = [c for c in batch.rows.columns if c != ROW_COLUMN]
    assert headers == list(web_forms.COLUMNS)
    mapping = propose_mapping(headers, profile=web_forms.DEFAULT_PROFILE)
    assert mapping.missing == ()
    assert mapping.fields == {
        "source_record_id": "submission_id",
        "activity_subject": "form_id",
        "activity_kind": "activity_kind",
        "captured_at": "submitted_at",
        "full_name": "name",
        "email": "email",
        "phone": "phone",
        "company_name": "company",
        "job_title": "job_title",
        "country": "country",
        "email_opt_in": "consent_email_marketing",
        "consent_text": "consent_wording",
        "consent_version": "consent_version",
        "consent_ip": "ip",
    }
    assert set(mapping.custom.values()) == {"message", "user_agent", "double_opt_in_confirmed_at"}
    canonical = apply_mapping(batch.rows, mapping)
    assert set(canonical["activity_kind"]) == {"form_submitted"}
    assert set(canonical["email_opt_in"]) == {"yes", "no"}
    assert canonical["email"].isna().sum() == (batch.rows["email"].isna()).sum()


def test_mixed_export_quarantines_bad_lines_with_reasons() -> None:
    (batch,) = web_forms.read(MIXED)
    assert list(batch.rows[ROW_COLUMN]) == [1, 7]
    broken = {b.row_number: b.reason_code for b in batch.broken}
    assert broken == {
        3: "row.invalid_json",
        4: "row.invalid_submission",
        5: "row.invalid_json",
        6: "row.invalid_submission",
        8: "row.invalid_submission",
    }
    assert all(code in REASONS for code in broken.values())
    assert all("@" not in b.message for b in batch.broken)  # messages name rules, not values
    first, second = batch.rows.to_dict("records")
    assert first["budget"] == "10k"  # an extra form field becomes its own column
    assert first["double_opt_in_confirmed_at"] == "2026-07-04T08:00:00+00:00"
    assert first["phone"] is None
    # form fields named like evidence columns cannot pose as evidence
    assert second["ip"] is None
    assert second["field_ip"] == "spoofed"
    assert second["consent_email_marketing"] == "no"
    assert second["field_consent_email_marketing"] == "yes"


def test_oversized_and_empty_exports(tmp_path: Path) -> None:
    line = {
        "form_id": "contact-us",
        "submitted_at": "2026-07-03T12:00:00Z",
        "fields": {f"f{i}": "x" * 3000 for i in range(30)},
    }
    big = tmp_path / "big.jsonl"
    big.write_text(json.dumps(line) + "\n", encoding="utf-8")
    (batch,) = web_forms.read(big)
    assert batch.rows.empty
    assert [b.reason_code for b in batch.broken] == ["row.too_long"]
    assert len(batch.broken[0].raw_text) < MAX_SUBMISSION_BYTES + 200
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    (batch,) = web_forms.read(empty)
    assert batch.rows.empty and batch.broken == ()
    assert list(batch.rows.columns) == [*web_forms.COLUMNS, ROW_COLUMN]


def test_batches_share_columns_across_chunks() -> None:
    batches = list(web_forms.read(MIXED, chunk_rows=1))
    assert [len(b.rows) for b in batches] == [1, 1, 0]  # the last carries line 8, broken
    assert all(list(b.rows.columns) == list(batches[0].rows.columns) for b in batches)
    assert sum(len(b.broken) for b in batches) == 5


def test_json_body_limits_and_types() -> None:
    body = parse_json_body(b'{"fields": {"email": "a@example.com", "message": null}}')
    assert body.fields == {"email": "a@example.com", "message": None}
    bad = [
        b"not json",
        b"[]",
        b'{"fields": {"email": 5}}',
        b'{"fields": {}, "ip": "1.2.3.4"}',  # evidence is the server's, never the client's
        b'{"fields": {"bad key!": "x"}}',
        b'{"fields": {"m": "' + b"x" * (MAX_VALUE_CHARS + 1) + b'"}}',
        json.dumps({"fields": {f"f{i}": "x" for i in range(MAX_FIELDS + 1)}}).encode(),
        b'{"fields": {}, "consent": {"email_marketing": "yes"}}',
        b'{"fields": {}, "consent": {"email_marketing": true}}',
    ]
    for raw in bad:
        with pytest.raises(SubmissionError) as info:
            parse_json_body(raw)
        assert info.value.problems
        assert "a@example.com" not in str(info.value)


def test_form_encoded_pairs() -> None:
    body = body_from_form(
        [
            ("name", "Ada"),
            ("email", "ada@example.com"),
            ("consent_email_marketing", "on"),
            ("consent_wording", "Send me news."),
            ("consent_version", "v3"),
            ("submission_id", "abc-1"),
        ]
    )
    assert body.submission_id == "abc-1"
    assert body.fields == {"name": "Ada", "email": "ada@example.com"}
    assert body.consent is not None and body.consent.email_marketing
    unchecked = body_from_form([("email", "a@b.c"), ("consent_wording", "Send me news.")])
    assert unchecked.consent is not None and not unchecked.consent.email_marketing
    with pytest.raises(SubmissionError, match="more than once"):
        body_from_form([("email", "a"), ("email", "b")])


def test_received_adds_server_evidence_and_flattens() -> None:
    body = parse_json_body(
        b'{"fields": {"name": "Ada", "email": "ada@example.com", "job_title": ""},'
        b' "consent": {"email_marketing": true, "wording": "Send me news.", "version": "v3"}}'
    )
    submission = _received(body)
    assert submission.submission_id  # generated when the client sent none
    assert submission.needs_confirmation
    row = flatten(submission)
    assert row["form_id"] == "contact-us"
    assert row["submitted_at"] == NOW.isoformat()
    assert row["ip"] == "198.51.100.7"
    assert row["consent_email_marketing"] == "yes"
    assert row["job_title"] is None
    assert row["activity_kind"] == "form_submitted"
    assert submission.evidence()["consent_wording"] == "Send me news."
    assert _received(body, ip="testclient").ip is None


def test_resolve_profile_keeps_the_users_columns() -> None:
    assert web_forms.resolve_profile() is web_forms.DEFAULT_PROFILE
    user = SourceProfile(name="site", columns={"message": "custom:enquiry", "budget": "custom"})
    merged = web_forms.resolve_profile(None, user)
    assert merged.kind is SourceKind.WEB_FORM
    assert merged.columns["message"] == "custom:enquiry"
    assert merged.columns["budget"] == "custom"
    assert merged.columns["email"] == "email"
    (batch,) = web_forms.read(MIXED)
    canonical = apply_mapping(
        batch.rows, propose_mapping(list(batch.rows.columns[:-1]), profile=merged)
    )
    assert canonical[CUSTOM_COLUMN].iloc[0]["enquiry"] == "Call me"
