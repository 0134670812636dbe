"""Adapter for census tables downloaded from data.census.gov (two header rows: codes, then labels).

The file is read as text (encoding detected as for purchased lists, every cell a string) and
turned into a figures frame by ``ingest.census``: one figure per ZCTA and estimate column, with
its margin of error and any annotation code.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd

from ingest.census import CensusTable, CensusValueError, figures_frame
from ingest.errors import SourceFormatError
from ingest.files import file_sha256
from sources._text_files import detect_encoding, open_text, read_sample

_DATASET = re.compile(r"^([A-Z][A-Z0-9]+\.[A-Z][A-Z0-9]+)(?:-|$)")
"""Dataset name at the start of a data.census.gov file name: ``ACSDP5Y2023.DP03-Data.csv``."""


def dataset_from_name(path: Path) -> str | None:
    """The dataset named by the file, e.g. ``ACSDP5Y2023.DP03``; None when the name has none."""
    match = _DATASET.match(path.stem)
    return match.group(1) if match else None


def read_census(path: Path, *, dataset: str | None = None) -> CensusTable:
    """Read a census table; raise SourceFormatError when it is not one.

    ``dataset`` defaults to the name at the start of the file name.
    """
    path = Path(path)
    if not path.is_file():
        raise SourceFormatError(path, "no such file", "check the path")
    dataset = dataset or dataset_from_name(path)
    if not dataset:
        raise SourceFormatError(
            path,
            "the dataset cannot be told from the file name",
            "keep the name data.census.gov gave it (e.g. ACSDP5Y2023.DP03-Data.csv) "
            "or pass the dataset name",
        )
    encoding = detect_encoding(read_sample(path))
    with open_text(path, encoding) as text:
        reader = csv.reader(text)
        codes = [c.replace("\ufeff", "").strip() for c in next(reader, [])]
        labels = next(reader, [])
        body = [row for row in reader if any(cell.strip() for cell in row)]
    if not codes or ("GEO_ID" not in codes and "NAME" not in codes):
        raise SourceFormatError(
            path,
            "no GEO_ID or NAME column in the first header row",
            "download the table from data.census.gov as CSV with its two header rows",
        )
    if len(labels) != len(codes):
        raise SourceFormatError(
            path,
            f"the label row has {len(labels)} fields, the code row {len(codes)}",
            "download the table again",
            line=2,
        )
    for offset, row in enumerate(body):
        if len(row) != len(codes):
            raise SourceFormatError(
                path,
                f"expected {len(codes)} fields, found {len(row)}",
                "download the table again",
                line=offset + 3,
            )
    rows = pd.DataFrame(body, columns=codes, dtype=object)
    try:
        figures, skipped = figures_frame(rows, dataset=dataset, codes=codes, labels=labels)
    except CensusValueError as exc:
        raise SourceFormatError(path, str(exc), "download the table again") from exc
    return CensusTable(
        dataset=dataset,
        location=str(path),
        file_hash=file_sha256(path),
        rows_in=len(body),
        rows_skipped=skipped,
        figures=figures,
    )
