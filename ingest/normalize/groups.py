"""The ordered registry of field groups (``GROUPS``) that both normalize paths walk.

A group names its input columns (raw canonical fields, or outputs of an earlier group), its
output columns and its function from ``fields``; some groups also have a batch form
from ``vectorized`` that the batch path uses on arrays of distinct values.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ingest.normalize.activities import activity_kind_group
from ingest.normalize.date_order import order_column
from ingest.normalize.fields import (
    CONSENT_FIELDS,
    FLAG_FIELDS,
    NO_ISSUES,
    PLAIN_TEXT_FIELDS,
    birth_date_group,
    captured_at_group,
    company_domain_group,
    company_group,
    consent_group,
    country_group,
    email_group,
    email_status_group,
    flag_group,
    linkedin_group,
    location_group,
    mobile_group,
    name_group,
    phone_group,
    phone_region_group,
    place_text_group,
    postal_group,
    region_group,
    text_group,
    website_group,
)
from ingest.normalize.vectorized import (
    Columns,
    company_batch,
    company_domain_batch,
    email_batch,
    mobile_batch,
    phone_batch,
    plain_text_batch,
    website_batch,
)


@dataclass(frozen=True, slots=True)
class Group:
    """One field group: its input columns, its output columns (issues excluded), its function."""

    name: str
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    func: Callable[..., tuple[object, ...]]
    vector: Callable[..., Columns] | None = None
    """Optional batch form: one list of distinct combinations' values per input
    (``ingest.normalize.vectorized``)."""


STAGE_OF_GROUP: dict[str, str] = {}
"""Benchmark label of each group (names, emails, phones, places, companies, other)."""


def _g(
    stage: str,
    name: str,
    inputs: tuple[str, ...],
    outputs: tuple[str, ...],
    func: Callable[..., tuple[object, ...]],
    vector: Callable[..., Columns] | None = None,
) -> Group:
    STAGE_OF_GROUP[name] = stage
    return Group(name, inputs, outputs, func, vector)


GROUPS: tuple[Group, ...] = (
    _g(
        "places",
        "location",
        ("location", "city", "region", "country"),
        ("city", "region", "country"),
        location_group,
    ),
    _g("places", "country", ("country",), ("country", "_country_code"), country_group),
    _g("places", "region", ("region", "_country_code"), ("region",), region_group),
    _g("places", "postal_code", ("postal_code", "_country_code"), ("postal_code",), postal_group),
    _g("places", "city", ("city",), ("city",), place_text_group),
    _g("places", "street", ("street",), ("street",), place_text_group),
    _g(
        "names",
        "name",
        ("full_name", "honorific", "first_name", "middle_name", "last_name", "suffix"),
        (
            "honorific",
            "first_name",
            "middle_name",
            "last_name",
            "suffix",
            "full_name",
            "first_name_key",
            "last_name_key",
            "name_order_uncertain",
        ),
        name_group,
    ),
    _g(
        "emails",
        "email",
        ("email",),
        (
            "email",
            "email_original",
            "email_key",
            "email_domain",
            "email_is_role",
            "email_is_free",
            "email_is_disposable",
            "email_is_placeholder",
        ),
        email_group,
        email_batch,
    ),
    _g(
        "phones",
        "phone_region",
        ("_country_code", "_default_region"),
        ("_phone_region",),
        lambda c, d: (*phone_region_group(c, d), NO_ISSUES),
    ),
    _g(
        "phones",
        "phone",
        ("phone", "_phone_region"),
        ("phone", "phone_original", "phone_type", "phone_ext", "phone_digits"),
        phone_group,
        phone_batch,
    ),
    _g(
        "phones",
        "mobile",
        ("mobile", "_phone_region"),
        ("mobile", "mobile_original", "mobile_type", "mobile_digits"),
        mobile_group,
        mobile_batch,
    ),
    _g(
        "companies",
        "company",
        ("company_name",),
        ("company_name", "company_key"),
        company_group,
        company_batch,
    ),
    _g(
        "companies",
        "website",
        ("website",),
        ("website", "_site_domain"),
        website_group,
        website_batch,
    ),
    _g(
        "companies",
        "company_domain",
        (
            "_site_domain",
            "email_domain",
            "email_is_free",
            "email_is_disposable",
            "email_is_placeholder",
        ),
        ("company_domain",),
        company_domain_group,
        company_domain_batch,
    ),
    *(_g("other", f, (f,), (f,), text_group, plain_text_batch) for f in PLAIN_TEXT_FIELDS),
    *(_g("other", f, (f,), (f,), consent_group) for f in CONSENT_FIELDS),
    *(_g("other", f, (f,), (f,), flag_group) for f in FLAG_FIELDS),
    _g("other", "email_status", ("email_status",), ("email_status",), email_status_group),
    _g(
        "other",
        "linkedin_url",
        ("linkedin_url",),
        ("linkedin_url", "linkedin_key"),
        linkedin_group,
    ),
    _g(
        "other",
        "activity_kind",
        ("activity_kind", "checked_in"),
        ("activity_kind",),
        activity_kind_group,
    ),
    _g(
        "other",
        "captured_at",
        ("captured_at", "_phone_region", order_column("captured_at")),
        ("captured_at",),
        captured_at_group,
    ),
    _g(
        "other",
        "birth_date",
        ("birth_date", "_phone_region", order_column("birth_date")),
        ("birth_date", "birth_date_key"),
        birth_date_group,
    ),
)
