"""Validation rules: nulling invalid values, codes, quarantine."""

from __future__ import annotations

import pandas as pd
import pytest

from ingest.normalize import normalize_batch
from ingest.reasons import REASONS
from ingest.records import ISSUES_COLUMN
from ingest.validate import QUARANTINED_COLUMN, RULES, validate_batch

CONTACT = {"email": "jane@acme.com"}
NAME = {"first_name": "Jane"}


def _validate(row: dict[str, str], *, default_region: str | None = "US") -> pd.Series:
    frame = pd.DataFrame([row])
    return validate_batch(normalize_batch(frame, default_region=default_region)).iloc[0]


@pytest.mark.parametrize(
    ("row", "nulled", "kept", "codes"),
    [
        (
            {**NAME, "email": "bad@", "phone": "415 555 2671"},
            ("email", "email_key"),
            ("email_original",),
            ("email.invalid_syntax",),
        ),
        (
            {**NAME, **CONTACT, "phone": "555-0100"},
            ("phone", "phone_type"),
            ("phone_original",),
            ("phone.invalid_for_region",),
        ),
        (
            {**NAME, **CONTACT, "mobile": "000"},
            ("mobile", "mobile_type"),
            ("mobile_original",),
            ("mobile.unparseable",),
        ),
        ({**NAME, **CONTACT, "country": "Narnia"}, ("country",), (), ("country.unknown",)),
        (
            {**NAME, **CONTACT, "country": "US", "postal_code": "ABCDE"},
            ("postal_code",),
            ("postal_code_key",),  # kept for matching only
            ("postal_code.invalid_for_country",),
        ),
        (
            {**NAME, **CONTACT, "country": "NL", "postal_code": "33101"},  # a US code
            ("postal_code",),
            ("postal_code_key",),
            ("postal_code.invalid_for_country",),
        ),
    ],
)
def test_field_rules_null_invalid_values(
    row: dict[str, str], nulled: tuple[str, ...], kept: tuple[str, ...], codes: tuple[str, ...]
) -> None:
    out = _validate(row)
    assert all(out[name] is None for name in nulled)
    assert all(out[name] is not None for name in kept)
    assert out[ISSUES_COLUMN] == codes
    assert not out[QUARANTINED_COLUMN]


@pytest.mark.parametrize(
    ("row", "codes", "quarantined"),
    [
        ({**NAME, **CONTACT}, (), False),
        ({**NAME, "phone": "+44 20 7946 0958"}, (), False),
        ({**NAME, "mobile": "+49 151 23456789"}, (), False),
        ({**NAME, "street": "1 Main St", "city": "Springfield"}, (), False),
        ({**NAME, "street": "1 Main St"}, ("record.no_contact_point",), True),
        (
            {**NAME, "city": "Springfield", "postal_code": "12345"},
            ("record.no_contact_point",),
            True,
        ),
        (NAME, ("record.no_contact_point",), True),
        ({**NAME, "email": "bad@"}, ("email.invalid_syntax", "record.no_contact_point"), True),
        ({**NAME, "phone": "000"}, ("phone.unparseable", "record.no_contact_point"), True),
        ({"company_name": "Acme", **CONTACT}, (), False),
        (CONTACT, ("record.no_name",), True),
        ({"first_name": "n/a", "email": "-"}, ("record.no_contact_point", "record.no_name"), True),
    ],
)
def test_record_rules_quarantine(
    row: dict[str, str], codes: tuple[str, ...], quarantined: bool
) -> None:
    out = _validate(row)
    assert out[ISSUES_COLUMN] == codes
    assert out[QUARANTINED_COLUMN] is quarantined or out[QUARANTINED_COLUMN] == quarantined


def test_validate_keeps_rows_and_order() -> None:
    frame = pd.DataFrame(
        [{**NAME, **CONTACT}, {"email": "x"}, {**NAME, "phone": "000"}], index=[5, 3, 9]
    )
    out = validate_batch(normalize_batch(frame))
    assert list(out.index) == [5, 3, 9]
    assert out[QUARANTINED_COLUMN].tolist() == [False, True, True]
    assert out[QUARANTINED_COLUMN].dtype == bool


def test_validate_works_on_a_frame_without_issues_column() -> None:
    out = validate_batch(pd.DataFrame({"email": ["a@b.com"], "email_key": ["a@b.com"]}))
    assert out[ISSUES_COLUMN].tolist() == [("record.no_name",)]


def test_every_code_is_catalogued() -> None:
    assert all(rule.code in REASONS for rule in RULES)
    from ingest.normalize import errors

    classes = [c for c in vars(errors).values() if getattr(c, "__module__", "") == errors.__name__]
    assert classes and all(cls.code in REASONS for cls in classes)
    for code in (
        "name.maybe_swapped",
        "value.formula_like",
        "email.role_account",
        "email.disposable_domain",
        "phone.region_unknown",
        "mobile.region_unknown",
        "mobile.invalid_for_region",
        "mobile.unparseable",
        "region.unknown",
    ):
        assert code in REASONS
