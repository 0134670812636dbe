"""Validate: turn normalization findings into policy. Null invalid values, quarantine the unusable.

Rules are small named functions in one registry (``RULES``). A field rule finds rows whose value
is invalid, nulls that value (the ``*_original`` column keeps what the source sent) and records its
reason code unless normalization already gave a more precise one. A record rule quarantines rows
that have nothing usable left. Nothing is dropped: quarantined rows stay in the frame.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import pandas as pd
import pycountry

from ingest.entities import company_only, nameless
from ingest.normalize.batch import gc_paused
from ingest.normalize.places import POSTAL_FORMATS
from ingest.records import ISSUES_COLUMN

QUARANTINED_COLUMN = "quarantined"
T = TypeVar("T")

_E164 = re.compile(r"\+[1-9]\d{6,14}")
_ISO2 = frozenset(country.alpha_2 for country in pycountry.countries)

Check = Callable[[pd.DataFrame], pd.Series]


@dataclass(frozen=True, slots=True)
class Rule:
    """A validation rule: rows where ``check`` is True get ``code``, lose ``nulls`` and may be
    quarantined. ``explained_by`` lists codes that already say the same thing more precisely."""

    name: str
    code: str
    check: Check
    nulls: tuple[str, ...] = ()
    quarantine: bool = False
    explained_by: frozenset[str] = frozenset()


def _col(frame: pd.DataFrame, name: str) -> pd.Series:
    if name in frame.columns:
        return frame[name]
    return pd.Series(None, index=frame.index, dtype=object)


def _present(frame: pd.DataFrame, name: str) -> pd.Series:
    return _col(frame, name).notna()


def _per_unique(values: pd.Series, test: Callable[[T], bool]) -> pd.Series:
    """``test`` on each distinct present value (a ``T``) once, as a boolean Series over all rows
    (missing values are False). Lead lists repeat values: far cheaper than a per-row map."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    table = np.fromiter((test(v) for v in uniques), dtype=bool, count=len(uniques))
    hits = np.append(table, False).take(codes)  # code -1 (missing) picks the trailing False
    return pd.Series(hits, index=values.index)


def email_invalid(frame: pd.DataFrame) -> pd.Series:
    """An email that normalization could not key is not a valid address."""
    return _present(frame, "email") & ~_present(frame, "email_key")


def _not_e164(frame: pd.DataFrame, name: str) -> pd.Series:
    return _per_unique(_col(frame, name), lambda v: _E164.fullmatch(str(v)) is None)


def phone_invalid(frame: pd.DataFrame) -> pd.Series:
    """A phone that is not in E.164 form after normalization was not a valid number."""
    return _not_e164(frame, "phone")


def mobile_invalid(frame: pd.DataFrame) -> pd.Series:
    """Same as ``phone_invalid`` for the mobile column."""
    return _not_e164(frame, "mobile")


def country_unknown(frame: pd.DataFrame) -> pd.Series:
    """A country that is not an ISO 3166-1 alpha-2 code after normalization."""
    values = _col(frame, "country")
    return values.notna() & ~values.isin(_ISO2)


def _postal_mismatch(pair: tuple[object, object]) -> bool:
    code, country = pair
    if code is None or code != code or not isinstance(country, str):
        return False
    pattern = POSTAL_FORMATS.get(country)
    return pattern is not None and pattern.fullmatch(str(code)) is None


def postal_code_invalid(frame: pd.DataFrame) -> pd.Series:
    """A postal code that does not match its (known) country's format."""
    codes, countries = _col(frame, "postal_code"), _col(frame, "country")
    present = codes.notna()
    if not present.any():
        return pd.Series(False, index=frame.index)
    pairs = pd.Series(
        list(zip(codes.astype(object), countries.astype(object), strict=True)),
        index=frame.index,
        dtype=object,
    )
    return _per_unique(pairs, _postal_mismatch) & present


def no_contact_point(frame: pd.DataFrame) -> pd.Series:
    """A person with no email, phone, mobile or LinkedIn profile, and no postal address (a
    street with a city or postal code). A LinkedIn profile identifies the person and can be
    messaged. A company on its own (an account list, a directory of names) needs none: its
    name is the account, as in any CRM."""
    postal = _present(frame, "street") & (_present(frame, "city") | _present(frame, "postal_code"))
    reachable = (
        _present(frame, "email")
        | _present(frame, "phone")
        | _present(frame, "mobile")
        | _present(frame, "linkedin_url")
        | postal
    )
    return ~reachable & ~company_only(frame)


def no_name(frame: pd.DataFrame) -> pd.Series:
    """Neither a person name nor a company (name or web domain): ``ingest.entities``."""
    return pd.Series(nameless(frame), index=frame.index)


