"""Field group functions: the per-record normalization, as small pure functions of a few inputs.

Each group (registered in ``groups.GROUPS``) reads some input columns (raw source values, or
values made by an earlier group) and returns a tuple of output values whose last item is a tuple
of reason codes. The reference path (``record.normalize_record``) calls them once per record; the
batch path calls them once per unique input combination. Both walk ``groups.GROUPS`` in order,
so they cannot disagree.
"""

from __future__ import annotations

from ingest.normalize.companies import normalize_company, website_domain
from ingest.normalize.dates import (
    MONTH_FIRST_COUNTRIES,
    birth_date_key,
    normalize_birth_date,
    normalize_datetime,
)
from ingest.normalize.emails import is_company_domain, normalize_clean_email
from ingest.normalize.errors import NormalizationError
from ingest.normalize.linkedin import normalize_linkedin
from ingest.normalize.location import fill_location
from ingest.normalize.names import normalize_name
from ingest.normalize.phone_digits import fallback_digits, national_digits
from ingest.normalize.phones import normalize_clean_phone, phone_region
from ingest.normalize.places import (
    REGION_CODE_COUNTRIES,
    case_place,
    is_region_code,
    normalize_country,
    normalize_postal_code,
    normalize_region,
)
from ingest.normalize.subscription import email_status, flag_set
from ingest.normalize.text import clean_name_text, clean_text, is_formula_like, parse_consent

Issues = tuple[str, ...]
FORMULA: Issues = ("value.formula_like",)
NO_ISSUES: Issues = ()

# fmt: off
PLAIN_TEXT_FIELDS: tuple[str, ...] = (
    "job_title", "industry", "company_size", "consent_text", "consent_version", "consent_ip",
    "activity_subject", "source_record_id",
)
# fmt: on
"""Fields only cleaned (NFKC, whitespace, empty markers) and checked for formulas."""
CONSENT_FIELDS: tuple[str, ...] = ("email_opt_in", "phone_opt_in", "sms_opt_in", "post_opt_in")
FLAG_FIELDS: tuple[str, ...] = (
    "email_opt_out", "phone_opt_out", "sms_opt_out", "post_opt_out", "email_bounced",
)  # fmt: skip
"""Opt-out flags (unsubscribed, do not call, do not mail) and the bounce flag."""


def _formula(*texts: str | None) -> Issues:
    return FORMULA if any(is_formula_like(t) for t in texts) else NO_ISSUES


def country_group(raw: object) -> tuple[str | None, str | None, Issues]:
    """→ (country, country code for other groups, issues). Unknown countries keep their text."""
    text = clean_text(raw)
    if text is None:
        return None, None, NO_ISSUES
    try:
        code = normalize_country(text)
    except NormalizationError as exc:
        return text, None, (exc.code, *_formula(text))
    return code, code, NO_ISSUES


def region_group(raw: object, country: str | None) -> tuple[str | None, Issues]:
    text = clean_text(raw)
    if text is None:
        return None, NO_ISSUES
    region = normalize_region(text, country)
    unknown = country in REGION_CODE_COUNTRIES and not is_region_code(region, country)
    return region, ("region.unknown",) * unknown + _formula(text)


def postal_group(raw: object, country: str | None) -> tuple[str | None, Issues]:
    """Invalid codes keep their text here; validation nulls them."""
    text = clean_text(raw)
    if text is None:
        return None, NO_ISSUES
    try:
        return normalize_postal_code(text, country), NO_ISSUES
    except NormalizationError as exc:
        return text, (exc.code,)


def place_text_group(raw: object) -> tuple[str | None, Issues]:
    """City or street: cleaned, one-case values re-cased."""
    text = clean_text(raw)
    if text is None:
        return None, NO_ISSUES
    return case_place(text), _formula(text)


def name_group(
    full: object, honorific: object, first: object, middle: object, last: object, suffix: object
) -> tuple[object, ...]:
    """→ (honorific, first, middle, last, suffix, full_name, first key, last key,
    order uncertain, issues)."""
    texts = [
        (clean_text if i in (1, 5) else clean_name_text)(v)
        for i, v in enumerate((full, honorific, first, middle, last, suffix))
    ]
    name = normalize_name(
        full_name=texts[0],
        honorific=texts[1],
        first_name=texts[2],
        middle_name=texts[3],
        last_name=texts[4],
        suffix=texts[5],
    )
    return (
        name.honorific,
        name.first_name,
        name.middle_name,
        name.last_name,
        name.suffix,
        name.full_name,
        name.first_name_key,
        name.last_name_key,
        name.order_uncertain,
        name.issues + _formula(*texts),
    )


def email_group(raw: object) -> tuple[object, ...]:
    """→ (email, original, key, domain, is_role, is_free, is_disposable, is_placeholder,
    issues).

    An invalid address keeps its cleaned text in ``email`` (validation nulls it) and no key.
    """
    original = raw if isinstance(raw, str) else None
    text = clean_text(raw)
    if text is None:
        return None, original, None, None, None, None, None, None, NO_ISSUES
    try:
        found = normalize_clean_email(text)
    except NormalizationError as exc:
        return text, original, None, None, None, None, None, None, (exc.code,)
    issues = ("email.role_account",) * found.is_role + (
        "email.disposable_domain",
    ) * found.is_disposable
    return (
        found.email,
        original,
        found.email_key,
        found.email_domain,
        found.is_role,
        found.is_free,
        found.is_disposable,
        found.is_placeholder,
        issues,
    )


