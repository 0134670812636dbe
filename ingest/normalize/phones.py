"""Phone numbers: read to E.164 with the line type and extension, validated for the record's region.

One fast path, one fallback, one answer (tests compare the fast path with phonenumbers):

- ``read_phones`` (fast path) reads whole arrays of cells with Arrow (RE2) kernels, once per
  record region or calling code, from phonenumbers' own metadata (dialling rules, line-type
  patterns). It decides only plain cells (digits and " ().-/", an optional leading "+" and a
  trailing "x12", "ext. 12" or "#12") in regions without prefix rewriting, and only when they
  read to a valid number; every other cell is left to the fallback.
- ``normalize_phone`` (fallback) reads one cell with ``phonenumbers.parse``. A cell may hold
  several numbers ("+44 20 7946 0958 / +44 7911 123456"); the first valid one wins. "/" is also a
  German area-code separator ("030/1234567"), so the whole cell is tried first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
import phonenumbers
import pyarrow as pa
import pyarrow.compute as pc
from phonenumbers import (
    COUNTRY_CODE_TO_REGION_CODE,
    NumberParseException,
    PhoneMetadata,
    PhoneNumberType,
)
from phonenumbers.phonenumberutil import _number_type_helper

from ingest.normalize.arrow_text import bools, fullmatch, lengths, strings
from ingest.normalize.errors import PhoneNormalizationError
from ingest.normalize.text import MAX_VALUE_CHARS, clean_text

TYPE_NAMES: dict[int, str] = {
    value: name.lower() for name, value in vars(PhoneNumberType).items() if name.isupper()
}
SEPARATORS = re.compile(r"\s*(?:;|/|\||,|\bor\b|\boder\b|\bou\b)\s*", re.IGNORECASE)
TEL_PREFIX = re.compile(r"^(?:tel|phone|ph|fax|mobile|mob|cell|t|m)\s*[:.]\s*", re.IGNORECASE)
_DIGITS = re.compile(r"\d")


@dataclass(frozen=True, slots=True)
class NormalizedPhone:
    """A valid number in E.164 form, its line type and its extension (digits) if any."""

    e164: str
    phone_type: str
    extension: str | None


def calling_code(digits: str) -> int | None:
    """The calling code at the start of ``digits``, read the way ``phonenumbers.parse`` does."""
    for size in (1, 2, 3):
        code = int(digits[:size]) if digits[:size].isdigit() else 0
        if code in COUNTRY_CODE_TO_REGION_CODE:
            return code
    return None


@lru_cache(maxsize=1_000)
def phone_region(region: str | None) -> str | None:
    """``region`` uppercased when phonenumbers knows it, else None."""
    region = region.upper() if region else None
    if region and phonenumbers.country_code_for_region(region) == 0:
        return None
    return region


# --- the fallback: one cell with phonenumbers ------------------------------------------------


def _number_type(number: phonenumbers.PhoneNumber, region: str | None) -> int:
    """The number's type; checks the record's region first, which avoids scanning every region
    that shares a calling code (+1 has more than twenty)."""
    if region and number.country_code == phonenumbers.country_code_for_region(region):
        metadata = PhoneMetadata.metadata_for_region(region)
        if metadata is not None:
            nsn = phonenumbers.national_significant_number(number)
            found = _number_type_helper(nsn, metadata)
            if found != PhoneNumberType.UNKNOWN:
                return found
    return phonenumbers.number_type(number)


def _parse_one(text: str, region: str | None) -> NormalizedPhone:
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
    text = TEL_PREFIX.sub("", text)
    try:
        return _parse_one(text, region)
    except PhoneNormalizationError as whole_error:
        best = whole_error
    for candidate in SEPARATORS.split(text):
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


# --- the fast path: whole arrays of plain cells ----------------------------------------------

_PLAIN_CELL = (
    r"^(?P<plus>\+?)(?P<body>[0-9().\-/]+(?: [0-9().\-/]+)*)"
    r"(?: ?(?:#|x|ext\.?|extension) ?(?P<ext>[0-9]{1,7}))?$"
)
_CALLING_CODES = pa.array(sorted(str(code) for code in COUNTRY_CODE_TO_REGION_CODE))
_SPECIAL_TYPES = ("premium_rate", "toll_free", "shared_cost", "voip", "personal_number", "pager",
                  "uan", "voicemail")  # fmt: skip
"""The descriptions ``_number_type_helper`` checks between general and fixed line, in order."""


@dataclass(frozen=True, slots=True)
class _NationalRules:
    """A region's dialling rules, as ``phonenumbers.parse`` applies them to plain numbers."""

    country_code: str
    trunk: str | None  # national prefix for parsing ("0", "0|180020")
    idd: str  # international prefix ("00", "011")
    general: str
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
    return _NationalRules(
        country_code=str(metadata.country_code),
        trunk=metadata.national_prefix_for_parsing or None,
        idd=metadata.international_prefix,
        general=general.national_number_pattern,
        max_length=max(general.possible_length or (99,)),
    )


