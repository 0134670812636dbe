"""The reference path: normalize one record (a mapping of canonical fields) at a time.

Slow but obvious; the batch path must give exactly the same result for every row.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

import pandas as pd

from ingest.normalize.groups import GROUPS
from ingest.normalize.text import strip_invisible
from ingest.records import ISSUES_COLUMN, NORMALIZED_FIELDS


def _dedupe(codes: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(codes))


def normalize_record(
    row: Mapping[str, object], *, default_region: str | None = None
) -> dict[str, object]:
    """Normalize one record; returns every ``NORMALIZED_FIELDS`` column plus ``issues``."""
    values: dict[str, object] = {"_default_region": default_region}
    issues: tuple[str, ...] = ()
    for group in GROUPS:
        args = [values[n] if n in values else _missing_as_none(row.get(n)) for n in group.inputs]
        *outputs, found = group.func(*args)
        values.update(zip(group.outputs, outputs, strict=True))
        issues += cast(tuple[str, ...], found)  # a group's last output is its reason codes
    result: dict[str, object] = {name: values.get(name) for name in NORMALIZED_FIELDS}
    result[ISSUES_COLUMN] = _dedupe(issues)
    return result


def _missing_as_none(value: Any) -> object:
    """pandas NA/NaN → None, so every value a group sees is a str (or other scalar) or None;
    strings lose their invisible characters first, as in the batch path."""
    if isinstance(value, str):
        return strip_invisible(value)
    if value is None:
        return value
    return None if pd.isna(value) else value
