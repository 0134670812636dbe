"""Importing an attendee export writes activities of the canonical kinds its statuses stand for."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import Engine

from flows.importing import import_file, profile_for
from ingest.config import Settings
from ingest.records import SourceKind
from ingest.store.models import Activity, MatchCandidate, RawRecord
from tests.conftest import REPO

SAMPLE = REPO / "sample_data" / "events" / "summit_2026_attendees.csv"
PROFILES = REPO / "sample_data" / "profiles"

# The sample's (Attendee Status, Checked In) pairs and the kind each must become.
EXPECTED_KIND = {
    ("Attending", "No"): "registered",
    ("Checked In", "Yes"): "attended",
    ("Cancelled", "No"): "cancelled",
    ("Not Attending", "No"): "no_show",
}


def test_summit_sample_writes_event_activity_kinds(engine: Engine, settings: Settings) -> None:
    report = import_file(
        engine,
        SourceKind.EVENT,
        SAMPLE,
        settings=settings,
        profile=profile_for(SAMPLE, PROFILES),
        orchestrate=False,
    )
    assert report.counts.adds_up
    with engine.connect() as conn:
        written = conn.execute(
            sa.select(Activity.kind, RawRecord.payload).join(
                RawRecord, RawRecord.id == Activity.raw_record_id
            )
        ).all()
        kept = conn.scalar(
            sa.select(sa.func.count())
            .select_from(RawRecord)
            .where(RawRecord.person_id.is_not(None))
        )
    assert len(written) == kept > 0, "every loaded attendee row has one activity"
    for kind, payload in written:
        assert kind == EXPECTED_KIND[(payload["Attendee Status"], payload["Checked In"])]
    assert set(Counter(kind for kind, _ in written)) == {
        "registered",
        "attended",
        "cancelled",
        "no_show",
    }


def test_attendees_registered_under_the_buyers_email_stay_two_people(
    engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    """An Eventbrite order of two tickets, both attendees given the buyer's address: two
    people, not a merge and not a review item (the address tells neither apart)."""
    export = tmp_path / "order.csv"
    export.write_text(
        "Order #,Attendee #,First Name,Last Name,Email,Event Name,Attendee Status\n"
        "1001,5001,Ann,Lee,jordan.blake@gmail.com,Summit 2026,Attending\n"
        "1001,5002,Robert,Stone,jordan.blake@gmail.com,Summit 2026,Attending\n"
        "1002,5003,Priya,Raman,priya.raman@globex.com,Summit 2026,Attending\n",
        encoding="utf-8",
    )
    report = import_file(
        engine,
        SourceKind.EVENT,
        export,
        settings=settings,
        profile=profile_for(export, PROFILES),
        orchestrate=False,
    )
    assert report.counts.adds_up
    assert (report.counts.loaded_new, report.counts.merged) == (3, 0)
    with engine.connect() as conn:
        people = conn.scalar(
            sa.select(sa.func.count(sa.distinct(RawRecord.person_id))).where(
                RawRecord.person_id.is_not(None)
            )
        )
        queued = conn.scalar(sa.select(sa.func.count()).select_from(MatchCandidate))
    assert people == 3
    assert queued == 0
