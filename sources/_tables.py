"""From a stream of records (header first) to RawBatches: headers made unique, field counts
checked, blank records skipped, values kept as strings with "" read as missing.

Shared by every adapter that reads tables (delimited text, spreadsheets).

Decisions, stated once:
- the header is the first non-blank record; its physical line is usually 1;
- blank records (no characters, or only whitespace and delimiters) are skipped: they become no
  row and no broken row, but they keep their line numbers, so ``_row`` stays the physical line;
- a record with more fields than the header is accepted when the extra fields are all empty
  (a trailing delimiter); any other count mismatch is a ``row.wrong_field_count`` broken row;
- a file with a header and no rows yields one empty batch (the importer still sees the headers);
- broken rows travel with the batch being filled when they were met.
"""

from __future__ import annotations

import itertools
import logging
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import pandas as pd

from ingest.errors import SourceFormatError
from ingest.reasons import describe
from ingest.records import ROW_COLUMN, BrokenRow, Provenance, RawBatch
from sources._delimited import Record, broken, fit, is_blank

log = logging.getLogger(__name__)


def unique_headers(names: Sequence[str]) -> list[str]:
    """Strip header names, name empty ones ``column_<n>``, and suffix repeats: Phone, Phone_2."""
    cleaned = [
        name.replace("\ufeff", "").strip() or f"column_{i}" for i, name in enumerate(names, 1)
    ]
    used: set[str] = {ROW_COLUMN}
    wanted = set(cleaned)
    out: list[str] = []
    for name in cleaned:
        candidate, n = name, 1
        # a suffixed name must not take the name of another header either
        while candidate in used or (candidate != name and candidate in wanted):
            n += 1
            candidate = f"{name}_{n}"
        used.add(candidate)
        out.append(candidate)
    return out


_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")
_PHONE = re.compile(r"\+?[\d\s().-]{7,}")


def looks_like_data(fields: Sequence[str]) -> bool:
    """A first record that holds an email address or a phone number is data, not a header:
    no header names a column "ann@example.com" or "+1 617 555 0100"."""
    for field in fields:
        text = field.strip()
        if _EMAIL.fullmatch(text):
            return True
        if _PHONE.fullmatch(text) and sum(c.isdigit() for c in text) >= 7:
            return True
    return False


def build_batches(
    records: Iterable[Record | BrokenRow],
    *,
    path: Path,
    provenance: Provenance,
    chunk_rows: int,
    has_header: bool | None = None,
) -> Iterator[RawBatch]:
    """Turn records into batches of at most ``chunk_rows`` rows (see the module doc).

    ``has_header`` False (from the profile) reads the first record as data under the headers
    ``column_1``...; None detects a header-less file (:func:`looks_like_data`) and says so in a
    warning, so no row is taken for a header unnoticed.
    """
    if chunk_rows < 1:
        raise ValueError("chunk_rows must be at least 1")
    items = iter(records)
    first = _first_record(items, path)
    headerless = has_header is False or (has_header is None and looks_like_data(first.fields))
    if headerless:
        if has_header is None:
            log.warning(
                "%s: the first line holds data, not headers; read as a file without a header "
                "(columns column_1...). Set has_header in the profile to decide it",
                path.name,
            )
        headers = [f"column_{i}" for i in range(1, len(first.fields) + 1)]
        items = itertools.chain([first], items)
    else:
        headers = unique_headers(first.fields)
    width = len(headers)
    rows: list[list[str | None]] = []
    numbers: list[int] = []
    broken_rows: list[BrokenRow] = []
    yielded = False
    for item in items:
        if isinstance(item, BrokenRow):
            broken_rows.append(item)
            continue
        if is_blank(item.fields):
            continue
        fields = fit(item.fields, width)
        if fields is None:
            detail = f"expected {width} fields, found {len(item.fields)}"
            broken_rows.append(broken(item.line, item.raw, "row.wrong_field_count", detail))
            continue
        rows.append([value or None for value in fields])
        numbers.append(item.line)
        if len(rows) >= chunk_rows:
            yield RawBatch(_frame(headers, rows, numbers), provenance, tuple(broken_rows))
            yielded = True
            rows, numbers, broken_rows = [], [], []
    if rows or broken_rows or not yielded:
        yield RawBatch(_frame(headers, rows, numbers), provenance, tuple(broken_rows))


def _first_record(items: Iterator[Record | BrokenRow], path: Path) -> Record:
    for item in items:
        if isinstance(item, BrokenRow):
            raise SourceFormatError(
                path,
                f"the header row cannot be read: {describe(item.reason_code)}",
                "fix the header line or save the file again from its spreadsheet program",
                line=item.row_number,
            )
        if not is_blank(item.fields):
            return item
    raise SourceFormatError(
        path, "no header row: the file holds only blank lines", "export the file with its headers"
    )


def _frame(headers: list[str], rows: list[list[str | None]], numbers: list[int]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=headers, dtype=object)
    if not rows:
        frame = pd.DataFrame({h: pd.Series(dtype=object) for h in headers})
    frame[ROW_COLUMN] = pd.Series(numbers, dtype="int64", index=frame.index)
    return frame
