"""Plain phone cells read as whole arrays: ``phones._fast_number`` without a Python loop.

A cell is plain when it is clean printable ASCII of digits and " ().-/" (single spaces), with an
optional leading "+" and a trailing extension ("x12", "ext. 12", "#12"). Every step below is
``_fast_number``'s, run with Arrow (RE2) string kernels once per record region or calling code;
cells it cannot decide (and all other cells) are left to the per-value code. Tests compare it
with the per-value code on every phonenumbers region.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from phonenumbers import COUNTRY_CODE_TO_REGION_CODE, country_code_for_region

from ingest.normalize.phones import _national_rules, _NationalRules, phone_region
from ingest.normalize.text import MAX_VALUE_CHARS

_PLAIN_CELL = (
    r"^(?P<plus>\+?)(?P<body>[0-9().\-/]+(?: [0-9().\-/]+)*)"
    r"(?: ?(?:#|x|ext\.?|extension) ?(?P<ext>[0-9]{1,7}))?$"
)
_CALLING_CODES = pa.array(sorted(str(code) for code in COUNTRY_CODE_TO_REGION_CODE))


def strings(values: Sequence[object] | np.ndarray) -> pa.Array:
    """An Arrow string array of Python strings."""
    return pa.array(values, type=pa.string())


def bools(array: pa.Array) -> np.ndarray:
    """A writable numpy bool array of an Arrow boolean array (nulls as False)."""
    return np.array(array.fill_null(False), dtype=bool)


def fullmatch(array: pa.Array, pattern: str) -> np.ndarray:
    """Whole-value RE2 match of every string (ASCII digits here, where RE2 and ``re`` agree)."""
    return bools(pc.match_substring_regex(array, f"^(?:{pattern})$"))


@dataclass(slots=True)
class PlainNumbers:
    """Per cell: decided, region read in, calling code, national digits, extension (or None)."""

    ok: np.ndarray
    region: np.ndarray
    code: np.ndarray
    national: np.ndarray
    extension: np.ndarray


def _split_cells(texts: pa.Array) -> tuple[np.ndarray, np.ndarray, pa.Array, np.ndarray]:
    """(plain, international, digits, extension) of each cell; extension markers any case."""
    parts = pc.extract_regex(pc.ascii_lower(texts), _PLAIN_CELL)
    plain = np.array(parts.is_valid(), dtype=bool)
    plain &= np.array(pc.utf8_length(texts), dtype=np.int64) <= MAX_VALUE_CHARS
    international = bools(pc.equal(parts.field("plus"), "+")) & plain
    digits = pc.replace_substring_regex(parts.field("body").fill_null(""), r"[ ().\-/]+", "")
    extension = np.array(parts.field("ext").fill_null(""), dtype=object)
    extension[extension == ""] = None
    return plain, international, digits, extension


def _strip_trunk(digits: pa.Array, rules: _NationalRules) -> pa.Array:
    """``phones._strip_trunk``: the national prefix for parsing removed from the start."""
    if rules.trunk is None:
        return digits
    return pc.replace_substring_regex(digits, f"^(?:{rules.trunk.pattern})", "", max_replacements=1)


def _national_digits(digits: pa.Array, rules: _NationalRules) -> tuple[pa.Array, np.ndarray]:
    """``phones._national_digits`` for numbers written nationally: (digits, decided)."""
    own = _strip_trunk(digits, rules)
    starts = bools(pc.starts_with(digits, rules.country_code))
    if not starts.any():
        return own, np.ones(len(digits), dtype=bool)
    potential = _strip_trunk(pc.utf8_slice_codeunits(digits, len(rules.country_code)), rules)
    general = rules.general.pattern
    too_long = np.array(pc.utf8_length(digits), dtype=np.int64) > rules.max_length
    drop = starts & ((~fullmatch(digits, general) & fullmatch(potential, general)) | too_long)
    ok = ~drop | bools(pc.equal(_strip_trunk(potential, rules), potential))
    return pc.if_else(pa.array(drop), potential, own), ok


def _after_idd(digits: pa.Array, rules: _NationalRules) -> tuple[pa.Array, np.ndarray]:
    """Digits after the international prefix, and where one is dialled (next digit not 0)."""
    pattern = f"^(?:{rules.idd.pattern})"
    rest = pc.replace_substring_regex(digits, pattern, "", max_replacements=1)
    first = pc.utf8_slice_codeunits(rest, 0, 1)
    dialled = bools(pc.match_substring_regex(digits, pattern))
    dialled &= bools(pc.and_(pc.not_equal(first, ""), pc.not_equal(first, "0")))
    return rest, dialled


def _calling_codes(digits: pa.Array) -> np.ndarray:
    """``phones._calling_code`` as text ("" when none): the shortest known prefix of 1-3 digits."""
    codes = np.full(len(digits), "", dtype=object)
    for size in (3, 2, 1):
        prefix = pc.utf8_slice_codeunits(digits, 0, size)
        known = bools(pc.is_in(prefix, value_set=_CALLING_CODES))
        codes[known] = np.array(prefix, dtype=object)[known]
    codes[bools(pc.starts_with(digits, "0"))] = ""
    return codes


def _international(
    digits: pa.Array, region: str | None, out: PlainNumbers, rows: np.ndarray
) -> None:
    """Read international numbers (calling code first) into ``out`` at ``rows``."""
    codes = _calling_codes(digits)
    out.ok[rows[codes == ""]] = False
    for code in set(codes[codes != ""]):
        at = np.flatnonzero(codes == code)
        target = region
        if not (region and country_code_for_region(region) == int(code)):
            target = COUNTRY_CODE_TO_REGION_CODE[int(code)][0]
        rules = _national_rules(target)
        if rules is None:
            out.ok[rows[at]] = False
            continue
        sliced = pc.utf8_slice_codeunits(digits.take(pa.array(at)), len(code))
        out.national[rows[at]] = np.array(_strip_trunk(sliced, rules), dtype=object)
        out.region[rows[at]] = target
        out.code[rows[at]] = rules.country_code


def _read_region(digits: pa.Array, international: np.ndarray, region: str | None) -> PlainNumbers:
    """``_fast_number`` for cells of one record region (before the length and 0 checks)."""
    size = len(digits)
    out = PlainNumbers(
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


def read_plain_numbers(texts: pa.Array, regions: np.ndarray) -> tuple[np.ndarray, PlainNumbers]:
    """Plain cells read like ``_fast_number`` (record regions as given, not yet validated).

    Returns (plain, numbers): ``numbers.ok`` marks cells ``_fast_number`` reads to a number.
    """
    size = len(texts)
    plain, international, digits, extension = _split_cells(texts)
    out = PlainNumbers(
        ok=plain.copy(),
        region=np.full(size, None, dtype=object),
        code=np.full(size, None, dtype=object),
        national=np.full(size, "", dtype=object),
        extension=extension,
    )
    codes, uniques = pd.factorize(regions, use_na_sentinel=False)
    known = [phone_region(r) if isinstance(r, str) else None for r in uniques]
    read_in = np.array(known, dtype=object).take(codes)
    for region in set(read_in[plain]):
        rows = np.flatnonzero(plain & (read_in == region))
        part = _read_region(digits.take(pa.array(rows)), international[rows], region)
        out.ok[rows] &= part.ok
        out.region[rows] = part.region
        out.code[rows] = part.code
        out.national[rows] = part.national
    national = strings(out.national)
    out.ok &= np.array(pc.utf8_length(national), dtype=np.int64) >= 2
    out.ok &= ~bools(pc.starts_with(national, "0"))
    return plain, out
