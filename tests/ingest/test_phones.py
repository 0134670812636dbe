"""Phones: E.164, region from the record, types, extensions, several numbers in one cell."""

from __future__ import annotations

import random

import phonenumbers
import pyarrow as pa
import pytest
from phonenumbers.phonenumberutil import _number_type_helper

from ingest.normalize.errors import PhoneNormalizationError
from ingest.normalize.phones import (
    TYPE_NAMES,
    NormalizedPhone,
    _number_type,
    _region_types,
    normalize_phone,
    phone_region,
    read_phones,
)


@pytest.mark.parametrize(
    ("raw", "region", "e164", "kind", "ext"),
    [
        # United States, with extensions
        ("(415) 555-2671", "US", "+14155552671", "fixed_line_or_mobile", None),
        ("415.555.2671 x123", "US", "+14155552671", "fixed_line_or_mobile", "123"),
        ("+1 415-555-2671 ext. 45", None, "+14155552671", "fixed_line_or_mobile", "45"),
        ("1-800-FLOWERS", "US", "+18003569377", "toll_free", None),
        ("tel:+1-415-555-2671", None, "+14155552671", "fixed_line_or_mobile", None),
        # United Kingdom
        ("020 7946 0958", "GB", "+442079460958", "fixed_line", None),
        ("+44 (0)20 7946 0958", None, "+442079460958", "fixed_line", None),
        ("07911 123456", "GB", "+447911123456", "mobile", None),
        # Germany: "/" as area-code separator, 00 international prefix
        ("030/1234567", "DE", "+49301234567", "fixed_line", None),
        ("(089) 5086 7307", "DE", "+498950867307", "fixed_line", None),
        ("0151 23456789", "DE", "+4915123456789", "mobile", None),
        ("0049 30 1234567", "DE", "+49301234567", "fixed_line", None),
        # France, Japan, Brazil, India
        ("01 42 68 53 00", "FR", "+33142685300", "fixed_line", None),
        ("06 12 34 56 78", "FR", "+33612345678", "mobile", None),
        ("03-1234-5678", "JP", "+81312345678", "fixed_line", None),
        ("090-1234-5678", "JP", "+819012345678", "mobile", None),
        ("(11) 91234-5678", "BR", "+5511912345678", "mobile", None),
        ("+55 11 3456-7890", None, "+551134567890", "fixed_line", None),
        ("098765 43210", "IN", "+919876543210", "mobile", None),
        ("+91 98765 43210", None, "+919876543210", "mobile", None),
        # a number with a country code wins over the record's region
        ("+33 1 42 68 53 00", "US", "+33142685300", "fixed_line", None),
        # "00" + calling code in a NANP record (where the prefix is 011)
        ("0041 78 407 3609", "US", "+41784073609", "mobile", None),
        # several numbers in one cell: the first valid one
        ("+44 20 7946 0958 / +44 7911 123456", "GB", "+442079460958", "fixed_line", None),
        ("12; 07911 123456", "GB", "+447911123456", "mobile", None),
        ("n/a / 020 7946 0958", "GB", "+442079460958", "fixed_line", None),
        # an unknown region code is ignored
        ("+49 151 23456789", "XX", "+4915123456789", "mobile", None),
    ],
)
def test_normalize_phone(raw: str, region: str | None, e164: str, kind: str, ext: str | None):
    assert normalize_phone(raw, region) == NormalizedPhone(e164, kind, ext)


@pytest.mark.parametrize(
    ("raw", "region", "code"),
    [
        ("000", "US", "phone.unparseable"),
        ("0000000000", "GB", "phone.unparseable"),
        ("abc", "US", "phone.unparseable"),
        ("n/a", "US", "phone.unparseable"),
        ("", "US", "phone.unparseable"),
        ("\x00\x00", "US", "phone.unparseable"),
        ("=1+1", "US", "phone.unparseable"),
        ("123", "US", "phone.invalid_for_region"),
        ("555-0100", "US", "phone.invalid_for_region"),
        ("(614) 546-8593", "GB", "phone.invalid_for_region"),
        ("9" * 500, "US", "phone.unparseable"),
        ("030 1234567", None, "phone.region_unknown"),
    ],
)
def test_bad_numbers_raise_with_a_code(raw: str, region: str | None, code: str) -> None:
    with pytest.raises(PhoneNormalizationError) as caught:
        normalize_phone(raw, region)
    assert caught.value.code == code


REGIONS = [
    "US",
    "CA",
    "GB",
    "DE",
    "FR",
    "NL",
    "CH",
    "AT",
    "BE",
    "IT",
    "ES",
    "SE",
    "IE",
    "IN",
    "JP",
    "BR",
    "AU",
    "MX",
    "PL",
    "NO",
    "DK",
    "GG",
    "JE",
    "RU",
    "KZ",
]


def _example_numbers() -> list[str]:
    numbers = []
    for region in REGIONS:
        for kind in range(11):
            example = phonenumbers.example_number_for_type(region, kind)
            if example is not None:
                numbers.append(phonenumbers.national_significant_number(example))
    return numbers


