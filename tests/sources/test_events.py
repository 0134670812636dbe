"""The event attendee adapter: reading platform exports and mapping their headers."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine

from ingest.errors import SourceFormatError
from ingest.importer import run_import
from ingest.mapping import propose_mapping
from ingest.profiles import SourceProfile
from ingest.records import ROW_COLUMN, SourceKind
from ingest.store.models import Activity
from matchers import ProbabilisticMatcher
from sources import events

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "sample_data" / "events" / "summit_2026_attendees.csv"
SAMPLE_PROFILE = REPO / "sample_data" / "profiles" / "summit_2026_attendees.yaml"
FIXTURES = REPO / "tests" / "fixtures" / "events"
SAMPLE_HEADERS = [
    "Order #", "Order Date", "Attendee #", "First Name", "Last Name", "Email", "Company",
    "Job Title", "Ticket Type", "Attendee Status", "Checked In", "Work Phone", "Country",
    "I agree to receive marketing emails", "What is your main goal?",
]  # fmt: skip


def _mapping(path: Path, profile: SourceProfile | None = None) -> dict[str, str]:
    """Header -> target ('field' or 'custom:name') as the import would use it."""
    resolved = events.resolve_profile(path, profile)
    mapping = propose_mapping(events.read_headers(path), profile=resolved)
    return {c.header: c.field or f"custom:{c.custom_name or c.header}" for c in mapping.columns}


def test_sample_reads_whole_with_bom_and_multiline_answers() -> None:
    batches = list(events.read(SAMPLE))
    assert len(batches) == 1
    batch = batches[0]
    assert batch.provenance.source_kind is SourceKind.EVENT
    assert batch.provenance.source_name == "summit_2026_attendees"
    assert list(batch.rows.columns) == [*SAMPLE_HEADERS, ROW_COLUMN]
    assert len(batch.rows) == 300
    assert batch.broken == ()
    assert batch.rows[ROW_COLUMN].is_monotonic_increasing
    assert batch.rows["What is your main goal?"].str.contains("\n", na=False).any()


def test_sample_profile_maps_every_header_explicitly() -> None:
    profile = SourceProfile.from_path(SAMPLE_PROFILE)
    assert profile.kind is SourceKind.EVENT
    mapping = propose_mapping(SAMPLE_HEADERS, profile=profile)
    assert mapping.missing == ()
    assert {c.method for c in mapping.columns} == {"profile"}
    assert mapping.fields["source_record_id"] == "Attendee #"
    assert mapping.fields["activity_kind"] == "Attendee Status"
    assert mapping.fields["activity_subject"] == "Ticket Type"
    assert mapping.fields["captured_at"] == "Order Date"
    assert mapping.fields["email_opt_in"] == "I agree to receive marketing emails"
    assert mapping.fields["checked_in"] == "Checked In"
    assert mapping.custom == {"Order #": "order_id", "What is your main goal?": "main_goal"}
    assert events.resolve_profile(SAMPLE, profile) == profile


def test_built_in_profile_maps_the_sample_without_a_profile_file() -> None:
    assert _mapping(SAMPLE) == {
        "Order #": "custom:order_id",
        "Order Date": "captured_at",
        "Attendee #": "source_record_id",
        "First Name": "first_name",
        "Last Name": "last_name",
        "Email": "email",
        "Company": "company_name",
        "Job Title": "job_title",
        "Ticket Type": "activity_subject",
        "Attendee Status": "activity_kind",
        "Checked In": "checked_in",
        "Work Phone": "phone",
        "Country": "country",
        "I agree to receive marketing emails": "email_opt_in",
        "What is your main goal?": "custom:What is your main goal?",
    }


def test_zoom_report_preamble_is_skipped() -> None:
    path = FIXTURES / "zoom_webinar_registrants.csv"
    (batch,) = events.read(path)
    assert list(batch.rows["Email"]) == [
        "ana.ruiz@example.com",
        "tom.baker@example.net",
        "lee.chan@example.org",
    ]
    assert list(batch.rows[ROW_COLUMN]) == [12, 13, 14]
    mapping = _mapping(path)
    assert mapping["Approval Status"] == "activity_kind"
    assert mapping["Registration Time"] == "captured_at"
    assert mapping["Attended"] == "checked_in"
    assert mapping["Organization"] == "company_name"
    assert mapping["What would you like to learn?"].startswith("custom:")


def test_cvent_cp1252_semicolons_with_a_broken_line() -> None:
    path = FIXTURES / "cvent_registrations_cp1252.csv"
    (batch,) = events.read(path)
    assert list(batch.rows["Confirmation Number"]) == ["C-1001", "C-1002", "C-1004"]
    assert batch.rows["Last Name"].tolist()[0] == "Müller"
    assert [(b.row_number, b.reason_code) for b in batch.broken] == [(4, "row.bad_quoting")]
    mapping = _mapping(path)
    assert mapping["Confirmation Number"] == "source_record_id"
    assert mapping["Registration Status"] == "activity_kind"
    assert mapping["Event Title"] == "activity_subject"
    assert mapping["Registration Type"] == "custom:Registration Type"
    assert mapping["Checked In"] == "checked_in"
    assert mapping["Dietary requirements"] == "custom:Dietary requirements"


def test_ringcentral_spreadsheet() -> None:
    path = FIXTURES / "ringcentral_attendees.xlsx"
    (batch,) = events.read(path)
    assert batch.rows["Registration ID"].tolist() == ["90001", "90002"]
    assert batch.rows["Registered at"].tolist()[0] == "2026-08-01 09:30:00"
    mapping = _mapping(path)
    assert mapping["Registration ID"] == "source_record_id"
    assert mapping["Ticket"] == "activity_subject"
    assert mapping["Attendance Status"] == "activity_kind"
    assert mapping["Registered at"] == "captured_at"
    assert mapping["Marketing Opt-In"] == "email_opt_in"


def test_user_profile_wins_over_the_built_in_one() -> None:
    user = SourceProfile(
        name="summit", kind=SourceKind.EVENT, columns={"Ticket Type": "custom:ticket"}
    )
    profile = events.resolve_profile(SAMPLE, user)
    assert profile.name == "summit"
    assert profile.columns["Ticket Type"] == "custom:ticket"
    assert "activity_subject" not in profile.columns.values()
    assert profile.columns["Attendee Status"] == "activity_kind"


def test_header_only_file_yields_one_empty_batch() -> None:
    batches = list(events.read(FIXTURES / "eventbrite_header_only.csv"))
    assert len(batches) == 1
    assert batches[0].rows.empty
    assert "Order #" in batches[0].rows.columns


@pytest.mark.parametrize(("name", "content"), [("empty.csv", b""), ("list.pdf", b"%PDF-1.4")])
def test_unreadable_files_raise_source_format_errors(
    tmp_path: Path, name: str, content: bytes
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(SourceFormatError):
        list(events.read(path))


def test_chunks_keep_row_numbers() -> None:
    batches = list(events.read(SAMPLE, chunk_rows=128))
    assert [len(b.rows) for b in batches] == [128, 128, 44]
    rows = [n for b in batches for n in b.rows[ROW_COLUMN]]
    assert rows == sorted(set(rows))


def test_sample_imports_into_the_store(engine: Engine) -> None:
    profile = SourceProfile.from_path(SAMPLE_PROFILE)
    report = run_import(
        engine,
        events.read(SAMPLE, profile=profile),
        matcher=ProbabilisticMatcher(),
        profile=profile,
    )
    assert report.counts.rows_in == 300
    assert report.counts.adds_up
    with engine.connect() as conn:
        subjects = set(conn.scalars(sa.select(Activity.subject).distinct()))
        activities = conn.scalar(sa.select(sa.func.count()).select_from(Activity))
    assert subjects <= {"General Admission", "VIP", "Sponsor", "Early Bird", "Speaker"}
    assert 0 < activities <= 300
    again = run_import(
        engine,
        events.read(SAMPLE, profile=profile),
        matcher=ProbabilisticMatcher(),
        profile=profile,
    )
    assert again.already_imported
