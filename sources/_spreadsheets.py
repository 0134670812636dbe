"""Reading spreadsheets (XLSX, XLSM, XLSB, XLS, ODS) with python-calamine, cells as strings.

Cells become the text a person would type: whole numbers without ".0" (ZIP 2134.0 -> "2134"),
dates in ISO form, booleans as TRUE/FALSE. Formulas are not evaluated; a text cell holding
"=HYPERLINK(...)" stays that text.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.errors import SourceFormatError
from ingest.records import BrokenRow
from sources._delimited import Record, broken

if TYPE_CHECKING:
    import python_calamine

SPREADSHEET_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"})
SPREADSHEET_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
"""Leading bytes of ZIP-based (XLSX, ODS) and OLE (XLS) files, whatever their file name says."""
log = logging.getLogger(__name__)


def iter_sheet_records(path: Path, *, sheet: str | None = None) -> Iterator[Record | BrokenRow]:
    """Yield the rows of the workbook as Records (header first).

    With ``sheet`` (the profile's), only that sheet is read. Without it every visible worksheet
    with data is read: their headers are united (in order of first appearance) and each sheet's
    rows are placed under them; ``line`` counts on across sheets (sheet 2's first row follows
    sheet 1's last). Either way a warning names the sheets skipped (others, hidden, empty).
    """
    try:
        import python_calamine  # imported by the spreadsheet readers only

        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises several unrelated types for unreadable files
        raise SourceFormatError(
            path,
            f"the spreadsheet cannot be opened ({type(exc).__name__})",
            "check that the file is a complete XLSX, XLS or ODS workbook",
        ) from exc
    try:
        if not workbook.sheet_names:
            raise SourceFormatError(path, "the workbook has no sheets", "export it again")
        if sheet is not None and sheet not in workbook.sheet_names:
            raise SourceFormatError(
                path,
                f"no sheet named {sheet!r}; the sheets are {', '.join(workbook.sheet_names)}",
                "set 'sheet' in the source profile to one of them",
            )
        named, skipped = _sheet_tables(workbook, sheet)
        if skipped:
            log.warning("%s: sheets not read: %s", path.name, ", ".join(skipped))
        from sources._xlsx_formulas import uncached_formulas  # XML parsing: workbooks only

        uncached = uncached_formulas(path)
        tables = [rows for _, rows in named]
        unknown = [uncached.get(name, {}) for name, _ in named]
        records = (
            (Record(n, fields, []) for n, fields in enumerate(tables[0], 1))
            if len(tables) == 1
            else _united(tables)
        )
        yield from _mark_uncached(records, _line_map(tables, unknown))
    finally:
        workbook.close()


def _line_map(
    tables: list[list[list[str]]], unknown: list[dict[int, list[str]]]
) -> dict[int, list[str]]:
    """Record line → columns with an uncached formula (lines count on across sheets)."""
    lines: dict[int, list[str]] = {}
    offset = 0
    for rows, cells in zip(tables, unknown, strict=True):
        for row, columns in cells.items():
            lines[offset + row] = columns
        offset += len(rows)
    return lines


def _mark_uncached(
    records: Iterator[Record], lines: dict[int, list[str]]
) -> Iterator[Record | BrokenRow]:
    """Rows holding a formula without a cached value become ``row.formula_without_value``
    (the header excepted): their value is unknown, not empty."""
    first = True
    for record in records:
        columns = lines.get(record.line)
        if columns and not first:
            detail = f"cells {', '.join(f'{c}{record.line}' for c in columns[:10])}"
            yield broken(record.line, [",".join(record.fields)], "row.formula_without_value",
                         detail)  # fmt: skip
        else:
            yield record
        first = False


def _sheet_tables(
    workbook: python_calamine.CalamineWorkbook, sheet: str | None
) -> tuple[list[tuple[str, list[list[str]]]], list[str]]:
    """The rows (as text) of each sheet to read, and the names of those skipped with why."""
    tables: list[tuple[str, list[list[str]]]] = []
    skipped: list[str] = []
    from python_calamine import SheetVisibleEnum

    visible = {m.name: m.visible == SheetVisibleEnum.Visible
               for m in workbook.sheets_metadata}  # fmt: skip
    for name in workbook.sheet_names:
        if sheet is not None and name != sheet:
            skipped.append(f"{name} (not the profile's sheet)")
            continue
        if sheet is None and not visible.get(name, True):
            skipped.append(f"{name} (hidden)")
            continue
        # iter_rows starts at the sheet's first row even when the used area starts lower.
        rows = [
            [cell_text(c) for c in cells] for cells in workbook.get_sheet_by_name(name).iter_rows()
        ]
        if sheet is None and not any(any(f.strip() for f in r) for r in rows):
            skipped.append(f"{name} (empty)")
            continue
        tables.append((name, rows))
    if not tables:  # nothing visible with data: read the first sheet as before
        first = workbook.get_sheet_by_index(0)
        tables.append((first.name, [[cell_text(c) for c in cells] for cells in first.iter_rows()]))
    return tables, skipped


def _united(tables: list[list[list[str]]]) -> Iterator[Record]:
    """Several sheets as one table: united headers, each row under its own sheet's headers."""
    from sources._tables import unique_headers

    headed = []
    for rows in tables:
        start = next((i for i, r in enumerate(rows) if any(f.strip() for f in r)), len(rows))
        header = unique_headers(rows[start]) if start < len(rows) else []
        headed.append((start, header))
    union = list(dict.fromkeys(h for _, header in headed for h in header))
    position = {h: i for i, h in enumerate(union)}
    offset = 0
    yield Record(headed[0][0] + 1, union, [])
    for rows, (start, header) in zip(tables, headed, strict=True):
        for index in range(start + 1, len(rows)):
            fields = [""] * len(union)
            for h, value in zip(header, rows[index], strict=False):
                fields[position[h]] = value
            yield Record(offset + index + 1, fields, [])
        offset += len(rows)


def cell_text(value: object) -> str:
    """The cell as the text a person would have typed."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ") if value.time() != time() else value.date().isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    return "" if value is None else str(value)
