"""Normalize: turn raw canonical-field values into their canonical forms, per batch.

``normalize_batch`` is the stage; the per-value functions are the reference path it is tested
against, and the building blocks other stages may reuse (e.g. ``name_variants`` in matching).
"""

from __future__ import annotations

from ingest.normalize.activities import ActivityKindError, normalize_activity_kind
from ingest.normalize.batch import normalize_batch
from ingest.normalize.companies import NormalizedCompany, normalize_company, website_domain
from ingest.normalize.dates import normalize_datetime
from ingest.normalize.emails import NormalizedEmail, normalize_email
from ingest.normalize.errors import (
    CountryNormalizationError,
    DateNormalizationError,
    EmailNormalizationError,
    NormalizationError,
    PhoneNormalizationError,
    PostalCodeError,
    WebsiteError,
)
from ingest.normalize.names import NormalizedName, normalize_name
from ingest.normalize.nicknames import name_variants
from ingest.normalize.phones import NormalizedPhone, normalize_phone
from ingest.normalize.places import normalize_country, normalize_postal_code, normalize_region
from ingest.normalize.record import normalize_record
from ingest.normalize.text import clean_text, parse_consent

__all__ = [
    "ActivityKindError",
    "CountryNormalizationError",
    "DateNormalizationError",
    "EmailNormalizationError",
    "NormalizationError",
    "NormalizedCompany",
    "NormalizedEmail",
    "NormalizedName",
    "NormalizedPhone",
    "PhoneNormalizationError",
    "PostalCodeError",
    "WebsiteError",
    "clean_text",
    "name_variants",
    "normalize_activity_kind",
    "normalize_batch",
    "normalize_company",
    "normalize_country",
    "normalize_datetime",
    "normalize_email",
    "normalize_name",
    "normalize_phone",
    "normalize_postal_code",
    "normalize_record",
    "normalize_region",
    "parse_consent",
    "website_domain",
]
