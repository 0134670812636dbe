"""Phone digit keys: every present phone cell gets comparable digits, valid number or not."""

from __future__ import annotations

import pandas as pd
import phonenumbers
import pytest

from ingest.normalize import normalize_batch, normalize_record
from ingest.normalize.phone_digits import fallback_digits, national_digits
from ingest.validate import validate_batch


@pytest.mark.parametrize(
    ("cell", "region", "phone", "digits"),
    [
        # valid numbers: the national significant number, however the cell writes it
        ("+1 773 386 5286", "US", "+17733865286", "7733865286"),
        ("(773) 386-5286", "US", "+17733865286", "7733865286"),
        ("773.386.5286", None, None, "7733865286"),  # no region: invalid, same digits
        ("1 (773) 386-5286", "US", "+17733865286", "7733865286"),
        ("(773) 386-5286 x123", "US", "+17733865286", "7733865286"),
        ("+44 (0)20 7946 0958", "US", "+442079460958", "2079460958"),
        ("0044 20 7946 0958", "GB", "+442079460958", "2079460958"),
        ("020 7946 0958", "GB", "+442079460958", "2079460958"),
        ("030/1234567", "DE", "+49301234567", "301234567"),
        ("+39 06 6982 1234", None, "+390669821234", "0669821234"),  # Italy keeps its 0
        # not valid: digits without extension, calling code or leading zeros
        ("3865286", "US", None, "3865286"),
        ("285-9902", "US", None, "2859902"),
        ("285-9902 x12", "US", None, "2859902"),
        ("285-9902 ext. 12", "US", None, "2859902"),
        ("285-9902 Ext: 12", "US", None, "2859902"),
        ("285-9902 extension 12", "US", None, "2859902"),
        ("285-9902#12", "US", None, "2859902"),
        ("285 9902 (x 4)", "US", None, "2859902"),
        ("+1 555 0100", None, None, "5550100"),
        ("001 555 0100", "DE", None, "5550100"),
        ("(+1) 555 0100", None, None, "5550100"),
        ("0301234567", None, None, "301234567"),
        ("tel: 285-9902", "US", None, "2859902"),
        ("555 0100 / 555 0101 / 555 0102", "US", None, "5550100"),  # several numbers
        # too few digits, or none: no key
        ("12345", "US", None, None),
        ("x12345", "US", None, None),
        ("abc", "US", None, None),
        ("000", "US", None, None),
        ("n/a", "US", None, None),
        (None, "US", None, None),
    ],
)
def test_phone_digits(cell: str | None, region: str | None, phone: str | None, digits: str | None):
    frame = pd.DataFrame({"phone": [cell], "mobile": [cell], "country": [region]})
    out = validate_batch(normalize_batch(frame))
    assert out["phone"].iat[0] == phone
    assert out["phone_digits"].iat[0] == digits
    assert out["mobile_digits"].iat[0] == digits
    reference = normalize_record({"phone": cell, "mobile": cell, "country": region})
    assert (reference["phone_digits"], reference["mobile_digits"]) == (digits, digits)


def test_a_local_number_and_its_full_number_share_their_last_seven_digits() -> None:
    frame = pd.DataFrame({"phone": ["386-5286", "+1 (773) 386-5286", "773 386 5286 x9"]})
    keys = normalize_batch(frame, default_region="US")["phone_digits"].tolist()
    assert keys == ["3865286", "7733865286", "7733865286"]
    assert {key[-7:] for key in keys} == {"3865286"}
    assert all(key.isdigit() for key in keys)


def test_validation_keeps_the_digit_key_of_a_nulled_number() -> None:
    frame = pd.DataFrame({"phone": ["555-0100"], "mobile": ["555-0101"], "country": ["US"]})
    out = validate_batch(normalize_batch(frame))
    row = out.iloc[0]
    assert (row["phone"], row["phone_type"], row["mobile"]) == (None, None, None)
    assert (row["phone_digits"], row["mobile_digits"]) == ("5550100", "5550101")


@pytest.mark.parametrize(
    "e164", ["+17733865286", "+442079460958", "+390669821234", "+8613800138000", "+35312345678"]
)
def test_national_digits_is_the_national_significant_number(e164: str) -> None:
    number = phonenumbers.parse(e164)
    assert national_digits(e164) == phonenumbers.national_significant_number(number)


def test_fallback_digits_are_plain_ascii_digits() -> None:
    for cell in ("+1-555-0100", "(555) 0100 ext 7", "５５５-０１００ 99", "555 0100 or 555 0101"):
        key = fallback_digits(cell)
        assert key is None or (key.isascii() and key.isdigit())
