"""A batch's phone region when neither the source profile nor the row names a country.

A national-format number ("(617) 555-0142") cannot be read without knowing its country, so a
file with no country column lost every such number. When most of the batch's numbers written
with a country code dial one country, that country is the best guess for the others.
"""

from __future__ import annotations

import re

import pandas as pd
import phonenumbers

from ingest.normalize.text import INVISIBLE_CHARS, strip_invisible

PHONE_COLUMNS = ("phone", "mobile")
MIN_INTERNATIONAL = 5
"""Fewer numbers with a country code than this say nothing about the file."""
MIN_SHARE = 0.8
"""The country must account for this share of the numbers with a country code."""
SAMPLE = 2_000
INTERNATIONAL = re.compile(rf"^[\s{INVISIBLE_CHARS}]*(\+|00)\s*\d")


def inferred_region(frame: pd.DataFrame) -> str | None:
    """The region (ISO 3166 alpha-2) dialled by at least ``MIN_SHARE`` of the batch's numbers
    written with a country code, or None when there are too few of them or no clear winner."""
    parts = [frame[c].dropna().astype(str) for c in PHONE_COLUMNS if c in frame]
    if not parts:
        return None
    values = pd.concat(parts)
    international = values[values.str.match(INTERNATIONAL)]
    if len(international) < MIN_INTERNATIONAL:
        return None
    sample = international.sample(min(SAMPLE, len(international)), random_state=0)
    regions = sample.map(_region).dropna()
    if len(regions) < MIN_INTERNATIONAL:
        return None
    shares = regions.value_counts(normalize=True)
    return str(shares.index[0]) if shares.iloc[0] >= MIN_SHARE else None


def _region(value: str) -> str | None:
    text = strip_invisible(value).strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, None)
    except phonenumbers.NumberParseException:
        return None
    region = phonenumbers.region_code_for_number(number)
    return region if region and region != "ZZ" else None
