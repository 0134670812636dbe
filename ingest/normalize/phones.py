"""Phone numbers: parse with phonenumbers, validate for the record's region, format as E.164.

A cell may hold several numbers ("+44 20 7946 0958 / +44 7911 123456"); the first valid one
wins. "/" is also a German area-code separator ("030/1234567"), so the whole cell is tried first.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from phonenumbers import (
    COUNTRY_CODE_TO_REGION_CODE,
    NumberParseException,
    PhoneMetadata,
    PhoneNumberDesc,
    PhoneNumberType,
)

from ingest.normalize.errors import PhoneNormalizationError
from ingest.normalize.text import clean_text

TYPE_NAMES: dict[int, str] = {
    value: name.lower() for name, value in vars(PhoneNumberType).items() if name.isupper()
}
_SEPARATORS = re.compile(r"\s*(?:;|/|\||,|\bor\b|\boder\b|\bou\b)\s*", re.IGNORECASE)
_TEL_PREFIX = re.compile(r"^(?:tel|phone|ph|fax|mobile|mob|cell|t|m)\s*[:.]\s*", re.IGNORECASE)
_DIGITS = re.compile(r"\d")
_NOT_PLAIN = re.compile(r"[^0-9 ().\-/]")
_PLAIN_SEPARATORS = re.compile(r"[ ().\-/]+")
_PLAIN_EXTENSION = re.compile(r"\s*(?:#|x|ext\.?|extension)\s*(\d{1,7})$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class NormalizedPhone:
    """A valid number in E.164 form, its line type and its extension (digits) if any."""

    e164: str
    phone_type: str
    extension: str | None


_TYPE_ORDER = (
    ("premium_rate", PhoneNumberType.PREMIUM_RATE),
    ("toll_free", PhoneNumberType.TOLL_FREE),
    ("shared_cost", PhoneNumberType.SHARED_COST),
    ("voip", PhoneNumberType.VOIP),
    ("personal_number", PhoneNumberType.PERSONAL_NUMBER),
    ("pager", PhoneNumberType.PAGER),
    ("uan", PhoneNumberType.UAN),
    ("voicemail", PhoneNumberType.VOICEMAIL),
)
Matcher = Callable[[str], bool]


def _matcher(desc: PhoneNumberDesc | None) -> Matcher:
    """A fast ``_is_number_matching_desc`` for one description: lengths, then a full match."""
    if desc is None or not desc.national_number_pattern:
        return lambda number: False
    compiled = re.compile(desc.national_number_pattern)
    lengths = frozenset(desc.possible_length or ())
    if lengths:
        return lambda number: len(number) in lengths and compiled.fullmatch(number) is not None
    return lambda number: compiled.fullmatch(number) is not None


@lru_cache(maxsize=300)
def _region_typer(region: str) -> Callable[[str], int] | None:
    """phonenumbers' type decision for one region, with its patterns compiled once.

    Same order and rules as ``phonenumberutil._number_type_helper`` (a test compares them).
    """
    metadata = PhoneMetadata.metadata_for_region(region)
    if metadata is None:
        return None
    general = _matcher(metadata.general_desc)
    specials = [(_matcher(getattr(metadata, attr)), kind) for attr, kind in _TYPE_ORDER]
    fixed, mobile = _matcher(metadata.fixed_line), _matcher(metadata.mobile)
    same = metadata.same_mobile_and_fixed_line_pattern

    def typer(number: str) -> int:
        if not general(number):
            return PhoneNumberType.UNKNOWN
        for matches, kind in specials:
            if matches(number):
                return kind
        if fixed(number):
            return (
                PhoneNumberType.FIXED_LINE_OR_MOBILE
                if same or mobile(number)
                else (PhoneNumberType.FIXED_LINE)
            )
        if not same and mobile(number):
            return PhoneNumberType.MOBILE
        return PhoneNumberType.UNKNOWN

    return typer


def _number_type(number: phonenumbers.PhoneNumber, region: str | None) -> int:
    """The number's type; checks the record's region first, which avoids scanning every region
    that shares a calling code (+1 has more than twenty)."""
    if region and number.country_code == phonenumbers.country_code_for_region(region):
        typer = _region_typer(region)
        if typer is not None:
            found = typer(phonenumbers.national_significant_number(number))
            if found != PhoneNumberType.UNKNOWN:
                return found
    return phonenumbers.number_type(number)


@dataclass(frozen=True, slots=True)
class _NationalRules:
    """A region's dialling rules, as ``phonenumbers.parse`` applies them to plain numbers."""

    country_code: str
    trunk: re.Pattern[str] | None  # national prefix for parsing ("0", "0|180020")
    idd: re.Pattern[str]  # international prefix ("00", "011")
    general: re.Pattern[str]
    max_length: int


