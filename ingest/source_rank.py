"""Source priority: how far a source's values are trusted when sources disagree on a field.

Survivorship's ``source_priority`` rule prefers the lower rank. A profile may set its own
``source_rank``; otherwise the source's kind decides (values a person typed themself beat copies
made by someone else).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ingest.records import SourceKind

DEFAULT_SOURCE_RANKS: Mapping[SourceKind, int] = {
    SourceKind.WEB_FORM: 1,  # the person typed it themself, just now
    SourceKind.EVENT: 2,  # the person typed it at registration, for a ticket they wanted
    SourceKind.DIRECTORY: 3,  # published about them, usually curated, but by someone else
    SourceKind.PURCHASED_LIST: 4,  # a vendor's copy of unknown age and origin
    SourceKind.CENSUS: 5,  # aggregate figures, the furthest from the person
}
"""Rank per source kind when the profile sets none (lower wins)."""

PROFILE_KEY = "source_rank"
"""The profile key (and ``sources.profile`` JSON key) that overrides the kind's rank."""


def valid_rank(value: Any) -> bool:
    """A rank is a positive integer (``True``/``False`` are not ranks)."""
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def rank_for(kind: str | SourceKind | None, override: Any = None) -> int | None:
    """The rank of a source: a valid ``override`` (the profile's), else its kind's default;
    None (ranked last) for an unknown kind."""
    if valid_rank(override):
        return int(override)
    try:
        return DEFAULT_SOURCE_RANKS.get(SourceKind(kind)) if kind is not None else None
    except ValueError:
        return None
