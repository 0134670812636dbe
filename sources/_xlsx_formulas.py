"""Formula cells without a cached value in an XLSX workbook (calamine reads them as empty).

A workbook written by a program that does not calculate (a script, some exporters) stores the
formula but no result. Such a cell is not empty: its value is unknown. This scan finds them
(``<c><f>…</f></c>`` with no or an empty ``<v>``) by streaming each sheet's XML once.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_CELL = re.compile(r"([A-Z]+)(\d+)")


def uncached_formulas(path: Path) -> dict[str, dict[int, list[str]]]:
    """Sheet name → row number → column letters of formula cells without a cached value.

    Empty for anything that is not a readable XLSX/XLSM package (XLS, ODS, damaged files).
    """
    try:
        with zipfile.ZipFile(path) as package:
            names = set(package.namelist())
            if "xl/workbook.xml" not in names:
                return {}
            targets = _sheet_targets(package, names)
            found: dict[str, dict[int, list[str]]] = {}
            for sheet, member in targets.items():
                if member in names and b"<f" in _peek(package, member):
                    rows = _scan(package, member)
                    if rows:
                        found[sheet] = rows
            return found
    except (zipfile.BadZipFile, ElementTree.ParseError, KeyError, OSError):
        return {}


def _sheet_targets(package: zipfile.ZipFile, names: set[str]) -> dict[str, str]:
    rels_name = "xl/_rels/workbook.xml.rels"
    rels: dict[str, str] = {}
    if rels_name in names:
        for rel in ElementTree.fromstring(package.read(rels_name)).iter(_PACKAGE_REL):
            target = rel.get("Target", "")
            rels[rel.get("Id", "")] = (
                target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            )
    workbook = ElementTree.fromstring(package.read("xl/workbook.xml"))
    return {
        sheet.get("name", ""): rels.get(sheet.get(_REL, ""), "")
        for sheet in workbook.iter(f"{_MAIN}sheet")
    }


def _peek(package: zipfile.ZipFile, member: str) -> bytes:
    with package.open(member) as handle:
        return handle.read()  # sheets are read whole by calamine anyway


def _scan(package: zipfile.ZipFile, member: str) -> dict[int, list[str]]:
    rows: dict[int, list[str]] = {}
    with package.open(member) as handle:
        for _, element in ElementTree.iterparse(handle, events=("end",)):
            if element.tag != f"{_MAIN}c":
                continue
            formula = element.find(f"{_MAIN}f")
            if formula is not None:
                value = element.find(f"{_MAIN}v")
                if value is None or not (value.text or "").strip():
                    match = _CELL.fullmatch(element.get("r", ""))
                    if match:
                        rows.setdefault(int(match[2]), []).append(match[1])
            element.clear()
    return rows
