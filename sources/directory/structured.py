"""Listing fields from a page's JSON-LD (schema.org ``Organization`` / ``LocalBusiness``).

Pages often embed their own structured description; when they do it is more reliable than
scraping the visible markup. Malformed blocks are skipped, never raised.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

ORGANIZATION_TYPES = frozenset(
    {"Organization", "LocalBusiness", "Corporation", "ProfessionalService", "Store",
     "Restaurant", "FoodEstablishment", "FinancialService", "LegalService", "MedicalBusiness",
     "HomeAndConstructionBusiness", "AutomotiveBusiness", "NGO", "EducationalOrganization"}
)  # fmt: skip
"""schema.org types read as a business (the common ``LocalBusiness`` subtypes included)."""

_ADDRESS = {
    "streetAddress": "street",
    "addressLocality": "city",
    "addressRegion": "region",
    "postalCode": "postal_code",
    "addressCountry": "country",
}
_TOP = {"name": "name", "telephone": "phone", "url": "website", "email": "email"}


def organization_fields(blocks: Iterable[str]) -> dict[str, str]:
    """Listing fields from the first business node in the given JSON-LD script texts."""
    for node in _nodes(blocks):
        types = node.get("@type")
        types = {types} if isinstance(types, str) else set(types or ())
        if types & ORGANIZATION_TYPES:
            return _fields(node)
    return {}


def _nodes(blocks: Iterable[str]) -> Iterator[dict[str, Any]]:
    for block in blocks:
        try:
            data = json.loads(block)
        except ValueError:
            continue
        stack = data if isinstance(data, list) else [data]
        for item in stack:
            if not isinstance(item, dict):
                continue
            yield item
            graph = item.get("@graph")
            if isinstance(graph, list):
                yield from (n for n in graph if isinstance(n, dict))


def _fields(node: dict[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, field in _TOP.items():
        if (value := _first_text(node.get(key))) is not None:
            out[field] = value.removeprefix("mailto:") if field == "email" else value
    if (description := _first_text(node.get("description"))) is not None:
        out["description"] = description
    address = node.get("address")
    if isinstance(address, list):
        address = next((a for a in address if isinstance(a, dict | str)), None)
    if isinstance(address, str) and address.strip():
        out["street"] = address.strip()
    elif isinstance(address, dict):
        for key, field in _ADDRESS.items():
            if (value := _first_text(address.get(key))) is not None:
                out[field] = value
    return out


def _first_text(value: Any) -> str | None:
    """A string, the first string of a list, or the ``name`` of a nested thing (a Country)."""
    if isinstance(value, list):
        value = next(iter(value), None)
    if isinstance(value, dict):
        value = value.get("name")
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None