@lru_cache(maxsize=300)
def _national_rules(region: str) -> _NationalRules | None:
    """The region's rules, or None when it rewrites national prefixes (transform rules)."""
    metadata = PhoneMetadata.metadata_for_region(region)
    if metadata is None or metadata.national_prefix_transform_rule:
        return None
    general = metadata.general_desc
    if general is None or not metadata.international_prefix or not general.national_number_pattern:
        return None
    trunk = metadata.national_prefix_for_parsing
    return _NationalRules(
        country_code=str(metadata.country_code),
        trunk=re.compile(trunk) if trunk else None,
        idd=re.compile(metadata.international_prefix),
        general=re.compile(general.national_number_pattern),
        max_length=max(general.possible_length or (99,)),
    )


def _strip_trunk(digits: str, rules: _NationalRules) -> str:
    match = rules.trunk.match(digits) if rules.trunk else None
    return digits[match.end() :] if match else digits


def _calling_code(digits: str) -> int | None:
    """The calling code at the start of ``digits``, read the way ``phonenumbers.parse`` does."""
    for size in (1, 2, 3):
        code = int(digits[:size]) if digits[:size].isdigit() else 0
        if code in COUNTRY_CODE_TO_REGION_CODE:
            return code
    return None


def _national_digits(digits: str, rules: _NationalRules) -> str | None:
    """National significant digits of a number written without "+" or international prefix."""
    if digits.startswith(rules.country_code):
        # parse drops a leading calling code when that turns an invalid number into a valid one
        potential = _strip_trunk(digits[len(rules.country_code) :], rules)
        if (not rules.general.fullmatch(digits) and rules.general.fullmatch(potential)) or len(
            digits
        ) > rules.max_length:
            return None if _strip_trunk(potential, rules) != potential else potential
    return _strip_trunk(digits, rules)


def _fast_number(text: str, region: str | None) -> tuple[str, str, str, str | None] | None:
    """The first half of ``_fast_parse``: (region, calling code, national digits, extension)
    of a plain cell, before its line type is decided; None when the cell is not plain."""
    extension = None
    found_ext = _PLAIN_EXTENSION.search(text)
    if found_ext:
        text, extension = text[: found_ext.start()], found_ext.group(1)
    international = text.startswith("+")
    rules: _NationalRules | None = None
    body = text[1:] if international else text
    if not body or _NOT_PLAIN.search(body):
        return None
    digits = _PLAIN_SEPARATORS.sub("", body)
    if not international:
        rules = _national_rules(region) if region else None
        if rules is None:
            return None
        idd = rules.idd.match(digits)
        if idd and digits[idd.end() : idd.end() + 1] not in ("", "0"):
            digits, international = digits[idd.end() :], True
        else:
            national = _national_digits(digits, rules)
            if national is None:
                return None
            digits = national
    if international:
        if digits[:1] == "0":  # calling codes never start with 0
            return None
        code = _calling_code(digits)
        if code is None:
            return None
        if not (region and phonenumbers.country_code_for_region(region) == code):
            region = COUNTRY_CODE_TO_REGION_CODE[code][0]
        rules = _national_rules(region)
        if rules is None:
            return None
        digits = _strip_trunk(digits[len(rules.country_code) :], rules)
    if len(digits) < 2 or digits[0] == "0" or region is None or rules is None:
        return None  # (region and rules are set whenever the number was read)
    return region, rules.country_code, digits, extension


