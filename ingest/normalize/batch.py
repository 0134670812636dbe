"""The batch path: normalize a whole DataFrame, computing each field group once per unique input.

Lead lists repeat values (domains, companies, cities, countries, first names), so every column is
kept *factorized* while the groups run: integer codes per row plus a list of distinct values.
A group is called once per distinct combination of its inputs, its outputs stay factorized on
that combination, and rows are only materialized once, with numpy ``take``, at the end.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ingest.normalize.date_order import inferred_month_first, order_column
from ingest.normalize.groups import GROUPS, STAGE_OF_GROUP, Group
from ingest.normalize.regions import inferred_region
from ingest.normalize.text import strip_invisible_values
from ingest.records import CUSTOM_COLUMN, ISSUES_COLUMN, NORMALIZED_FIELDS, ROW_COLUMN

DATE_COLUMNS = ("birth_date", "captured_at")
"""Columns whose day/month order is read from the batch (``date_order.order_column``)."""
VECTOR_MIN_VALUES = 64
"""Below this many distinct values a group's batch form costs more than it saves."""


@dataclass(frozen=True, slots=True)
class Factorized:
    """A column as ``values[codes[row]]``; ``codes`` None means one value on every row."""

    codes: np.ndarray | None
    values: Sequence[object]

    def materialize(self, n: int) -> np.ndarray:
        """One object per row."""
        table = _object_array(self.values)
        if self.codes is None:
            return np.repeat(table[:1], n) if len(table) else np.full(n, None, dtype=object)
        return table.take(self.codes)


def _object_array(values: Sequence[object]) -> np.ndarray:
    return np.fromiter(values, dtype=object, count=len(values))


def factorize(series: pd.Series) -> Factorized:
    """Distinct values (missing ones as a single None) and one code per row."""
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    values = np.asarray(uniques, dtype=object).tolist()
    if (codes < 0).any():
        codes = np.where(codes < 0, len(values), codes)
        values.append(None)
    return Factorized(codes.astype(np.intp, copy=False), values)


def factorize_input(series: pd.Series) -> Factorized:
    """A raw input column factorized, its distinct strings stripped of invisible characters
    (``text.strip_invisible``) before any group sees them."""
    column = factorize(series)
    return Factorized(column.codes, strip_invisible_values(column.values))


def _combine(
    columns: Sequence[Factorized], n: int
) -> tuple[np.ndarray | None, list[tuple[object, ...]]]:
    """Codes of the distinct combinations of ``columns`` and, per combination, its values."""
    varying = [(c.codes, len(c.values)) for c in columns if c.codes is not None]
    if not varying:
        return None, [tuple(c.values[0] if len(c.values) else None for c in columns)]
    first: np.ndarray | None = None
    if len(varying) == 1:
        codes = varying[0][0]
    else:
        key = varying[0][0].astype(np.int64)
        for column_codes, size in varying[1:]:
            key = key * size + column_codes
            key, _ = pd.factorize(key)
        # factorize codes count from 0 in order of first appearance: the first row of code
        # i is the i-th first occurrence
        first = np.flatnonzero(~pd.Series(key).duplicated().to_numpy())
        codes = key.astype(np.intp, copy=False)
    parts: list[Sequence[object]] = []
    for column in columns:
        if column.codes is None:
            parts.append([column.values[0] if len(column.values) else None])
        elif first is None:
            parts.append(column.values)
        else:
            parts.append(_object_array(column.values).take(column.codes[first]).tolist())
    size = max(len(p) for p in parts)
    combos = list(zip(*(p if len(p) == size else list(p) * size for p in parts), strict=True))
    return codes, combos


def _apply_group(
    group: Group, columns: Sequence[Factorized], n: int
) -> tuple[np.ndarray | None, list]:
    """Run a group once per distinct input combination: (codes per row, one column per output).

    A group with a batch form (``group.vector``) decides what it can on the whole arrays of
    distinct inputs; ``group.func`` does the rest, one combination at a time.
    """
    codes, combos = _combine(columns, n)
    if group.vector is None or len(combos) < VECTOR_MIN_VALUES:
        return codes, list(zip(*(group.func(*combo) for combo in combos), strict=True))
    inputs = [list(column) for column in zip(*combos, strict=True)]
    handled, outputs = group.vector(*inputs)
    rest = np.flatnonzero(~handled)
    if len(rest):
        results = [group.func(*combos[i]) for i in rest]
        for position, column in enumerate(zip(*results, strict=True)):
            outputs[position][rest] = _object_array(column)
    return codes, outputs


