"""Activity kinds: platform attendee and registration statuses mapped to one small vocabulary.

Event platforms each name the same facts differently (Eventbrite "Attending", Cvent "Accepted",
Zoom "approved", RingCentral Events "Registered"). The store keeps ``registered``, ``attended``,
``cancelled`` and ``no_show`` for events, plus kinds other sources already write canonically
(``form_submitted``), which pass through unchanged.
"""

from __future__ import annotations

import re

from ingest.normalize.errors import NormalizationError
from ingest.normalize.text import clean_text, parse_consent

REGISTERED = "registered"
ATTENDED = "attended"
CANCELLED = "cancelled"
NO_SHOW = "no_show"
FORM_SUBMITTED = "form_submitted"

EVENT_KINDS: frozenset[str] = frozenset({REGISTERED, ATTENDED, CANCELLED, NO_SHOW})
ACTIVITY_KINDS: frozenset[str] = EVENT_KINDS | {FORM_SUBMITTED}
"""Every canonical activity kind; a status already equal to one of these passes through."""

# Compared after _status_key: case folded, "-" and "_" read as spaces, punctuation dropped.
# fmt: off
STATUS_KINDS: dict[str, str] = {
    # still expected to come (Eventbrite, Cvent, Zoom, RingCentral Events / Hopin)
    "attending": REGISTERED, "registered": REGISTERED, "confirmed": REGISTERED,
    "accepted": REGISTERED, "approved": REGISTERED, "booked": REGISTERED, "going": REGISTERED,
    "active": REGISTERED, "pending": REGISTERED, "pending approval": REGISTERED,
    "waitlisted": REGISTERED, "waitlist": REGISTERED, "wait listed": REGISTERED,
    "not checked in": REGISTERED, "registration complete": REGISTERED,
    # came
    "checked in": ATTENDED, "checkedin": ATTENDED, "check in": ATTENDED, "attended": ATTENDED,
    "present": ATTENDED, "joined": ATTENDED, "participated": ATTENDED,
    # withdrawn by the person or the organizer
    "cancelled": CANCELLED, "canceled": CANCELLED, "refunded": CANCELLED,
    "cancelled by organizer": CANCELLED, "canceled by organizer": CANCELLED,
    "denied": CANCELLED, "rejected": CANCELLED, "transferred": CANCELLED, "voided": CANCELLED,
    "deleted": CANCELLED,
    # did not come
    "not attending": NO_SHOW, "no show": NO_SHOW, "noshow": NO_SHOW, "absent": NO_SHOW,
    "did not attend": NO_SHOW, "didnt attend": NO_SHOW, "not attended": NO_SHOW,
    "declined": NO_SHOW,
}
# fmt: on

_SEPARATORS = re.compile(r"[-_/]+")
_PUNCTUATION = re.compile(r"[^\w\s]+")
_SPACES = re.compile(r"\s+")
_HAS_DIGIT = re.compile(r"\d")


class ActivityKindError(NormalizationError):
    """The attendee or registration status is not one of the known platform statuses."""

    code = "activity_kind.unknown"


def _status_key(text: str) -> str:
    key = _SEPARATORS.sub(" ", text.casefold())
    key = _PUNCTUATION.sub("", key)
    return _SPACES.sub(" ", key).strip()


def checked_in_answer(value: object) -> bool | None:
    """Read a check-in column: yes/no answers, and a check-in timestamp counts as yes."""
    text = clean_text(value)
    if text is None:
        return None
    answer = parse_consent(text)
    if answer is not None:
        return answer
    kind = STATUS_KINDS.get(_status_key(text))
    if kind is not None:  # "Checked In" / "Not Checked In" written out in the flag column
        return kind == ATTENDED
    if _HAS_DIGIT.search(text):
        return True  # Cvent and RingCentral export the check-in time instead of a flag
    return None


def normalize_activity_kind(status: str | None, checked_in: str | None = None) -> str | None:
    """Map a platform status (and the check-in column, when there is one) to an activity kind.

    A positive check-in wins over any status: it is direct evidence that the person came.
    Returns None when neither says anything; raises ActivityKindError for an unknown status.
    """
    if checked_in_answer(checked_in):
        return ATTENDED
    text = clean_text(status)
    if text is None:
        return None
    key = _status_key(text)
    if key.replace(" ", "_") in ACTIVITY_KINDS:
        return key.replace(" ", "_")
    try:
        return STATUS_KINDS[key]
    except KeyError:
        raise ActivityKindError("the status is not a known attendee status") from None


def activity_kind_group(status: object, checked_in: object) -> tuple[str | None, tuple[str, ...]]:
    """The batch-stage form: (activity kind, reason codes), ready for ``fields.GROUPS``."""
    try:
        return normalize_activity_kind(clean_text(status), clean_text(checked_in)), ()
    except ActivityKindError as exc:
        return None, (exc.code,)
