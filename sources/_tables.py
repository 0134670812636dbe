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

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import pandas as pd

from ingest.errors import SourceFormatError
from ingest.reasons import describe
from ingest.records import ROW_COLUMN, BrokenRow, Provenance, RawBatch
from sources._delimited import Record, broken, fit, is_blank


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


def build_batches(
    records: Iterable[Record | BrokenRow],
    *,
    path: Path,
    provenance: Provenance,
    chunk_rows: int,
) -> Iterator[RawBatch]:
    """Turn records into batches of at most ``chunk_rows`` rows (see the module doc)."""
    if chunk_rows < 1:
        raise ValueError("chunk_rows must be at least 1")
    items = iter(records)
    headers = _read_header(items, path)
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


def _read_header(items: Iterator[Record | BrokenRow], path: Path) -> list[str]:
    for item in items:
        if isinstance(item, BrokenRow):
            raise SourceFormatError(
                path,
                f"the header row cannot be read: {describe(item.reason_code)}",
                "fix the header line or save the file again from its spreadsheet program",
                line=item.row_number,
            )
        if not is_blank(item.fields):
            return unique_headers(item.fields)
    raise SourceFormatError(
        path, "no header row: the file holds only blank lines", "export the file with its headers"
    )


def _frame(headers: list[str], rows: list[list[str | None]], numbers: list[int]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=headers, dtype=object)
    if not rows:
        frame = pd.DataFrame({h: pd.Series(dtype=object) for h in headers})
    frame[ROW_COLUMN] = pd.Series(numbers, dtype="int64", index=frame.index)
    return frame
