"""The raw directory listing a spider yields: every field a string or None, exactly as shown."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any


@dataclass(frozen=True, slots=True)
class Listing:
    """One business listing as found on a directory page (no cleaning beyond whitespace).

    ``url`` is the page it was read from; ``fetched_at`` (ISO 8601, UTC) is stamped by the
    provenance pipeline.
    """

    url: str | None = None
    name: str | None = None
    street: str | None = None
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country: str | None = None
    phone: str | None = None
    website: str | None = None
    email: str | None = None
    category: str | None = None
    description: str | None = None
    fetched_at: str | None = None

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Listing:
        """Build a listing from loaded values, ignoring keys that are not listing fields."""
        return cls(**{name: _text(data.get(name)) for name in LISTING_FIELDS})


LISTING_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Listing))
"""Every listing field, in feed order."""

CONTENT_FIELDS: tuple[str, ...] = tuple(
    name for name in LISTING_FIELDS if name not in ("url", "fetched_at")
)
"""The fields a profile can select from a page (everything but provenance)."""


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None
