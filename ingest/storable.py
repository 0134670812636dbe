"""Make raw batches storable on every backend: PostgreSQL refuses what SQLite takes.

PostgreSQL rejects the NUL character in ``text`` and ``jsonb`` and cannot encode a lone UTF-16
surrogate (what undecodable bytes or a bad ``\\ud800`` JSON escape become). One such cell used
to fail the whole batch there. Here a row holding one is quarantined on its own, with the reason
code ``row.nul_bytes`` or ``row.undecodable`` (the same codes the text readers give), and
header names, file names and stored raw text have such characters replaced.
"""

from __future__ import annotations

import dataclasses
import json
import re

import numpy as np
import pandas as pd

from ingest.reasons import describe
from ingest.records import ROW_COLUMN, BrokenRow, RawBatch

NUL = "\x00"
_SURROGATE = re.compile("[\ud800-\udfff]")
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
RAW_TEXT_LIMIT = 65_536
"""Characters of a quarantined row's raw text kept for storage."""


def storable_text(value: str) -> str:
    """``value`` with NUL removed and lone surrogates replaced by U+FFFD."""
    if not _UNSTORABLE.search(value):
        return value
    return _SURROGATE.sub("\ufffd", value.replace(NUL, ""))


def storable_batch(raw: RawBatch) -> RawBatch:
    """The batch with every row PostgreSQL would refuse moved to ``broken`` (with its reason),
    and its header names, provenance and broken rows' raw text made storable."""
    rows = raw.rows
    renamed = {c: storable_text(c) for c in rows.columns if isinstance(c, str)}
    if any(k != v for k, v in renamed.items()):
        rows = rows.rename(columns=_unique(renamed))
    nul, surrogate = _unstorable_rows(rows)
    broken = [_clean_broken(b) for b in raw.broken]
    bad = nul | surrogate
    if bad.any():
        for position in np.flatnonzero(bad):
            code = "row.nul_bytes" if nul[position] else "row.undecodable"
            broken.append(_as_broken(rows.iloc[position], code))
        rows = rows.iloc[np.flatnonzero(~bad)]
    provenance = raw.provenance
    clean_name = storable_text(provenance.source_name)
    clean_location = storable_text(provenance.location)
    if (clean_name, clean_location) != (provenance.source_name, provenance.location):
        provenance = dataclasses.replace(
            provenance, source_name=clean_name, location=clean_location
        )
    if rows is raw.rows and provenance is raw.provenance and broken == list(raw.broken):
        return raw
    return RawBatch(rows=rows, provenance=provenance, broken=tuple(broken))


def _unstorable_rows(rows: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    nul = np.zeros(len(rows), dtype=bool)
    surrogate = np.zeros(len(rows), dtype=bool)
    for column in rows.columns:
        if column == ROW_COLUMN or rows[column].dtype != object:
            continue
        values = rows[column].to_numpy()
        strings = [v if isinstance(v, str) else "" for v in values]
        if not _UNSTORABLE.search("".join(strings)):  # the usual case: one C-speed scan
            continue
        nul |= np.fromiter((NUL in v for v in strings), dtype=bool, count=len(strings))
        surrogate |= np.fromiter(
            (_SURROGATE.search(v) is not None for v in strings), dtype=bool, count=len(strings)
        )
    return nul, surrogate & ~nul


def _unique(renamed: dict[str, str]) -> dict[str, str]:
    """Keep cleaned header names distinct (two headers may differ only by a NUL)."""
    seen: set[str] = set()
    result = {}
    for old, new in renamed.items():
        name, n = new, 1
        while name in seen:
            n += 1
            name = f"{new}_{n}"
        seen.add(name)
        result[old] = name
    return result


def _as_broken(row: pd.Series, code: str) -> BrokenRow:
    values = {
        str(k): v for k, v in row.items() if k != ROW_COLUMN and isinstance(v, str) and v != ""
    }
    text = json.dumps(values, ensure_ascii=False).replace("\\u0000", "\u2400")
    return BrokenRow(
        row_number=int(row[ROW_COLUMN]),
        raw_text=_bounded(storable_text(text)),
        reason_code=code,
        message=describe(code),
    )


def _clean_broken(row: BrokenRow) -> BrokenRow:
    text = storable_text(row.raw_text.replace(NUL, "\u2400"))
    message = storable_text(row.message)
    if text == row.raw_text and message == row.message:
        return row
    return dataclasses.replace(row, raw_text=_bounded(text), message=message)


def _bounded(text: str) -> str:
    if len(text) <= RAW_TEXT_LIMIT:
        return text
    return text[:RAW_TEXT_LIMIT] + f"…[truncated; {len(text)} characters in total]"


__all__ = ["storable_batch", "storable_text"]
