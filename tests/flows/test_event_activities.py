"""Importing an attendee export writes activities of the canonical kinds its statuses stand for."""

from __future__ import annotations

from collections import Counter

import sqlalchemy as sa
from sqlalchemy import Engine

from flows.importing import import_file, profile_for
from ingest.config import Settings
from ingest.records import SourceKind
from ingest.store.models import Activity, RawRecord
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
