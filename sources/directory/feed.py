"""Adapter for crawl feeds: JSON Lines files of directory listings, one object per line.

Each object's keys become string columns (numbers written as text, nested values as JSON) and
``_row`` is the physical line. A line that is not one JSON object becomes a BrokenRow; blank
lines are skipped. An empty feed (a crawl that found nothing) yields one empty batch.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from ingest.errors import SourceFormatError
from ingest.files import file_mtime_utc, file_sha256
from ingest.profiles import SourceProfile
from ingest.records import ROW_COLUMN, BrokenRow, Provenance, RawBatch, SourceKind
from sources._text_files import (
    UNDECODABLE,
    LongLine,
    detect_encoding,
    iter_lines,
    open_text,
    read_sample,
    truncate,
)
from sources.directory.items import LISTING_FIELDS

BAD_JSON = "row.invalid_json"
"""Reason code of a feed line that is not one JSON object (see ``ingest.reasons``)."""

DEFAULT_COLUMNS: dict[str, str] = {
    "url": "source_record_id",
    "name": "company_name",
    "street": "street",
    "city": "city",
    "region": "region",
    "postal_code": "postal_code",
    "country": "country",
    "phone": "phone",
    "website": "website",
    "email": "email",
    "category": "industry",
    "description": "custom:description",
    "fetched_at": "captured_at",
}
"""Feed key → canonical field. Listings are company-only records: ``name`` is the company."""


def default_profile(name: str = "directory", *, default_region: str | None = None) -> SourceProfile:
    """The import profile for a crawl feed when none is given (company-only column mapping)."""
    return SourceProfile(
        name=name,
        kind=SourceKind.DIRECTORY,
        columns=dict(DEFAULT_COLUMNS),
        default_region=default_region,
    )


def read(
    path: Path,
    *,
    profile: SourceProfile | None = None,
    chunk_rows: int = 50_000,
    source_name: str | None = None,
) -> Iterator[RawBatch]:
    """Read a crawl feed in batches of at most ``chunk_rows`` rows (always at least one batch)."""
    path = Path(path)
    if chunk_rows < 1:
        raise ValueError("chunk_rows must be at least 1")
    if not path.is_file():
        raise SourceFormatError(path, "no such file", "check the path or run the crawl first")
    provenance = Provenance(
        source_kind=SourceKind.DIRECTORY,
        source_name=(profile.name if profile else None) or source_name or path.stem,
        location=str(path),
        file_hash=file_sha256(path),
        fetched_at=file_mtime_utc(path),
    )
    encoding = detect_encoding(read_sample(path))
    headers = _headers(path, encoding)
    rows: list[list[str | None]] = []
    numbers: list[int] = []
    broken: list[BrokenRow] = []
    yielded = False
    for number, item in _items(path, encoding):
        if isinstance(item, BrokenRow):
            broken.append(item)
            continue
        rows.append([_text(item.get(h)) for h in headers])
        numbers.append(number)
        if len(rows) >= chunk_rows:
            yield RawBatch(_frame(headers, rows, numbers), provenance, tuple(broken))
            yielded = True
            rows, numbers, broken = [], [], []
    if rows or broken or not yielded:
        yield RawBatch(_frame(headers, rows, numbers), provenance, tuple(broken))


def _headers(path: Path, encoding: str) -> list[str]:
    """Every key of the feed in first-seen order (a first pass, so all batches share columns)."""
    seen: dict[str, None] = {}
    for _, item in _items(path, encoding):
        if isinstance(item, dict):
            seen.update(dict.fromkeys(k for k in item if k != ROW_COLUMN))
    return list(seen) or list(LISTING_FIELDS)


def _items(path: Path, encoding: str) -> Iterator[tuple[int, dict[str, Any] | BrokenRow]]:
    with open_text(path, encoding) as text:
        for number, line in enumerate(iter_lines(text), 1):
            if isinstance(line, LongLine):
                message = f"the line has {line.length} characters"
                yield number, BrokenRow(number, truncate(line.head), "row.too_long", message)
                continue
            if not line.strip():
                continue
            if UNDECODABLE in line:
                message = "the line has bytes that are not valid in the file's encoding"
                yield number, BrokenRow(number, truncate(line), "row.undecodable", message)
                continue
            try:
                item = json.loads(line)
            except ValueError as exc:
                message = f"not valid JSON ({getattr(exc, 'msg', 'parse error')})"
                yield number, BrokenRow(number, truncate(line), BAD_JSON, message)
                continue
            if not isinstance(item, dict):
                message = f"a JSON {type(item).__name__}, not an object"
                yield number, BrokenRow(number, truncate(line), BAD_JSON, message)
                continue
            yield number, item


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value or None
    if isinstance(value, bool | int | float):
        return json.dumps(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _frame(headers: list[str], rows: list[list[str | None]], numbers: list[int]) -> pd.DataFrame:
    if rows:
        frame = pd.DataFrame(rows, columns=headers, dtype=object)
    else:
        frame = pd.DataFrame({h: pd.Series(dtype=object) for h in headers})
    frame[ROW_COLUMN] = pd.Series(numbers, dtype="int64", index=frame.index)
    return frame
