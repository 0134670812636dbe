"""Platform attendee statuses → the activity vocabulary (table-driven)."""

from __future__ import annotations

import pytest

from ingest.normalize.activities import (
    ACTIVITY_KINDS,
    ActivityKindError,
    activity_kind_group,
    checked_in_answer,
    normalize_activity_kind,
)
from ingest.reasons import REASONS

CASES = [
    # (status, checked_in, expected)
    # Eventbrite
    ("Attending", None, "registered"),
    ("Attending", "No", "registered"),
    ("Attending", "Yes", "attended"),
    ("Checked In", None, "attended"),
    ("Checked In", "Yes", "attended"),
    ("checked-in", None, "attended"),
    ("Not Attending", "No", "no_show"),
    ("Cancelled", "No", "cancelled"),
    ("Refunded", None, "cancelled"),
    ("Transferred", None, "cancelled"),
    # Cvent
    ("Accepted", None, "registered"),
    ("Accepted", "2026-08-12 09:58", "attended"),
    ("Declined", None, "no_show"),
    ("Waitlisted", None, "registered"),
    ("Canceled", None, "cancelled"),
    # Zoom webinar
    ("approved", None, "registered"),
    ("approved", "Yes", "attended"),
    ("denied", None, "cancelled"),
    ("pending approval", None, "registered"),
    # RingCentral Events / Hopin
    ("Registered", None, "registered"),
    ("Attended", None, "attended"),
    ("No Show", None, "no_show"),
    ("No-show", None, "no_show"),
    ("Absent", None, "no_show"),
    # canonical kinds pass through
    ("registered", None, "registered"),
    ("no_show", None, "no_show"),
    ("form_submitted", None, "form_submitted"),
    # formatting noise
    ("  CHECKED   IN ", None, "attended"),
    ("Cancelled.", None, "cancelled"),
    # nothing said
    (None, None, None),
    ("", "", None),
    ("n/a", None, None),
    (None, "No", None),
    (None, "Yes", "attended"),
    (None, "Checked In", "attended"),
    ("Attending", "Not Checked In", "registered"),
    # a check-in is stronger evidence than the status
    ("Cancelled", "Yes", "attended"),
]


@pytest.mark.parametrize(("status", "checked_in", "expected"), CASES)
def test_normalize_activity_kind(status: str | None, checked_in: str | None, expected: str) -> None:
    assert normalize_activity_kind(status, checked_in) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Yes", True),
        ("no", False),
        ("TRUE", True),
        ("x", True),
        ("Checked In", True),
        ("Not Checked In", False),
        ("2026-08-12T09:58:00Z", True),
        ("", None),
        (None, None),
        ("maybe", None),
    ],
)
def test_checked_in_answer(value: str | None, expected: bool | None) -> None:
    assert checked_in_answer(value) is expected


@pytest.mark.parametrize("status", ["Wandering", "VIP", "=cmd|' /C calc'!A0"])
def test_unknown_status_raises_a_coded_error_without_the_value(status: str) -> None:
    with pytest.raises(ActivityKindError) as info:
        normalize_activity_kind(status)
    assert info.value.code == "activity_kind.unknown"
    assert info.value.code in REASONS
    assert status not in str(info.value)


def test_group_turns_errors_into_reason_codes() -> None:
    assert activity_kind_group("Attending", "Yes") == ("attended", ())
    assert activity_kind_group("Wandering", None) == (None, ("activity_kind.unknown",))
    assert activity_kind_group(None, None) == (None, ())


def test_every_result_is_in_the_vocabulary() -> None:
    for status, checked_in, _ in CASES:
        kind = normalize_activity_kind(status, checked_in)
        assert kind is None or kind in ACTIVITY_KINDS