def _phone(raw: object, region: str | None, prefix: str) -> tuple[object, ...]:
    original = raw if isinstance(raw, str) else None
    text = clean_text(raw)
    if text is None:
        return None, original, None, None, None, NO_ISSUES
    try:
        found = normalize_clean_phone(text, phone_region(region))
    except NormalizationError as exc:
        code = exc.code.replace("phone.", prefix, 1)
        return text, original, None, None, fallback_digits(text), (code,)
    digits = national_digits(found.e164)
    return found.e164, original, found.phone_type, found.extension, digits, NO_ISSUES


def phone_group(raw: object, region: str | None) -> tuple[object, ...]:
    """→ (phone, original, type, extension, digit key, issues); invalid numbers keep their text
    and get a digit key all the same (``phone_digits``)."""
    return _phone(raw, region, "phone.")


def mobile_group(raw: object, region: str | None) -> tuple[object, ...]:
    """→ (mobile, original, type, digit key, issues); a mobile's extension is dropped."""
    number, original, kind, _ext, digits, issues = _phone(raw, region, "mobile.")
    return number, original, kind, digits, issues


def company_group(raw: object) -> tuple[str | None, str | None, Issues]:
    text = clean_text(raw)
    if text is None:
        return None, None, NO_ISSUES
    found = normalize_company(text)
    return found.name, found.key, _formula(text)


def website_group(raw: object) -> tuple[str | None, str | None, Issues]:
    """→ (website as given, its domain, issues)."""
    text = clean_text(raw)
    if text is None:
        return None, None, NO_ISSUES
    try:
        return text, website_domain(text), NO_ISSUES
    except NormalizationError as exc:
        return text, None, (exc.code, *_formula(text))


def company_domain_group(
    site_domain: str | None,
    email_domain: str | None,
    is_free: object,
    is_disposable: object,
    is_placeholder: object,
) -> tuple[str | None, Issues]:
    """The website's domain, else the email's, when it may be a company's: never a free-mail,
    disposable or placeholder domain (``emails.is_company_domain``)."""
    if site_domain and is_company_domain(site_domain):
        return site_domain, NO_ISSUES
    if email_domain and is_free is False and is_disposable is False and is_placeholder is False:
        return email_domain, NO_ISSUES
    return None, NO_ISSUES


def phone_region_group(country: str | None, default_region: str | None) -> tuple[str | None]:
    return (country or default_region,)


def _month_first(region: str | None, batch_order: bool | None) -> bool:
    """The batch's own day/month order when its dates showed one, else the region's."""
    return region in MONTH_FIRST_COUNTRIES if batch_order is None else batch_order


def captured_at_group(
    raw: object, region: str | None, batch_order: bool | None = None
) -> tuple[str | None, Issues]:
    """ISO 8601; day/month order from the batch's dates, else the record's region.
    Unparseable values are dropped."""
    text = clean_text(raw)
    if text is None:
        return None, NO_ISSUES
    try:
        return normalize_datetime(text, month_first=_month_first(region, batch_order)), NO_ISSUES
    except NormalizationError as exc:
        return None, (exc.code,)


def birth_date_group(
    raw: object, region: str | None, batch_order: bool | None = None
) -> tuple[str | None, str | None, Issues]:
    """→ (ISO date YYYY-MM-DD, the date as written for matching); day/month order from the
    batch's dates, else the record's region. Unparseable and implausible dates (future, before
    1900) are dropped with their code; the key keeps a numeric one, so a typo in a year still
    compares."""
    text = clean_text(raw)
    if text is None:
        return None, None, NO_ISSUES
    month_first = _month_first(region, batch_order)
    key = birth_date_key(text, month_first=month_first)
    try:
        return normalize_birth_date(text, month_first=month_first), key, NO_ISSUES
    except NormalizationError as exc:
        return None, key, (exc.code,)


def text_group(raw: object) -> tuple[str | None, Issues]:
    text = clean_text(raw)
    return text, _formula(text)


def consent_group(raw: object) -> tuple[bool | None, Issues]:
    return parse_consent(raw), NO_ISSUES


def flag_group(raw: object) -> tuple[bool | None, Issues]:
    return flag_set(clean_text(raw)), NO_ISSUES


def email_status_group(raw: object) -> tuple[str | None, Issues]:
    """subscribed / unsubscribed / bounced / pending, or None for a status nobody knows."""
    text = clean_text(raw)
    answer = parse_consent(text)
    if answer is not None:  # a yes/no "Subscribed" column
        return ("subscribed" if answer else "unsubscribed"), NO_ISSUES
    return email_status(text), NO_ISSUES


def location_group(
    location: object, city: object, region: object, country: object
) -> tuple[object, object, object, Issues]:
    """Fill city, region and country from a free-text location where their own columns are
    empty (the place groups that follow normalize them)."""
    text = clean_text(location)
    return (*fill_location(text, city, region, country), _formula(text))


def linkedin_group(raw: object) -> tuple[str | None, str | None, Issues]:
    """→ (canonical profile URL, match key); a value that is no LinkedIn profile is dropped."""
    text = clean_text(raw)
    if text is None:
        return None, None, NO_ISSUES
    try:
        url, key = normalize_linkedin(text)
    except NormalizationError as exc:
        return None, None, (exc.code, *_formula(text))
    return url, key, NO_ISSUES
