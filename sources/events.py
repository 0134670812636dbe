"""Adapter for event attendee exports: Eventbrite, Cvent, RingCentral Events (Hopin), Zoom Webinar.

Files are read exactly like purchased lists (same encoding detection, BOM handling, delimiter
sniffing, spreadsheets, broken lines quarantined), with one addition: Zoom reports open with a
preamble (report title, webinar and host details) before the attendee table, which is skipped.

The platforms' own headers are mapped by :func:`event_profile`, a built-in profile built for a
file's headers; an explicit profile's columns always win over it. Custom questions stay custom.
"""

from __future__ import annotations

import csv
from collections.abc import Generator, Iterator, Sequence
from itertools import chain, islice
from pathlib import Path

from ingest.errors import SourceFormatError
from ingest.files import file_mtime_utc, file_sha256
from ingest.mapping import normalize_header
from ingest.profiles import SourceProfile, column_target
from ingest.records import BrokenRow, Provenance, RawBatch, SourceKind
from sources._delimited import Record, iter_records
from sources._spreadsheets import SPREADSHEET_MAGIC, SPREADSHEET_SUFFIXES, iter_sheet_records
from sources._tables import build_batches, unique_headers
from sources._text_files import detect_encoding, iter_lines, open_text, read_sample, sniff_delimiter
from sources.purchased_lists import TEXT_SUFFIXES

CHECKED_IN = "checked_in"
ORDER_ID = "custom:order_id"

# Target -> platform headers, best first; the first one present in a file wins.
# fmt: off
EVENT_HEADERS: dict[str, tuple[str, ...]] = {
    "source_record_id": (
        "Attendee #", "Attendee ID", "Attendee Number", "Registrant ID", "Registration ID",
        "Confirmation Number", "Confirmation #", "Ticket ID", "Ticket Number", "Ticket #",
        "Barcode #", "Barcode",
    ),
    "activity_subject": (
        "Event Name", "Event Title", "Event", "Webinar Topic", "Topic", "Ticket Type",
        "Ticket", "Registration Type", "Admission Item",
    ),
    "activity_kind": (
        "Attendee Status", "Registration Status", "Approval Status", "Attendance Status",
        "RSVP Status", "Status",
    ),
    "captured_at": (
        "Order Date", "Registration Date", "Registration Time", "Registered At",
        "Registration Date (GMT)", "Purchase Date", "Created",
    ),
    "email_opt_in": (
        "I agree to receive marketing emails", "Marketing Opt-In", "Email Opt-In",
        "Marketing Opt In", "Opted in to marketing", "Accepts Marketing",
        "Opt-in to marketing emails", "Receive marketing emails",
    ),
    CHECKED_IN: (
        "Checked In", "Checked-In", "Check-In Status", "Checked In Date", "Check-In Time",
        "Checked In At", "Attended",
    ),
}
# fmt: on

ORDER_HEADERS = ("Order #", "Order ID", "Order Number", "Order No")
"""Order ids group several attendees; kept as ``order_id`` once an attendee id is the row id."""

ZOOM_SECTIONS = frozenset({"registrantdetails", "attendeedetails", "attendeereport"})
"""First cell of the line that precedes the attendee table in Zoom webinar reports."""
PREAMBLE_SCAN = 60
"""Records looked at for a Zoom section line; a Zoom preamble is far shorter."""


def read(
    path: Path,
    *,
    profile: SourceProfile | None = None,
    chunk_rows: int = 50_000,
    source_name: str | None = None,
) -> Iterator[RawBatch]:
    """Read an attendee export in batches of at most ``chunk_rows`` rows (kind ``event``).

    Same rules as purchased lists: one empty batch for a header-only file, BrokenRows for lines
    that cannot be parsed, SourceFormatError for empty, header-less or unsupported files.
    """
    path = _checked(path)
    provenance = Provenance(
        source_kind=SourceKind.EVENT,
        source_name=(profile.name if profile else None) or source_name or path.stem,
        location=str(path),
        file_hash=file_sha256(path),
        fetched_at=file_mtime_utc(path),
    )
    records = _records(path, profile)
    try:
        yield from build_batches(
            records,
            path=path,
            provenance=provenance,
            chunk_rows=chunk_rows,
            has_header=profile.has_header if profile else None,
        )
    finally:
        records.close()


def read_headers(path: Path, *, profile: SourceProfile | None = None) -> list[str]:
    """The export's headers as batches will carry them (made unique), without reading the rows."""
    path = _checked(path)
    records = _records(path, profile)
    try:
        for item in records:
            if isinstance(item, Record) and "".join(item.fields).strip():
                return unique_headers(item.fields)
            if isinstance(item, BrokenRow):
                break
    finally:
        records.close()
    raise SourceFormatError(path, "no readable header row", "export the file with its headers")


