"""Survivorship: which of a cluster's values becomes the golden record's value, per field.

Pure and vectorized (one sort per field, never per group). Each field has an ordered list of
rules; candidates are ranked by the first rule, ties broken by the next, then by row order:

- ``validity``: values without a reason code on that field beat flagged ones;
- ``completeness``: the longer value (``Robert`` beats ``R.``, a full title beats ``VP``);
- ``source_priority``: a lower rank in the ``source_rank`` column wins (e.g. web form before
  purchased list), rows without a rank last;
- ``recency``: the newer ``captured_at`` wins (people change titles and employers).

The winner carries its provenance: the row it came from and the rule that decided it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ingest.records import ISSUES_COLUMN

RULES = ("validity", "completeness", "source_priority", "recency")
SOURCE_RANK_COLUMN = "source_rank"
NAME_POLICY = ("validity", "completeness", "source_priority", "recency")
CURRENT_POLICY = ("validity", "recency", "source_priority", "completeness")
DEFAULT_POLICY: Mapping[str, tuple[str, ...]] = {
    "honorific": NAME_POLICY,
    "first_name": NAME_POLICY,
    "middle_name": NAME_POLICY,
    "last_name": NAME_POLICY,
    "suffix": NAME_POLICY,
    "full_name": NAME_POLICY,
    "first_name_key": NAME_POLICY,
    "last_name_key": NAME_POLICY,
    "job_title": CURRENT_POLICY,
    "company_key": CURRENT_POLICY,
}
"""Names: the most complete valid spelling; job and employer: the most recent."""


class UnknownRuleError(ValueError):
    """A survivorship policy names a rule that does not exist (see ``RULES``)."""


@dataclass(frozen=True, slots=True)
class Survivor:
    """The surviving value of one field of one group, with its provenance."""

    value: Any
    row: int
    rule: str


def _present(column: pd.Series) -> np.ndarray:
    values = column.astype(object)
    return (values.notna() & (values.astype(str).str.strip() != "")).to_numpy()


def _keys(rows: pd.DataFrame, field: str, rule: str) -> np.ndarray:
    """Sort key per row for one rule (smaller is better)."""
    if rule == "validity":
        if ISSUES_COLUMN not in rows:
            return np.zeros(len(rows))
        base = field.removesuffix("_key")
        prefixes = (f"{base}.", "name.") if base.endswith("name") else (f"{base}.",)
        return np.asarray(
            [
                any(str(code).startswith(prefixes) for code in (codes or ()))
                for codes in rows[ISSUES_COLUMN]
            ],
            dtype=float,
        )
    if rule == "completeness":
        text = rows[field].astype(object).fillna("").astype(str).str.replace(".", "", regex=False)
        return -text.str.strip().str.len().to_numpy(dtype=float)
    if rule == "source_priority":
        if SOURCE_RANK_COLUMN not in rows:
            return np.zeros(len(rows))
        return pd.to_numeric(rows[SOURCE_RANK_COLUMN], errors="coerce").fillna(np.inf).to_numpy()
    if rule == "recency":
        if "captured_at" not in rows:
            return np.zeros(len(rows))
        stamps = pd.to_datetime(rows["captured_at"], errors="coerce", utc=True)
        seconds = (stamps - pd.Timestamp(0, tz="UTC")).dt.total_seconds()
        return -seconds.fillna(-np.inf).to_numpy()
    raise UnknownRuleError(f"unknown survivorship rule {rule!r}; known: {', '.join(RULES)}")


def choose(
    rows: pd.DataFrame,
    by: str,
    fields: Iterable[str],
    *,
    policy: Mapping[str, tuple[str, ...]] = DEFAULT_POLICY,
) -> dict[Any, dict[str, Survivor]]:
    """Per group of ``by`` and per field, the surviving value (fields absent from ``policy``
    use ``NAME_POLICY``). Missing values never survive over present ones."""
    chosen: dict[Any, dict[str, Survivor]] = {}
    if rows.empty:
        return chosen
    order = np.arange(len(rows))
    for field in fields:
        if field not in rows:
            continue
        present = _present(rows[field])
        if not present.any():
            continue
        part = rows.loc[present]
        rules = policy.get(field, NAME_POLICY)
        keys = [_keys(part, field, rule) for rule in rules]
        # lexsort sorts by the last key first: group, then rules in order, then row order
        ranking = np.lexsort((order[present], *reversed(keys), pd.factorize(part[by])[0]))
        ranked = part.iloc[ranking]
        first = ~ranked[by].duplicated().to_numpy()
        deciding = _deciding_rule(keys, ranking, ranked[by].to_numpy(), rules)
        for group, value, row, rule in zip(
            ranked[by].to_numpy()[first],
            ranked[field].to_numpy()[first],
            ranked.index.to_numpy()[first],
            deciding[first],
            strict=True,
        ):
            chosen.setdefault(group, {})[field] = Survivor(value, int(row), str(rule))
    return chosen


def _deciding_rule(
    keys: list[np.ndarray], ranking: np.ndarray, groups: np.ndarray, rules: tuple[str, ...]
) -> np.ndarray:
    """Per ranked row: the first rule whose key separates the group's best from its runner-up
    (``only_value`` when the group has one candidate, ``row_order`` when every rule ties)."""
    n = len(ranking)
    out = np.full(n, "only_value", dtype=object)
    if n < 2:
        return out
    same_group_next = np.r_[groups[1:] == groups[:-1], False]
    decided = np.zeros(n, dtype=bool)
    for rule, key in zip(rules, keys, strict=True):
        ranked = key[ranking]
        differs = np.r_[ranked[1:] != ranked[:-1], False]
        hit = same_group_next & differs & ~decided
        out[hit] = rule
        decided |= hit
    out[same_group_next & ~decided] = "row_order"
    return out
