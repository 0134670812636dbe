"""Places: countries, regions, postal codes per country, city and street casing."""

from __future__ import annotations

import pytest

from ingest.normalize.errors import CountryNormalizationError, PostalCodeError
from ingest.normalize.places import (
    case_place,
    normalize_country,
    normalize_postal_code,
    normalize_region,
)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("USA", "US"),
        ("U.S.", "US"),
        ("u.s.a.", "US"),
        ("United States of America", "US"),
        ("united states", "US"),
        ("UK", "GB"),
        ("U.K.", "GB"),
        ("Great Britain", "GB"),
        ("England", "GB"),
        ("Scotland", "GB"),
        ("GB", "GB"),
        ("GBR", "GB"),
        ("Deutschland", "DE"),
        ("germany", "DE"),
        ("DEU", "DE"),
        ("GER", "DE"),
        ("Holland", "NL"),
        ("The Netherlands", "NL"),
        ("Nederland", "NL"),
        ("France", "FR"),
        ("FRA", "FR"),
        ("Österreich", "AT"),
        ("Schweiz", "CH"),
        ("Suisse", "CH"),
        ("Côte d'Ivoire", "CI"),
        ("Ivory Coast", "CI"),
        ("México", "MX"),
        ("Korea, Republic of", "KR"),
        ("South Korea", "KR"),
        ("Türkiye", "TR"),
        ("Japan", "JP"),
        ("Brasil", "BR"),
        ("India", "IN"),
        ("ca", "CA"),
    ],
)
def test_normalize_country(raw: str, code: str) -> None:
    assert normalize_country(raw) == code


@pytest.mark.parametrize("raw", ["Narnia", "Europe", "123", "=1+1", "x" * 500])
def test_unknown_country_raises(raw: str) -> None:
    with pytest.raises(CountryNormalizationError) as caught:
        normalize_country(raw)
    assert caught.value.code == "country.unknown"


@pytest.mark.parametrize(
    ("raw", "country", "expected"),
    [
        ("California", "US", "CA"),
        ("ca", "US", "CA"),
        ("NEW YORK", "US", "NY"),
        ("District of Columbia", "US", "DC"),
        ("Ontario", "CA", "ON"),
        ("qc", "CA", "QC"),
        ("Québec", "CA", "QC"),
        ("New South Wales", "AU", "NSW"),
        ("BAVARIA", "DE", "Bavaria"),  # only cased outside US/CA/AU
        ("Île-de-France", "FR", "Île-de-France"),
        ("Calif.", "US", "Calif."),
        ("texas", None, "Texas"),
    ],
)
def test_normalize_region(raw: str, country: str | None, expected: str) -> None:
    assert normalize_region(raw, country) == expected


@pytest.mark.parametrize(
    ("raw", "country", "expected"),
    [
        ("94105", "US", "94105"),
        ("94105-1234", "US", "94105-1234"),
        ("941051234", "US", "94105-1234"),
        ("94105 1234", "US", "94105-1234"),
        ("2134", "US", "02134"),  # spreadsheets drop the leading zero
        ("k1a0b1", "CA", "K1A 0B1"),
        ("K1A 0B1", "CA", "K1A 0B1"),
        ("sw1a1aa", "GB", "SW1A 1AA"),
        ("EC1A 1BB", "GB", "EC1A 1BB"),
        ("W1A 0AX", "GB", "W1A 0AX"),
        ("M1 1AE", "GB", "M1 1AE"),
        ("gir0aa", "GB", "GIR 0AA"),
        ("10115", "DE", "10115"),
        ("1067", "DE", "01067"),
        ("75008", "FR", "75008"),
        ("1234ab", "NL", "1234 AB"),
        ("1234 AB", "NL", "1234 AB"),
        ("1000000", "JP", "100-0000"),
        ("01310100", "BR", "01310-100"),
        ("110001", "IN", "110001"),
        ("12345", "ZZ", "12345"),
        ("ab 12", None, "AB 12"),
    ],
)
def test_normalize_postal_code(raw: str, country: str | None, expected: str) -> None:
    assert normalize_postal_code(raw, country) == expected


@pytest.mark.parametrize(
    ("raw", "country"),
    [
        ("ABCDE", "US"),
        ("123456", "US"),
        ("12", "US"),
        ("123 456", "CA"),
        ("D1A 1A1", "CA"),
        ("SW1A", "GB"),
        ("123456", "DE"),
        ("750001", "FR"),
        ("1234 SA", "NL"),
        ("0123 AB", "NL"),
    ],
)
def test_invalid_postal_code_raises(raw: str, country: str) -> None:
    with pytest.raises(PostalCodeError) as caught:
        normalize_postal_code(raw, country)
    assert caught.value.code == "postal_code.invalid_for_country"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("NEW YORK", "New York"),
        ("frankfurt am main", "Frankfurt am Main"),
        ("SAINT-ÉTIENNE", "Saint-Étienne"),
        ("stratford-upon-avon", "Stratford-upon-Avon"),
        ("MCALLEN", "McAllen"),
        ("São Paulo", "São Paulo"),
        ("123 MAIN ST", "123 Main St"),
        ("1600 PENNSYLVANIA AVE NW", "1600 Pennsylvania Ave NW"),
        ("'s-Hertogenbosch", "'s-Hertogenbosch"),
    ],
)
def test_case_place(raw: str, expected: str) -> None:
    assert case_place(raw) == expected
