"""Reading spreadsheets (XLSX, XLSM, XLSB, XLS, ODS) with python-calamine, cells as strings.

Cells become the text a person would type: whole numbers without ".0" (ZIP 2134.0 -> "2134"),
dates in ISO form, booleans as TRUE/FALSE. Formulas are not evaluated; a text cell holding
"=HYPERLINK(...)" stays that text.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path

import python_calamine

from ingest.errors import SourceFormatError
from sources._delimited import Record

SPREADSHEET_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"})
SPREADSHEET_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
"""Leading bytes of ZIP-based (XLSX, ODS) and OLE (XLS) files, whatever their file name says."""


def iter_sheet_records(path: Path, *, sheet: str | None = None) -> Iterator[Record]:
    """Yield every row of the sheet (``sheet`` by name, else the first) as a Record whose line is
    the spreadsheet row number (1-based)."""
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises several unrelated types for unreadable files
        raise SourceFormatError(
            path,
            f"the spreadsheet cannot be opened ({type(exc).__name__})",
            "check that the file is a complete XLSX, XLS or ODS workbook",
        ) from exc
    try:
        if sheet is None:
            if not workbook.sheet_names:
                raise SourceFormatError(path, "the workbook has no sheets", "export it again")
            data = workbook.get_sheet_by_index(0)
        elif sheet in workbook.sheet_names:
            data = workbook.get_sheet_by_name(sheet)
        else:
            raise SourceFormatError(
                path,
                f"no sheet named {sheet!r}; the sheets are {', '.join(workbook.sheet_names)}",
                "set 'sheet' in the source profile to one of them",
            )
        # iter_rows starts at the sheet's first row even when the used area starts lower.
        for number, cells in enumerate(data.iter_rows(), 1):
            fields = [cell_text(cell) for cell in cells]
            yield Record(number, fields, [])
    finally:
        workbook.close()


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