def event_profile(
    headers: Sequence[str], *, base: SourceProfile | None = None, name: str | None = None
) -> SourceProfile:
    """A profile of kind ``event`` mapping the platform headers found in ``headers``.

    ``base`` (a user's profile) wins: its columns are kept and only headers and targets it
    leaves free are added. Headers not named here are left to the generic synonyms.
    """
    columns = dict(base.columns) if base else {}
    taken = {_target_key(target) for target in columns.values()}
    by_key: dict[str, str] = {}
    for header in headers:
        by_key.setdefault(normalize_header(header), header)
    used = {by_key.get(normalize_header(h)) for h in columns} | set(columns)
    for target, candidates in EVENT_HEADERS.items():
        if _target_key(target) in taken:
            continue
        for candidate in candidates:
            found = by_key.get(normalize_header(candidate))
            if found is not None and found not in used:
                columns[found] = target
                used.add(found)
                taken.add(_target_key(target))
                break
    if "source_record_id" in taken and _target_key(ORDER_ID) not in taken:
        for candidate in ORDER_HEADERS:
            found = by_key.get(normalize_header(candidate))
            if found is not None and found not in used:
                columns[found] = ORDER_ID
                break
    data = base.to_dict() if base else {}
    data.update(
        name=(base.name if base else None) or name or "event",
        kind=SourceKind.EVENT.value,
        columns=columns,
    )
    return SourceProfile.from_dict(data)


def resolve_profile(path: Path, profile: SourceProfile | None = None) -> SourceProfile:
    """The profile to import ``path`` with: ``profile`` completed by :func:`event_profile`."""
    path = Path(path)
    return event_profile(read_headers(path, profile=profile), base=profile, name=path.stem)


def _target_key(target: str) -> str:
    canonical, custom_name = column_target(target)
    return canonical or f"custom:{custom_name}"


def _checked(path: Path) -> Path:
    path = Path(path)
    if not path.is_file():
        raise SourceFormatError(path, "no such file", "check the path")
    if path.stat().st_size == 0:
        raise SourceFormatError(
            path, "the file is empty (0 bytes)", "export the attendee list again"
        )
    return path


def _records(
    path: Path, profile: SourceProfile | None
) -> Generator[Record | BrokenRow, None, None]:
    """Every record of the file (header first), a Zoom preamble turned into blank lines."""
    sample = read_sample(path)
    suffix = path.suffix.lower()
    if sample.startswith(SPREADSHEET_MAGIC) or suffix in SPREADSHEET_SUFFIXES:
        sheet = iter_sheet_records(path, sheet=profile.sheet if profile else None)
        head = list(islice(sheet, PREAMBLE_SCAN))
        cut = _preamble_length([r.fields if isinstance(r, Record) else [] for r in head])
        for i, r in enumerate(head):
            line = r.line if isinstance(r, Record) else r.row_number
            yield Record(line, [], []) if i < cut else r
        yield from sheet
        return
    if suffix and suffix not in TEXT_SUFFIXES:
        supported = sorted(TEXT_SUFFIXES | SPREADSHEET_SUFFIXES)
        raise SourceFormatError(
            path,
            f"unsupported file type {suffix!r}",
            f"export the attendee list as one of {', '.join(supported)}",
        )
    encoding = (profile.encoding if profile else None) or detect_encoding(sample)
    delimiter = (profile.delimiter if profile else None) or sniff_delimiter(sample, encoding)
    with open_text(path, encoding) as text:
        lines = iter_lines(text)
        first = list(islice(lines, PREAMBLE_SCAN))
        cut = _preamble_length(
            [_split(line, delimiter) if isinstance(line, str) else [] for line in first]
        )
        # Blank lines keep the physical line numbers while the header search passes them by.
        lines = chain(("\n" for _ in range(cut)), first[cut:], lines)
        yield from iter_records(lines, delimiter=delimiter)


def _preamble_length(rows: list[list[str]]) -> int:
    """Rows before a Zoom report's attendee table (0 for an ordinary export).

    Only a file whose first non-blank row is a lone title cell can have a preamble; it ends at a
    section row such as "Registrant Details" with nothing in its other cells.
    """
    filled = [[cell.strip() for cell in row] for row in rows]
    first = next((row for row in filled if any(row)), None)
    if first is None or any(first[1:]):
        return 0
    for index, row in enumerate(filled):
        if row and normalize_header(row[0]) in ZOOM_SECTIONS and not any(row[1:]):
            return index + 1
    return 0


def _split(line: str, delimiter: str) -> list[str]:
    return next(csv.reader([line], delimiter=delimiter), [])