def test_batch_region_types_agree_with_phonenumbers() -> None:
    """The fast path's line types (each pattern over a whole array, Arrow's regex engine) are
    phonenumbers' own, in every region."""
    rnd = random.Random(6)
    numbers = _example_numbers()
    numbers += [
        "".join(rnd.choice("0123456789") for _ in range(rnd.randint(5, 12))) for _ in range(1000)
    ]
    array = pa.array(numbers, type=pa.string())
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
        got = [int(k) for k in _region_types(region, array)]
        assert got == [_number_type_helper(n, metadata) for n in numbers], region


def _full_parse(text: str, region: str | None) -> NormalizedPhone | None:
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    kind = _number_type(number, region)
    if kind == phonenumbers.PhoneNumberType.UNKNOWN:
        return None
    nsn = phonenumbers.national_significant_number(number)
    return NormalizedPhone(f"+{number.country_code}{nsn}", TYPE_NAMES[kind], number.extension)


def _variants(region: str, rnd: random.Random) -> list[tuple[str, str | None]]:
    """Ways lists write the region's example numbers, plus random digit strings."""
    texts: list[tuple[str, str | None]] = []
    code = phonenumbers.country_code_for_region(region)
    for kind in range(11):
        example = phonenumbers.example_number_for_type(region, kind)
        if example is None:
            continue
        nsn = phonenumbers.national_significant_number(example)
        national = phonenumbers.format_number(example, 2)
        for text in (
            phonenumbers.format_number(example, 0),
            phonenumbers.format_number(example, 1),
            national,
            national.replace(" ", "/", 1),
            f"{code} {nsn}",
            f"{code}{nsn}",
            f"00{code} {nsn}",
            f"011 {code} {nsn}",
            f"0011 {code} {nsn}",
            f"+{code} (0){nsn}",
            f"{national} x12",
            f"{national} ext. 345",
            f"{national} #6",
            f"+{code} {nsn} Ext 7",
            f"({nsn[:3]}) {nsn[3:]}",
        ):
            texts += [(text, region), (text, "US"), (text, "GB")]
    for _ in range(200):
        digits = "".join(rnd.choice("0123456789") for _ in range(rnd.randint(6, 12)))
        other = phonenumbers.country_code_for_region(rnd.choice(REGIONS))
        texts += [
            (digits, region),
            ("0" + digits, region),
            (f"{code}{digits}", region),
            (f"+{other} {digits}", region),
            (f"00{other}{digits}", region),
            (f"+{other} (0){digits}", region),
            (f"+{other}{digits}", None),
        ]
    return texts


def _fast_path_cells() -> list[tuple[object, str | None]]:
    rnd = random.Random(8)
    cells: list[tuple[object, str | None]] = [
        pair for region in REGIONS for pair in _variants(region, rnd)
    ]
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):  # every region's dialling rules
        cells += _variants(region, rnd)[:60]
    cells += [
        (text, region) for text in ("", "-", "()", "+", "0", "00", "1", "x12") for region in REGIONS
    ]
    cells += [("+1 415-555-2671 X9", "us"), ("+44 20 7946 0958", "XX"), ("415 555 2671", None)]
    cells += [("tel: +49 30 1234567", "DE"), ("(415)\u00a0555-2671", "US"), (None, "US")]
    cells += [("  030  1234567 ", "DE"), (4155552671, "US"), (float("nan"), "US")]
    return cells


@pytest.mark.slow  # every region's dialling rules: thousands of cells, each parsed thrice
def test_fast_path_agrees_with_phonenumbers() -> None:
    """Every cell the fast path decides is read exactly as the fallback (phonenumbers) reads it;
    it decides a good part of them, in every region."""
    cells = _fast_path_cells()
    found = read_phones([text for text, _ in cells], [region for _, region in cells])
    assert found.valid.sum() > 0.2 * len(cells)
    assert found.empty.sum() >= 2 * len(REGIONS)  # "" and "-"
    for i, (text, region) in enumerate(cells):
        if found.empty[i]:
            with pytest.raises(PhoneNormalizationError, match="empty"):
                normalize_phone(text, region)
        if not found.valid[i]:
            continue
        got = NormalizedPhone(found.e164[i], found.phone_type[i], found.extension[i])
        assert got == normalize_phone(text, region), (text, region)
        assert got == _full_parse(str(text).replace("tel: ", ""), phone_region(region))
        assert found.national[i] == got.e164.removeprefix("+").removeprefix(
            str(phonenumbers.parse(got.e164).country_code)
        )


def test_fast_path_reads_cleaned_cells() -> None:
    """Cells that are plain only once cleaned ("tel:" prefix, odd spaces) take the fast path."""
    found = read_phones(
        ["tel: +49 30 1234567", "(415)\u00a0555-2671", "1-800-FLOWERS"], ["DE", "US", "US"]
    )
    assert found.valid.tolist() == [True, True, False]
    assert found.e164.tolist()[:2] == ["+49301234567", "+14155552671"]