def _fast_parse(text: str, region: str | None) -> NormalizedPhone | None:
    """Read a plain number ("(0221) 580-7837 x12", "+44 (0)20 7946 0958") without a full parse.

    Only for cells of digits and " -()./" (with an optional leading "+" and a trailing "x12",
    "ext. 12" or "#12") in regions without prefix rewriting, and only when the result is a
    valid number, which is then exactly what ``phonenumbers.parse`` gives (a test compares
    them). Anything else returns None and goes through the full parse.
    """
    found = _fast_number(text, region)
    if found is None:
        return None
    region, country_code, digits, extension = found
    typer = _region_typer(region)
    kind = typer(digits) if typer is not None else PhoneNumberType.UNKNOWN
    if kind == PhoneNumberType.UNKNOWN:
        return None
    return NormalizedPhone(f"+{country_code}{digits}", TYPE_NAMES[kind], extension)


def region_type_patterns(region: str) -> tuple[tuple[str, frozenset[int] | None], ...] | None:
    """The (pattern, possible lengths) of the region's general, special, fixed-line and mobile
    descriptions, in ``_TYPE_ORDER`` order between general and fixed line; for batch typing.
    An empty pattern never matches. None when phonenumbers has no metadata for the region."""
    metadata = PhoneMetadata.metadata_for_region(region)
    if metadata is None:
        return None
    descs = [metadata.general_desc, *(getattr(metadata, a) for a, _ in _TYPE_ORDER)]
    descs += [metadata.fixed_line, metadata.mobile]
    return tuple(
        (
            getattr(d, "national_number_pattern", None) or "",
            frozenset(d.possible_length) if d is not None and d.possible_length else None,
        )
        for d in descs
    )


def _parse_one(text: str, region: str | None) -> NormalizedPhone:
    fast = _fast_parse(text, region)
    if fast is not None:
        return fast
    digits = _DIGITS.findall(text)
    if not digits or set(digits) == {"0"}:
        raise PhoneNormalizationError("no digits other than zeros", code="phone.unparseable")
    if text.startswith("00") and region is None:
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, region)
    except NumberParseException as exc:
        if exc.error_type == NumberParseException.INVALID_COUNTRY_CODE and region is None:
            raise PhoneNormalizationError(
                "no country code and no region to read it in", code="phone.region_unknown"
            ) from None
        raise PhoneNormalizationError("not a phone number", code="phone.unparseable") from None
    found = _number_type(number, region)
    if found == PhoneNumberType.UNKNOWN:
        if text.startswith("00") and not text.startswith("000"):
            # "00" is the international prefix almost everywhere but in NANP (011), and lists
            # mix conventions: "0041 78 407 3609" in a US record is a Swiss number.
            return _parse_one("+" + text[2:], None)
        raise PhoneNormalizationError("not a valid number", code="phone.invalid_for_region")
    e164 = f"+{number.country_code}{phonenumbers.national_significant_number(number)}"
    return NormalizedPhone(e164=e164, phone_type=TYPE_NAMES[found], extension=number.extension)


_CODE_RANK = {"phone.invalid_for_region": 0, "phone.region_unknown": 1, "phone.unparseable": 2}


@lru_cache(maxsize=100_000)
def normalize_clean_phone(text: str, region: str | None) -> NormalizedPhone:
    """``normalize_phone`` for text already passed through ``clean_text``, region validated."""
    text = _TEL_PREFIX.sub("", text)
    try:
        return _parse_one(text, region)
    except PhoneNormalizationError as whole_error:
        best = whole_error
    for candidate in _SEPARATORS.split(text):
        if not candidate or candidate == text:
            continue
        try:
            return _parse_one(candidate, region)
        except PhoneNormalizationError as exc:
            if _CODE_RANK[exc.code] < _CODE_RANK[best.code]:
                best = exc
    raise best


def normalize_phone(text: object, region: str | None = None) -> NormalizedPhone:
    """Normalize one phone cell; ``region`` is the ISO 3166 alpha-2 code to read national numbers.

    Raises ``PhoneNormalizationError`` with code ``phone.unparseable``,
    ``phone.invalid_for_region`` or ``phone.region_unknown``.
    """
    cleaned = clean_text(text)
    if cleaned is None:
        raise PhoneNormalizationError("empty", code="phone.unparseable")
    return normalize_clean_phone(cleaned, phone_region(region))


@lru_cache(maxsize=1_000)
def phone_region(region: str | None) -> str | None:
    """``region`` uppercased when phonenumbers knows it, else None."""
    region = region.upper() if region else None
    if region and phonenumbers.country_code_for_region(region) == 0:
        return None
    return region
