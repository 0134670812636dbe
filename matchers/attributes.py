"""Other columns as evidence: a file's custom fields that a profile finds comparable.

A file often carries columns with no canonical field that still tell records apart: an
assignee list's co-authors and patent classes, a directory's category, a site's coordinates.
Each custom field (``ingest.records.CUSTOM_COLUMN``) is profiled on the rows in front of the
matcher and becomes one comparison when it can be evidence of identity:

* a single value (``attribute:HEADER``, levels exact / different) that repeats across records
  but rarely by chance: two random records agree on it less often than ``MAX_CHANCE``;
* a list of items (``attribute_list:HEADER``, levels same / two shared / one shared /
  different) when most values are split by one separator (``**``, ``;``, ``|``, ``,``);
* a place, from a latitude and a longitude column (``attribute:LAT+LNG``): equal when both
  round to the same ``GEO_DECIMALS`` decimals (about a kilometre); 0, 0 is no place.

A person's own identifier (``ssn``, ``tax_id``, ``passport_no``...) is always compared, on
its letters and digits, and is a blocking rule (``personal_rules``). Left out: other
identifier-like headers (``id``, ``*_id``, ``key``, ``uuid``...: another system's record id is
not evidence, and a copied one would be a leak), dates and timestamps, plain numbers (scores,
counts, amounts), long free text, values no two records share, and categories so coarse that
strangers agree on them (a lead source, a country). Each is fitted beside the model
(``matchers.attribute_fit``), and one that does not tell matches from strangers is dropped
there. The plan and the model name the headers, never values.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ingest.records import CUSTOM_COLUMN, ROW_COLUMN

VALUE_KIND = "attribute"
LIST_KIND = "attribute_list"
ITEM_SEPARATOR = "\x1f"
"""Items of a list value as features hold them: sorted, distinct, joined by this."""
SEPARATORS = ("**", ";", "|", ",")
LIST_SHARE = 0.2
"""A column is a list when at least this share of its values hold one separator."""
MIN_FILLED_SHARE = 0.05
MIN_FILLED_RECORDS = 3
MAX_CHANCE = 0.05
"""Two random records agree on a value (or item) at most this often: coarser categories are
not evidence of identity."""
MAX_DISTINCT_SHARE = 0.95
"""Single values: at most this share of the filled records hold a value of their own."""
MAX_MEAN_LENGTH = 60
"""Single values longer than this on average are free text (notes, descriptions)."""
NUMERIC_SHARE = 0.9
MAX_ATTRIBUTES = 4
PROFILE_ROWS = 10_000
"""The custom fields named in the first this many rows are profiled on those rows."""
GEO_DECIMALS = 2
_IDENTIFIER = re.compile(
    r"(^|[\W_])(ids?|uuid|guid|key|no|nr|num|number|code|ref|hash|token)$|^(id|uuid|guid)[\W_]"
    r"|[a-z]Id$"
)
_PERSONAL_ID = re.compile(
    r"(?<![a-z0-9])(ssn|social[\W_]?security(?:[\W_]?(?:number|no))?|sin|nin|nino|tin"
    r"|tax[\W_]?(?:id|number|no)|national[\W_]?id|passport(?:[\W_]?(?:number|no))?"
    r"|document[\W_]?(?:number|no|id)|personal[\W_]?(?:[a-z]+[\W_])?(?:number|id|code)"
    r"|drivers?'?[\W_]?licen[cs]e(?:[\W_]?(?:number|no))?|medicare(?:[\W_]?\w+)?"
    r"|medicaid(?:[\W_]?\w+)?"
    r"|duns(?:[\W_]?(?:number|no))?|lei|ein|vat(?:[\W_]?(?:id|number|no))?"
    r"|(?:company|business|trade)[\W_]?(?:registration[\W_]?)?(?:number|no|id)"
    r"|registration[\W_]?(?:number|no|id))(?![a-z0-9])"
)
"""A person's or a company's own identifier (not another system's record id: a national id,
a tax or VAT number, a DUNS or registry number): compared though it looks like one, and though
its values are numbers each held by one person or company."""
_DATE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}|^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}$|^\d{1,2}:\d{2}")
_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")
_LAT = re.compile(r"^(lat|latitude)$", re.IGNORECASE)
_LNG = re.compile(r"^(lng|lon|long|longitude)$", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
_ALPHANUMERIC = re.compile(r"[^0-9a-z]+")


@dataclass(frozen=True, slots=True)
class Attribute:
    """One comparable custom field: its feature column (= its comparison kind) and, for a
    list, the separator of its items."""

    column: str
    separator: str = ""
    personal: bool = False
    """A person's own identifier (a national id, a passport): compared on its letters and
    digits only."""


def _header_name(header: str) -> str:
    return header.strip().lower()


def _personal(header: str) -> bool:
    """Whether a header names a person's or a company's own identifier (``_PERSONAL_ID``)."""
    return bool(_PERSONAL_ID.search(_header_name(header)))


def _clean(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return _SPACES.sub(" ", str(value)).strip().casefold()


def _items(value: str, separator: str) -> list[str]:
    """The distinct items of a value, sorted."""
    return sorted({item.strip() for item in value.split(separator)} - {""})


def _chance(counts: Counter[str], total: int) -> float:
    """How often two random draws agree (the sum of squared shares)."""
    if total == 0:
        return 1.0
    shares = np.fromiter(counts.values(), dtype=float) / total
    return float((shares**2).sum())


def _separator(values: list[str]) -> str:
    best, share = "", 0.0
    for separator in SEPARATORS:
        holding = sum(separator in v for v in values) / len(values)
        if holding > share:
            best, share = separator, holding
    return best if share >= LIST_SHARE else ""


def _comparable(header: str, values: list[str], n: int) -> Attribute | None:
    """The attribute this custom field makes, or None when it is no evidence of identity."""
    name = _header_name(header)
    personal = _personal(header)
    if not personal and (_IDENTIFIER.search(name) or _IDENTIFIER.search(header.strip())):
        return None
    filled = [v for v in values if v]
    if len(filled) < MIN_FILLED_RECORDS or len(filled) / max(n, 1) < MIN_FILLED_SHARE:
        return None
    if personal:  # numbers, and one per person: every value its own is what they are
        return Attribute(f"{VALUE_KIND}:{header}", personal=True)
    sample = filled[:1000]
    if sum(bool(_DATE.match(v)) for v in sample) > len(sample) / 2:
        return None
    separator = _separator(sample)
    if separator:
        items = Counter(item for v in filled for item in _items(v, separator))
        if not any(count > 1 for count in items.values()):
            return None
        if _chance(items, sum(items.values())) > MAX_CHANCE:
            return None
        return Attribute(f"{LIST_KIND}:{header}", separator)
    if sum(bool(_NUMBER.match(v)) for v in sample) >= NUMERIC_SHARE * len(sample):
        return None
    if sum(len(v) for v in sample) / len(sample) > MAX_MEAN_LENGTH:
        return None
    counts = Counter(filled)
    if len(counts) / len(filled) > MAX_DISTINCT_SHARE:
        return None
    if _chance(counts, len(filled)) > MAX_CHANCE:
        return None
    return Attribute(f"{VALUE_KIND}:{header}")


def _geo_pair(headers: list[str]) -> tuple[str, str] | None:
    lat = next((h for h in headers if _LAT.match(h.strip())), None)
    lng = next((h for h in headers if _LNG.match(h.strip())), None)
    return (lat, lng) if lat is not None and lng is not None else None


def _custom_records(rows: pd.DataFrame) -> list[dict[str, object]]:
    if CUSTOM_COLUMN not in rows:
        return []
    return [c if isinstance(c, dict) else {} for c in rows[CUSTOM_COLUMN].tolist()]


def _column(records: list[dict[str, object]], header: str) -> list[str]:
    return [_clean(r.get(header)) for r in records]


def _places(lat: pd.Series, lng: pd.Series) -> np.ndarray:
    y = pd.to_numeric(lat, errors="coerce")
    x = pd.to_numeric(lng, errors="coerce")
    valid = y.between(-90, 90) & x.between(-180, 180) & ~((y == 0) & (x == 0))
    text = y.round(GEO_DECIMALS).astype(str) + "," + x.round(GEO_DECIMALS).astype(str)
    return np.where(valid, text, "").astype(object)


def attribute_features(rows: pd.DataFrame) -> pd.DataFrame:
    """One feature column per comparable custom field of the rows (see the module docstring),
    named by its comparison kind; no columns when there is none. The fields named in the first
    ``PROFILE_ROWS`` rows are profiled on those rows."""
    records = _custom_records(rows)
    sample = records[:PROFILE_ROWS]
    headers = [str(h) for h in dict.fromkeys(h for r in sample for h in r) if h != ROW_COLUMN]
    headers.sort(key=lambda h: not _personal(h))  # a person's own identifiers first
    out: dict[str, np.ndarray] = {}
    geo = _geo_pair(headers)
    if geo is not None:
        places = _places(pd.Series(_column(records, geo[0])), pd.Series(_column(records, geo[1])))
        if (places != "").sum() >= MIN_FILLED_RECORDS:
            out[f"{VALUE_KIND}:{geo[0]}+{geo[1]}"] = places
    for header in headers:
        if len(out) >= MAX_ATTRIBUTES:
            break
        if geo is not None and header in geo:
            continue
        attribute = _comparable(header, _column(sample, header), len(sample))
        if attribute is None:
            continue
        values = _column(records, header)
        if attribute.personal:
            values = [_ALPHANUMERIC.sub("", v) for v in values]
        if attribute.separator:
            joined = [ITEM_SEPARATOR.join(_items(v, attribute.separator)) for v in values]
            out[attribute.column] = np.asarray(joined, dtype=object)
        else:
            out[attribute.column] = np.asarray(values, dtype=object)
    return pd.DataFrame(out, index=rows.index, dtype=object)


def personal_rules(columns: Iterable[object]) -> tuple[tuple[str, ...], ...]:
    """A blocking rule per attribute that is a person's or a company's own identifier (like an
    email, it brings one person's or company's records together whatever else changed)."""
    return tuple(
        (c,) for c in map(str, columns)
        if c.startswith(f"{VALUE_KIND}:") and _personal(c.partition(":")[2])
    )  # fmt: skip


def is_attribute(column: str) -> bool:
    """Whether a feature column (or comparison kind) is a custom field's attribute."""
    return column.startswith((f"{VALUE_KIND}:", f"{LIST_KIND}:"))


def with_attributes(features: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """``features`` with the comparable custom fields of ``rows`` (aligned by position)."""
    extra = attribute_features(rows)
    if extra.empty or len(extra.columns) == 0:
        return features
    extra.index = features.index
    return pd.concat([features, extra], axis=1)