@dataclass(slots=True)
class _Numbers:
    """Per cell: read, region read in, calling code, national digits, extension (or None)."""

    ok: np.ndarray
    region: np.ndarray
    code: np.ndarray
    national: np.ndarray
    extension: np.ndarray


def _split_cells(texts: pa.Array) -> tuple[np.ndarray, np.ndarray, pa.Array, np.ndarray]:
    """(plain, international, digits, extension) of each cell; extension markers any case."""
    parts = pc.extract_regex(pc.ascii_lower(texts), _PLAIN_CELL)
    plain = np.array(parts.is_valid(), dtype=bool) & (lengths(texts) <= MAX_VALUE_CHARS)
    international = bools(pc.equal(parts.field("plus"), "+")) & plain
    digits = pc.replace_substring_regex(parts.field("body").fill_null(""), r"[ ().\-/]+", "")
    extension = np.array(parts.field("ext").fill_null(""), dtype=object)
    extension[extension == ""] = None
    return plain, international, digits, extension


def _strip_trunk(digits: pa.Array, rules: _NationalRules) -> pa.Array:
    """The national prefix for parsing removed from the start."""
    if rules.trunk is None:
        return digits
    return pc.replace_substring_regex(digits, f"^(?:{rules.trunk})", "", max_replacements=1)


def _national_digits(digits: pa.Array, rules: _NationalRules) -> tuple[pa.Array, np.ndarray]:
    """National significant digits of numbers written without "+" or international prefix:
    (digits, decided). ``parse`` drops a leading calling code when that turns an invalid number
    into a valid one; where the trunk prefix would then be stripped twice it is not decided."""
    own = _strip_trunk(digits, rules)
    starts = bools(pc.starts_with(digits, rules.country_code))
    if not starts.any():
        return own, np.ones(len(digits), dtype=bool)
    potential = _strip_trunk(pc.utf8_slice_codeunits(digits, len(rules.country_code)), rules)
    too_long = lengths(digits) > rules.max_length
    drop = starts & (
        (~fullmatch(digits, rules.general) & fullmatch(potential, rules.general)) | too_long
    )
    ok = ~drop | bools(pc.equal(_strip_trunk(potential, rules), potential))
    return pc.if_else(pa.array(drop), potential, own), ok


def _after_idd(digits: pa.Array, rules: _NationalRules) -> tuple[pa.Array, np.ndarray]:
    """Digits after the international prefix, and where one is dialled (next digit not 0)."""
    pattern = f"^(?:{rules.idd})"
    rest = pc.replace_substring_regex(digits, pattern, "", max_replacements=1)
    first = pc.utf8_slice_codeunits(rest, 0, 1)
    dialled = bools(pc.match_substring_regex(digits, pattern))
    dialled &= bools(pc.and_(pc.not_equal(first, ""), pc.not_equal(first, "0")))
    return rest, dialled


def _calling_codes(digits: pa.Array) -> np.ndarray:
    """``calling_code`` as text ("" when none): the shortest known prefix of 1-3 digits."""
    codes = np.full(len(digits), "", dtype=object)
    for size in (3, 2, 1):
        prefix = pc.utf8_slice_codeunits(digits, 0, size)
        known = bools(pc.is_in(prefix, value_set=_CALLING_CODES))
        codes[known] = np.array(prefix, dtype=object)[known]
    codes[bools(pc.starts_with(digits, "0"))] = ""
    return codes