def _combine_issues(
    issue_columns: list[tuple[np.ndarray | None, list[tuple[str, ...]]]], n: int
) -> np.ndarray:
    out = np.fromiter((() for _ in range(n)), dtype=object, count=n)
    if not issue_columns:
        return out
    has = np.zeros(n, dtype=bool)
    per_group = []
    for codes, issues in issue_columns:
        table = _object_array(issues)
        nonempty = np.fromiter(map(bool, issues), dtype=bool, count=len(issues))
        if codes is None:
            has |= nonempty[0]
        else:
            has |= nonempty.take(codes)
        per_group.append((codes, table))
    rows = np.flatnonzero(has)
    if not len(rows):
        return out
    taken = [
        np.repeat(table[:1], len(rows)) if codes is None else table.take(codes.take(rows))
        for codes, table in per_group
    ]
    combined = []
    for parts in zip(*taken, strict=True):
        codes_ = sum(parts, ())
        combined.append(tuple(dict.fromkeys(codes_)) if len(codes_) > 1 else codes_)
    out[rows] = _object_array(combined)
    return out


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building millions of small acyclic objects.

    Each collection walks every live object, so with a large batch in memory the collector
    otherwise takes most of the time. Reference counting still frees everything here.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def normalize_batch(
    frame: pd.DataFrame,
    *,
    default_region: str | None = None,
    timings: dict[str, float] | None = None,
) -> pd.DataFrame:
    """Normalize a batch of canonical-field rows; see ``ingest.normalize`` for the contract.

    ``timings``, when given, is filled with seconds spent per stage (names, emails, ...).
    Without ``default_region``, national-format phone numbers of rows with no country are read
    in the country most of the batch's international numbers dial (``inferred_region``).
    Numeric dates are read in the day/month order the column's unambiguous dates show
    (``inferred_month_first``), else in the order of the row's country.
    """
    with gc_paused():
        region = default_region or inferred_region(frame)
        return _normalize_batch(frame, region, timings)


def _date_orders(frame: pd.DataFrame) -> dict[str, Factorized]:
    """Per date column, the batch-wide day/month order as a constant input column."""
    return {
        order_column(column): Factorized(
            None, [inferred_month_first(frame[column]) if column in frame.columns else None]
        )
        for column in DATE_COLUMNS
    }


def _normalize_batch(
    frame: pd.DataFrame, default_region: str | None, timings: dict[str, float] | None
) -> pd.DataFrame:
    n = len(frame)
    if n == 0:
        empty = {name: pd.Series([], index=frame.index, dtype=object) for name in NORMALIZED_FIELDS}
        out = pd.DataFrame(empty, index=frame.index)
        for passthrough in (ROW_COLUMN, CUSTOM_COLUMN):
            if passthrough in frame.columns:
                out[passthrough] = frame[passthrough]
        out[ISSUES_COLUMN] = pd.Series([], index=frame.index, dtype=object)
        return out
    columns: dict[str, Factorized] = {
        "_default_region": Factorized(None, [default_region]),
        **_date_orders(frame),
    }
    issue_columns: list[tuple[np.ndarray | None, list[tuple[str, ...]]]] = []
    started = time.process_time()
    for group in GROUPS:
        inputs = []
        for name in group.inputs:
            if name not in columns:
                columns[name] = (
                    factorize_input(frame[name])
                    if name in frame.columns
                    else Factorized(None, [None])
                )
            inputs.append(columns[name])
        codes, outputs = _apply_group(group, inputs, n)
        for name, values in zip(group.outputs, outputs, strict=False):
            columns[name] = Factorized(codes, values)
        issues = outputs[-1]
        if any(map(bool, issues)):
            issue_columns.append((codes, issues))
        if timings is not None:
            now = time.process_time()
            stage = STAGE_OF_GROUP[group.name]
            timings[stage] = timings.get(stage, 0.0) + now - started
            started = now
    data = {}
    for name in NORMALIZED_FIELDS:
        column = columns.get(name)
        data[name] = np.full(n, None, dtype=object) if column is None else column.materialize(n)
    data[ISSUES_COLUMN] = _combine_issues(issue_columns, n)
    out = pd.DataFrame(data, index=frame.index, dtype=object, copy=False)
    extra = [c for c in (ROW_COLUMN, CUSTOM_COLUMN) if c in frame.columns]
    if extra:
        out = pd.concat([out.iloc[:, :-1], frame[extra], out.iloc[:, -1:]], axis=1)
    if timings is not None:
        timings["frame"] = timings.get("frame", 0.0) + time.process_time() - started
    return out
