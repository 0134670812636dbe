"""Survivorship: which of a cluster's values becomes the golden record's value, per field.

Pure and vectorized (one sort per field, never per group). Each field has an ordered list of
rules; candidates are ranked by the first rule, ties broken by the next, then by row order:

- ``validity``: values without a reason code on that field beat flagged ones;
- ``completeness``: a value that abbreviates another candidate of its group loses to it
  (``Robert`` beats ``R.``, ``Jonathan Smith`` beats ``J. Smith``); different values that do not
  abbreviate one another (``Ada``, ``Augusta``) tie, so the next rule decides;
- ``source_priority``: a lower rank in the ``source_rank`` column wins (e.g. web form before
  purchased list; the store fills it from the source's profile or kind, see
  ``ingest.source_rank``), rows without a rank last;
- ``recency``: the newer ``captured_at`` wins (people change titles and employers).

The winner carries its provenance: the row it came from and the rule that decided it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ingest.errors import LeadflowError
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


class UnknownRuleError(LeadflowError, ValueError):
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


def _words(value: Any) -> tuple[str, ...]:
    return tuple(str(value).casefold().replace(".", " ").split())


def _abbreviates(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """``short`` differs from ``long`` and each of its words starts the same word of ``long``."""
    return (
        short != long
        and len(short) <= len(long)
        and all(b.startswith(a) for a, b in zip(short, long, strict=False))
    )


def _abbreviated(values: pd.Series, groups: np.ndarray) -> np.ndarray:
    """Per row: 1.0 when its value abbreviates another value of the same group, else 0.0.

    Only groups holding several distinct values are compared, pairwise; each value compared is
    split into words once. The distinct (group, value) pairs come from one sort, not a join.
    """
    codes, uniques = pd.factorize(values.astype(object).to_numpy())
    width = np.int64(len(uniques))
    row_keys = groups.astype(np.int64) * width + codes
    ordered = np.sort(row_keys)  # by group, then value
    first = np.ones(len(ordered), dtype=bool)
    first[1:] = ordered[1:] != ordered[:-1]
    distinct = ordered[first]
    group_of = distinct // width
    shared = np.flatnonzero(group_of[1:] == group_of[:-1])
    if not len(shared):  # no group holds two values (the usual small batch)
        return np.zeros(len(values))
    several = np.zeros(len(distinct), dtype=bool)
    several[shared] = several[shared + 1] = True
    compared = distinct[several]
    codes_compared = (compared % width).tolist()
    words = {code: _words(uniques[code]) for code in set(codes_compared)}
    group_of = group_of[several]
    starts = np.flatnonzero(np.r_[True, group_of[1:] != group_of[:-1]]).tolist()
    short: list[int] = []
    for start, end in zip(starts, [*starts[1:], len(compared)], strict=True):
        group = codes_compared[start:end]
        for i, code in enumerate(group):
            for other in group:
                if other != code and _abbreviates(words[code], words[other]):
                    short.append(int(compared[start + i]))
                    break
    return np.isin(row_keys, short).astype(float)


def _keys(rows: pd.DataFrame, field: str, rule: str, groups: np.ndarray) -> np.ndarray:
    """Sort key per row for one rule (smaller is better); ``groups`` labels each row's group."""
    if rule == "validity":
        if ISSUES_COLUMN not in rows:
            return np.zeros(len(rows))
        base = field.removesuffix("_key")
        prefixes = (f"{base}.", "name.") if base.endswith("name") else (f"{base}.",)
        flagged: dict[tuple[Any, ...], bool] = {}  # rows share a few tuples of codes

        def invalid(codes: Any) -> bool:
            if isinstance(codes, tuple) and codes in flagged:
                return flagged[codes]
            found = any(str(code).startswith(prefixes) for code in (codes or ()))
            if isinstance(codes, tuple):
                flagged[codes] = found
            return found

        return np.asarray([invalid(codes) for codes in rows[ISSUES_COLUMN]], dtype=float)
    if rule == "completeness":
        return _abbreviated(rows[field], groups)
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


RULE_COLUMNS = (ISSUES_COLUMN, SOURCE_RANK_COLUMN, "captured_at")
"""The columns the rules read besides the field itself (see ``_keys``)."""


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
        read = [c for c in dict.fromkeys((by, field, *RULE_COLUMNS)) if c in rows]
        part = rows.loc[present, read]  # (not the rows' other columns, once per field)
        rules = policy.get(field, NAME_POLICY)
        groups = pd.factorize(part[by])[0]
        keys = [_keys(part, field, rule, groups) for rule in rules]
        # lexsort sorts by the last key first: group, then rules in order, then row order
        ranking = np.lexsort((order[present], *reversed(keys), groups))
        ranked_groups = part[by].to_numpy()[ranking]
        first = ~pd.Series(ranked_groups).duplicated().to_numpy()
        deciding = _deciding_rule(keys, ranking, ranked_groups, rules)
        for group, value, row, rule in zip(
            ranked_groups[first],
            part[field].to_numpy()[ranking][first],
            part.index.to_numpy()[ranking][first],
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