def _international(digits: pa.Array, region: str | None, out: _Numbers, rows: np.ndarray) -> None:
    """Read international numbers (calling code first) into ``out`` at ``rows``: in the record's
    region when the calling code is its own, else in the code's main region."""
    codes = _calling_codes(digits)
    out.ok[rows[codes == ""]] = False
    for code in set(codes[codes != ""]):
        at = np.flatnonzero(codes == code)
        target = region
        if not (region and phonenumbers.country_code_for_region(region) == int(code)):
            target = COUNTRY_CODE_TO_REGION_CODE[int(code)][0]
        rules = _national_rules(target)
        if rules is None:
            out.ok[rows[at]] = False
            continue
        sliced = pc.utf8_slice_codeunits(digits.take(pa.array(at)), len(code))
        out.national[rows[at]] = np.array(_strip_trunk(sliced, rules), dtype=object)
        out.region[rows[at]] = target
        out.code[rows[at]] = rules.country_code


def _read_region(digits: pa.Array, international: np.ndarray, region: str | None) -> _Numbers:
    """Cells of one record region read to (region, code, national digits)."""
    size = len(digits)
    out = _Numbers(
        ok=np.ones(size, dtype=bool),
        region=np.full(size, region, dtype=object),
        code=np.full(size, None, dtype=object),
        national=np.array(digits, dtype=object),
        extension=np.full(size, None, dtype=object),
    )
    rules = _national_rules(region) if region else None
    abroad = international.copy()
    dialled_digits = out.national.copy()
    if rules is None:
        out.ok[~international] = False
    else:
        local_rows = np.flatnonzero(~international)
        local = digits.take(pa.array(local_rows))
        rest, dialled = _after_idd(local, rules)
        national, decided = _national_digits(local, rules)
        out.national[local_rows] = np.array(national, dtype=object)
        out.ok[local_rows[~dialled & ~decided]] = False
        out.code[local_rows] = rules.country_code
        abroad[local_rows[dialled]] = True
        dialled_digits[local_rows[dialled]] = np.array(rest, dtype=object)[dialled]
    rows = np.flatnonzero(abroad)
    if len(rows):
        _international(strings(dialled_digits[rows]), region, out, rows)
    return out


def _read_plain(texts: pa.Array, regions: np.ndarray) -> _Numbers:
    """Plain cells read to numbers, each in its (validated) record region; ``ok`` marks the
    cells read, whose line type is still to be checked."""
    size = len(texts)
    plain, international, digits, extension = _split_cells(texts)
    out = _Numbers(
        ok=plain.copy(),
        region=np.full(size, None, dtype=object),
        code=np.full(size, None, dtype=object),
        national=np.full(size, "", dtype=object),
        extension=extension,
    )
    for region in set(regions[plain]):
        rows = np.flatnonzero(plain & (regions == region))
        part = _read_region(digits.take(pa.array(rows)), international[rows], region)
        out.ok[rows] &= part.ok
        out.region[rows] = part.region
        out.code[rows] = part.code
        out.national[rows] = part.national
    national = strings(out.national)
    out.ok &= lengths(national) >= 2
    out.ok &= ~bools(pc.starts_with(national, "0"))
    return out


@lru_cache(maxsize=300)
def _type_patterns(region: str) -> tuple[tuple[str, frozenset[int]], ...] | None:
    """(pattern, possible lengths) of the region's general, special, fixed-line and mobile
    descriptions, in ``_number_type_helper``'s order; "" never matches, no lengths allow any."""
    metadata = PhoneMetadata.metadata_for_region(region)
    if metadata is None:
        return None
    descs = [metadata.general_desc, *(getattr(metadata, name) for name in _SPECIAL_TYPES)]
    descs += [metadata.fixed_line, metadata.mobile]
    return tuple(
        (
            getattr(d, "national_number_pattern", None) or "",
            frozenset(d.possible_length or ()) if d is not None else frozenset(),
        )
        for d in descs
    )