MAX_VALUE_CHARS = 500
"""Longest value of a field the store indexes or keys (PostgreSQL's b-tree entries hold about
2,700 bytes); no real name, address or title comes near it."""

KEYED_FIELDS = (
    "first_name", "middle_name", "last_name", "full_name", "first_name_key", "last_name_key",
    "honorific", "suffix", "job_title", "email", "email_key", "email_domain", "phone", "mobile",
    "company_name", "company_key", "company_domain", "website", "industry", "company_size",
    "street", "city", "region", "postal_code",
)  # fmt: skip


def value_too_long(frame: pd.DataFrame) -> pd.Series:
    """A keyed field longer than ``MAX_VALUE_CHARS``: the row cannot be indexed as it is."""
    hit = pd.Series(False, index=frame.index)
    for name in KEYED_FIELDS:
        if name in frame.columns and frame[name].dtype == object:
            try:
                lengths = frame[name].str.len()
            except AttributeError:  # no strings in the column at all
                continue
            hit |= (lengths.fillna(0) > MAX_VALUE_CHARS).to_numpy()
    return hit


_EMAIL_FIELDS = (
    "email",
    "email_key",
    "email_domain",
    "email_is_role",
    "email_is_free",
    "email_is_disposable",
    "email_is_placeholder",
)
_PHONE_CODES = ("unparseable", "invalid_for_region", "region_unknown")

RULES: tuple[Rule, ...] = (
    Rule("email_invalid", "email.invalid_syntax", email_invalid, _EMAIL_FIELDS),
    Rule(
        "phone_invalid",
        "phone.unparseable",
        phone_invalid,
        ("phone", "phone_type", "phone_ext"),
        explained_by=frozenset(f"phone.{c}" for c in _PHONE_CODES),
    ),
    Rule(
        "mobile_invalid",
        "mobile.unparseable",
        mobile_invalid,
        ("mobile", "mobile_type"),
        explained_by=frozenset(f"mobile.{c}" for c in _PHONE_CODES),
    ),
    Rule("country_unknown", "country.unknown", country_unknown, ("country",)),
    Rule(
        "postal_code_invalid",
        "postal_code.invalid_for_country",
        postal_code_invalid,
        ("postal_code",),
    ),
    Rule("value_too_long", "value.too_long", value_too_long, quarantine=True),
    Rule("no_contact_point", "record.no_contact_point", no_contact_point, quarantine=True),
    Rule("no_name", "record.no_name", no_name, quarantine=True),
)
"""Field rules first (they null values), then record rules (they judge what is left)."""


POSTAL_CODE_KEY = "postal_code_key"
"""The postal code as normalized, kept beside ``postal_code`` when the country's format refuses
it (``postal_code.invalid_for_country`` nulls that one): a wrong country ("33101" with country
NL) or a typo still tells two listings of one site together."""


def validate_batch(frame: pd.DataFrame, *, timings: dict[str, float] | None = None) -> pd.DataFrame:
    """Apply ``RULES`` to normalize's output; returns a new frame with ``quarantined`` added."""
    with gc_paused():
        return _validate_batch(frame, timings)


def _validate_batch(frame: pd.DataFrame, timings: dict[str, float] | None) -> pd.DataFrame:
    started = time.process_time()
    n = len(frame)
    work = frame.copy(deep=False)  # nulled columns are replaced, never written into
    if ISSUES_COLUMN in work.columns:
        issues = work[ISSUES_COLUMN].to_numpy(dtype=object, copy=True)
    else:
        issues = np.fromiter((() for _ in range(n)), dtype=object, count=n)
    quarantined = np.zeros(n, dtype=bool)
    if "postal_code" in work.columns:  # matching still reads a code the country's format refuses
        work[POSTAL_CODE_KEY] = work["postal_code"]
    for rule in RULES:
        mask = rule.check(work).fillna(False).to_numpy(dtype=bool)
        if not mask.any():
            continue
        for name in rule.nulls:
            if name in work.columns:
                values = work[name].to_numpy(dtype=object, copy=True)
                values[mask] = None
                work[name] = pd.Series(values, index=work.index, dtype=object)
        rows = np.flatnonzero(mask)
        updated = (_with_code(codes, rule) for codes in issues[rows])
        issues[rows] = np.fromiter(updated, dtype=object, count=len(rows))
        if rule.quarantine:
            quarantined |= mask
    work[ISSUES_COLUMN] = pd.Series(issues, index=work.index, dtype=object)
    work[QUARANTINED_COLUMN] = quarantined
    if timings is not None:
        timings["validate"] = timings.get("validate", 0.0) + time.process_time() - started
    return work


def _with_code(codes: tuple[str, ...] | None, rule: Rule) -> tuple[str, ...]:
    found = tuple(codes or ())
    if rule.code in found or rule.explained_by.intersection(found):
        return found
    return (*found, rule.code)
