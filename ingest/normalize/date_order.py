"""A batch's day/month order, read from its own dates.

"03/05/1990" is March 5 in the United States and 3 May almost everywhere else; the row's
country decides only when the file has one. A file without a country column still shows its
order in every date whose day is above 12: "01/28/1988" can only be month first. When a
column's unambiguous dates all (or nearly all) point one way, that order reads the column's
ambiguous ones too.
"""

from __future__ import annotations

import re

import pandas as pd

SAMPLE = 5_000
"""Dates looked at, at most (a seeded sample of the column's distinct values)."""
MIN_TELLING = 3
"""Fewer unambiguous dates than this say nothing about the file."""
MAX_CONTRARY = 0.05
"""The other order may account for at most this share of the unambiguous dates (typos)."""


def order_column(column: str) -> str:
    """The name of the batch-wide input column that carries ``column``'s day/month order."""
    return f"_{column}_month_first"


_DAY_MONTH = re.compile(r"^\s*(\d{1,2})[./\-](\d{1,2})[./\-]\d{2,4}\b")


def inferred_month_first(values: pd.Series) -> bool | None:
    """True when the column's numeric dates are written month first, False when day first,
    None when its unambiguous dates are too few or disagree."""
    distinct = pd.Series(values.dropna().unique())
    if distinct.empty:
        return None
    if len(distinct) > SAMPLE:
        distinct = distinct.sample(SAMPLE, random_state=0)
    parts = distinct.astype(str).str.extract(_DAY_MONTH).dropna()
    if parts.empty:
        return None
    first, second = parts[0].astype(int), parts[1].astype(int)
    month_first = int(((second > 12) & (first <= 12)).sum())
    day_first = int(((first > 12) & (second <= 12)).sum())
    telling = month_first + day_first
    if telling < MIN_TELLING:
        return None
    if month_first >= (1 - MAX_CONTRARY) * telling:
        return True
    if day_first >= (1 - MAX_CONTRARY) * telling:
        return False
    return None