def _region_types(region: str, digits: pa.Array) -> np.ndarray:
    """``_number_type_helper`` of each national number of one region, with each pattern run
    once over the whole array."""
    size = len(digits)
    patterns = _type_patterns(region)
    if patterns is None:
        return np.full(size, PhoneNumberType.UNKNOWN)
    sizes = lengths(digits)

    def matches(pattern: str, allowed: frozenset[int]) -> np.ndarray:
        if not pattern:
            return np.zeros(size, dtype=bool)
        hit = fullmatch(digits, pattern)
        return hit & np.isin(sizes, list(allowed)) if allowed else hit

    general, *specials, fixed, mobile = patterns
    kinds = np.full(size, PhoneNumberType.UNKNOWN)
    undecided = matches(*general)
    for (pattern, allowed), name in zip(specials, _SPECIAL_TYPES, strict=True):
        hit = undecided & matches(pattern, allowed)
        kinds[hit] = getattr(PhoneNumberType, name.upper())
        undecided &= ~hit
    metadata = PhoneMetadata.metadata_for_region(region)  # (there, or patterns would be None)
    same = metadata is not None and bool(metadata.same_mobile_and_fixed_line_pattern)
    is_fixed = undecided & matches(*fixed)
    is_mobile = matches(*mobile)
    kinds[is_fixed] = np.where(
        same | is_mobile[is_fixed],
        PhoneNumberType.FIXED_LINE_OR_MOBILE,
        PhoneNumberType.FIXED_LINE,
    )
    if not same:
        kinds[undecided & ~is_fixed & is_mobile] = PhoneNumberType.MOBILE
    return kinds


@dataclass(slots=True)
class PhoneColumns:
    """``read_phones``'s answer, per cell: ``empty`` (no text), ``valid`` (read to a valid
    number) and, where valid, its E.164 form, line type, extension and national significant
    digits. Cells neither empty nor valid are left to ``normalize_phone``."""

    empty: np.ndarray
    valid: np.ndarray
    e164: np.ndarray
    phone_type: np.ndarray
    extension: np.ndarray
    national: np.ndarray


_TYPE_NAME_TABLE = np.array([TYPE_NAMES.get(k) for k in range(max(TYPE_NAMES) + 1)], dtype=object)


def read_phones(cells: Sequence[object], regions: Sequence[object]) -> PhoneColumns:
    """Read whole arrays of phone cells, each with its record's region (any case, None or
    unknown to read only international numbers), as ``normalize_phone`` would read each one.

    Cells that are not plain as given are cleaned (``clean_text``, "tel:" prefix) and read again.
    """
    size = len(cells)
    codes, uniques = pd.factorize(np.asarray(regions, dtype=object), use_na_sentinel=False)
    known = [phone_region(r) if isinstance(r, str) else None for r in uniques]
    region_in = np.array(known, dtype=object).take(codes)
    texts = [cell if type(cell) is str else "" for cell in cells]
    numbers = _read_plain(strings(texts), region_in)
    empty = np.zeros(size, dtype=bool)
    again: list[int] = []
    cleaned: list[str] = []
    for i in np.flatnonzero(~numbers.ok).tolist():
        text = clean_text(cells[i])
        if text is None:
            empty[i] = True
        elif (text := TEL_PREFIX.sub("", text)) != texts[i]:
            again.append(i)
            cleaned.append(text)
    if again:
        rows = np.array(again)
        second = _read_plain(strings(cleaned), region_in[rows])
        for name in ("ok", "region", "code", "national", "extension"):
            getattr(numbers, name)[rows] = getattr(second, name)
    return _typed(numbers, empty)


def _typed(numbers: _Numbers, empty: np.ndarray) -> PhoneColumns:
    """Numbers whose line type is known in the region they were read in, formatted."""
    size = len(empty)
    out = PhoneColumns(
        empty=empty,
        valid=np.zeros(size, dtype=bool),
        e164=np.full(size, None, dtype=object),
        phone_type=np.full(size, None, dtype=object),
        extension=np.full(size, None, dtype=object),
        national=np.full(size, None, dtype=object),
    )
    for region in set(numbers.region[numbers.ok]):
        rows = np.flatnonzero(numbers.ok & (numbers.region == region))
        digits = strings(numbers.national[rows])
        kinds = _region_types(region, digits)
        valid = kinds != PhoneNumberType.UNKNOWN
        at = rows[valid]
        national = digits.filter(valid)
        out.valid[at] = True
        e164 = pc.binary_join_element_wise("+", strings(numbers.code[at]), national, "")
        out.e164[at] = np.array(e164, dtype=object)
        out.phone_type[at] = _TYPE_NAME_TABLE.take(np.asarray(kinds[valid], dtype=np.intp))
        out.extension[at] = numbers.extension[at]
        out.national[at] = np.array(national, dtype=object)
    return out
