"""Dates and datetimes to ISO 8601 (UTC when the value carries a zone)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from functools import lru_cache

from ingest.normalize.errors import DateNormalizationError

MONTH_FIRST_COUNTRIES: frozenset[str] = frozenset({"US", "PH", "FM", "MH", "PW"})
"""Where 03/05/2024 means March 5; elsewhere (and by default) it means 3 May."""
EARLIEST_BIRTH_DATE = date(1900, 1, 1)
"""Birth dates before this are data errors (placeholder years such as 1800, typos)."""

_NUMERIC = re.compile(
    r"(\d{1,4})[./\-](\d{1,2})[./\-](\d{2,4})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]m)?)?",
    re.IGNORECASE,
)
_TEXT_FORMATS = (
    "%d %b %Y",
    "%d %B %Y",
    "%b %d %Y",
    "%B %d %Y",
    "%d %b %Y %H:%M",
    "%b %d %Y %H:%M",
    "%d %B %Y %H:%M",
    "%B %d %Y %H:%M",
    "%a %b %d %H:%M:%S %Y",
    "%a %d %b %Y %H:%M:%S",
)


def _iso(moment: datetime | date) -> str:
    if isinstance(moment, datetime) and moment.tzinfo is not None:
        return moment.astimezone(UTC).isoformat()
    return moment.isoformat()


def _from_numeric(match: re.Match[str], month_first: bool) -> datetime | date:
    a, b, c, hour, minute, second, ampm = match.groups()
    if len(a) == 4:
        year, month, day = int(a), int(b), int(c)
    else:
        first, second_part, year = int(a), int(b), int(c)
        if year < 100:
            year += 2000 if year < 70 else 1900
        if first > 12 or (not month_first and second_part <= 12):
            day, month = first, second_part
        else:
            month, day = first, second_part
    if hour is None:
        return date(year, month, day)
    h = int(hour) % 12 + (12 if ampm and ampm.lower() == "pm" else 0) if ampm else int(hour)
    return datetime(year, month, day, h, int(minute), int(second or 0))


@lru_cache(maxsize=50_000)
def normalize_datetime(text: str, *, month_first: bool = False) -> str:
    """Parse a date or datetime in a common format and return it in ISO 8601.

    Zoned values are converted to UTC; naive values stay naive (the source's local time).
    """
    value = text.strip().replace("Z", "+00:00") if text[-1:] in "zZ" else text.strip()
    try:
        moment = datetime.fromisoformat(value)
        return _iso(moment.date() if len(value) == 10 else moment)
    except ValueError:
        pass
    try:
        match = _NUMERIC.fullmatch(value)
        if match:
            return _iso(_from_numeric(match, month_first))
        cleaned = value.replace(",", " ").replace(".", " ")
        cleaned = " ".join(re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", cleaned).split())
        for fmt in _TEXT_FORMATS:
            try:
                moment = datetime.strptime(cleaned, fmt)
            except ValueError:
                continue
            return _iso(moment.date() if "%H" not in fmt else moment)
    except ValueError:
        pass
    raise DateNormalizationError("not a recognised date or datetime")


def _two_digit_year(text: str) -> bool:
    match = _NUMERIC.fullmatch(text.strip())
    return match is not None and len(match.group(1)) != 4 and len(match.group(3)) == 2


def birth_date_key(text: str, *, month_first: bool = False) -> str | None:
    """The date as written, ``YYYY-MM-DD``, for comparing records even when it is no valid or
    plausible birth date (``1028-03-29`` is one digit from ``1928-03-29``; ``1990-02-30`` one
    from ``1990-02-20``): the ISO date when the text is a date, else the numbers of a numeric
    date in year, month, day order. None when the text is no numeric or recognised date."""
    try:
        return _date_as_written(text, month_first).isoformat()
    except (DateNormalizationError, ValueError):
        pass
    match = _NUMERIC.fullmatch(text.strip())
    if match is None or match.group(4) is not None:
        return None
    a, b, c = (int(part) for part in match.group(1, 2, 3))
    if len(match.group(1)) == 4:
        year, month, day = a, b, c
    else:
        year = c + (2000 if c < 70 else 1900) if c < 100 else c
        day, month = (a, b) if a > 12 or (not month_first and b <= 12) else (b, a)
    return f"{year:04d}-{month:02d}-{day:02d}"


def _date_as_written(text: str, month_first: bool) -> date:
    """The calendar date of a date or datetime, as written (a zone does not move it)."""
    try:
        return datetime.fromisoformat(text.strip()).date()
    except ValueError:
        pass
    try:
        iso = normalize_datetime(text, month_first=month_first)
    except DateNormalizationError:
        raise DateNormalizationError(
            "not a recognised date", code="birth_date.unparseable"
        ) from None
    return date.fromisoformat(iso[:10])


@lru_cache(maxsize=50_000)
def normalize_birth_date(text: str, *, month_first: bool = False) -> str:
    """A date of birth as ISO ``YYYY-MM-DD``; a two-digit year is in the past century when it
    would otherwise be in the future ("03/05/68" → 1968).

    Raises ``DateNormalizationError`` with code ``birth_date.unparseable`` when the text is no
    date and ``birth_date.implausible`` when it is in the future or before 1900. (Only results
    are cached, so "the future" moves on with the calendar.)
    """
    born = _date_as_written(text, month_first)
    today = date.today()
    if born > today and _two_digit_year(text):  # 2000-2069 → 1900-1969: leap years stay leap
        born = born.replace(year=born.year - 100)
    if born > today or born < EARLIEST_BIRTH_DATE:
        raise DateNormalizationError("not a plausible birth date", code="birth_date.implausible")
    return born.isoformat()
