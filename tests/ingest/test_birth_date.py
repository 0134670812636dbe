"""Birth dates: ISO YYYY-MM-DD, day/month order by region, implausible ones dropped with a code."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from ingest.normalize import normalize_batch, normalize_record
from ingest.normalize.dates import normalize_birth_date
from ingest.normalize.errors import DateNormalizationError
from ingest.reasons import REASONS
from ingest.records import CANONICAL_FIELDS, ISSUES_COLUMN, NORMALIZED_FIELDS

NEXT_YEAR = date.today().year + 1


@pytest.mark.parametrize(
    ("raw", "country", "iso", "codes"),
    [
        ("1980-05-01", None, "1980-05-01", ()),
        ("1980-05-01T00:00:00", None, "1980-05-01", ()),
        ("1980-05-01T00:30:00+02:00", None, "1980-05-01", ()),  # a zone does not move the day
        ("19800501", None, "1980-05-01", ()),
        ("05/01/1980", "DE", "1980-01-05", ()),  # day first
        ("05/01/1980", "US", "1980-05-01", ()),  # month first
        ("25/12/1980", "US", "1980-12-25", ()),  # 25 cannot be a month
        ("05.01.1980", "DE", "1980-01-05", ()),
        ("5 Mar 1980", None, "1980-03-05", ()),
        ("March 5th, 1980", None, "1980-03-05", ()),
        ("03/05/68", "GB", "1968-05-03", ()),  # a two-digit year is not in the future
        ("03/05/80", "GB", "1980-05-03", ()),
        ("1900-01-01", None, "1900-01-01", ()),
        (" 1980-05-01 ", None, "1980-05-01", ()),
        ("\u200b1980-05-01", None, "1980-05-01", ()),
        ("1899-12-31", None, None, ("birth_date.implausible",)),
        ("0001-01-01", None, None, ("birth_date.implausible",)),
        (f"{NEXT_YEAR}-01-01", None, None, ("birth_date.implausible",)),
        ("31/02/1980", "DE", None, ("birth_date.unparseable",)),
        ("1980", None, None, ("birth_date.unparseable",)),
        ("unknown", None, None, ()),  # an empty marker is no date
        ("yesterday", None, None, ("birth_date.unparseable",)),
        ("", None, None, ()),
        (None, None, None, ()),
    ],
)
def test_birth_date(raw: str | None, country: str | None, iso: str | None, codes: tuple) -> None:
    row = {"birth_date": raw, "country": country}
    out = normalize_batch(pd.DataFrame([row]))
    assert out["birth_date"].iat[0] == iso
    assert out[ISSUES_COLUMN].iat[0] == codes
    reference = normalize_record(row)
    assert (reference["birth_date"], reference[ISSUES_COLUMN]) == (iso, codes)


def test_birth_date_is_a_canonical_and_a_normalized_field() -> None:
    assert "birth_date" in CANONICAL_FIELDS and "birth_date" in NORMALIZED_FIELDS
    assert {"birth_date.unparseable", "birth_date.implausible"} <= set(REASONS)


@pytest.mark.parametrize("raw", ["garbage", "2024-02-30", "1899-12-31", f"{NEXT_YEAR}-06-01"])
def test_bad_birth_dates_raise_with_their_code(raw: str) -> None:
    with pytest.raises(DateNormalizationError) as info:
        normalize_birth_date(raw)
    assert info.value.code.startswith("birth_date.")
    assert raw not in str(info.value)  # messages never carry the value


@pytest.mark.parametrize(
    ("raw", "country", "key"),
    [
        ("1980-05-01", None, "1980-05-01"),
        ("05/01/1980", "DE", "1980-01-05"),
        ("05/01/1980", "US", "1980-05-01"),
        ("1028-03-29", None, "1028-03-29"),  # implausible, dropped, still one digit from 1928
        ("2094-06-24", None, "2094-06-24"),
        ("31/02/1980", "DE", "1980-02-31"),  # impossible, dropped, kept for comparing
        ("1967-00-01", None, "1967-00-01"),
        ("yesterday", None, None),
        ("1980", None, None),
        (None, None, None),
    ],
)
def test_birth_date_key_keeps_the_date_as_written_for_matching(
    raw: str | None, country: str | None, key: str | None
) -> None:
    row = {"birth_date": raw, "country": country}
    out = normalize_batch(pd.DataFrame([row]))
    assert out["birth_date_key"].iat[0] == key
    assert normalize_record(row)["birth_date_key"] == key


def _read(dates: list[str], **columns: list[str]) -> list[object]:
    frame = pd.DataFrame({"first_name": ["Ann"] * len(dates), "birth_date": dates, **columns})
    return normalize_batch(frame)["birth_date"].tolist()


def test_a_file_without_a_country_is_read_in_the_order_its_own_dates_show() -> None:
    """A US file with a state but no country: "01/28/1988" can only be month first, so the
    ambiguous "06/08/1990" of the same column is June 8, not 6 August."""
    month_first = ["01/28/1988", "12/31/1970", "02/13/1999", "06/08/1990"]
    assert _read(month_first, state=["WA"] * 4) == [
        "1988-01-28", "1970-12-31", "1999-02-13", "1990-06-08"]  # fmt: skip
    day_first = ["28/01/1988", "31/12/1970", "13/02/1999", "06/08/1990"]
    assert _read(day_first)[-1] == "1990-08-06"


def test_the_files_own_order_outweighs_the_rows_country() -> None:
    dates = ["01/28/1988", "12/31/1970", "02/13/1999", "06/08/1990"]
    assert _read(dates, country=["DE"] * 4)[-1] == "1990-06-08"


@pytest.mark.parametrize(
    "dates",
    [
        ["01/02/1980", "03/04/1975", "06/08/1990"],  # nothing tells
        ["01/28/1988", "28/01/1988", "02/13/1999", "13/02/1999", "06/08/1990"],  # both orders
        ["01/28/1988", "06/08/1990"],  # one telling date is too few
    ],
)
def test_without_a_clear_order_the_rows_country_decides(dates: list[str]) -> None:
    assert _read(dates)[-1] == "1990-08-06"  # day first by default
    assert _read(dates, country=["US"] * len(dates))[-1] == "1990-06-08"
