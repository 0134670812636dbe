"""Free-text locations ("Austin, Texas, United States", "Greater Munich Metropolitan Area",
"Berlin, Germany") split into city, region and country, as LinkedIn and event exports give them.

Only the parts the record does not already have from their own columns are filled.
"""

from __future__ import annotations

import re

from ingest.normalize.errors import NormalizationError
from ingest.normalize.places import normalize_country

_AREA = re.compile(
    r"^(?:greater\s+)?(?P<city>.+?)(?:\s+(?:metropolitan|metro|bay|city|capital)?\s*"
    r"(?:area|region))?$",
    re.IGNORECASE,
)


def _country(text: str) -> str | None:
    try:
        return normalize_country(text)
    except NormalizationError:
        return None


def _city(text: str) -> str:
    found = _AREA.match(text.strip())
    return (found["city"] if found else text).strip()


def split_location(text: str) -> tuple[str | None, str | None, str | None]:
    """(city, region, country) from one free-text location; a part it cannot tell is None.

    Country values are returned as written (the country group normalizes them later).
    """
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if not parts:
        return None, None, None
    if len(parts) == 1:
        if _country(parts[0]):
            return None, None, parts[0]
        return _city(parts[0]), None, None
    if len(parts) == 2:
        if _country(parts[1]):
            return _city(parts[0]), None, parts[1]
        return _city(parts[0]), parts[1], None
    return _city(parts[0]), ", ".join(parts[1:-1]), parts[-1]


def fill_location(
    location: object, city: object, region: object, country: object
) -> tuple[object, object, object]:
    """The record's (city, region, country), each taken from ``location`` only when missing."""
    if not isinstance(location, str) or not location.strip():
        return city, region, country
    found_city, found_region, found_country = split_location(location)

    def pick(own: object, found: str | None) -> object:
        return own if isinstance(own, str) and own.strip() else found

    return pick(city, found_city), pick(region, found_region), pick(country, found_country)
