"""The canonical lead record: field names, vocabularies and the batch types passed between stages.

Every stage takes and returns a *batch* (a pandas DataFrame plus its provenance), never one record.
Column names in those frames are the names defined here, so a reader of any stage knows the shape.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:  # only the batch types' annotations name pandas; commands that read the store
    import pandas as pd  # without a batch (show, runs, report) start without it


class SourceKind(StrEnum):
    """Kinds of lead source; one adapter module per kind lives in ``sources/``."""

    PURCHASED_LIST = "purchased_list"
    WEB_FORM = "web_form"
    EVENT = "event"
    DIRECTORY = "directory"
    CENSUS = "census"


class Outcome(StrEnum):
    """Where an input row ended. Every row ends in exactly one of these."""

    LOADED_NEW = "loaded_new"
    MERGED = "merged"
    SUPPRESSED = "suppressed"
    QUARANTINED = "quarantined"


class Channel(StrEnum):
    """Marketing channels that consent is decided for."""

    EMAIL = "email"
    PHONE = "phone"
    SMS = "sms"
    POST = "post"


class ConsentStatus(StrEnum):
    OPT_IN = "opt_in"
    OPT_OUT = "opt_out"
    UNKNOWN = "unknown"


# Canonical input fields (what a source column can be mapped to), with a one-line meaning each.
CANONICAL_FIELDS: dict[str, str] = {
    "source_record_id": "the source's own id for the row (order id, attendee id, listing id)",
    "full_name": "the whole person name when the source gives one field",
    "honorific": "Mr, Ms, Dr, ...",
    "first_name": "given name",
    "middle_name": "middle names or initials",
    "last_name": "family name",
    "suffix": "Jr, III, PhD, ...",
    "birth_date": "date of birth",
    "job_title": "job title",
    "email": "email address",
    "phone": "main or office phone",
    "mobile": "mobile phone",
    "company_name": "employer or account name",
    "website": "company website or URL",
    "industry": "company industry",
    "company_size": "employee count or band",
    "street": "street address (one or more lines)",
    "city": "city or locality",
    "region": "state, province or region",
    "postal_code": "postal or ZIP code",
    "country": "country name or code",
    "location": "free-text place (Austin, Texas, United States): city, region, country",
    "linkedin_url": "the person's LinkedIn profile URL (a person-level identifier)",
    "email_opt_in": "the source's marketing-email consent answer",
    "phone_opt_in": "the source's marketing-call consent answer",
    "sms_opt_in": "the source's SMS consent answer",
    "post_opt_in": "the source's postal-mail consent answer",
    "email_opt_out": "the source's email opt-out flag (unsubscribed, do not email)",
    "phone_opt_out": "the source's do-not-call flag",
    "sms_opt_out": "the source's SMS opt-out flag",
    "post_opt_out": "the source's do-not-mail flag",
    "email_bounced": "the source's hard-bounce / invalid-address flag for the email",
    "email_status": "the source's email subscription status (subscribed, unsubscribed, bounced)",
    "consent_text": "the consent wording shown to the person",
    "consent_version": "version of that wording",
    "consent_ip": "IP address the consent was given from",
    "captured_at": "when the source captured the record",
    "activity_kind": "what happened (registered, attended, form_submitted, ...)",
    "activity_subject": "what it was about (event name, form name, ticket type)",
    "checked_in": "event check-in flag or time (read with activity_kind: checked in = attended)",
}

# Columns the normalize stage adds next to (or instead of) the canonical input columns.
NORMALIZED_FIELDS: tuple[str, ...] = (
    "honorific",
    "first_name",
    "middle_name",
    "last_name",
    "suffix",
    "full_name",
    "first_name_key",
    "last_name_key",
    "name_order_uncertain",
    "birth_date",
    "birth_date_key",
    "job_title",
    "email",
    "email_original",
    "email_key",
    "email_domain",
    "email_is_role",
    "email_is_free",
    "email_is_disposable",
    "email_is_placeholder",
    "phone",
    "phone_original",
    "phone_type",
    "phone_ext",
    "phone_digits",
    "mobile",
    "mobile_original",
    "mobile_type",
    "mobile_digits",
    "company_name",
    "company_key",
    "company_domain",
    "website",
    "industry",
    "company_size",
    "street",
    "city",
    "region",
    "postal_code",
    "country",
    "linkedin_url",
    "linkedin_key",
    "email_opt_in",
    "phone_opt_in",
    "sms_opt_in",
    "post_opt_in",
    "email_opt_out",
    "phone_opt_out",
    "sms_opt_out",
    "post_opt_out",
    "email_bounced",
    "email_status",
    "consent_text",
    "consent_version",
    "consent_ip",
    "captured_at",
    "activity_kind",
    "activity_subject",
    "source_record_id",
)

ROW_COLUMN = "_row"
"""Column holding the row's identity inside its file (line number for text files, item index)."""

ISSUES_COLUMN = "issues"
"""Column holding a tuple of reason codes (see ``ingest.reasons``) found for the row so far."""

CUSTOM_COLUMN = "custom"
"""Column holding a dict of unmapped source columns, kept as custom fields."""


def row_dicts(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The frame's rows as dicts by column name (batch frames name their columns by strings)."""
    return cast("list[dict[str, Any]]", frame.to_dict("records"))


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a batch came from; stored on the import run and on every raw record."""

    source_kind: SourceKind
    source_name: str
    location: str
    file_hash: str
    fetched_at: datetime


@dataclass(frozen=True, slots=True)
class BrokenRow:
    """An input line the adapter could not turn into a row (bad quoting, wrong field count)."""

    row_number: int
    raw_text: str
    reason_code: str
    message: str


@dataclass(frozen=True, slots=True)
class RawBatch:
    """Rows exactly as the source gave them (all values strings), with their provenance.

    ``rows`` keeps the source's own headers; its ``_row`` column is the row identity.
    ``broken`` lists rows the adapter could not parse; they are quarantined, never dropped.
    """

    rows: pd.DataFrame
    provenance: Provenance
    broken: tuple[BrokenRow, ...] = field(default=())
