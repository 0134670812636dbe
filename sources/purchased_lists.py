"""Adapter for purchased lead lists: delimited text (CSV, TSV, semicolon, pipe) or spreadsheets.

Yields RawBatches of the file's rows exactly as written (all values strings, "" read as None,
"NA" kept as the text "NA"), with the original headers (made unique) plus ``_row``, the physical
line of the record's first line (header = line 1). Lines that cannot be parsed become BrokenRows
in the batch, never errors. See ``sources._tables`` for blank lines, field counts and header-only
files, and ``sources._delimited`` for quoting limits.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ingest.errors import SourceFormatError
from ingest.files import file_mtime_utc, file_sha256
from ingest.profiles import SourceProfile
from ingest.records import Provenance, RawBatch, SourceKind
from sources._delimited import iter_records
from sources._spreadsheets import SPREADSHEET_MAGIC, SPREADSHEET_SUFFIXES, iter_sheet_records
from sources._tables import build_batches
from sources._text_files import detect_encoding, iter_lines, open_text, read_sample, sniff_delimiter

TEXT_SUFFIXES = frozenset({".csv", ".tsv", ".tab", ".txt", ".psv", ".dat"})
_PREFERRED_DELIMITER = {".tsv": "\t", ".tab": "\t", ".psv": "|"}


def read(
    path: Path,
    *,
    profile: SourceProfile | None = None,
    chunk_rows: int = 50_000,
    source_name: str | None = None,
) -> Iterator[RawBatch]:
    """Read a purchased list in batches of at most ``chunk_rows`` rows.

    The profile's delimiter, encoding and sheet win over detection. A header-only file yields one
    empty batch. Raises SourceFormatError for an empty file, a file without a header row and an
    unsupported file type.
    """
    path = Path(path)
    if not path.is_file():
        raise SourceFormatError(path, "no such file", "check the path")
    if path.stat().st_size == 0:
        raise SourceFormatError(path, "the file is empty (0 bytes)", "ask the vendor for the list")
    provenance = Provenance(
        source_kind=SourceKind.PURCHASED_LIST,
        source_name=(profile.name if profile else None) or source_name or path.stem,
        location=str(path),
        file_hash=file_sha256(path),
        fetched_at=file_mtime_utc(path),
    )
    sample = read_sample(path)
    suffix = path.suffix.lower()
    if sample.startswith(SPREADSHEET_MAGIC) or suffix in SPREADSHEET_SUFFIXES:
        records = iter_sheet_records(path, sheet=profile.sheet if profile else None)
        yield from build_batches(
            records,
            path=path,
            provenance=provenance,
            chunk_rows=chunk_rows,
            has_header=profile.has_header if profile else None,
        )
        return
    if suffix and suffix not in TEXT_SUFFIXES:
        supported = sorted(TEXT_SUFFIXES | SPREADSHEET_SUFFIXES)
        raise SourceFormatError(
            path,
            f"unsupported file type {suffix!r}",
            f"save the list as one of {', '.join(supported)}",
        )
    encoding = (profile.encoding if profile else None) or detect_encoding(sample)
    delimiter = (profile.delimiter if profile else None) or sniff_delimiter(
        sample, encoding, prefer=_PREFERRED_DELIMITER.get(suffix, ",")
    )
    with open_text(path, encoding) as text:
        records = iter_records(iter_lines(text), delimiter=delimiter)
        yield from build_batches(
            records,
            path=path,
            provenance=provenance,
            chunk_rows=chunk_rows,
            has_header=profile.has_header if profile else None,
        )
