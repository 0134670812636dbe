"""Digit keys of phone cells: a comparable string of digits for every present cell, valid or not.

A valid number's key is its national significant number ("+1 773 386 5286" and "(773) 386-5286"
both give "7733865286"). A cell that is not a valid number (a local "386-5286" without area code,
a number from a list with no country) keeps its digits, so matching can still compare it, e.g.
on the last seven digits: the extension is cut, a "+" or "00" calling code and leading zeros
(trunk prefixes) are stripped.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ingest.normalize.phones import SEPARATORS, TEL_PREFIX, calling_code

MIN_DIGITS = 6
"""Fewer digits than this are no phone number (a fragment, an extension, a year): no key."""
MAX_DIGITS = 15
"""E.164 allows 15 digits; a longer run is several numbers in one cell."""

_EXTENSION = re.compile(
    r"(?<![a-z])(?:ext(?:ension|n)?|x|durchwahl|dw|poste|#)\.?\s*:?\s*\d{1,7}(?!\d)",
    re.IGNORECASE,
)
_NOT_DIGIT = re.compile(r"[^0-9]+")


def national_digits(e164: str) -> str:
    """The national significant number of an E.164 number ("+4930123456" → "30123456")."""
    digits = e164.lstrip("+")
    code = calling_code(digits)
    return digits[len(str(code)) :] if code is not None else digits


def _without_extension(text: str) -> str:
    """The cell up to its extension marker ("x123", "ext. 12", "#12"), when one follows at least
    ``MIN_DIGITS`` digits; a leading "#" or "x" is not an extension."""
    for found in _EXTENSION.finditer(text):
        if len(_NOT_DIGIT.sub("", text[: found.start()])) >= MIN_DIGITS:
            return text[: found.start()]
    return text


def _cell_digits(text: str) -> str:
    """Digits of one number written in ``text``: calling code, international and trunk prefix
    stripped."""
    text = _without_extension(text).strip()
    digits = _NOT_DIGIT.sub("", text)
    international = text.lstrip(" (").startswith("+")
    if not international and digits.startswith("00") and digits[2:3] not in ("", "0"):
        digits, international = digits[2:], True
    if international:
        code = calling_code(digits)
        if code is not None and len(digits) - len(str(code)) >= MIN_DIGITS:
            digits = digits[len(str(code)) :]
    return digits.lstrip("0")


@lru_cache(maxsize=100_000)
def fallback_digits(text: str) -> str | None:
    """The digit key of a cleaned cell that is not a valid number; None below ``MIN_DIGITS``.

    A cell with more digits than one number can have is read as a list ("555 0100 / 555 0101")
    and keyed on its first part with enough digits.
    """
    text = TEL_PREFIX.sub("", text)
    digits = _cell_digits(text)
    if len(digits) > MAX_DIGITS:
        parts = (_cell_digits(part) for part in SEPARATORS.split(text) if part)
        digits = next((p for p in parts if MIN_DIGITS <= len(p) <= MAX_DIGITS), "")
    return digits if len(digits) >= MIN_DIGITS else None
