"""Split a stream of physical lines into delimited records, quarantining the lines that break.

Quoted fields may span lines, but an unterminated quote must not swallow the rest of the file:
a record that runs past MAX_RECORD_LINES lines or MAX_RECORD_CHARS characters, or reaches the
end of the file inside quotes, is declared broken at its *first* line only, and parsing resumes
on the next line. So exactly the offending line is quarantined and the rest loads.
"""

from __future__ import annotations

import csv
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from typing import cast

from ingest.errors import LeadflowError
from ingest.reasons import describe
from ingest.records import BrokenRow
from sources._text_files import UNDECODABLE, LongLine, strip_line_end, truncate

MAX_RECORD_LINES = 100
"""A quoted field spanning more physical lines than this is taken for an unterminated quote."""

MAX_RECORD_CHARS = 100_000
"""Longest record accepted (below csv's own 131,072-character field limit); no lead needs more."""


@dataclass(frozen=True, slots=True)
class Record:
    """One parsed record: its first physical line (1-based), its fields, its raw lines."""

    line: int
    fields: list[str]
    raw: list[str]


class _RecordOverrun(LeadflowError):
    """The record in progress cannot end well (too long, too many lines, end of file in quotes)."""


class _Feed:
    """The line iterator the csv reader pulls from; remembers the current record's lines and can
    push all but the first back, so parsing restarts right after a broken first line."""

    def __init__(self, lines: Iterator[str | LongLine]) -> None:
        self._lines = lines
        self._pending: deque[str | LongLine] = deque()
        self.consumed = 0
        self.taken: list[str | LongLine] = []
        self._chars = 0

    def __iter__(self) -> _Feed:
        return self

    def __next__(self) -> str:
        try:
            line = self._pending.popleft() if self._pending else next(self._lines)
        except StopIteration:
            if self.taken:  # the reader wants more lines mid-record: a quote never closed
                raise _RecordOverrun from None
            raise
        self.consumed += 1
        self.taken.append(line)
        if isinstance(line, LongLine):
            raise _RecordOverrun
        self._chars += len(line)
        if len(self.taken) > MAX_RECORD_LINES or self._chars > MAX_RECORD_CHARS:
            raise _RecordOverrun
        return line

    def begin(self) -> None:
        self.taken = []
        self._chars = 0

    def unread(self) -> None:
        """Give the record's lines back, to be read again (by the csv reader)."""
        self._pending.extendleft(reversed(self.taken))
        self.consumed -= len(self.taken)
        self.begin()

    def push_back_all_but_first(self) -> None:
        rest = self.taken[1:]
        self._pending.extendleft(reversed(rest))
        self.consumed -= len(rest)


def iter_records(
    lines: Iterator[str | LongLine], *, delimiter: str
) -> Iterator[Record | BrokenRow]:
    """Yield each record (blank ones as empty-field records) or the BrokenRow replacing it.

    The first non-blank record is the header and sets the field count. Broken: ``row.too_long``
    (a line over the size limit), ``row.bad_quoting`` (see the module doc; also a record spanning
    several lines whose field count is wrong, the mark of an open quote that closed on a later
    line's quote), ``row.wrong_field_count``, ``row.nul_bytes`` and ``row.undecodable``.
    """
    feed = _Feed(lines)
    reader = csv.reader(feed, delimiter=delimiter, strict=False)
    width: int | None = None
    while True:
        start = feed.consumed + 1
        feed.begin()
        try:
            first = next(feed)
            if '"' not in first:  # fast path: no quotes, so exactly one line, split as csv would
                fields = strip_line_end(first).split(delimiter)
            else:
                feed.unread()
                fields = next(reader)
            raw = cast(list[str], feed.taken)  # a LongLine raised _RecordOverrun above
            fitted = fields if width is None or is_blank(fields) else fit(fields, width)
            if fitted is None and len(raw) > 1:
                raise _RecordOverrun
        except StopIteration:
            return
        except (_RecordOverrun, csv.Error):
            head = feed.taken[0]
            if isinstance(head, LongLine):
                yield _long_line(start, head)
            else:
                yield broken(start, [head], "row.bad_quoting")
            feed.push_back_all_but_first()
            reader = csv.reader(feed, delimiter=delimiter, strict=False)  # fresh parser state
            continue
        text = raw[0] if len(raw) == 1 else "".join(raw)
        if "\x00" in text:
            yield broken(start, raw, "row.nul_bytes")
        elif UNDECODABLE in text:
            yield broken(start, raw, "row.undecodable")
        elif fitted is None:
            detail = f"expected {width} fields, found {len(fields)}"
            yield broken(start, raw, "row.wrong_field_count", detail)
        else:
            if width is None and sum(1 for f in fields if f.strip()) >= 2:
                width = len(fields)  # a one-cell title row above the header sets nothing
            yield Record(start, fitted, raw)


def is_blank(fields: list[str]) -> bool:
    """True for a record with no characters but whitespace (an empty line, or only delimiters)."""
    return not (fields and fields[0].strip()) and not "".join(fields).strip()


def fit(fields: list[str], width: int) -> list[str] | None:
    """The fields cut to ``width`` when the extra ones are empty (a trailing delimiter), the fields
    themselves when the count is right, None when it is wrong."""
    if len(fields) == width:
        return fields
    if len(fields) > width and is_blank(fields[width:]):
        return fields[:width]
    return None


def broken(line: int, raw: list[str], code: str, detail: str = "") -> BrokenRow:
    """A BrokenRow for the record starting at ``line``, its raw text bounded for storage."""
    text = strip_line_end("".join(raw)).replace(UNDECODABLE, "\ufffd")
    message = describe(code)
    if detail:
        message = f"{message.removesuffix('.')} ({detail})."
    return BrokenRow(row_number=line, raw_text=truncate(text), reason_code=code, message=message)


def _long_line(line: int, long: LongLine) -> BrokenRow:
    text = long.head.replace(UNDECODABLE, "\ufffd")
    return BrokenRow(
        row_number=line,
        raw_text=text + f"…[truncated; {long.length} characters in total]",
        reason_code="row.too_long",
        message=f"{describe('row.too_long').removesuffix('.')} ({long.length} characters).",
    )
